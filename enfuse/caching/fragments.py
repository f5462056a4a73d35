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


def _keeping_snapshot(request):
    """The request's site snapshot when values may be kept for it: not for a preview, inside
    a transaction of its own (it may roll back) or while the version cannot be read."""
    snapshot = site_snapshot.for_request(request) if request is not None else None
    if (
        snapshot is None
        or snapshot.version is None
        or getattr(request, "is_preview", False)
        or in_real_transaction()
    ):
        return None
    return snapshot


def kept_per_version(request, key, make, seconds=3600):
    """``make()``'s value, kept under the request's content version (see the module)."""
    snapshot = _keeping_snapshot(request)
    if snapshot is None:
        return make()
    cache_key = f"kept:{snapshot.version}:{request.get_host()}:{key}"
    value = snapshot.kept(cache_key)
    if value is not None:
        return value
    value = None
    # A key read_ahead() already asked the shared store for, in vain, is not asked again.
    if cache_key not in getattr(request, "_kept_nowhere", ()) and _shared_store_may_hold(
        request, snapshot
    ):
        try:
            value = page_cache().get(cache_key)
        except Exception:
            value = None
    if value is None:
        value = make()
        if value is None:
            return None
        _keep_in_shared_store(request, snapshot, cache_key, value, seconds)
    snapshot.keep(cache_key, value)
    return value


def _written_mark(token, host):
    """The key every write of kept values adds: some process has kept values for this version
    and host."""
    return f"kept:{token}:{host}:written"


def _shared_store_may_hold(request, snapshot):
    """Whether looking a value up in the shared store can find it.

    Right after an edit nothing is kept under the new version yet, and a page would ask the
    shared store for each of its fifteen values in vain: one look at the written mark per
    request answers for all of them. Once the mark is seen, this process always looks. Only
    ever a question of speed: a value not looked up is made again, under the same version.
    """
    host = request.get_host()
    if host in snapshot.hosts_kept_in_shared_store:
        return True
    if getattr(request, "_nothing_kept_for", None) == (snapshot.version, host):
        return False
    try:
        written = page_cache().get(_written_mark(snapshot.version, host)) is not None
    except Exception:
        written = False
    if written:
        snapshot.hosts_kept_in_shared_store.add(host)
    else:
        request._nothing_kept_for = (snapshot.version, host)
    return written


def _keep_in_shared_store(request, snapshot, cache_key, value, seconds):
    """Store a value just made, with the written mark; for the request being served, together
    with the others it makes, in one round trip once its response is made (after an edit a
    page makes about fifteen, each a round trip to Redis of its own otherwise)."""
    host = request.get_host()
    if version.serving.get() is not request:
        _store(
            {cache_key: value, _written_mark(snapshot.version, host): True}, seconds, snapshot, host
        )
        return
    if getattr(request, "_kept_to_store", None) is None:
        request._kept_to_store = []
        # Called by the site snapshot middleware once the response is made.
        request._store_kept = lambda: store_kept(request)
    request._kept_to_store.append((snapshot, host, seconds, cache_key, value))


def store_kept(request):
    """Store what ``request`` made (see _keep_in_shared_store): one write per lifetime."""
    pending = getattr(request, "_kept_to_store", None) or []
    request._kept_to_store = None
    batches = {}
    for snapshot, host, seconds, cache_key, value in pending:
        batch = batches.setdefault((snapshot, host, seconds), {})
        batch[cache_key] = value
        batch[_written_mark(snapshot.version, host)] = True
    for (snapshot, host, seconds), values in batches.items():
        _store(values, seconds, snapshot, host)


def _store(values, seconds, snapshot, host):
    try:
        page_cache().set_many(values, seconds)
    except Exception:  # the cache being down only means they are made again next time
        logger.warning("Could not keep %s", ", ".join(values), exc_info=True)
        return
    snapshot.hosts_kept_in_shared_store.add(host)


def read_ahead(request, keys):
    """The values already kept under ``keys`` (this process's memory, then one read of the
    shared store for the rest), by key; nothing is made.

    For a page that knows the keys it is about to ask kept_per_version for (its {% keep %}
    fragments): on its first view, one round trip to the shared store instead of one per key.
    Also for a caller that can skip reading what a kept value would be made from (the
    related articles' cards)."""
    snapshot = _keeping_snapshot(request)
    if snapshot is None:
        return {}
    prefix = f"kept:{snapshot.version}:{request.get_host()}:"
    found, missing = {}, []
    for key in keys:
        value = snapshot.kept(prefix + key)
        if value is None:
            missing.append(prefix + key)
        else:
            found[key] = value
    if missing and _shared_store_may_hold(request, snapshot):
        try:
            shared = page_cache().get_many(missing)
        except Exception:
            shared = {}
        for cache_key, value in shared.items():
            if value is not None:
                snapshot.keep(cache_key, value)
                found[cache_key[len(prefix) :]] = value
    nowhere = request.__dict__.setdefault("_kept_nowhere", set())
    nowhere.update(key for key in missing if key[len(prefix) :] not in found)
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
