"""Make sure the development site has a login for the Wagtail admin, and say what it is."""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

USERNAME = "admin"
PASSWORD = "enfuse-demo-admin"


class Command(BaseCommand):
    help = "Create the development superuser 'admin' if missing (development settings only)."

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
        self.stdout.write(
            f"Admin login: http://127.0.0.1:8000/admin/ as '{USERNAME}' with password "
            f"'{PASSWORD}' (unless you changed it)."
        )
