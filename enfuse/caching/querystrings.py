"""Canonical query strings: what the page cache keys on, and what a listing accepts.

Tracking parameters (``utm_*``, ``fbclid``, ``gclid``, ...) change nothing on a page: they are
dropped before the key, so campaign traffic is served from the caches. Any other parameter a
page does not use bypasses the caches and stores nothing, so a flood of made-up query strings
adds no entries. A listing's ``?page=`` must be a positive integer written plainly (``?page=1``
redirects to the address without it; anything else is a 404, as is a page past the end), and an
unknown ``?tag=`` is a 404: the pages a listing can answer are finitely many.
The same rules are in deploy/varnish/default.vcl.
"""

import re
from urllib.parse import parse_qsl, urlencode

from django.http import Http404, HttpResponsePermanentRedirect

TRACKING = re.compile(
    r"^(utm_[a-z0-9_]+|fbclid|gclid|gbraid|wbraid|dclid|msclkid|mc_cid|mc_eid|_ga|_gl|yclid"
    r"|igshid|_hsenc|_hsmi|mkt_tok)$",
    re.IGNORECASE,
)
# The parameters pages read (listings); others bypass the caches.
CACHEABLE = {"page", "tag"}
PAGE_NUMBER = re.compile(r"^[1-9][0-9]{0,5}$")
# What a tag's slug can be (taggit makes them from names); anything else names no tag.
TAG_SLUG = re.compile(r"^[-\w]{1,100}$")


def without_tracking(query_string):
    return [
        (key, value)
        for key, value in parse_qsl(query_string, keep_blank_values=True)
        if not TRACKING.match(key)
    ]


def cache_key_query(request):
    """The canonical query string to key ``request`` on, or None when it must bypass caches."""
    pairs = without_tracking(request.META.get("QUERY_STRING", ""))
    keys = [key for key, _ in pairs]
    if len(set(keys)) != len(keys) or not set(keys) <= CACHEABLE:
        return None
    return urlencode(sorted(pairs))


def listing_page_number(request):
    """The listing page asked for: an int, or a redirect to the canonical address for ?page=1.

    Raises Http404 for anything but a plain positive integer.
    """
    raw = request.GET.get("page")
    if raw is None:
        return 1
    if not PAGE_NUMBER.match(raw) or len(request.GET.getlist("page")) > 1:
        raise Http404("No such page of this listing")
    if raw == "1":
        pairs = [
            (key, value)
            for key, value in without_tracking(request.META.get("QUERY_STRING", ""))
            if key != "page"
        ]
        query = urlencode(pairs)
        return HttpResponsePermanentRedirect(request.path + (f"?{query}" if query else ""))
    return int(raw)


def listing_tag_slug(request):
    """The ``?tag=`` asked for, or None; Http404 for a value no tag can have (no query made)."""
    values = request.GET.getlist("tag")
    if not values:
        return None
    if len(values) > 1 or not TAG_SLUG.match(values[0]):
        raise Http404("No such tag")
    return values[0]


def check_page_in_range(number, count, per_page):
    last = max(1, -(-count // per_page))
    if number > last:
        raise Http404("No such page of this listing")
