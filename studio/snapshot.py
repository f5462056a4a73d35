"""What routing and every page's furniture need, read once per content version, not per request.

Most of a page's queries used to ask things that change only when staff edit: which site a host
name is, the pages above the one shown (routing, breadcrumbs, the menu, the contact page, the
category names on article cards), the pages' privacy restrictions, and the studio details with
their hours and links. They are read once and kept in this process under the page cache's
*content version* (enfuse.page_cache), which every such edit moves on, so they are never stale;
like the page cache, several processes need a shared cache (Redis) to share the version.
Requests get copies, so nothing a request sets on a page or the settings leaks into the next.
Articles are not part of the snapshot (a site may have thousands): an article, like any value
or HTML fragment made for a view (``kept_per_version``), is kept under the same version in the
shared cache and in a bounded store of this process (the most recently used ones).
"""

import contextvars
import copy
import logging
import pickle
import threading
from collections import OrderedDict

from django.db import connection
from django.http import Http404
from django.utils.functional import cached_property
from wagtail.contrib.routable_page.models import RoutablePageMixin
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from enfuse.page_cache import content_version

logger = logging.getLogger(__name__)
_latest = None
_lock = threading.Lock()
# The request being served (set by SiteSnapshotMiddleware), so that code deep in a render asks
# the shared cache for the content version once per request rather than once per call.
_serving = contextvars.ContextVar("site_snapshot_request", default=None)
# Values kept per content version (kept_per_version) that this process holds in memory too,
# most recently used last; they go with the snapshot when the version moves on.
KEPT_IN_PROCESS = 2000


def in_real_transaction():
    """True inside a transaction that may still roll back (the test suite's own do not count).

    A snapshot read there could hold rows that are never committed, under a version that
    stays; such a request gets a snapshot of its own instead.
    """
    return any(not getattr(atomic, "_from_testcase", False) for atomic in connection.atomic_blocks)


def current():
    """The snapshot for the current content version (built lazily, piece by piece)."""
    request = _serving.get()
    if request is not None and not in_real_transaction():
        return for_request(request)
    return _for_version(read_version())


def read_version():
    try:
        return content_version()
    except Exception:
        return None


def _for_version(version):
    global _latest
    if version is None or in_real_transaction():
        # No shared version to check against (the cache is down), or rows that may roll back:
        # read afresh for this request only.
        return SiteSnapshot(version)
    snapshot = _latest
    if snapshot is None or snapshot.version != version:
        with _lock:
            if _latest is None or _latest.version != version:
                _latest = SiteSnapshot(version)
            snapshot = _latest
    return snapshot


def for_request(request):
    """The snapshot a request uses throughout, even if the version moves on meanwhile.

    The page cache may already have read the version for this request (``_content_version``);
    a content change made by the request itself drops both (enfuse.page_cache.invalidate_all).
    """
    if request is None:
        return current()
    snapshot = getattr(request, "_site_snapshot", None)
    if snapshot is None:
        version = getattr(request, "_content_version", None)
        snapshot = _for_version(version if version is not None else read_version())
        request._site_snapshot = snapshot
    return snapshot


def forget_for_current_request():
    """After a content change inside a request, its later reads use the new version."""
    request = _serving.get()
    if request is not None:
        request._site_snapshot = None
        request._content_version = None


def fresh_copy(instance):
    """A copy of a kept page or setting for one request (cached per-instance values dropped)."""
    duplicate = copy.copy(instance)
    for name in ("specific", "specific_deferred", "_hours_now", "_request"):
        duplicate.__dict__.pop(name, None)
    return duplicate


class SiteSnapshot:
    def __init__(self, version):
        self.version = version
        self._sites = {}
        self._settings = {}
        self._kept = OrderedDict()
        self._kept_lock = threading.Lock()

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

    # Values kept per version in this process's memory (kept_per_version)

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

    # Pages (every page but articles)

    @cached_property
    def pages(self):
        """Every page except articles, specific, by tree path, with the images they show."""
        from django.contrib.contenttypes.models import ContentType
        from wagtail.images import get_image_model

        from articles.models import ArticlePage

        article_type = ContentType.objects.get_for_model(ArticlePage)
        pages = list(Page.objects.exclude(content_type=article_type).order_by("path").specific())
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

    # Studio details

    def studio_settings(self, site):
        """The studio details of ``site`` with their rows and photo (a copy per request)."""
        from studio.models import StudioSettings

        if site.pk not in self._settings:
            self._settings[site.pk] = StudioSettings.for_site(site)
        return fresh_copy(self._settings[site.pk])


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
        token = _serving.set(request)
        try:
            return self.get_response(request)
        finally:
            _serving.reset(token)

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


def kept_per_version(request, key, make, seconds=3600):
    """``make()``'s value, kept in the page cache's store under the request's content version
    (so any content change makes it afresh); made every time for previews, or when there is
    no version to key it on (the cache is down)."""
    from enfuse.page_cache import page_cache

    snapshot = for_request(request) if request is not None else None
    if snapshot is None or snapshot.version is None or getattr(request, "is_preview", False):
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
        try:
            page_cache().set(cache_key, value, seconds)
        except Exception:  # the cache being down only means it is made again next time
            logger.warning("Could not keep %s", cache_key, exc_info=True)
    snapshot.keep(cache_key, value)
    return value
