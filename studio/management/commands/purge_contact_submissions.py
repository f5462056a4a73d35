"""Django finds commands only in an installed app's management/commands: the real one is in
studio/contact/management/commands/."""

from studio.contact.management.commands.purge_contact_submissions import Command  # noqa: F401
