"""Every private Wagtail, treebeard or Django name the project relies on, in one place.

Each is wrapped here (or, where a module still reaches it directly, listed in ``USED_ELSEWHERE``)
so that an upgrade that renames one fails tests/test_internals.py instead of the site.
"""

# Private names read or set directly in modules that are being reworked (the caching move):
# they should move behind the functions below; until then the tests check them here.
USED_ELSEWHERE = {
    "enfuse/caching/snapshot.py": [
        "HttpRequest._get_raw_host()",
        "request._wagtail_site (Site.find_for_request's per-request cache)",
        "request._wagtail_cached_site_root_paths (Page._get_site_root_paths' cache)",
        "Atomic._from_testcase (Django's TestCase transactions; also enfuse/caching/version.py)",
    ],
    "enfuse/caching/redis.py": [
        "RedisCache._class, RedisCache._servers",
        "RedisCacheClient._get_connection_pool(), RedisCacheClient._client",
    ],
    "studio/models/common.py": ["PageQuerySet.private_q() (overridden; public() calls it)"],
}


def set_cached_parent(page, parent):
    """Tell ``page.get_parent()`` its parent without a query (treebeard's own cache)."""
    page._cached_parent_obj = parent


def child_path(parent_path, depth, position):
    """The treebeard path of the child at ``position`` (1-based) under ``parent_path``."""
    from wagtail.models import Page  # lazily: the logging config imports this module early

    return Page._get_path(parent_path, depth, position)


def path_position(path):
    """The position (1-based) a treebeard path's last step encodes."""
    from wagtail.models import Page

    return Page._str2int(path[-Page.steplen :])


def insert_rows(model, objs, fields, using="default"):
    """The INSERT that ``bulk_create`` runs, for the child table of a multi-table model (which
    ``bulk_create`` refuses): the parent rows must exist already."""
    return model._base_manager._insert(objs, fields=fields, using=using)


def set_csp_if_unset(response, config):
    """Give Django's CSP middleware this response's policy unless a view set one already (the
    attribute ``@csp_override`` sets)."""
    if not hasattr(response, "_csp_config"):
        response._csp_config = config


def remember_site(request, site):
    """What ``Site.find_for_request`` returns for this request from now on, without a query."""
    request._wagtail_site = site


def remember_site_root_paths(request, root_paths):
    """What Wagtail's page URL code reads as the site root paths for this request."""
    request._wagtail_cached_site_root_paths = root_paths


def raw_host(request):
    """The request's Host (or X-Forwarded-Host) unchecked against ALLOWED_HOSTS."""
    return request._get_raw_host()
