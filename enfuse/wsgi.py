"""WSGI entry point, used by gunicorn: ``gunicorn enfuse.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "enfuse.settings.production")

application = get_wsgi_application()
