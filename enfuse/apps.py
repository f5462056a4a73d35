"""The project's own app config: wires site-wide signal receivers once Django is ready."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class EnfuseConfig(AppConfig):
    name = "enfuse"
    verbose_name = "EnFuse Fitness site"

    def ready(self):
        from .page_cache import content_changed

        post_save.connect(content_changed, dispatch_uid="page_cache_on_save")
        post_delete.connect(content_changed, dispatch_uid="page_cache_on_delete")
