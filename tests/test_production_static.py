"""Static files in production: WhiteNoise serves collected, hashed, compressed copies, the hashed
ones cached "for ever" (immutable), and the pages link only to the hashed names."""

import re

from tests.support import ARTICLE_URL

TEN_YEARS = "max-age=315360000"


def hashed_stylesheet(production_site):
    page = production_site.client().get(ARTICLE_URL).text
    match = re.search(r'href="(/static/css/site\.[0-9a-f]{12}\.css)"', page)
    assert match, "the page links to a hashed stylesheet"
    return match.group(1)


def test_pages_link_to_hashed_static_files(production_site):
    page = production_site.client().get("/").text
    assert 'href="/static/css/site.css"' not in page
    assert hashed_stylesheet(production_site)


def test_hashed_files_are_cached_for_ever(production_site):
    response = production_site.client().get(hashed_stylesheet(production_site))
    assert response.status == 200
    cache_control = {part.strip() for part in response.header("Cache-Control").split(",")}
    assert {TEN_YEARS, "public", "immutable"} <= cache_control
    assert response.header("Access-Control-Allow-Origin") == "*"


def test_hashed_files_are_sent_compressed_to_who_accepts_it(production_site):
    url = hashed_stylesheet(production_site)
    plain = production_site.client().get(url)
    gzipped = production_site.client().get(url, headers={"Accept-Encoding": "gzip"})
    assert gzipped.header("Content-Encoding") == "gzip"
    assert len(gzipped.body) < len(plain.body)
    assert "Accept-Encoding" in gzipped.header("Vary")


def test_unhashed_names_are_cached_only_for_an_hour(production_site):
    response = production_site.client().get("/static/css/site.css")
    assert response.status == 200
    assert "immutable" not in response.header("Cache-Control")
    assert "max-age=3600" in response.header("Cache-Control")


def test_a_missing_static_file_is_a_plain_404(production_site):
    response = production_site.client().get("/static/css/nothing.0123456789ab.css")
    assert response.status == 404
