"""Values and HTML fragments kept per content version: made once, then reused until any change
visitors can see moves the version on (the template tag is ``{% keep %}``, caching_tags).

Kept in this process's memory with the site snapshot (bounded, most recently used) and in the
page cache's store, under a key that starts with the version the request read from the
database, so a value made from old content is never found again. Made afresh, and kept nowhere,
for previews, inside a transaction that may still roll back, when the version cannot be read,
and when the value is None (a mistyped address looks nothing up twice, but stores nothing).
"""

import logging
from urllib.parse import quote

from django import template

from . import snapshot as site_snapshot
from .page_cache import page_cache, store_later
from .version import in_real_transaction

logger = logging.getLogger(__name__)


def _keeping(request):
    """The request's snapshot when values may be kept for it (see the module), else None."""
    snapshot = site_snapshot.for_request(request) if request is not None else None
    if (
        snapshot is None
        or snapshot.version is None
        or getattr(request, "is_preview", False)
        or in_real_transaction()
    ):
        return None
    return snapshot


def _prefix(request, snapshot):
    return f"kept:{snapshot.version}:{request.get_host()}:"


def kept_per_version(request, key, make, seconds=3600):
    """``make()``'s value, kept under the request's content version (see the module)."""
    snapshot = _keeping(request)
    if snapshot is None:
        return make()
    cache_key = _prefix(request, snapshot) + key
    value = snapshot.kept(cache_key)
    if value is not None:
        return value
    # A key read_ahead() already asked the shared store for, in vain, is not asked again.
    if cache_key not in getattr(request, "_kept_nowhere", ()):
        try:
            value = page_cache().get(cache_key)
        except Exception:
            value = None
    if value is None:
        value = make()
        if value is None:
            return None
        # Written with the request's other new values in one go (page_cache.store_later).
        store_later(request, cache_key, value, seconds)
    snapshot.keep(cache_key, value)
    return value


def read_ahead(request, keys):
    """The values already kept under ``keys`` (this process's memory, then one read of the
    shared store for the rest), by key; nothing is made.

    For a page that knows the keys it is about to ask kept_per_version for (its {% keep %}
    fragments): on its first view, one round trip to the shared store instead of one per key.
    Also for a caller that can skip reading what a kept value would be made from (the
    related articles' cards)."""
    snapshot = _keeping(request)
    if snapshot is None:
        return {}
    prefix = _prefix(request, snapshot)
    found, missing = {}, []
    for key in keys:
        value = snapshot.kept(prefix + key)
        if value is None:
            missing.append(prefix + key)
        else:
            found[key] = value
    if missing:
        try:
            shared = page_cache().get_many(missing)
        except Exception:
            shared = {}
        nowhere = request.__dict__.setdefault("_kept_nowhere", set())
        for cache_key in missing:
            value = shared.get(cache_key)
            if value is None:
                nowhere.add(cache_key)
            else:
                snapshot.keep(cache_key, value)
                found[cache_key[len(prefix) :]] = value
    return found


def fragment_key(parts):
    """The key {% keep %} keeps its HTML under for these values ("name", value, ...)."""
    # Quoted: a value such as a time has spaces, which some cache backends refuse.
    return "fragment:" + quote(":".join(str(part) for part in parts))


class KeepNode(template.Node):
    def __init__(self, nodelist, key_parts):
        self.nodelist = nodelist
        self.key_parts = key_parts

    def render(self, context):
        key = fragment_key(part.resolve(context) for part in self.key_parts)
        return kept_per_version(context.get("request"), key, lambda: self.nodelist.render(context))


def keep(parser, token):
    """``{% keep "name" value ... %}...{% endkeep %}``: the enclosed HTML, rendered once per
    content version and per distinct ``value``s (as Django's ``{% cache %}``, but never stale:
    any change visitors can see moves the version on).

    For what every page repeats (the header, the footer): list in the values everything else
    the fragment depends on, such as the opening-hours window or the menu section.
    """
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% keep %} needs at least a fragment name")
    nodelist = parser.parse(("endkeep",))
    parser.delete_first_token()
    return KeepNode(nodelist, [parser.compile_filter(bit) for bit in bits])
