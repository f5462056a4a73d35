"""What routing and every page's furniture need, read once per content version, not per request.

Most of a page's queries used to ask things that change only when staff edit: which site a host
name is, the pages above the one shown (routing, breadcrumbs, the menu, the contact page, the
category names on article cards), the pages' privacy restrictions, and site settings with their
rows. They are read once and kept in this process under the *content version* the request read
from the database (version.py), which every such edit moves on in its own transaction, so they
are never stale. Requests get copies, so nothing a request sets on a page or the settings leaks
into the next. Page types with ``keep_in_site_snapshot = False`` (articles: a site may have
thousands) are left out; they, like any value or HTML fragment made for a view, are kept per
version by fragments.py.
"""

import copy
import logging
import pickle
import threading
from collections import OrderedDict

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Q
from django.http import Http404
from django.utils.functional import cached_property
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from . import version
from .version import in_real_transaction

logger = logging.getLogger(__name__)
_latest = None
_lock = threading.Lock()
# Values kept per content version (fragments.kept_per_version) that this process holds too,
# most recently used last; they go with the snapshot when the version moves on.
KEPT_IN_PROCESS = 2000


def current():
    """The snapshot for the current content version (built lazily, piece by piece)."""
    request = version.serving.get()
    if request is not None and not in_real_transaction():
        return for_request(request)
    return _for_version(version.read_or_none())


def _for_version(token):
    global _latest
    if token is None or in_real_transaction():
        # No version to check against (the database is unreadable), or rows that may roll back:
        # read afresh for this request only.
        return SiteSnapshot(token)
    snapshot = _latest
    if snapshot is None or snapshot.version != token:
        with _lock:
            if _latest is None or _latest.version != token:
                _latest = SiteSnapshot(token)
            snapshot = _latest
    return snapshot


def forget_process_memory():
    """Drop this process's snapshot (tests: a rolled-back change leaves its token behind)."""
    global _latest
    _latest = None


def for_request(request):
    """The snapshot a request uses throughout, even if the version moves on meanwhile.

    The version is read once per request (version.for_request); a content change made by the
    request itself drops both (version.bump).
    """
    if request is None:
        return current()
    snapshot = getattr(request, "_site_snapshot", None)
    if snapshot is None:
        snapshot = request._site_snapshot = _for_version(version.for_request(request))
    return snapshot


def fresh_copy(instance):
    """A copy of a kept page or setting for one request (cached per-instance values dropped)."""
    duplicate = copy.copy(instance)
    for name in ("specific", "specific_deferred", "_hours_now", "_request"):
        duplicate.__dict__.pop(name, None)
    return duplicate


class SiteSnapshot:
    def __init__(self, token):
        self.version = token
        self._sites = {}
        self._settings = {}
        self._kept = OrderedDict()
        self._kept_lock = threading.Lock()
        # Hosts some process has kept values for under this version (fragments.py).
        self.hosts_kept_in_shared_store = set()

    # Sites

    def site_for(self, hostname, port):
        """Site.find_for_request's answer for this host and port, with its home page kept."""
        key = (hostname, port)
        if key not in self._sites:
            try:
                site = get_site_for_hostname(hostname, port)
            except Site.DoesNotExist:
                site = None
            if site is not None and site.root_page.path in self.pages:
                site.root_page = self.pages[site.root_page.path]
            if len(self._sites) < 100:  # allowed host names only, but bounded anyway
                self._sites[key] = site
            return site
        return self._sites[key]

    @cached_property
    def site_root_paths(self):
        """Site.get_site_root_paths(), which Wagtail otherwise reads from the cache per request."""
        return Site.get_site_root_paths()

    # Values kept per version in this process's memory (fragments.kept_per_version)

    def kept(self, key):
        """A copy of the value kept under ``key``, or None."""
        with self._kept_lock:
            stored = self._kept.get(key)
            if stored is None:
                return None
            self._kept.move_to_end(key)
        # Strings are shared as they are; anything else is stored pickled, so each request
        # gets objects of its own (as it would from the shared cache) and none can leak.
        return pickle.loads(stored) if isinstance(stored, bytes) else stored

    def has_kept(self, key):
        return key in self._kept

    def keep(self, key, value):
        stored = value if isinstance(value, str) else pickle.dumps(value, pickle.HIGHEST_PROTOCOL)
        with self._kept_lock:
            self._kept[key] = stored
            self._kept.move_to_end(key)
            while len(self._kept) > KEPT_IN_PROCESS:
                self._kept.popitem(last=False)

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
        return list(PageViewRestriction.objects.select_related("page"))

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
