"""Index and category listings: newest first, 12 a page, tag filter, and no 500 on odd input:
a listing answers only the pages it has (enfuse/caching/querystrings.py), so made-up ?page= and
?tag= values are a 404, never a page for the caches to keep."""

import re

import pytest

from tests.support import add_article

INDEX_URL = "/institute-for-learning/"
CATEGORY_URL = "/institute-for-learning/health-wellness/"
CLIENT_ARTICLE = "Walking to Improve the Health of your Lower Back and Joints"


def titles_on(html):
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', html)


@pytest.fixture
def thirty_articles(demo_site, make_articles):
    return make_articles(demo_site["category"], 30)


def test_category_lists_newest_first_twelve_a_page(thirty_articles, client):
    first = titles_on(client.get(CATEGORY_URL).content.decode())
    assert len(first) == 12
    # The client's article is dated today, the others in 2024.
    assert first[:3] == [CLIENT_ARTICLE, "Article 29", "Article 28"]
    second = titles_on(client.get(CATEGORY_URL + "?page=2").content.decode())
    assert second[0] == "Article 18"
    third = client.get(CATEGORY_URL + "?page=3").content.decode()
    assert len(titles_on(third)) == 7  # 30 + the client's article = 31
    assert "Page 3 of 3" in third


@pytest.mark.parametrize(
    "page", ["abc", "", "0", "-1", "4", "999999999999999999999999", "2.5", "\x00", "02", "x1z"]
)
def test_odd_or_missing_page_numbers_are_not_found_not_an_error(thirty_articles, client, page):
    # A NUL is refused before any view (400, enfuse.middleware.UnreadableRequestMiddleware).
    expected = 400 if "\x00" in page else 404
    for url in (CATEGORY_URL, INDEX_URL):
        response = client.get(url, {"page": page})
        assert response.status_code == expected


def test_page_one_redirects_to_the_listing_itself(thirty_articles, client):
    response = client.get(CATEGORY_URL, {"page": "1"})
    assert response.status_code == 301
    assert response["Location"] == CATEGORY_URL
    response = client.get(CATEGORY_URL, {"tag": "walking", "page": "1", "utm_source": "x"})
    assert response["Location"] == CATEGORY_URL + "?tag=walking"
    html = client.get(CATEGORY_URL, {"page": "2"}).content.decode()
    assert 'href="./" rel="prev"' in html


def test_index_shows_categories_and_latest_articles(thirty_articles, demo_site, client):
    html = client.get(INDEX_URL).content.decode()
    assert 'href="/institute-for-learning/health-wellness/">Health &amp; Wellness</a>' in html
    assert titles_on(html)[:2] == [CLIENT_ARTICLE, "Article 29"]


def test_tag_filter(demo_site, client):
    category = demo_site["category"]
    add_article(category, "About yoga", tags=["yoga"])
    add_article(category, "About sleep", tags=["sleep"])
    for url in (INDEX_URL, CATEGORY_URL):
        titles = titles_on(client.get(url, {"tag": "yoga"}).content.decode())
        assert titles == ["About yoga"]


@pytest.mark.parametrize("tag", ["nope", "x" * 5000, "<script>", "\x00", "' OR 1=1 --"])
def test_an_unknown_tag_is_not_found_not_an_error(demo_site, client, tag):
    for page in ("2", None):
        query = {"tag": tag} | ({"page": page} if page else {})
        response = client.get(CATEGORY_URL, query)
        assert response.status_code == (400 if "\x00" in tag else 404)
        assert "<script>" not in response.content.decode()


def test_pagination_keeps_the_tag(demo_site, make_articles, client):
    make_articles(demo_site["category"], 14, tags=["walking"])
    html = client.get(CATEGORY_URL, {"tag": "walking"}).content.decode()
    assert 'href="?tag=walking&amp;page=2"' in html


def test_unpublished_articles_are_not_listed(demo_site, client):
    draft = add_article(demo_site["category"], "Not ready yet")
    draft.unpublish()
    assert "Not ready yet" not in client.get(CATEGORY_URL).content.decode()
