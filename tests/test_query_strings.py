"""Canonical cache keys (enfuse/caching/querystrings.py): tracking parameters share the page's
cached copy, and a flood of junk query strings adds no cache entry at all."""

import pytest
from django.core.cache import cache

from tests.support import ARTICLE_URL

INDEX_URL = "/institute-for-learning/"
CATEGORY_URL = "/institute-for-learning/health-wellness/"


@pytest.fixture
def cached_site(demo_site, settings):
    settings.PAGE_CACHE_SECONDS = 3600
    return demo_site


def entries():
    return set(cache._cache)  # LocMemCache's keys: pages and kept fragments alike


def test_tracking_parameters_are_served_from_the_cache(cached_site, client):
    assert client.get(ARTICLE_URL)["X-Page-Cache"] == "miss"
    before = entries()
    for query in (
        "?utm_source=newsletter&utm_medium=email&utm_campaign=fall",
        "?fbclid=IwAR0abc",
        "?gclid=Cj0KCQ",
        "?mc_cid=1a2b&mc_eid=3c4d",
        "?_ga=2.1234",
    ):
        response = client.get(ARTICLE_URL + query)
        assert response["X-Page-Cache"] == "hit", query
    assert entries() == before


def test_the_same_listing_in_any_order_is_one_entry(cached_site, client):
    client.get(INDEX_URL + "?tag=walking")
    before = entries()
    assert client.get(INDEX_URL + "?tag=walking&utm_source=x")["X-Page-Cache"] == "hit"
    assert entries() == before


def junk_urls():
    """180 made-up query strings, as a crawler or an attacker sends them."""
    urls = []
    for number in range(30):
        urls += [
            f"{CATEGORY_URL}?page=x{number}z",
            f"{CATEGORY_URL}?tag=nope{number}",
            f"{ARTICLE_URL}?q{number}=1",
            f"{INDEX_URL}?page={number + 5}",  # past the end
            f"{INDEX_URL}?page=000000000000{number + 2}",
            f"/?utm_source=x&ref{number}=y",
        ]
    return urls


def test_a_flood_of_junk_query_strings_adds_no_cache_entries(cached_site, client):
    for url in (ARTICLE_URL, CATEGORY_URL, INDEX_URL, "/", "/no-such-page/"):
        client.get(url)
    before = entries()
    statuses = {client.get(url).status_code for url in junk_urls()}
    assert statuses <= {200, 404}
    assert entries() == before


def test_a_padded_page_number_never_shows_another_page(cached_site, client, make_articles):
    make_articles(cached_site["category"], 30)
    assert client.get(CATEGORY_URL + "?page=2").status_code == 200
    assert client.get(CATEGORY_URL + "?page=0000000000003").status_code == 404
    assert client.get(CATEGORY_URL + "?page=2&page=3").status_code == 404
