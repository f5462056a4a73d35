"""The project's own app config: wires site-wide signal receivers once Django is ready.

The caches' receivers are connected by the caching app (enfuse/caching/changes.py).
"""

from django.apps import AppConfig
from django.db.models.signals import post_save


class EnfuseConfig(AppConfig):
    name = "enfuse"
    verbose_name = "EnFuse Fitness site"

    def ready(self):
        from wagtail.images import get_image_model

        from enfuse.images import image_saved

        # Every rendition the templates use, made when an image is uploaded or changed.
        post_save.connect(image_saved, sender=get_image_model(), dispatch_uid="image_renditions")
