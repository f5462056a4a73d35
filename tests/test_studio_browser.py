"""A prospect's journey in Chromium, on a phone and a desktop: find the hours, call, open the
map, read a service and press its call to action (the contact form is tested in
test_browser_contact.py). Plus an axe scan of the studio's pages.

Uses the browser fixtures of tests/browser.py (loaded by conftest.py): every request must stay
on the site, with no console error and no broken image.
"""

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.support import assert_no_axe_violations

pytestmark = pytest.mark.browser

STUDIO_PAGES = ["/", "/services/", "/services/pilates/", "/about/"]


@pytest.mark.parametrize("path", STUDIO_PAGES)
def test_no_axe_violations_on_the_studio_pages(tab, path):
    tab.goto(path)
    assert_no_axe_violations(tab.page)
    assert tab.page.locator("h1").count() == 1
    assert not tab.scrolls_sideways()


def test_a_prospect_finds_the_hours_calls_and_asks_about_a_service(tab):
    page = tab.page
    tab.goto("/")
    header = page.locator("header.site-header")

    # The hours: the header's status leads to the week's table.
    status = header.locator(".open-status a")
    assert status.inner_text().startswith(("Open now", "Closed"))
    status.click()
    assert page.url.endswith("#hours")
    hours = page.locator("#hours")
    assert hours.get_by_role("row").count() == 7
    assert hours.get_by_role("rowheader", name="Monday").is_visible()

    # Call and map: plain links, no embedded map.
    call = header.get_by_role("link", name="Call EnFuse Fitness at (860) 253-9111")
    assert call.get_attribute("href") == "tel:+18602539111"
    map_link = page.locator("footer").get_by_role("link", name="See the studio on OpenStreetMap")
    assert map_link.get_attribute("href").startswith("https://www.openstreetmap.org/?mlat=")
    assert page.locator("iframe").count() == 0

    # A service, then its call to action.
    tab.main_menu().get_by_role("link", name="Services").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Services"
    page.get_by_role("link", name="Deep tissue & sports massage").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Deep tissue & sports massage"
    cta = page.get_by_role("link", name="Ask about Deep tissue & sports massage").first
    href = urlsplit(cta.get_attribute("href"))
    assert href.path == "/contact/"
    assert parse_qs(href.query)["service"] == ["deep-tissue-sports-massage"]
    cta.click()
    chosen = page.get_by_label("What are you interested in? (optional)").locator("option:checked")
    assert chosen.inner_text() == "Deep tissue & sports massage"
    tab.assert_clean()


def test_first_visit_questions_open_without_javascript(tab):
    page = tab.page
    tab.goto("/")
    question = page.get_by_text("What should I bring to my first session?")
    answer = page.get_by_text("Comfortable clothes you can move in")
    assert not answer.is_visible()
    question.click()
    assert answer.is_visible()
