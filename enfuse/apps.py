"""The project's own app config: wires site-wide signal receivers once Django is ready."""

from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class EnfuseConfig(AppConfig):
    name = "enfuse"
    verbose_name = "EnFuse Fitness site"

    def ready(self):
        from wagtail.images import get_image_model
        from wagtail.signals import page_published, page_unpublished

        from studio.renditions import image_saved

        from .page_cache import content_changed, purge_listing_pages, site_wide_change

        post_save.connect(content_changed, dispatch_uid="page_cache_on_save")
        post_delete.connect(content_changed, dispatch_uid="page_cache_on_delete")
        post_save.connect(site_wide_change, dispatch_uid="front_cache_on_save")
        post_delete.connect(site_wide_change, dispatch_uid="front_cache_on_delete")
        page_published.connect(purge_listing_pages, dispatch_uid="front_cache_on_publish")
        page_unpublished.connect(purge_listing_pages, dispatch_uid="front_cache_on_unpublish")
        # Every rendition the templates use, made when an image is uploaded or changed.
        post_save.connect(image_saved, sender=get_image_model(), dispatch_uid="image_renditions")
