"""A whole-page cache for anonymous visitors that never serves stale content.

Every cached page is stored under the current *content version*. Any change that could show on
a page (a page published, unpublished, moved or deleted; a snippet, image, document or studio
setting saved or deleted) moves the version on, so the next request renders afresh: there is
no list of URLs to work out and none to miss. A page is also kept no longer than what it shows
stays true (the studio's "open now" status changes at opening and closing time and at
midnight; see ``request.content_valid_until``).

Never cached: anything but GET and HEAD, logged-in users (anyone with a session), the admin,
search results, responses that set a cookie or depend on one (the contact form's CSRF token),
errors, and query strings other than a listing's ``?page=`` and ``?tag=``.
"""

import datetime
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.utils import timezone
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)

VERSION_KEY = "page-cache:version"
CACHEABLE_QUERY_KEYS = {"page", "tag"}
# Saving these never changes what a visitor sees (renditions are made while pages render).
IGNORED_MODELS = {
    "wagtailimages.rendition",
    "wagtailcore.revision",
    "wagtailcore.pagelogentry",
    "wagtailcore.modellogentry",
    "wagtailcore.referenceindex",
    "wagtailcore.pagesubscription",
    "wagtailcore.workflowstate",
    "wagtailcore.taskstate",
    "wagtailcore.comment",
    "wagtailcore.commentreply",
    "wagtailsearch.indexentry",
    "wagtailsearch.query",
    "wagtailsearch.querydailyhits",
    "studio.contactsubmission",
}
WATCHED_APPS = {"articles", "studio", "wagtailcore", "wagtailimages", "wagtaildocs", "taggit"}


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def content_version():
    """The current content version (created on first use)."""
    cache = page_cache()
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, time.time_ns(), None)
        version = cache.get(VERSION_KEY)
    return version


def invalidate_all(**kwargs):
    """Move the content version on: every page is rendered afresh on its next request."""
    from studio.snapshot import forget_for_current_request

    try:
        page_cache().set(VERSION_KEY, time.time_ns(), None)
    except Exception:
        # The cache being down means nothing can be served from it either.
        logger.warning("Page cache: could not move the content version on", exc_info=True)
    # The request making the change reads the new version from here on.
    forget_for_current_request()


def content_changed(sender, **kwargs):
    """post_save / post_delete receiver: invalidate when the changed model is shown on pages."""
    if kwargs.get("raw"):
        return
    label = sender._meta.label_lower
    if sender._meta.app_label in WATCHED_APPS and label not in IGNORED_MODELS:
        invalidate_all()
        # Again once the change is committed: a page (or site snapshot, studio/snapshot.py)
        # read by another request between the save and the commit saw the old rows.
        transaction.on_commit(invalidate_all)


def request_is_cacheable(request):
    if not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    if request.path.startswith(settings.PAGE_CACHE_EXCLUDED_PATHS):
        return False
    return set(request.GET) <= CACHEABLE_QUERY_KEYS


def response_is_cacheable(request, response):
    """A page any anonymous visitor may be given as it is.

    ``Vary: Cookie`` alone does not stop it: reading ``request.user`` adds that header even for
    a visitor with no cookie at all. A CSRF token in the page does (it belongs to one visitor).
    """
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in response.get("Cache-Control", "")
        and "no-cache" not in response.get("Cache-Control", "")
    )


def seconds_to_keep(request):
    """The cache lifetime: the setting, or less when the page's content changes sooner."""
    seconds = settings.PAGE_CACHE_SECONDS
    valid_until = getattr(request, "content_valid_until", None)
    if valid_until is not None:
        remaining = (valid_until - timezone.now()) / datetime.timedelta(seconds=1)
        seconds = min(seconds, int(remaining))
    return seconds


class PageCacheMiddleware:
    """Serve anonymous page views from the cache; store the ones that may be stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request_is_cacheable(request):
            response = self.get_response(request)
            if response.status_code < 400 and not response.has_header("Cache-Control"):
                # Pages for a logged-in user or with a form token are theirs alone.
                patch_cache_control(response, private=True, no_cache=True)
            return response

        # One round trip for the version and the page: a page is stored with the version it
        # was rendered under, and is a hit only while that is still the current version.
        key = f"page-cache:{request.get_host()}:{request.get_full_path()}"
        try:
            found = page_cache().get_many([VERSION_KEY, key])
            version = found.get(VERSION_KEY)
            if version is None:
                version = content_version()
        except Exception:
            logger.warning("Page cache: unavailable, serving uncached", exc_info=True)
            return self.get_response(request)
        # The site snapshot (studio/snapshot.py) uses this version for the rest of the request.
        request._content_version = version
        entry = found.get(key)
        if (
            version is not None
            and isinstance(entry, tuple)
            and len(entry) == 2
            and entry[0] == version
        ):
            cached = entry[1]
            cached["X-Page-Cache"] = "hit"
            return cached

        response = self.get_response(request)
        if response_is_cacheable(request, response):
            seconds = seconds_to_keep(request)
            if seconds > 0:
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()
                patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
                try:
                    page_cache().set(key, (version, response), seconds)
                except Exception:
                    logger.warning("Page cache: could not store %s", key, exc_info=True)
                response["X-Page-Cache"] = "miss"
        elif not response.has_header("Cache-Control") and response.status_code < 400:
            patch_cache_control(response, private=True, no_cache=True)
        return response


# The front cache (Varnish, nginx or a CDN, configured in WAGTAILFRONTENDCACHE). Wagtail purges
# a page's own URL when it is published or unpublished; the pages that list it (its category,
# the index, the home page) and, on a change shown on every page, all pages are purged here.


def front_cache_configured():
    return bool(getattr(settings, "WAGTAILFRONTENDCACHE", None))


def purge_listing_pages(instance, **kwargs):
    """page_published / page_unpublished receiver: purge the pages above the changed one."""
    if not front_cache_configured():
        return
    from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache

    purge_pages_from_cache(instance.get_ancestors().filter(depth__gt=1).specific())


def purge_all_pages():
    """A change shown on every page (studio details, a snippet, an image): purge them all."""
    from wagtail.contrib.frontend_cache.utils import purge_pages_from_cache
    from wagtail.models import Page

    purge_pages_from_cache(Page.objects.live().public().filter(depth__gt=1).specific())


def site_wide_change(sender, **kwargs):
    """post_save / post_delete receiver for what is not a page: purge the front cache."""
    from wagtail.models import Page

    if kwargs.get("raw") or not front_cache_configured() or issubclass(sender, Page):
        return
    label = sender._meta.label_lower
    if sender._meta.app_label in WATCHED_APPS and label not in IGNORED_MODELS:
        transaction.on_commit(purge_all_pages)
