"""Make sure the development site has logins for the Wagtail admin, and say what they are."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

from studio.staff.roles import EDITORS, MODERATORS

USERNAME = "admin"
PASSWORD = "enfuse-demo-admin"
# One login per staff role, to try the moderation workflow (development only).
ROLE_LOGINS = [
    ("editor", "enfuse-demo-editor", EDITORS),
    ("moderator", "enfuse-demo-moderator", MODERATORS),
]


class Command(BaseCommand):
    help = (
        "Create the development superuser 'admin' and the demo staff 'editor' and 'moderator' "
        "if missing (development settings only)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to create a known login outside development: "
                "use 'python manage.py createsuperuser' instead."
            )
        user_model = get_user_model()
        if not user_model.objects.filter(username=USERNAME).exists():
            user_model.objects.create_superuser(
                USERNAME, email="admin@example.com", password=PASSWORD
            )
            self.stdout.write(f"Created the superuser '{USERNAME}'.")
        for username, password, group_name in ROLE_LOGINS:
            user = user_model.objects.filter(username=username).first()
            if user is None:
                user = user_model.objects.create_user(
                    username,
                    email=f"{username}@example.com",
                    password=password,
                    first_name=username.capitalize(),
                )
                user.groups.add(Group.objects.get_or_create(name=group_name)[0])
                self.stdout.write(f"Created the {group_name[:-1].lower()} '{username}'.")
        self.stdout.write(
            f"Admin login: http://127.0.0.1:8000/admin/ as '{USERNAME}' with password "
            f"'{PASSWORD}' (unless you changed it)."
        )
        for username, password, group_name in ROLE_LOGINS:
            self.stdout.write(f"  {group_name}: '{username}' with password '{password}'.")
