"""The caching app: connects the receivers that move the content version and queue purges."""

from django.apps import AppConfig


class CachingConfig(AppConfig):
    name = "enfuse.caching"
    label = "caching"
    verbose_name = "Caching"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import changes

        changes.connect()
