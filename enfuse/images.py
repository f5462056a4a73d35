"""Every image rendition the templates show, listed once, and made before anyone asks for it.

Each picture in the templates names one of the presets below ({% preset_picture image "hero" %},
enfuse/templatetags/picture_tags.py; a test reads the templates and fails when a tag asks for a
size or format not listed here, so they cannot drift).
Listings prefetch exactly their preset. When an image is uploaded or changed (a new file or
focal point), every rendition is made as soon as the change is committed, so the first visitor
of a page never waits for AVIF encoding (about a second per large rendition); the demo content
makes its images' renditions the same way.
"""

import functools
import logging

from django.db import transaction
from django.tasks import task
from wagtail.images import get_image_model
from wagtail.images.models import Filter

logger = logging.getLogger(__name__)

# The formats every {% picture %} offers: the browser takes the first it supports.
FORMATS = "format-{avif,webp,jpeg}"

PRESETS = {
    # articles/article_page.html and studio/service_page.html: the photo at the top
    "hero": (FORMATS, "fill-{800x450,1200x675}"),
    # studio/home_page.html: the home page's photo beside the headline
    "home_hero": (FORMATS, "fill-{640x400,1200x750}"),
    # includes/article_card.html: listings, related articles, search results
    "article_card": (FORMATS, "fill-{400x225,800x450}"),
    # includes/service_card.html: home page and services index
    "service_card": (FORMATS, "fill-{480x320,960x640}"),
    # studio/about_page.html: team members
    "team_photo": (FORMATS, "fill-{240x240,480x480}"),
    # blocks/figure_block.html: images in a page's body
    "figure": (FORMATS, "width-{400,800}"),
    # includes/site_header.html: a wordmark staff uploaded in the studio settings (its format)
    "wordmark": ("height-64",),
}
# includes/social_meta.html (studio_tags.social_meta): the picture a shared link shows, at the
# 1200×630 size Facebook, X and LinkedIn all show without cropping.
SOCIAL_IMAGE_SPEC = "fill-1200x630|format-jpeg"
# Made once per process, as the presets' filters are (see filters()).
SOCIAL_IMAGE_FILTER = Filter(spec=SOCIAL_IMAGE_SPEC)


def specs(preset):
    """The rendition filter specs one preset's picture asks for."""
    return tuple(Filter.expand_spec(list(PRESETS[preset])))


@functools.cache
def filters(preset):
    """The preset's rendition filters, made once per process.

    Wagtail's {% picture %} tag makes new Filter objects on every render, and each parses its
    operations again to find the rendition's cache key (inspect.getcallargs per operation):
    1,400 of the 20,000 Python calls of an article's first view (7%), counted with cProfile.
    A Filter holds nothing but its spec, so one set serves every render and thread.
    """
    return tuple(Filter(spec=spec) for spec in specs(preset))


def all_specs():
    """Every rendition spec the templates use, each once."""
    every = [spec for preset in PRESETS for spec in specs(preset)] + [SOCIAL_IMAGE_SPEC]
    return tuple(dict.fromkeys(every))


def make_renditions(image):
    """Make (or find) every rendition the templates use of ``image``."""
    return image.get_renditions(*all_specs())


@task(backend="renditions")
def make_renditions_task(image_id):
    """Runs on the "renditions" task backend (settings.TASKS): inline in development and
    tests; in production, queued in the database for its own worker (docker-compose.yml), so
    an editor uploading a photo does not wait for about 34 AVIF, WebP and JPEG encodings."""
    image = get_image_model().objects.filter(pk=image_id).first()
    if image is not None:
        make_renditions(image)


def image_saved(sender, instance, raw=False, **kwargs):
    """post_save receiver for the image model: make its renditions once the save is committed."""
    if raw or not instance.file:
        return

    def enqueue():
        try:
            make_renditions_task.enqueue(instance.pk)
        except Exception:
            # The page still renders: the missing renditions are then made on first view.
            logger.exception("Renditions of image %s not made in advance", instance.pk)

    transaction.on_commit(enqueue)


def make_missing_renditions():
    """Make the renditions of every image (those already made are only looked up)."""
    for image in get_image_model().objects.all():
        make_renditions(image)
