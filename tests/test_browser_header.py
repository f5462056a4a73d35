"""The phone-first header in Chromium: one row (wordmark, open now, call, menu button) on a
phone with the article's title and first lines on the first screen; the menu and search box
behind one <details> button, usable by keyboard and announced as a button; one line on a
desktop; no axe violation with the menu open or closed."""

import datetime

import pytest

from studio.hours import STUDIO_TIME_ZONE
from tests.support import ARTICLE_URL, VIEWPORTS, assert_no_axe_violations

pytestmark = pytest.mark.browser

ROW_ITEMS = [".brand", ".open-status", ".call-button"]


def box(page, selector):
    return page.locator(selector).first.bounding_box()


def menu_button_as_announced(page):
    """(role, name, expanded) of the menu button in Chromium's accessibility tree, as screen
    readers get it: a <summary> is a disclosure button with its expanded state."""
    cdp = page.context.new_cdp_session(page)
    for node in cdp.send("Accessibility.getFullAXTree")["nodes"]:
        if node.get("role", {}).get("value") == "DisclosureTriangle":
            states = {p["name"]: p["value"].get("value") for p in node.get("properties", [])}
            return node["role"]["value"], node["name"]["value"], states.get("expanded")
    return None


def assert_one_row(page):
    toggle = box(page, "summary.site-menu__button")
    for selector in ROW_ITEMS:
        item = box(page, selector)
        # On the same row as the menu button: their vertical middles within a few pixels.
        assert abs((item["y"] + item["height"] / 2) - (toggle["y"] + toggle["height"] / 2)) < 12


# A Monday morning (the demo hours: open 6 am to 8 pm) and a Sunday (closed all day): the header's
# status word differs in length ("Open now" with its dot, "Closed").
MOMENTS = {
    "open": datetime.datetime(2026, 11, 30, 10, 0, tzinfo=STUDIO_TIME_ZONE),
    "closed": datetime.datetime(2026, 11, 29, 10, 0, tzinfo=STUDIO_TIME_ZONE),
}


@pytest.mark.parametrize("moment", list(MOMENTS))
def test_the_phone_header_is_one_row_and_the_article_starts_on_the_first_screen(
    tab, viewport, moment, monkeypatch
):
    if viewport != "phone":
        pytest.skip("the phone layout")
    # The live server runs in this process: the header is made for this moment.
    monkeypatch.setattr("studio.hours.current_time", lambda: MOMENTS[moment])
    page = tab.page
    tab.goto(ARTICLE_URL)
    expected = "Open now" if moment == "open" else "Closed"
    assert page.locator(".open-status [aria-hidden]").inner_text() == expected
    assert_one_row(page)
    header = box(page, "header.site-header")
    assert header["height"] < 0.1 * VIEWPORTS["phone"]["height"]
    assert not page.get_by_role("navigation", name="Main").is_visible()
    title = box(page, "h1")
    first_paragraph = box(page, ".article-body p")
    assert title["y"] + title["height"] < VIEWPORTS["phone"]["height"]
    # The title and at least the first lines of the text are on the first screen.
    assert first_paragraph["y"] + 3 * 28 < VIEWPORTS["phone"]["height"]
    assert not tab.scrolls_sideways()
    tab.assert_clean()


def test_the_narrowest_phone_keeps_one_row_and_a_wordmark_that_can_be_read(
    browser, site_url, monkeypatch
):
    """320 px (an iPhone SE of the first generation) while open, the longer status: the
    wordmark gives way, but stays at least half its 120 px wide (41 px before the tighter
    spacing)."""
    monkeypatch.setattr("studio.hours.current_time", lambda: MOMENTS["open"])
    context = browser.new_context(viewport={"width": 320, "height": 568})
    try:
        page = context.new_page()
        page.goto(site_url + ARTICLE_URL)
        assert_one_row(page)
        assert box(page, ".brand__logo")["width"] >= 60
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    finally:
        context.close()


def test_the_menu_button_works_by_keyboard_and_is_announced_as_a_button(tab, viewport):
    if viewport != "phone":
        pytest.skip("the phone layout")
    page = tab.page
    tab.goto("/")
    assert menu_button_as_announced(page) == ("DisclosureTriangle", "Menu and search", False)
    # Skip link, wordmark, open now, call, then the menu button.
    for _ in range(5):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.matches('summary.site-menu__button')")
    page.keyboard.press("Enter")
    nav = page.get_by_role("navigation", name="Main")
    assert nav.is_visible()
    assert menu_button_as_announced(page) == ("DisclosureTriangle", "Menu and search", True)
    assert page.get_by_role("searchbox", name="Search this site").is_visible()
    assert_no_axe_violations(page)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Home"
    # Through the menu into the search box, type, and search with Enter.
    for _ in range(5):
        page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "header-search-query"
    page.keyboard.type("yoga")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.url.endswith("/search/?q=yoga")
    # Closed again by keyboard from its button.
    tab.goto("/")
    page.locator("summary.site-menu__button").focus()
    page.keyboard.press("Space")
    assert nav.is_visible()
    page.keyboard.press("Space")
    assert not nav.is_visible()
    tab.assert_clean()


def test_the_desktop_header_keeps_a_one_line_menu_and_a_search_box(tab, viewport):
    if viewport != "desktop":
        pytest.skip("the desktop layout")
    page = tab.page
    tab.goto(ARTICLE_URL)
    assert not page.locator("summary.site-menu__button").is_visible()
    nav = page.get_by_role("navigation", name="Main")
    assert nav.is_visible()
    links = nav.get_by_role("link")
    tops = {round(links.nth(i).bounding_box()["y"]) for i in range(links.count())}
    assert len(tops) == 1, "the menu wraps"
    assert page.get_by_role("searchbox", name="Search this site").is_visible()
    header = box(page, "header.site-header")
    assert header["height"] < 80
    for selector in ROW_ITEMS:
        assert page.locator(selector).first.is_visible()
    assert not tab.scrolls_sideways()
    assert_no_axe_violations(page)
    tab.assert_clean()
