"""Rendering a page takes a fixed, known number of queries, whatever the size of the site.

Each page type is counted in two states, at 10 articles and again at 1,000, and the counts
must equal the numbers below exactly, so a query added to any page fails here and has to be
justified by changing the number:

- *after an edit*: the first view of the page once the content version has moved on (another
  page was viewed first, so the site snapshot, enfuse/caching/snapshot.py, is already built);
- *warm*: the next view. A page whose HTML is kept per content version (the templates'
  {% keep %}) needs no query but the content version's; the contact form and search results
  are made each time.

Every request reads the content version once (one primary-key query, enfuse/caching/version.py):
it is counted in each number below.

The issue's budget: at most half of Wagtail's demo site (22 queries for its article page, 43
for its home page, warm).
"""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import ArticlePage, CategoryPage
from enfuse.caching.version import bump
from tests.support import ARTICLE_URL

# What each query is for is listed beside the number (the site snapshot answers routing, the
# menu, breadcrumbs, privacy, the contact link and the studio details without a query).
AFTER_AN_EDIT = {
    # services with their photos; their card renditions; latest articles with their photos;
    # their card renditions; questions; testimonials; the timetable's classes; their
    # cancelled dates (for the next class)
    "home": 8,
    # articles counted; the page of articles with their photos; their card renditions
    "index": 3,
    "index, tag filter": 4,  # + the tag
    "category": 3,
    "category, last page": 3,
    # the article (author, reviewer, hero image, its tags, whether it is in a series and has
    # chosen related articles); its series; the photo in its body; the latest articles of
    # its category (kept per version for all of them; it has no other, so no cards to fetch)
    "article": 4,
    # the article (in no series, no chosen links: no query for either); the latest of its
    # category (their cards, kept under keys naming what they are made from, outlive an
    # edit that changed none of it; no photo in its body)
    "article, synthetic": 2,
    # price and duration details; testimonials; the timetable's classes; their cancelled dates
    "service": 4,
    "service index": 2,  # services with their photos; their card renditions
    "about": 2,  # team members with photos; their renditions
    "contact": 1,  # services for the form's choice
    # on PostgreSQL, articles counted (the search index), the page's article ids in order
    # (the search index), those articles with photos; on SQLite, every matching article with
    # its photo (ranked in Python); their card renditions; matching services and about page
    # (one search; then each type found, with its own fields: none for "walking"); the FAQ
    # answers (matched in Python)
    "search": 6 if connection.vendor == "postgresql" else 4,
    "feed": 3,  # articles with photos; their renditions; their tags
}
WARM = {
    **dict.fromkeys(AFTER_AN_EDIT, 0),
    "contact": 1,  # the form is made for each visitor (its CSRF token)
    "search": AFTER_AN_EDIT["search"],  # results are searched for each time
    "feed": 3,
}
# The content version, read once per request.
VERSION = 1
AFTER_AN_EDIT = {name: number + VERSION for name, number in AFTER_AN_EDIT.items()}
WARM = {name: number + VERSION for name, number in WARM.items()}
BUDGET = {"home": 21, "article": 11}

SYNTHETIC_CATEGORY = "/institute-for-learning/recovery/"


def last_page_query():
    """``?page=N`` of the synthetic category's last page ("" when it has only one)."""
    category = CategoryPage.objects.get(url_path__endswith=SYNTHETIC_CATEGORY)
    count = ArticlePage.objects.live().descendant_of(category).count()
    last = -(-count // 12)
    return f"?page={last}" if last > 1 else ""


def page_urls():
    synthetic = ArticlePage.objects.filter(slug="sample-article-3").get()
    return {
        "home": "/",
        "index": "/institute-for-learning/",
        "index, tag filter": "/institute-for-learning/?tag=walking",
        "category": SYNTHETIC_CATEGORY,
        "category, last page": SYNTHETIC_CATEGORY + last_page_query(),
        "article": ARTICLE_URL,
        "article, synthetic": synthetic.url,
        "service": "/services/pilates/",
        "service index": "/services/",
        "about": "/about/",
        "contact": "/contact/",
        "search": "/search/?q=walking",
        "feed": "/institute-for-learning/feed/",
    }


def query_counts(client):
    """Queries per page after an edit and on the next view, with their SQL (for messages)."""
    counts, sql = {}, {}
    for url in page_urls().values():  # any image rendition still missing is made now
        assert client.get(url).status_code == 200, url
    for name, url in page_urls().items():
        bump()
        assert client.get("/contact/").status_code == 200  # builds the site snapshot
        for state in ("after an edit", "warm"):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(url)
            assert response.status_code == 200, name
            counts[state, name] = len(queries)
            sql[state, name] = [query["sql"] for query in queries.captured_queries]
    return counts, sql


def assert_within_budget(counts):
    """The measured counts, not the expected ones: at most half of Wagtail's demo site."""
    for name, budget in BUDGET.items():
        for state in ("after an edit", "warm"):
            assert counts[state, name] <= budget, (state, name, counts[state, name])


def assert_counts(counts, sql, articles):
    expected = {
        **{("after an edit", name): number for name, number in AFTER_AN_EDIT.items()},
        **{("warm", name): number for name, number in WARM.items()},
    }
    wrong = {
        key: (counts[key], number) for key, number in expected.items() if counts[key] != number
    }
    details = "\n\n".join(
        f"{name} ({state}): {got} queries, expected {number}:\n" + "\n".join(sql[state, name])
        for (state, name), (got, number) in wrong.items()
    )
    assert not wrong, f"At {articles} articles:\n{details}"


@pytest.mark.slow
@pytest.mark.django_db
def test_query_counts_are_fixed_from_10_to_1000_articles(client):
    call_command("load_demo_content", articles=10, verbosity=0)
    assert ArticlePage.objects.live().count() == 11
    counts, sql = query_counts(client)
    assert_counts(counts, sql, 10)

    call_command("load_demo_content", articles=1000, verbosity=0)
    assert ArticlePage.objects.live().count() == 1001
    recovery = CategoryPage.objects.get(slug="recovery")
    assert recovery.get_children().count() > 300  # the last page is page 28 or so
    counts, sql = query_counts(client)
    assert_counts(counts, sql, 1000)
    assert_within_budget(counts)
