"""What routing and every page's furniture need, read once per site token, not per request.

Most of a page's queries used to ask things that change only when staff edit: which site a host
name is, the pages above the one shown (routing, breadcrumbs, the menu, the contact page, the
category names on article cards), the pages' privacy restrictions, and site settings with their
rows. They are read once and kept in this process under the *site token* the request read from
the database (version.py), which every such edit moves on in its own transaction, so they are
never stale; publishing an article does not move it. Requests get copies, so nothing a request
sets on a page or the settings leaks into the next. Page types with ``keep_in_site_snapshot =
False`` (articles: a site may have thousands) are left out; they, like any value or HTML
fragment made for a view, are kept per content token by fragments.py.

Building it costs about 13 ms (nine queries, most of it the ORM's Python); unpickling it 0.3 ms.
So a process that built one shares it through the page cache's store under its site token, and
a change that moves the site token builds and shares the new one itself once committed
(``warm_after_commit``): the first visitor of every process after an edit unpickles it instead
of building it. The store only ever saves time: a snapshot it does not return is built here.
"""

import copy
import hashlib
import logging
import pickle
import threading
from collections import OrderedDict

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.functional import cached_property
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import (
    MATCH_DEFAULT,
    MATCH_HOSTNAME,
    MATCH_HOSTNAME_DEFAULT,
    MATCH_HOSTNAME_PORT,
)

from . import release, version
from .page_cache import page_cache
from .version import in_real_transaction

logger = logging.getLogger(__name__)
# How long the shared store keeps a snapshot (a new site token makes it unreachable anyway).
SHARED_SECONDS = 24 * 3600
_latest = None
_lock = threading.Lock()
# Values kept per version (fragments.kept_per_version) that this process holds too, most
# recently used last; they go with the snapshot when the site token moves on.
KEPT_IN_PROCESS = 2000


def current():
    """The snapshot for the current content version (built lazily, piece by piece)."""
    request = version.serving.get()
    if request is not None and not in_real_transaction():
        return for_request(request)
    tokens = version.read_or_none()
    return _for_version(tokens.site if tokens is not None else None)


def _for_version(token):
    global _latest
    if token is None or in_real_transaction():
        # No version to check against (the database is unreadable), or rows that may roll back:
        # read afresh for this request only, and never shared.
        return SiteSnapshot(token, process_wide=False)
    snapshot = _latest
    if snapshot is None or snapshot.version != token:
        with _lock:
            if _latest is None or _latest.version != token:
                replacement = SiteSnapshot.shared(token) or SiteSnapshot(token)
                if _latest is not None:
                    replacement.carry_over(_latest)
                _latest = replacement
            snapshot = _latest
    return snapshot


def forget_process_memory():
    """Drop this process's snapshot (tests: a rolled-back change leaves its token behind)."""
    global _latest
    _latest = None


def for_request(request):
    """The snapshot a request uses throughout, even if the version moves on meanwhile.

    The site token is read once per request (version.site_for_request); a content change made
    by the request itself drops both (version.bump).
    """
    if request is None:
        return current()
    snapshot = getattr(request, "_site_snapshot", None)
    if snapshot is None:
        snapshot = request._site_snapshot = _for_version(version.site_for_request(request))
    return snapshot


def fresh_copy(instance):
    """A copy of a kept page or setting for one request (cached per-instance values dropped)."""
    duplicate = copy.copy(instance)
    for name in ("specific", "specific_deferred", "_hours_now", "_request"):
        duplicate.__dict__.pop(name, None)
    return duplicate


def shared_key(token):
    return f"snapshot:{release.digest()}:{token}"


def warm_after_commit():
    """Once the current transaction commits (at once in autocommit), build the snapshot of
    the site token it moved to and share it (see the module), with the values kept pages
    make (``warm``): the editor's process pays for them instead of every process's first
    visitor. Once per transaction."""
    marks = version.transaction_marks()
    if marks is not None:
        if marks.warm_queued:
            return
        marks.warm_queued = True
    transaction.on_commit(warm, robust=True)


def warm():
    """Build the current snapshot's parts every page needs and share them; then let each kept
    page that can (``make_kept_values``, e.g. a category's latest articles) make what the
    first views below it would each make again after any change."""
    tokens = version.read_or_none()
    if tokens is None:
        return
    snapshot = _for_version(tokens.site)
    snapshot.build()
    snapshot.share()
    for page in list(snapshot.pages.values()):
        make_kept_values = getattr(page, "make_kept_values", None)
        if make_kept_values is not None and page.live:
            try:
                make_kept_values(snapshot, tokens.content)
            except Exception:  # only ever time saved: the first view makes them instead
                logger.warning("Could not make the values kept below %s", page.pk, exc_info=True)


class KeptInProcess:
    """Values this process keeps, the most recently used last, at most KEPT_IN_PROCESS.

    Strings are shared as they are; anything else is stored pickled, so each caller gets
    objects of its own (as it would from the shared cache) and none can leak into another."""

    def __init__(self, token=None):
        self.token = token
        self._values = OrderedDict()
        # Keys whose values stay right under any site token (see SiteSnapshot.carry_over).
        self._lasting = set()
        self._lock = threading.Lock()

    def __iter__(self):
        return iter(list(self._values))

    def kept(self, key):
        """A copy of the value kept under ``key``, or None."""
        with self._lock:
            stored = self._values.get(key)
            if stored is None:
                return None
            self._values.move_to_end(key)
        return pickle.loads(stored) if isinstance(stored, bytes) else stored

    def has_kept(self, key):
        return key in self._values

    def keep(self, key, value, lasting=False):
        stored = value if isinstance(value, str) else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with self._lock:
            self._values[key] = stored
            self._values.move_to_end(key)
            if lasting:
                self._lasting.add(key)
            self._evict()

    def _evict(self):
        while len(self._values) > KEPT_IN_PROCESS:
            key, _ = self._values.popitem(last=False)
            self._lasting.discard(key)

    def lasting_items(self):
        """The (key, stored value) pairs kept as lasting, least recently used first."""
        with self._lock:
            return [(key, stored) for key, stored in self._values.items() if key in self._lasting]

    def take_lasting(self, items):
        """Keep ``items`` (from another's lasting_items), before anything kept here since."""
        with self._lock:
            for key, stored in reversed(items):
                if key not in self._values:
                    self._values[key] = stored
                    self._values.move_to_end(key, last=False)
                    self._lasting.add(key)
            self._evict()


class SiteSnapshot:
    # What a snapshot shares (SiteSnapshot.parts): what it read, not what requests kept in it.
    SHARED_PARTS = (
        "pages",
        "restrictions",
        "site_root_paths",
        "sites",
        "_settings",
        "_furniture_digests",
    )

    def __init__(self, token, process_wide=True):
        self.version = token
        # False for a snapshot made for one request only (see _for_version): never shared.
        self.process_wide = process_wide
        self._sites = {}
        self._settings = {}
        self._kept = KeptInProcess()
        # (token, host) pairs some process has kept values for in the shared store
        # (fragments.py); content tokens come and go under one site token, hence bounded.
        self.kept_in_shared_store = set()
        # What the shared store holds of this snapshot, as far as this process knows.
        self.shared_parts = frozenset()

    # Shared between processes (see the module)

    @classmethod
    def shared(cls, token):
        """The snapshot another process built for ``token``, or None."""
        try:
            parts = page_cache().get(shared_key(token))
        except Exception:
            logger.warning("Site snapshot: shared store unavailable", exc_info=True)
            return None
        if not isinstance(parts, dict) or not parts.get("pages"):
            return None
        snapshot = cls(token)
        snapshot.__dict__.update(parts)
        snapshot.shared_parts = frozenset(parts)
        return snapshot

    def build(self):
        """Read now what pages would read lazily: the pages, sites and restrictions, and every
        site setting of every site."""
        from wagtail.contrib.settings.models import BaseSiteSetting

        self.restrictions  # noqa: B018 (cached properties, read for their side effect)
        self.site_root_paths  # noqa: B018
        settings = [model for model in apps.get_models() if issubclass(model, BaseSiteSetting)]
        for site in self.sites:
            for model in settings:
                self.setting(model, site)
            if site.root_page_id in self.page_ids:
                self.furniture_digest(site)

    def parts(self):
        """What this snapshot has read so far, by name (see SHARED_PARTS)."""
        return {name: self.__dict__[name] for name in self.SHARED_PARTS if name in self.__dict__}

    def share(self):
        """Put what this snapshot has read in the shared store, unless it holds it already
        (a request's snapshot, built piece by piece, is shared once it has its pages)."""
        parts = self.parts()
        if not self.process_wide or "pages" not in parts or set(parts) <= self.shared_parts:
            return
        try:
            page_cache().set(shared_key(self.version), parts, SHARED_SECONDS)
        except Exception:
            logger.warning("Site snapshot: could not share it", exc_info=True)
            return
        self.shared_parts = frozenset(parts)

    # Sites

    @cached_property
    def sites(self):
        """Every site (a handful of rows), with its home page from the kept pages."""
        by_id = {page.pk: page for page in self.pages.values()}
        sites = list(Site.objects.order_by("pk"))
        for site in sites:
            if site.root_page_id in by_id:
                site.root_page = by_id[site.root_page_id]
        return sites

    def site_for(self, hostname, port):
        """Site.find_for_request's answer for this host and port (match_site), no query."""
        key = (hostname, port)
        if key not in self._sites:
            site = match_site(self.sites, hostname, port)
            if len(self._sites) < 100:  # allowed host names only, but bounded anyway
                self._sites[key] = site
            return site
        return self._sites[key]

    @cached_property
    def site_root_paths(self):
        """Site.get_site_root_paths(), which Wagtail otherwise reads from the cache per request."""
        return Site.get_site_root_paths()

    @cached_property
    def site_root_paths_digest(self):
        """A short digest of the sites' root paths, for keys of HTML holding page addresses."""
        return hashlib.blake2b(repr(self.site_root_paths).encode(), digest_size=8).hexdigest()

    # Site furniture

    def furniture_digest(self, site):
        """A digest of every row the site furniture (header, footer) may be made from: the
        site settings with their rows, the sites and their root paths, the site's home page and
        the pages right below it (the menu), and which pages are private. Fragments kept under
        it (fragments.FURNITURE) outlive the edits that leave all of these as they were: a
        service, a category or an article published, an unchanged save of the settings.

        Made from every column of those pages and from the pickled settings with their rows,
        so no field can be left out by mistake; what is not here (another page, any other
        table) the furniture may not read (tested), and images it shows are covered by the
        media token in the fragments' key. Pages go in by their columns only, not pickled
        whole: a snapshot a view built piece by piece holds pages with values the view cached
        on them (``specific``), and its digest would differ from warm()'s for the same rows,
        so the furniture was made again once more after each such snapshot. Computed once per
        snapshot and site (about 0.1 ms) and shared with it, so every process keeps the
        furniture under the same digest."""
        from wagtail.contrib.settings.models import BaseSiteSetting

        digests = self.__dict__.setdefault("_furniture_digests", {})
        digest = digests.get(site.pk)
        if digest is None:
            steplen = Page.steplen
            root_path = site.root_page.path
            pages = [
                (
                    page._meta.label_lower,
                    [field.value_to_string(page) for field in page._meta.concrete_fields],
                )
                for path, page in self.pages.items()
                if path == root_path or path[:-steplen] == root_path
            ]
            settings = []
            for model in apps.get_models():
                if issubclass(model, BaseSiteSetting):
                    self.setting(model, site)
                    settings.append(self._settings[(model._meta.label_lower, site.pk)])
            rows = (
                [(each.pk, each.hostname, each.port, each.root_page_id) for each in self.sites],
                self.site_root_paths,
                self.private_paths,
                settings,
                pages,
            )
            digest = hashlib.blake2b(
                pickle.dumps(rows, pickle.HIGHEST_PROTOCOL), digest_size=12
            ).hexdigest()
            digests[site.pk] = digest
        return digest

    # Values kept per version in this process's memory (fragments.kept_per_version), under keys
    # that name their token: those of an older content token are never asked for again and
    # leave with the least recently used.

    def kept(self, key):
        return self._kept.kept(key)

    def has_kept(self, key):
        return self._kept.has_kept(key)

    def keep(self, key, value, lasting=False):
        """Keep ``value`` under ``key``; ``lasting`` when the key names everything the value is
        made from (a digest of its rows), so that it is right under any site token."""
        self._kept.keep(key, value, lasting)

    def carry_over(self, previous):
        """Keep the lasting values of the snapshot this one replaces in this process.

        After an edit that moves the site token, a process's first view used to ask the shared
        store again for the header, the footer, the studio's JSON-LD and the article cards,
        one round trip each, though their keys (the furniture's digest, the cards' own) had
        not moved. Their keys name all they are made from, so carrying them over can only save
        time: a key whose rows changed is never asked for again and leaves with the least
        recently used."""
        if self.process_wide and previous is not self:
            self._kept.take_lasting(previous._kept.lasting_items())

    # Pages (every page but the types left out, e.g. articles)

    @cached_property
    def pages(self):
        """Every page kept (see the module's docstring), specific, by tree path, with the
        images they show: three queries (pages_of_kept_types, then the images)."""
        from wagtail.images import get_image_model

        pages = sorted(pages_of_kept_types(), key=lambda page: page.path)
        # The photos these pages show (hero, service photo, social card), in one query.
        image_model = get_image_model()
        image_fields = {
            page.pk: [
                field
                for field in page._meta.concrete_fields
                if field.is_relation and field.related_model is image_model
            ]
            for page in pages
        }
        image_ids = {
            getattr(page, field.attname)
            for page in pages
            for field in image_fields[page.pk]
            if getattr(page, field.attname)
        }
        images = image_model.objects.in_bulk(image_ids) if image_ids else {}
        for page in pages:
            for field in image_fields[page.pk]:
                image_id = getattr(page, field.attname)
                if image_id:
                    setattr(page, field.name, images.get(image_id))
        return {page.path: page for page in pages}

    @cached_property
    def page_ids(self):
        return {page.pk for page in self.pages.values()}

    @cached_property
    def children(self):
        """Kept pages by (parent path, slug), as Page.route looks a child up."""
        steplen = Page.steplen
        return {(page.path[:-steplen], page.slug): page for page in self.pages.values()}

    def page(self, path):
        page = self.pages.get(path)
        return fresh_copy(page) if page is not None else None

    def ancestors(self, page):
        """The pages above ``page`` from the home page down (copies), for breadcrumbs."""
        steplen = Page.steplen
        paths = [page.path[:length] for length in range(2 * steplen, len(page.path), steplen)]
        return [self.page(path) for path in paths if path in self.pages]

    def live_public_children(self, parent, model=None):
        """The live, public pages below ``parent`` (of ``model``, when given), in tree order."""
        steplen = Page.steplen
        return [
            fresh_copy(page)
            for path, page in self.pages.items()
            if path[:-steplen] == parent.path
            and page.live
            and (model is None or isinstance(page, model))
            and not self.is_private(page)
        ]

    def resolve(self, root, path_components):
        """Walk the kept pages down ``path_components`` as Wagtail's routing would.

        Returns a copy of the deepest kept page reached and the components left for its own
        ``route()``: a routable page's sub-route (e.g. feed/) or a child that is not kept (an
        article) stop the walk, exactly where Page.route / RoutablePageMixin.route would have
        handed over.
        """
        page = self.pages.get(root.path, root)
        remaining = list(path_components)
        while remaining:
            if isinstance(page, RoutablePageMixin) and page.live:
                try:
                    page.resolve_subpage("/" + "/".join(remaining) + "/")
                    break
                except Http404:  # not a sub-route
                    pass
            child = self.children.get((page.path, remaining[0]))
            if child is None:
                break
            page, remaining = child, remaining[1:]
        return fresh_copy(page), remaining

    # Privacy

    @cached_property
    def restrictions(self):
        # Which pages are private, not their passwords (the snapshot is shared; Wagtail's own
        # check reads the restriction from the database).
        return list(PageViewRestriction.objects.select_related("page").defer("password"))

    @cached_property
    def private_paths(self):
        """(restriction id, page path) of every view restriction: what makes pages private."""
        return tuple((restriction.pk, restriction.page.path) for restriction in self.restrictions)

    def restrictions_for(self, page):
        """The ids of the view restrictions on ``page`` or a page above it."""
        return [
            restriction.pk
            for restriction in self.restrictions
            if page.path.startswith(restriction.page.path)
        ]

    def is_private(self, page):
        return bool(self.restrictions_for(page))

    @cached_property
    def has_aliases(self):
        return any(page.alias_of_id for page in self.pages.values())

    # Site settings

    def setting(self, model, site):
        """``model.for_site(site)`` (a site setting, with what its ``for_site`` reads), kept;
        a copy per request."""
        key = (model._meta.label_lower, site.pk)
        if key not in self._settings:
            self._settings[key] = model.for_site(site)
        return fresh_copy(self._settings[key])


# Page types read together in one query, each joined to wagtailcore_page: PostgreSQL's planner
# takes time growing steeply with the number of tables joined (measured on the demo site's
# eight kept types: 2.5 ms to plan all eight joins in one query, 0.4 ms for four).
KEPT_TYPES_PER_QUERY = 4


def _kept_page_types():
    """The page models kept in the snapshot, each with its select_related() path from Page
    (``homepage``, or ``a__b`` below another page type), and the content type ids left out."""
    from django.contrib.contenttypes.models import ContentType

    kept, left_out = {}, []
    for model in apps.get_models():
        if not issubclass(model, Page) or model is Page:
            continue
        if not getattr(model, "keep_in_site_snapshot", True):
            left_out.append(model)
            continue
        names, child = [], model
        while child is not Page:
            parent, link = next(
                (parent, link)
                for parent, link in child._meta.parents.items()
                if issubclass(parent, Page)
            )
            names.insert(0, link.related_query_name())
            child = parent
        kept[model] = names
    content_types = ContentType.objects.get_for_models(*kept, *left_out)
    return (
        {content_types[model].pk: (model, names) for model, names in kept.items()},
        [content_types[model].pk for model in left_out],
    )


def pages_of_kept_types():
    """Every page but those of the types left out, as specific instances, in a couple of
    queries.

    Wagtail's ``.specific()`` makes one query for the pages plus one per page type (ten on
    this site), and building each query costs more Python time than running it; here each
    query reads up to KEPT_TYPES_PER_QUERY types at once through their parent links
    (``select_related`` of the reverse one-to-one, which fills in the inherited fields too).
    Pages of a type whose model is gone come as plain ``Page`` objects, as from Wagtail.
    """
    kept, left_out = _kept_page_types()
    type_ids = list(kept)
    groups = [
        type_ids[start : start + KEPT_TYPES_PER_QUERY]
        for start in range(0, len(type_ids), KEPT_TYPES_PER_QUERY)
    ] or [[]]
    pages = []
    for index, group in enumerate(groups):
        wanted = Q(content_type__in=group)
        if index == 0:  # plain pages (the tree's root) and types without a model
            wanted |= ~Q(content_type__in=type_ids + left_out)
        related = ["__".join(kept[type_id][1]) for type_id in group]
        for page in Page.objects.filter(wanted).select_related(*related).order_by():
            pages.append(_specific_from_joined(page, kept.get(page.content_type_id)))
    return pages


def _specific_from_joined(page, kept_type):
    """The specific page that select_related() attached to ``page`` (``page`` itself when
    it is of no kept type, or its row of the specific table is missing)."""
    specific = page
    try:
        for name in kept_type[1] if kept_type is not None else ():
            specific = getattr(specific, name)
    except ObjectDoesNotExist:
        logger.warning("Page %s has no row of its type %s", page.pk, kept_type[0].__name__)
        specific = page
    if specific is page:  # the other types' empty joins
        page._state.fields_cache.clear()
        return page
    # As Wagtail's specific() returns it: no link back to the generic page objects.
    for parent in specific._meta.get_parent_list():
        link = specific._meta.get_ancestor_link(parent)
        if link is not None:
            specific._state.fields_cache.pop(link.name, None)
    return specific


def match_site(sites, hostname, port):
    """The site Wagtail's ``get_site_for_hostname`` would pick among ``sites``, by its rules:
    host name and port, then host name on the default site, then the default site unless
    exactly one other site has the host name. Wagtail's function asks the database each time
    (1.5 ms, the largest query of a snapshot); the sites are read once with the snapshot."""

    def rank(site):
        if site.hostname == hostname and site.port == port_number:
            return MATCH_HOSTNAME_PORT
        if site.hostname == hostname and site.is_default_site:
            return MATCH_HOSTNAME_DEFAULT
        return MATCH_DEFAULT if site.is_default_site else MATCH_HOSTNAME

    try:
        port_number = int(port)
    except (TypeError, ValueError):
        port_number = None
    candidates = sorted(
        (site for site in sites if site.hostname == hostname or site.is_default_site), key=rank
    )
    if not candidates:
        return None
    best = rank(candidates[0])
    if len(candidates) == 1 or best in (MATCH_HOSTNAME_PORT, MATCH_HOSTNAME_DEFAULT):
        return candidates[0]
    if best == MATCH_DEFAULT:
        return candidates[len(candidates) == 2]
    return None


def find_site(request):
    """Site.find_for_request from the snapshot (Wagtail then finds it on the request)."""
    from django.http.request import split_domain_port

    hostname = split_domain_port(request._get_raw_host())[0]
    return for_request(request).site_for(hostname, request.get_port())


class SiteSnapshotMiddleware:
    """Give the request its site from the snapshot, before Wagtail looks it up with a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = version.serving.set(request)
        try:
            return self.get_response(request)
        finally:
            version.serving.reset(token)
            # What the response's rendering made and kept, written in one go
            # (fragments.store_kept, reached through the request: fragments imports this module).
            store_kept = getattr(request, "_store_kept", None)
            if store_kept is not None:
                store_kept()
            # A snapshot this request built, for the other processes.
            snapshot = getattr(request, "_site_snapshot", None)
            if snapshot is not None:
                snapshot.share()

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Only once a view is chosen (not for static files or redirects), and never at the cost
        # of a request that would have worked: when the database cannot be read (health
        # checks during an outage), Wagtail looks the site up itself, as it always did.
        if not hasattr(request, "_wagtail_site"):
            try:
                request._wagtail_site = find_site(request)
                request._wagtail_cached_site_root_paths = for_request(request).site_root_paths
            except Exception:
                logger.warning("Site snapshot: site lookup failed", exc_info=True)
        return None
