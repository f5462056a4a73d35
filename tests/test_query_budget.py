"""Rendering a page takes a fixed, known number of queries, whatever the size of the site.

Each page type is asked for twice (the first request builds the site snapshot and any missing
image renditions) and the second is counted: at 10 articles and again at 1,000, the counts
must equal QUERIES exactly, so a query added to any page fails here and has to be justified
by changing the number. The issue's budget: at most half of Wagtail's demo site (22 queries
for its article page, 43 for its home page).
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import ArticlePage, CategoryPage

from .conftest import ARTICLE_URL

# What each query is for is listed beside the number (studio/snapshot.py answers routing, the
# menu, breadcrumbs, privacy, the contact link and the studio details without a query, and
# keeps an article's rendered body, series and related choice per content version).
QUERIES = {
    # services with their photos; their card renditions; latest articles with their photos;
    # their card renditions; questions; testimonials
    "home": 6,
    # articles counted; the page of articles with their photos; their card renditions
    "index": 3,
    "index, tag filter": 4,  # + the tag
    "category": 3,
    "category, last page": 3,
    # the article (author, reviewer, hero image). Its body, tags, series and which articles
    # are related are kept per content version; its category has no other article, so there
    # are no related cards to fetch.
    "article": 1,
    # the article; the related articles' cards with photos; their renditions
    "article, synthetic": 3,
    "service": 2,  # price and duration details; testimonials
    "service index": 2,  # services with their photos; their card renditions
    "about": 2,  # team members with photos; their renditions
    "contact": 1,  # services for the form's choice
    "search": 3,  # results counted; results with photos; their card renditions
    "feed": 3,  # articles with photos; their renditions; their tags
}
BUDGET = {"home": 21, "article": 11}

SYNTHETIC_CATEGORY = "/institute-for-learning/recovery/"


def page_urls():
    synthetic = ArticlePage.objects.filter(slug="sample-article-3").get()
    return {
        "home": "/",
        "index": "/institute-for-learning/",
        "index, tag filter": "/institute-for-learning/?tag=walking",
        "category": SYNTHETIC_CATEGORY,
        "category, last page": SYNTHETIC_CATEGORY + "?page=999",
        "article": ARTICLE_URL,
        "article, synthetic": synthetic.url,
        "service": "/services/pilates/",
        "service index": "/services/",
        "about": "/about/",
        "contact": "/contact/",
        "search": "/search/?q=walking",
        "feed": "/institute-for-learning/feed/",
    }


def warm_query_counts(client):
    """Queries per page on a second visit, with the SQL of each (for failure messages)."""
    counts, sql = {}, {}
    for name, url in page_urls().items():
        assert client.get(url).status_code == 200, name
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, name
        counts[name] = len(queries)
        sql[name] = [query["sql"] for query in queries.captured_queries]
    return counts, sql


def assert_counts(counts, sql, articles):
    wrong = {
        name: (counts[name], expected)
        for name, expected in QUERIES.items()
        if counts[name] != expected
    }
    details = "\n\n".join(
        f"{name}: {got} queries, expected {expected}:\n" + "\n".join(sql[name])
        for name, (got, expected) in wrong.items()
    )
    assert not wrong, f"At {articles} articles:\n{details}"


@pytest.mark.django_db
def test_query_counts_are_fixed_from_10_to_1000_articles(client):
    call_command("load_demo_content", articles=10, verbosity=0)
    assert ArticlePage.objects.live().count() == 11
    counts, sql = warm_query_counts(client)
    assert_counts(counts, sql, 10)

    call_command("load_demo_content", articles=1000, verbosity=0)
    assert ArticlePage.objects.live().count() == 1001
    recovery = CategoryPage.objects.get(slug="recovery")
    assert recovery.get_children().count() > 300  # the last page is page 28 or so
    counts, sql = warm_query_counts(client)
    assert_counts(counts, sql, 1000)


def test_the_budget_is_at_most_half_of_wagtails_demo_site():
    for name, budget in BUDGET.items():
        assert QUERIES[name] <= budget, name
