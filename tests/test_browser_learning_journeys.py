"""A reader's journeys through the Institute for Learning, in Chromium, on a phone and a desktop."""

import pytest
from wagtail.rich_text import RichText

from articles.models import ArticlePage, CategoryPage, SeriesPart
from tests.support import ARTICLE_URL, WatchedPage, add_article

pytestmark = pytest.mark.browser

ARTICLE_TITLE = "Walking to Improve the Health of your Lower Back and Joints"


@pytest.fixture
def part_two_published(site_url):
    """The series' planned second part, published; taken down again afterwards, since the
    live site is shared by every browser test."""
    category = CategoryPage.objects.get(slug="health-wellness")
    part_two = add_article(category, "Walking for bone health, mood and heart")
    part_two.body = [("paragraph", RichText("<p>Bones love walking.</p>"))]
    part_two.save_revision().publish()
    planned = SeriesPart.objects.get(article__isnull=True)
    planned.article = part_two
    planned.save()
    yield part_two
    planned.article = None
    planned.save()
    part_two.delete()


def test_home_to_the_article_and_through_its_links(part_two_published, tab):
    page = tab.page
    tab.goto("/")
    tab.main_menu().get_by_role("link", name="EnFuse Institute for Learning").click()
    assert page.get_by_role("heading", level=1).inner_text() == "EnFuse Institute for Learning"
    page.get_by_role("link", name="Health & Wellness").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Health & Wellness"
    page.get_by_role("link", name=ARTICLE_TITLE).click()
    assert page.get_by_role("heading", level=1).inner_text() == ARTICLE_TITLE
    assert page.url.endswith(ARTICLE_URL)
    assert page.get_by_text("Part 1 of 2 in the series").is_visible()
    assert not tab.scrolls_sideways()
    tab.assert_clean()

    # Next in series, then back to the previous part.
    page.get_by_role("link", name="Walking for bone health, mood and heart").last.click()
    assert page.get_by_text("Part 2 of 2 in the series").is_visible()
    page.locator("a[rel=prev]").click()
    assert page.url.endswith(ARTICLE_URL)

    # A related article (the latest of the category) and a tag.
    page.get_by_role("region", name="Related articles").get_by_role(
        "link", name="Walking for bone health, mood and heart"
    ).click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("Walking for bone")
    tab.goto(ARTICLE_URL)
    page.get_by_role("link", name="Articles tagged posture").click()
    assert "?tag=posture" in page.url
    assert page.get_by_role("link", name=ARTICLE_TITLE).is_visible()
    tab.assert_clean()


def test_search_for_a_word_from_the_article(tab):
    page = tab.page
    tab.goto("/search/")
    page.get_by_label("Search services, the studio and articles").fill("sacrum")
    page.get_by_label("Search services, the studio and articles").press("Enter")
    assert "q=sacrum" in page.url
    page.get_by_role("link", name=ARTICLE_TITLE).click()
    assert page.url.endswith(ARTICLE_URL)
    tab.assert_clean()


def test_the_404_page(tab):
    response = tab.goto("/no-such-page/")
    assert response.status == 404
    page = tab.page
    assert "can't find that page" in page.get_by_role("heading", level=1).inner_text()
    assert page.get_by_role("link", name="Go to the home page").is_visible()
    tab.assert_clean(expected_status=404)


@pytest.mark.parametrize(
    "path", ["/", "/institute-for-learning/", ARTICLE_URL, "/search/?q=walking"]
)
def test_nothing_scrolls_sideways_at_320_pixels(browser, site_url, path):
    context = browser.new_context(viewport={"width": 320, "height": 640})
    tab = WatchedPage(context.new_page(), site_url)
    tab.goto(path)
    assert not tab.scrolls_sideways()
    context.close()


def test_the_article_has_every_figure_with_alt_text(tab):
    tab.goto(ARTICLE_URL)
    alts = tab.page.eval_on_selector_all("main img", "imgs => imgs.map(i => i.alt)")
    assert len(alts) == 5  # the hero and the four figures of the original page
    assert all(len(alt) > 30 for alt in alts)
    assert ArticlePage.objects.count() == 1
    tab.assert_clean()


def test_a_printed_article_is_a_clean_handout(tab):
    page = tab.page
    tab.goto(ARTICLE_URL)
    page.emulate_media(media="print")
    assert not page.get_by_role("navigation", name="Main").is_visible()
    assert not page.get_by_role("region", name="Share this article").is_visible()
    footer = page.locator("footer address")
    assert footer.is_visible()
    assert "(860) 253-9111" in footer.inner_text()
    shown_after = page.eval_on_selector(
        ".external-resource a", "a => getComputedStyle(a, '::after').content"
    )
    assert "https://www.spine-health.com/" in shown_after
