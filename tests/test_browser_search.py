"""Search from the header box in Chromium, phone and desktop: each service's name finds that
service first, labelled; nothing found suggests the services and the contact page."""

import pytest

from tests.support import assert_no_axe_violations

pytestmark = pytest.mark.browser

SERVICES = {
    "Pilates": "Pilates",
    "yoga": "Yoga",
    "massage": "Deep tissue & sports massage",
    "meal prep": "Meal prep",
    "nutritional counseling": "Nutritional counseling",
    "personal training": "Personal training",
}


def search_from_the_header(tab, query):
    page = tab.page
    tab.main_menu()
    box = page.get_by_role("searchbox", name="Search this site")
    box.fill(query)
    with page.expect_navigation():
        box.press("Enter")
    return page


@pytest.mark.slow
def test_each_service_is_found_first_by_its_name(tab):
    tab.goto("/")
    for query, title in SERVICES.items():
        page = search_from_the_header(tab, query)
        first_group = page.locator(".search-group").first
        assert first_group.get_by_role("heading", level=3).inner_text() == "Services"
        first = first_group.locator(".search-result__title a").first
        assert first.inner_text() == title, query
    first.click()
    assert page.get_by_role("heading", level=1).inner_text() == title
    tab.assert_clean()


def test_nothing_found_leads_to_the_services_and_the_contact_page(tab):
    tab.goto("/about/")
    page = search_from_the_header(tab, "xylophone")
    assert "Nothing on this site matches" in page.locator("main").inner_text()
    assert page.locator(".search-suggestions").get_by_role("link").count() == 6
    assert_no_axe_violations(page)
    page.get_by_role("link", name="contact us").click()
    assert page.url.endswith("/contact/")
    tab.assert_clean()
