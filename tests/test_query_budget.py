"""Rendering a page takes a fixed number of queries, whatever the size of the site."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.images import get_image_model

from .conftest import ARTICLE_URL

PAGES = {
    "index": "/institute-for-learning/",
    "category": "/institute-for-learning/health-wellness/",
    "category, last page": "/institute-for-learning/health-wellness/?page=999",
    "tag filter": "/institute-for-learning/?tag=walking",
    "article": ARTICLE_URL,
    "search": "/search/?q=article",
    "feed": "/institute-for-learning/feed/",
}


def warm_query_counts(client):
    """Queries per page on a second visit, once renditions exist and caches are warm."""
    counts = {}
    for name, url in PAGES.items():
        assert client.get(url).status_code == 200, name
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        counts[name] = len(queries)
    return counts


def grow_site(demo_site, make_articles, count):
    image = get_image_model().objects.first()
    make_articles(demo_site["category"], count, hero_image=image, tags=["walking"])


@pytest.mark.parametrize("small, large", [(5, 50)])
def test_query_counts_do_not_grow_with_the_number_of_articles(
    demo_site, make_articles, client, small, large
):
    grow_site(demo_site, make_articles, small)
    with_few = warm_query_counts(client)
    grow_site(demo_site, make_articles, large - small)
    with_many = warm_query_counts(client)
    assert with_many == with_few
