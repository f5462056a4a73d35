"""What search engines and link previews read: sitemap, robots, titles, cards and JSON-LD."""

import datetime
import json
import re
import xml.etree.ElementTree as ET

import pytest

from tests.support import ARTICLE_URL

SITEMAP_NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def json_ld(html):
    return [
        json.loads(block)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    ]


def meta(html, key):
    match = re.search(rf'<meta (?:property|name)="{re.escape(key)}" content="([^"]*)"', html)
    return match and match.group(1)


def test_sitemap_lists_every_live_public_page_with_lastmod(demo_site, client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    urls = ET.fromstring(response.content).findall("s:url", SITEMAP_NS)
    locations = {url.findtext("s:loc", namespaces=SITEMAP_NS) for url in urls}
    assert any(loc.endswith(ARTICLE_URL) for loc in locations)
    assert any(loc.endswith("/institute-for-learning/health-wellness/") for loc in locations)
    assert all(url.findtext("s:lastmod", namespaces=SITEMAP_NS) for url in urls)
    demo_site["article"].unpublish()
    response = client.get("/sitemap.xml")
    assert ARTICLE_URL not in response.content.decode()


def test_robots_points_to_the_sitemap_and_keeps_crawlers_out_of_private_places(demo_site, client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    lines = response.content.decode().splitlines()
    assert "Sitemap: http://testserver/sitemap.xml" in lines
    for path in ("/admin/", "/search/", "/contact/thanks/"):
        assert f"Disallow: {path}" in lines
    # Every address it names is a real one.
    assert client.get("/contact/thanks/").status_code == 200


def test_robots_follows_the_contact_page_when_it_moves(demo_site, client):
    contact = demo_site["contact"]
    contact.slug = "get-in-touch"
    contact.save_revision().publish()
    lines = client.get("/robots.txt").content.decode().splitlines()
    assert "Disallow: /get-in-touch/thanks/" in lines
    assert "Disallow: /contact/thanks/" not in lines


def test_article_title_description_canonical_and_social_card(demo_site, client):
    html = client.get(ARTICLE_URL).content.decode()
    article = demo_site["article"]
    assert f"<title>{article.title} | EnFuse Fitness</title>" in html
    assert meta(html, "description").startswith("Walking is a simple exercise")
    assert f'<link rel="canonical" href="{article.full_url}">' in html
    assert meta(html, "og:type") == "article"
    assert meta(html, "og:url") == article.full_url
    assert meta(html, "og:image").endswith(".fill-1200x630.format-jpeg.jpg")
    assert (meta(html, "og:image:width"), meta(html, "og:image:height")) == ("1200", "630")
    assert meta(html, "og:image:alt") == article.hero_image_alt
    assert meta(html, "twitter:card") == "summary_large_image"
    assert meta(html, "twitter:image:alt") == article.hero_image_alt


def test_search_description_wins_over_the_summary(demo_site, client):
    article = demo_site["article"]
    article.search_description = "Walk your way out of back pain."
    article.seo_title = "Walking for your back"
    article.save_revision().publish()
    html = client.get(ARTICLE_URL).content.decode()
    assert meta(html, "description") == "Walk your way out of back pain."
    assert "<title>Walking for your back | EnFuse Fitness</title>" in html
    assert meta(html, "og:title") == "Walking for your back"


def test_article_json_ld(demo_site, client):
    page = demo_site["article"]
    page.show_date = True
    page.last_reviewed = datetime.date(2026, 11, 2)
    page.reviewed_by = page.author
    page.save_revision().publish()
    html = client.get(ARTICLE_URL).content.decode()
    article = next(data for data in json_ld(html) if data["@type"] == "Article")
    assert article["headline"] == page.title
    assert article["description"] == page.summary
    assert article["datePublished"] == page.published_date.isoformat()
    assert article["dateModified"] == page.last_published_at.date().isoformat()
    assert article["author"] == {"@type": "Organization", "name": "Team EnFuse"}
    assert article["publisher"]["name"] == "EnFuse Fitness"
    assert article["image"].endswith(".fill-1200x630.format-jpeg.jpg")
    assert article["reviewedBy"]["name"] == "Team EnFuse"
    assert article["lastReviewed"] == "2026-11-02"


def test_article_json_ld_claims_no_date_or_review_staff_did_not_enter(demo_site, client):
    html = client.get(ARTICLE_URL).content.decode()
    article = next(data for data in json_ld(html) if data["@type"] == "Article")
    assert "datePublished" not in article
    assert "reviewedBy" not in article and "lastReviewed" not in article


@pytest.mark.parametrize(
    "url, trail",
    [
        (ARTICLE_URL, ["Home", "EnFuse Institute for Learning", "Health & Wellness", None]),
        ("/institute-for-learning/", ["Home", "EnFuse Institute for Learning"]),
        ("/services/pilates/", ["Home", "Services", "Pilates"]),
    ],
)
def test_breadcrumb_json_ld_below_the_home_page(demo_site, client, url, trail):
    html = client.get(url).content.decode()
    crumbs = next(data for data in json_ld(html) if data["@type"] == "BreadcrumbList")
    names = [item["name"] for item in crumbs["itemListElement"]]
    assert names[: len(trail) - 1] == trail[:-1]
    assert [item["position"] for item in crumbs["itemListElement"]] == list(
        range(1, len(names) + 1)
    )
    assert crumbs["itemListElement"][-1]["item"].endswith(url)


def test_no_breadcrumbs_on_the_home_page(demo_site, client):
    html = client.get("/").content.decode()
    assert "BreadcrumbList" not in html
    assert meta(html, "og:type") == "website"
