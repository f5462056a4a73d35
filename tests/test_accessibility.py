"""axe-core finds no WCAG 2.0/2.1/2.2 A or AA violation on any page type."""

import pytest
from axe_playwright_python.sync_playwright import Axe

from .conftest import ARTICLE_URL

pytestmark = pytest.mark.browser

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]

PAGES = {
    "index": "/institute-for-learning/",
    "category": "/institute-for-learning/health-wellness/",
    "article": ARTICLE_URL,
    "search results": "/search/?q=walking",
    "search, nothing found": "/search/?q=xylophone",
    "tag filter": "/institute-for-learning/?tag=walking",
    "medical disclaimer": "/medical-disclaimer/",
    "404": "/no-such-page/",
}


def describe(violations):
    return "\n".join(
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in violations
    )


@pytest.mark.parametrize("name", list(PAGES))
def test_no_axe_violations(tab, name):
    tab.goto(PAGES[name])
    results = Axe().run(tab.page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    assert violations == [], describe(violations)


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
