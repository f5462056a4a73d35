"""The private Wagtail, treebeard and Django names in enfuse/internals.py still behave as the
project relies on; a failure names the one an upgrade changed."""

import pytest
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from django.db import connection
from django.db.models import Q
from django.http import HttpResponse
from django.middleware.csp import ContentSecurityPolicyMiddleware
from django.test import RequestFactory
from wagtail.models import Page, PageQuerySet, Site

from enfuse import internals
from enfuse.settings.base import ADMIN_SECURE_CSP


@pytest.mark.django_db
def test_a_cached_parent_is_returned_without_a_query(django_assert_num_queries):
    parent = Page(path="0001", depth=1, title="Parent")
    child = Page(path="00010002", depth=2, title="Child")
    internals.set_cached_parent(child, parent)
    with django_assert_num_queries(0):
        assert child.get_parent() is parent


def test_tree_paths_are_built_and_read_as_treebeard_does():
    assert internals.child_path("0001", 2, 3) == "00010003"
    assert internals.path_position("00010003") == 3
    assert internals.path_position(internals.child_path("0001", 2, 40)) == 40


@pytest.mark.django_db
def test_insert_rows_writes_a_child_table_row():
    root = Page.get_first_root_node()
    page = Page(title="Raw", slug="raw", path=internals.child_path(root.path, 2, 900), depth=2)
    page.url_path = "/raw/"
    page.draft_title = page.title
    page.locale_id = root.locale_id
    page.content_type_id = root.content_type_id
    fields = [f for f in Page._meta.local_concrete_fields if not f.primary_key]
    internals.insert_rows(Page, [page], fields)
    assert Page.objects.filter(path=page.path, slug="raw").exists()


def test_csp_middleware_uses_the_policy_set_on_the_response():
    response = HttpResponse()
    internals.set_csp_if_unset(response, {"default-src": ["'self'"], "img-src": ["data:"]})
    internals.set_csp_if_unset(response, ADMIN_SECURE_CSP)  # the first one stays
    middleware = ContentSecurityPolicyMiddleware(lambda request: response)
    header = middleware.process_response(RequestFactory().get("/"), response)[
        "Content-Security-Policy"
    ]
    assert "img-src data:" in header


@pytest.mark.django_db
def test_a_remembered_site_is_what_wagtail_finds(django_assert_num_queries):
    request = RequestFactory().get("/", HTTP_HOST="unknown.example")
    site = Site(hostname="remembered.example", root_page_id=1)
    internals.remember_site(request, site)
    with django_assert_num_queries(0):
        assert Site.find_for_request(request) is site


def test_remembered_site_root_paths_are_what_wagtail_reads():
    request = RequestFactory().get("/")
    paths = ["sentinel"]
    internals.remember_site_root_paths(request, paths)
    assert Page()._get_site_root_paths(request) is paths


def test_raw_host_is_the_unchecked_host():
    request = RequestFactory().get("/", HTTP_HOST="not-allowed.example:8080")
    assert internals.raw_host(request) == "not-allowed.example:8080"


@pytest.mark.django_db
def test_wagtails_public_filter_excludes_what_private_q_matches():
    class Probe(PageQuerySet):
        def private_q(self):
            return Q(depth=1)

    roots = Probe(Page).filter(depth=1)
    assert roots.exists()
    assert not roots.public().exists()


@pytest.mark.django_db
def test_the_test_cases_transactions_are_marked():
    assert connection.atomic_blocks
    assert all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


def test_djangos_redis_cache_keeps_its_client_class_and_servers():
    cache = RedisCache("redis://127.0.0.1:6379/0;redis://127.0.0.1:6379/1", {})
    assert cache._class is RedisCacheClient
    assert cache._servers == ["redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/1"]
    client = cache._class(cache._servers)
    assert callable(client._get_connection_pool)
    assert client._client.__name__ == "Redis"


def test_every_listed_module_exists():
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    for module in internals.USED_ELSEWHERE:
        assert (root / module).is_file(), module
