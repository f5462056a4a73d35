"""The site's icon: every page names it, and /favicon.ico leads to it, so no browser or
crawler asking for an icon gets a 404 (which Chrome logs as a console error)."""

import pytest
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string

from tests.support import ARTICLE_URL

ICON_LINK = '<link rel="icon" href="/static/images/enfuse-logo.svg" type="image/svg+xml">'


@pytest.mark.parametrize("url", ["/", ARTICLE_URL, "/services/pilates/", "/contact/", "/nope/"])
def test_every_page_names_the_icon(demo_site, client, url):
    assert ICON_LINK in client.get(url).content.decode()


@pytest.mark.parametrize("template", ["500.html", "503.html", "400.html"])
def test_the_standalone_error_pages_name_it_too(template):
    assert ICON_LINK in render_to_string(template)


def test_favicon_ico_leads_to_the_icon(db, client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    assert response["Location"] == "/static/images/enfuse-logo.svg"
    assert finders.find("images/enfuse-logo.svg")
