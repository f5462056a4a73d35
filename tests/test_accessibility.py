"""axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on any page type."""

import pytest

from tests.support import ARTICLE_URL, assert_no_axe_violations

pytestmark = pytest.mark.browser

PAGES = {
    "index": "/institute-for-learning/",
    "category": "/institute-for-learning/health-wellness/",
    "article": ARTICLE_URL,
    "search results": "/search/?q=walking",
    "search, every group": "/search/?q=pilates+veteran+towel+walking",
    "home": "/",
    "service": "/services/pilates/",
    "privacy": "/privacy/",
    "contact": "/contact/",
    "search, nothing found": "/search/?q=xylophone",
    "tag filter": "/institute-for-learning/?tag=walking",
    "medical disclaimer": "/medical-disclaimer/",
    "404": "/no-such-page/",
}


@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(tab, name):
    tab.goto(PAGES[name])
    assert_no_axe_violations(tab.page)


def test_every_page_has_a_skip_link_language_and_one_h1(tab):
    for path in PAGES.values():
        tab.goto(path)
        page = tab.page
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.locator("h1").count() == 1, path
        page.keyboard.press("Tab")
        focused = page.evaluate("document.activeElement.textContent.trim()")
        assert focused == "Skip to main content", path
        # The focused skip link moves into view.
        assert page.evaluate("document.activeElement.getBoundingClientRect().top >= 0"), path
