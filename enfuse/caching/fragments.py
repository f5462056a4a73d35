"""Values and HTML fragments kept per content version: made once, then reused until any change
visitors can see moves the version on (the template tags are ``{% keep %}`` and
``{% keep_furniture %}``, caching_tags).

Kept in this process's memory with the site snapshot (bounded, most recently used) and in the
page cache's store, under a key that starts with the token the request read from the
database, so a value made from old content is never found again. Made afresh, and kept nowhere,
for previews, inside a transaction that may still roll back, when the version cannot be read,
and when the value is None (a mistyped address looks nothing up twice, but stores nothing).

Four scopes: CONTENT, the default, for anything (under the content token, version.py); SITE
for what is made only from the site snapshot and the request (the menu, settings, opening
hours: never an article), under the site token, which an article's publish leaves alone;
FURNITURE for the header and footer, made only from the rows of SiteSnapshot.furniture_digest
(settings, the home page and the pages below it, sites, privacy) and the request, under that
digest and the media token, which only an edit to those rows or to an image moves; and
ADDRESSED for a value whose key names all it is made from (a digest of the rows), under no
token at all (an article card: articles_tags.article_card). The last two are lasting: a
process's memory keeps them when the site token moves (SiteSnapshot.carry_over).

Keys name the request's host, as most values hold addresses; a value made from rows alone,
with no address in it, may be kept for any host (``any_host``): a change's own process can
then make it once committed, for every host's first view after the change
(``share_for_any_host``, e.g. a category's latest articles for the related cards).
"""

import logging
from urllib.parse import quote

from django import template
from django.http.request import split_domain_port

from . import release, version
from . import snapshot as site_snapshot
from .page_cache import page_cache
from .version import in_real_transaction

logger = logging.getLogger(__name__)

CONTENT = "content"
SITE = "site"
FURNITURE = "furniture"
ADDRESSED = "addressed"
# The host name in the keys of values kept for any host.
ANY_HOST = "*"


def _keeping(request, scope=CONTENT):
    """The request's site snapshot and the token of ``scope`` its values are kept under
    ("s" before a site token, "a" for none), when values may be kept for it: not for a
    preview, inside a transaction of its own (it may roll back) or while the version cannot be
    read."""
    snapshot = site_snapshot.for_request(request) if request is not None else None
    if (
        snapshot is None
        or snapshot.version is None
        or getattr(request, "is_preview", False)
        or in_real_transaction()
    ):
        return None, None
    return snapshot, _tokens(request, snapshot, furniture=scope == FURNITURE)[scope]


def _tokens(request, snapshot, furniture=False):
    """The token each scope's values are kept under for ``request``, after the digest of the
    code that made them (never what other code made: release.py); worked out once per request
    and snapshot. The furniture's needs the snapshot's sites, pages and settings: worked out
    when asked for, or when the request already read the sites and pages (a page view, which
    shows the furniture: its marks are then looked up with the others), not otherwise."""
    content = version.for_request(request)
    worked_out = request.__dict__.get("_kept_tokens")
    if worked_out is not None and worked_out[0] is snapshot and worked_out[1] == content:
        tokens = worked_out[2]
    else:
        code = release.digest()
        tokens = {
            CONTENT: f"{code}.{content}",
            SITE: f"{code}.s{snapshot.version}",
            ADDRESSED: f"{code}.a",
        }
        request._kept_tokens = (snapshot, content, tokens)
    if FURNITURE not in tokens and (furniture or snapshot.__dict__.keys() >= {"sites", "pages"}):
        tokens[FURNITURE] = _furniture_token(request, snapshot, tokens)
    return tokens


def _furniture_token(request, snapshot, tokens):
    # The request's site from the snapshot (as its middleware found it): no query.
    site = getattr(request, "_wagtail_site", None) or snapshot.site_for(
        split_domain_port(request._get_raw_host())[0], request.get_port()
    )
    if site is None or site.root_page_id not in snapshot.page_ids:
        return tokens[SITE]  # no site of its own to share it with
    digest = snapshot.furniture_digest(site)
    return f"{release.digest()}.f{digest}.m{version.media_for_request(request)}"


def kept_per_version(request, key, make, seconds=3600, scope=CONTENT, any_host=False):
    """``make()``'s value, kept under the request's token of ``scope`` (see the module), for
    the request's host or, with ``any_host``, for all (a value holding no address)."""
    snapshot, token = _keeping(request, scope)
    if snapshot is None:
        return make()
    host = ANY_HOST if any_host else request.get_host()
    cache_key = f"kept:{token}:{host}:{key}"
    value = snapshot.kept(cache_key)
    if value is not None:
        return value
    value = None
    # A key read_ahead() already asked the shared store for, in vain, is not asked again.
    if cache_key not in getattr(request, "_kept_nowhere", ()) and _shared_store_may_hold(
        request, snapshot, token, host
    ):
        try:
            value = page_cache().get(cache_key)
        except Exception:
            value = None
    if value is None:
        value = make()
        if value is None:
            return None
        _keep_in_shared_store(request, snapshot, token, host, cache_key, value, seconds)
    snapshot.keep(cache_key, value, _lasting(request, snapshot, scope, token))
    return value


def _lasting(request, snapshot, scope, token):
    """Whether values kept under ``token`` stay right under the next site token (the snapshot
    then carries them over): their keys name all they are made from. ADDRESSED values, and the
    furniture's under its digest (not under the site token it falls back to without a site)."""
    if scope == ADDRESSED:
        return True
    return scope == FURNITURE and token != _tokens(request, snapshot)[SITE]


def share_for_any_host(snapshot, content_token, values, seconds=3600):
    """Keep ``values`` (by key, as kept_per_version names them with ``any_host``) under
    ``content_token``, in this process and the shared store, in one write: for a change's own
    process once it has committed (snapshot.warm), so that the first views after the change
    find them made. The caller read the token before the rows the values are made from, so
    they are never older than it."""
    if not snapshot.process_wide or in_real_transaction():
        return
    token = f"{release.digest()}.{content_token}"
    kept = {f"kept:{token}:{ANY_HOST}:{key}": value for key, value in values.items()}
    _store(kept, seconds, snapshot, {(token, ANY_HOST)})
    for cache_key, value in kept.items():
        snapshot.keep(cache_key, value)


def _written_mark(token, host):
    """The key every write of kept values adds: some process has kept values for this token
    and host."""
    return f"kept:{token}:{host}:written"


def _shared_store_may_hold(request, snapshot, token, host):
    """Whether looking a value up in the shared store can find it.

    Right after an edit nothing is kept under the new tokens yet, and a page would ask the
    shared store for each of its fifteen values in vain: one look at the written marks of the
    request's tokens (content, site and none) answers for all of them. Once a mark is seen, this
    process always looks. Only ever a question of speed: a value not looked up is made again,
    under the same token.
    """
    if (token, host) in snapshot.kept_in_shared_store:
        return True
    looked_up = request.__dict__.setdefault("_marks_looked_up", set())
    if (token, host) in looked_up:
        return False
    tokens = _tokens(request, snapshot)
    request_host = request.get_host()
    wanted = {
        (token, host),
        *((each, request_host) for each in tokens.values()),
        (tokens[CONTENT], ANY_HOST),
    }
    marks = {
        _written_mark(*pair): pair
        for pair in wanted
        if pair not in snapshot.kept_in_shared_store | looked_up
    }
    try:
        written = page_cache().get_many(list(marks))
    except Exception:
        written = {}
    for mark, pair in marks.items():
        looked_up.add(pair)
        if written.get(mark) is not None:
            _mark_kept(snapshot, *pair)
    return (token, host) in snapshot.kept_in_shared_store


def _mark_kept(snapshot, token, host):
    if len(snapshot.kept_in_shared_store) > 1000:  # many content tokens under one site token
        snapshot.kept_in_shared_store.clear()
    snapshot.kept_in_shared_store.add((token, host))


def _keep_in_shared_store(request, snapshot, token, host, cache_key, value, seconds):
    """Store a value just made, with the written mark; for the request being served, together
    with the others it makes, in one round trip once its response is made (after an edit a
    page makes about fifteen, each a round trip to Redis of its own otherwise)."""
    if version.serving.get() is not request:
        _store({cache_key: value}, seconds, snapshot, {(token, host)})
        return
    if getattr(request, "_kept_to_store", None) is None:
        request._kept_to_store = []
        # Called by the site snapshot middleware once the response is made.
        request._store_kept = lambda: store_kept(request)
    request._kept_to_store.append((snapshot, token, host, seconds, cache_key, value))


def store_kept(request):
    """Store what ``request`` made (see _keep_in_shared_store): one write per lifetime."""
    pending = getattr(request, "_kept_to_store", None) or []
    request._kept_to_store = None
    batches = {}
    for snapshot, token, host, seconds, cache_key, value in pending:
        values, marks = batches.setdefault((snapshot, seconds), ({}, set()))
        values[cache_key] = value
        marks.add((token, host))
    for (snapshot, seconds), (values, marks) in batches.items():
        _store(values, seconds, snapshot, marks)


def _store(values, seconds, snapshot, marks):
    """Write ``values`` with the written mark of each (token, host) in ``marks``."""
    values = {**values, **{_written_mark(token, host): True for token, host in marks}}
    try:
        page_cache().set_many(values, seconds)
    except Exception:  # the cache being down only means they are made again next time
        logger.warning("Could not keep %s", ", ".join(values), exc_info=True)
        return
    for token, host in marks:
        _mark_kept(snapshot, token, host)


def read_ahead(request, keys, scope=CONTENT):
    """The values already kept under ``keys`` (this process's memory, then one read of the
    shared store for the rest), by key; nothing is made.

    For a page that knows the keys it is about to ask kept_per_version for (its {% keep %}
    fragments): on its first view, one round trip to the shared store instead of one per key.
    Also for a caller that can skip reading what a kept value would be made from (the
    related articles' cards)."""
    snapshot, token = _keeping(request, scope)
    if snapshot is None:
        return {}
    prefix = f"kept:{token}:{request.get_host()}:"
    found, missing = {}, []
    for key in keys:
        value = snapshot.kept(prefix + key)
        if value is None:
            missing.append(prefix + key)
        else:
            found[key] = value
    if missing and _shared_store_may_hold(request, snapshot, token, request.get_host()):
        try:
            shared = page_cache().get_many(missing)
        except Exception:
            shared = {}
        lasting = _lasting(request, snapshot, scope, token)
        for cache_key, value in shared.items():
            if value is not None:
                snapshot.keep(cache_key, value, lasting)
                found[cache_key[len(prefix) :]] = value
    nowhere = request.__dict__.setdefault("_kept_nowhere", set())
    nowhere.update(key for key in missing if key[len(prefix) :] not in found)
    return found


def fragment_key(parts):
    """The key {% keep %} keeps its HTML under for these values ("name", value, ...)."""
    # Quoted: a value such as a time has spaces, which some cache backends refuse.
    return "fragment:" + quote(":".join(str(part) for part in parts))


class KeepNode(template.Node):
    def __init__(self, nodelist, key_parts, scope):
        self.nodelist = nodelist
        self.key_parts = key_parts
        self.scope = scope

    def render(self, context):
        key = fragment_key(part.resolve(context) for part in self.key_parts)
        return kept_per_version(
            context.get("request"), key, lambda: self.nodelist.render(context), scope=self.scope
        )


def _parse_keep(parser, token, scope):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError(f"{{% {bits[0]} %}} needs at least a fragment name")
    nodelist = parser.parse((f"end{bits[0]}",))
    parser.delete_first_token()
    return KeepNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]], scope)


def keep(parser, token):
    """``{% keep "name" value ... %}...{% endkeep %}``: the enclosed HTML, rendered once per
    content version and per distinct ``value``s (as Django's ``{% cache %}``, but never stale:
    any change visitors can see moves the version on).

    For what every page repeats (the header, the footer): list in the values everything else
    the fragment depends on, such as the opening-hours window or the menu section.
    """
    return _parse_keep(parser, token, CONTENT)


def keep_furniture(parser, token):
    """``{% keep_furniture "name" value ... %}...{% endkeep_furniture %}``: as ``{% keep %}``,
    but kept under the digest of the rows the furniture is made from (FURNITURE), which only
    an edit to them moves: only for HTML made from the site settings, the sites, the home page
    and the pages right below it, their privacy, images and the request (the header, the
    footer), never from any other page or table."""
    return _parse_keep(parser, token, FURNITURE)
