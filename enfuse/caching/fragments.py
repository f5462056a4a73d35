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
from . import version
from .page_cache import page_cache
from .version import in_real_transaction

logger = logging.getLogger(__name__)


def kept_per_version(request, key, make, seconds=3600):
    """``make()``'s value, kept under the request's content version (see the module)."""
    snapshot = site_snapshot.for_request(request) if request is not None else None
    if (
        snapshot is None
        or snapshot.version is None
        or getattr(request, "is_preview", False)
        or in_real_transaction()
    ):
        return make()
    cache_key = f"kept:{snapshot.version}:{request.get_host()}:{key}"
    value = snapshot.kept(cache_key)
    if value is not None:
        return value
    try:
        value = page_cache().get(cache_key)
    except Exception:
        value = None
    if value is None:
        value = make()
        if value is None:
            return None
        _keep_in_shared_store(request, cache_key, value, seconds)
    snapshot.keep(cache_key, value)
    return value


def _keep_in_shared_store(request, cache_key, value, seconds):
    """Store a value just made; for the request being served, together with the others it
    makes, in one round trip once its response is made (after an edit a page makes about
    fifteen, each a round trip to Redis of its own otherwise)."""
    if version.serving.get() is not request:
        _store({cache_key: value}, seconds)
        return
    if getattr(request, "_kept_to_store", None) is None:
        request._kept_to_store = {}
        # Called by the site snapshot middleware once the response is made.
        request._store_kept = lambda: store_kept(request)
    request._kept_to_store.setdefault(seconds, {})[cache_key] = value


def store_kept(request):
    """Store what ``request`` made (see _keep_in_shared_store)."""
    pending = getattr(request, "_kept_to_store", None) or {}
    request._kept_to_store = None
    for seconds, values in pending.items():
        _store(values, seconds)


def _store(values, seconds):
    try:
        page_cache().set_many(values, seconds)
    except Exception:  # the cache being down only means they are made again next time
        logger.warning("Could not keep %s", ", ".join(values), exc_info=True)


class KeepNode(template.Node):
    def __init__(self, nodelist, key_parts):
        self.nodelist = nodelist
        self.key_parts = key_parts

    def render(self, context):
        # Quoted: a value such as a time has spaces, which some cache backends refuse.
        key = quote(":".join(str(part.resolve(context)) for part in self.key_parts))
        return kept_per_version(
            context.get("request"), f"fragment:{key}", lambda: self.nodelist.render(context)
        )


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
