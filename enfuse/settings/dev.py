"""Development: the README's first command. SQLite and console email; no other service."""

from .base import *  # noqa: F403
from .base import ALLOWED_HOSTS, SECRET_KEY

DEBUG = True
SECRET_KEY = SECRET_KEY or "django-insecure-development-only-key-never-use-in-production"
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost", "[::1]"]
# Mail is printed to the terminal: no mail server needed.
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}
