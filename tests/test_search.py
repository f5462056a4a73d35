"""Site search: services, the about page, FAQ answers and articles, in labelled groups, best
match first (a service's name shows that service first); suggestions when nothing matches;
never cached; never a 500."""

import re

import pytest

from tests.support import add_article

CLIENT_ARTICLE = "Walking to Improve the Health of your Lower Back and Joints"


def result_titles(client, query, **params):
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', response.content.decode())


@pytest.mark.parametrize("query", ["walking", "sacrum", "ischial tuberosity", "Walking Lower Back"])
def test_finds_the_client_article_by_words_of_its_body_and_title(demo_site, client, query):
    assert CLIENT_ARTICLE in result_titles(client, query)


def test_finds_by_tag_summary_and_category(demo_site, client):
    category = demo_site["category"]
    add_article(category, "Protein basics", tags=["nutrition-tips"]).save_revision().publish()
    assert "Protein basics" in result_titles(client, "nutrition-tips")
    assert "Protein basics" in result_titles(client, "Summary of Protein")
    assert CLIENT_ARTICLE in result_titles(client, "Wellness")


def group_labels(content):
    return re.findall(r'<h3 id="group-[a-z]+">([^<]+)</h3>', content)


def result_links(content):
    return re.findall(r'class="search-result__title"><a href="([^"]+)">', content)


SERVICES = {
    "pilates": "/services/pilates/",
    "yoga": "/services/yoga/",
    "massage": "/services/deep-tissue-sports-massage/",
    "meal prep": "/services/meal-prep/",
    "nutritional counseling": "/services/nutritional-counseling/",
    "personal training": "/services/personal-training/",
}


@pytest.mark.parametrize("query, url", list(SERVICES.items()))
def test_a_service_name_shows_that_service_first(demo_site, client, query, url):
    content = client.get("/search/", {"q": query}).content.decode()
    assert group_labels(content)[0] == "Services"
    assert result_links(content)[0] == url


def test_the_about_page_and_faq_answers_are_found_and_labelled(demo_site, client):
    content = client.get("/search/", {"q": "veteran"}).content.decode()
    assert "About the studio" in group_labels(content)
    assert "/about/" in result_links(content)
    content = client.get("/search/", {"q": "towel"}).content.decode()
    assert group_labels(content) == ["Questions and answers"]
    assert "What should I bring to my first session?" in content


def test_articles_are_a_group_of_their_own(demo_site, client):
    content = client.get("/search/", {"q": "sacrum"}).content.decode()
    assert group_labels(content) == ["Articles from the Institute for Learning"]


def test_nothing_found_suggests_the_services_and_the_contact_page(demo_site, client):
    content = client.get("/search/", {"q": "xylophone"}).content.decode()
    assert "Nothing on this site matches" in content
    suggestions = content.split('class="search-list search-suggestions"')[1].split("</ul>")[0]
    assert re.findall(r'href="([^"]+)"', suggestions) == [
        "/services/pilates/",
        "/services/yoga/",
        "/services/deep-tissue-sports-massage/",
        "/services/meal-prep/",
        "/services/nutritional-counseling/",
        "/services/personal-training/",
    ]
    assert '<a href="/contact/">contact us</a>' in content


def test_search_results_are_never_cached(demo_site, client):
    first = client.get("/search/", {"q": "pilates"})
    assert "no-store" in first["Cache-Control"] and "private" in first["Cache-Control"]
    assert "X-Page-Cache" not in first
    demo_site["pilates"].unpublish()
    again = client.get("/search/", {"q": "pilates"}).content.decode()
    assert "/services/pilates/" not in result_links(again)


def test_every_page_has_a_search_box(demo_site, client):
    for name in ("home", "pilates", "about", "contact", "article"):
        content = client.get(demo_site[name].url).content.decode()
        assert 'action="/search/" method="get" role="search"' in content, name


def test_unpublished_articles_are_not_found(demo_site, client):
    demo_site["article"].unpublish()
    assert result_titles(client, "sacrum") == []


@pytest.mark.parametrize(
    "query",
    [
        "",
        " ",
        "x" * 1000,
        "walking " * 150,
        "<script>alert(1)</script>",
        "' OR 1=1; --",
        '"unbalanced',
        "a & b | !c",
        "\x01\x02",
        "🚶‍♀️ walking",
        "%",
        "(((",
        ":*",
    ],
)
def test_odd_queries_never_give_an_error(demo_site, client, query):
    response = client.get("/search/", {"q": query, "page": "-1"})
    assert response.status_code == 200
    assert "<script>alert" not in response.content.decode()


def test_a_nul_character_is_refused_not_an_error(demo_site, client):
    assert client.get("/search/", {"q": "\x00walking"}).status_code == 400


def test_results_are_paginated(demo_site, make_articles, client):
    make_articles(demo_site["category"], 14)
    first = result_titles(client, "Summary")
    second = result_titles(client, "Summary", page=2)
    assert len(first) == 10
    assert len(second) == 4
    assert not set(first) & set(second)


def test_search_results_are_not_indexed_by_search_engines(demo_site, client):
    response = client.get("/search/", {"q": "walking"})
    assert response["X-Robots-Tag"] == "noindex"
    assert '<meta name="robots" content="noindex">' in response.content.decode()


def test_post_is_refused(demo_site, client):
    assert client.post("/search/", {"q": "walking"}).status_code == 405
