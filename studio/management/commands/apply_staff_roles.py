"""Reset the Editors and Moderators groups to the permissions defined in studio/roles.py."""

from django.core.management.base import BaseCommand
from django.db import transaction

from studio.staff import roles


class Command(BaseCommand):
    help = (
        "Give the Editors and Moderators groups exactly the permissions described in "
        "README.md ('Staff and roles'), create the 'Moderator approval' workflow and assign it "
        "to the Institute for Learning. Permissions added to these two groups by hand are "
        "removed: make another group for anything extra. Users' group memberships are kept."
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            roles.apply_roles()
        summary = roles.role_summary()
        for name in (roles.EDITORS, roles.MODERATORS):
            held = summary.get(name, {})
            self.stdout.write(
                f"{name}: {len(held.get('model', []))} model, "
                f"{len(held.get('collections', []))} image/document and "
                f"{len(held.get('pages', []))} page permissions."
            )
        self.stdout.write(self.style.SUCCESS("Staff roles applied."))
