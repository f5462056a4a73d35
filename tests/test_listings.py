"""Index and category listings: newest first, 12 a page, tag filter, and no 500 on odd input."""

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
    "page, expected",
    [
        ("abc", "Page 1 of 3"),
        ("", "Page 1 of 3"),
        ("0", "Page 3 of 3"),
        ("-1", "Page 3 of 3"),
        ("999999999999999999999999", "Page 3 of 3"),
        ("2.5", "Page 1 of 3"),
        ("%00", "Page 1 of 3"),
    ],
)
def test_odd_page_numbers_show_a_page_not_an_error(thirty_articles, client, page, expected):
    for url in (CATEGORY_URL, INDEX_URL):
        response = client.get(url, {"page": page})
        assert response.status_code == 200
        assert expected in response.content.decode()


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


@pytest.mark.parametrize("tag", ["nope", "x" * 5000, "<script>", "%00", "' OR 1=1 --"])
def test_unknown_tag_shows_a_message_not_an_error(demo_site, client, tag):
    response = client.get(CATEGORY_URL, {"tag": tag, "page": "-3"})
    assert response.status_code == 200
    html = response.content.decode()
    assert titles_on(html) == []
    assert "No articles are tagged" in html
    assert "<script>" not in html.split("<main", 1)[1]


def test_pagination_keeps_the_tag(demo_site, make_articles, client):
    make_articles(demo_site["category"], 14, tags=["walking"])
    html = client.get(CATEGORY_URL, {"tag": "walking"}).content.decode()
    assert 'href="?tag=walking&amp;page=2"' in html


def test_unpublished_articles_are_not_listed(demo_site, client):
    draft = add_article(demo_site["category"], "Not ready yet")
    draft.unpublish()
    assert "Not ready yet" not in client.get(CATEGORY_URL).content.decode()
