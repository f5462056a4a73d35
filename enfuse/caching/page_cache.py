"""A whole-page cache for anonymous visitors that never serves stale or private content.

A page is stored as (content version, stored at, lifetime, response) under a canonical key (host,
path and the query string of querystrings.cache_key_query). It is a hit only while its version is
the one the request read from the database (version.for_request), so any change visitors can
see makes every page render afresh, whatever became of the cache meanwhile. A page is also kept no
longer than what it shows stays true (the studio's "open now" status; see
``request.content_valid_until``), and a hit sends ``Age``, so a front cache that stores it keeps
it only for what is left of that lifetime.

Never cached: anything but GET and HEAD, logged-in users (anyone with a session), the admin,
search results, responses that set a cookie or depend on one (the contact form's CSRF token),
anything but a 200, and unknown query parameters. While the database cannot be read, nothing
is served from the cache (the 503 page is): only the database can say a page is still current.
"""

import datetime
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.utils import timezone
from django.utils.cache import patch_cache_control

from . import querystrings, release, version

logger = logging.getLogger(__name__)


def page_cache():
    return caches[settings.PAGE_CACHE_ALIAS]


def request_is_cacheable(request):
    if not settings.PAGE_CACHE_SECONDS or request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES or "messages" in request.COOKIES:
        return False
    return not request.path.startswith(settings.PAGE_CACHE_EXCLUDED_PATHS)


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


def limit_lifetime(request, moment):
    """Tell the page cache the page changes at ``moment``, keeping any earlier limit (the
    opening status, the next class: whichever changes first decides)."""
    if request is None:
        return
    current = getattr(request, "content_valid_until", None)
    request.content_valid_until = moment if current is None else min(current, moment)


def seconds_to_keep(request):
    """The cache lifetime: the setting, or less when the page's content changes sooner."""
    seconds = settings.PAGE_CACHE_SECONDS
    valid_until = getattr(request, "content_valid_until", None)
    if valid_until is not None:
        remaining = (valid_until - timezone.now()) / datetime.timedelta(seconds=1)
        seconds = min(seconds, int(remaining))
    return seconds


def cache_key(request, query):
    # Pages the code before a deploy made are not served by the next (release.py).
    return f"page-cache:{release.digest()}:{request.get_host()}:{request.path}?{query}"


def make_private(response):
    if response.status_code < 400 and not response.has_header("Cache-Control"):
        # Pages for a logged-in user, with a form token or unknown parameters are theirs alone.
        patch_cache_control(response, private=True, no_cache=True)
    return response


def from_entry(entry, token, now):
    """The stored response if ``entry`` is current under ``token`` and still fresh."""
    if not (isinstance(entry, tuple) and len(entry) == 4 and entry[0] == token):
        return None
    _token, stored_at, seconds, response = entry
    age = max(0, int(now - stored_at))
    if age >= seconds:
        return None
    response["Age"] = str(age)
    response["X-Page-Cache"] = "hit"
    return response


class PageCacheMiddleware:
    """Serve anonymous page views from the cache; store the ones that may be stored."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        query = querystrings.cache_key_query(request) if request_is_cacheable(request) else None
        if query is None:
            return make_private(self.get_response(request))
        # Raises while the database is unreachable: the 503 page, not a page it cannot vouch for.
        token = version.for_request(request)
        key = cache_key(request, query)
        try:
            entry = page_cache().get(key)
        except Exception:
            logger.warning("Page cache: unavailable, serving uncached", exc_info=True)
            entry = None
        cached = from_entry(entry, token, time.time())
        if cached is not None:
            return cached

        response = self.get_response(request)
        if not response_is_cacheable(request, response):
            return make_private(response)
        seconds = seconds_to_keep(request)
        if seconds > 0:
            if hasattr(response, "render") and callable(response.render):
                response = response.render()
            patch_cache_control(response, public=True, max_age=0, s_maxage=seconds)
            try:
                page_cache().set(key, (token, time.time(), seconds, response), seconds)
            except Exception:
                logger.warning("Page cache: could not store %s", key, exc_info=True)
            response["X-Page-Cache"] = "miss"
        return response
