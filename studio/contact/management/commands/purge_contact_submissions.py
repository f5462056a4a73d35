"""Delete contact form submissions older than CONTACT_RETENTION_DAYS (default 365), for
privacy. Run it daily, e.g. from cron or the sweeper's host."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from studio.contact.models import ContactSubmission


class Command(BaseCommand):
    help = (
        "Delete contact form submissions older than CONTACT_RETENTION_DAYS days (or --days). "
        "Messages still waiting to be emailed are kept."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days", type=int, help="Keep this many days instead of CONTACT_RETENTION_DAYS."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Only say how many would be deleted."
        )

    def handle(self, *args, days, dry_run, **options):
        days = settings.CONTACT_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days must be zero or more.")
        if days == 0:
            self.stdout.write("Retention is off (0 days): nothing deleted.")
            return
        old = ContactSubmission.objects.older_than(days).exclude(
            delivery_state=ContactSubmission.PENDING
        )
        if dry_run:
            self.stdout.write(f"{old.count()} contact message(s) older than {days} days.")
            return
        deleted, _ = old.delete()
        self.stdout.write(f"Deleted {deleted} contact message(s) older than {days} days.")
