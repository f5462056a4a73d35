"""RSS feeds: one for all articles, one per category, advertised on the pages."""

import xml.etree.ElementTree as ET

from tests.support import ARTICLE_URL, add_article

CATEGORY_URL = "/institute-for-learning/health-wellness/"


def parse_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/rss+xml")
    channel = ET.fromstring(response.content).find("channel")
    items = [{child.tag: child.text for child in item} for item in channel.findall("item")]
    return channel, items


def test_the_index_feed_lists_every_category(demo_site, client):
    other = demo_site["category"].add_sibling(
        instance=type(demo_site["category"])(title="Nutrition", slug="nutrition")
    )
    add_article(other, "Eat more greens")
    channel, items = parse_feed(client, "/institute-for-learning/feed/")
    assert channel.findtext("title") == "EnFuse Institute for Learning | EnFuse Fitness"
    titles = [item["title"] for item in items]
    assert set(titles) == {
        "Walking to Improve the Health of your Lower Back and Joints",
        "Eat more greens",
    }
    client_item = next(item for item in items if item["title"].startswith("Walking"))
    assert client_item["link"].endswith(ARTICLE_URL)
    assert client_item["description"] == demo_site["article"].summary
    # The client's article has no known date: the feed invents none.
    assert "pubDate" not in client_item
    assert next(item for item in items if item["title"] == "Eat more greens")["pubDate"]


def test_the_category_feed_lists_only_its_articles(demo_site, client):
    other = demo_site["category"].add_sibling(
        instance=type(demo_site["category"])(title="Nutrition", slug="nutrition")
    )
    add_article(other, "Eat more greens")
    _, items = parse_feed(client, "/institute-for-learning/nutrition/feed/")
    assert [item["title"] for item in items] == ["Eat more greens"]


def test_feed_carries_tags_as_categories(demo_site, client):
    response = client.get("/institute-for-learning/health-wellness/feed/")
    item = ET.fromstring(response.content).find("channel/item")
    assert {c.text for c in item.findall("category")} >= {"walking", "posture"}


def test_pages_advertise_their_feed(demo_site, client):
    for url, feed in [
        ("/institute-for-learning/", "/institute-for-learning/feed/"),
        (
            "/institute-for-learning/health-wellness/",
            "/institute-for-learning/health-wellness/feed/",
        ),
        (ARTICLE_URL, "/institute-for-learning/health-wellness/feed/"),
    ]:
        html = client.get(url).content.decode()
        assert 'type="application/rss+xml"' in html
        assert f'href="{feed}"' in html


def test_unpublished_articles_stay_out_of_the_feed(demo_site, client):
    demo_site["article"].unpublish()
    _, items = parse_feed(client, "/institute-for-learning/feed/")
    assert items == []
