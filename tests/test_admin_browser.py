"""Staff in the admin, in Chromium at phone and desktop sizes: the preview panel, the main
screens with nothing from another origin, the studio's times, the lockouts page on a phone,
an abandoned and a repeated "Add article", and two-factor enrolment and sign-in."""

import datetime
import re

import pytest
from axes.models import AccessAttempt
from django.urls import reverse
from wagtail.models import Page

from studio.models import ContactSubmission
from tests.support import PASSWORD, VIEWPORTS, make_moderator, sign_in_with_browser, totp_code

pytestmark = pytest.mark.slow


def test_the_main_admin_screens_load_nothing_from_another_origin(admin_tab, demo_pages):
    screens = [
        reverse("wagtailadmin_home"),
        reverse("wagtailadmin_explore_root"),
        reverse("wagtailadmin_explore", args=[demo_pages["home"].pk]),
        reverse("wagtailadmin_pages:edit", args=[demo_pages["pilates"].pk]),
        reverse("wagtailimages:index"),
        reverse("wagtailsnippets:index"),
        reverse("contact_messages:index"),
        reverse("wagtailsettings:edit", args=["studio", "studiosettings", demo_pages["site"].pk]),
        reverse("studio_lockouts"),
        reverse("two_factor_staff"),
        reverse("wagtailadmin_account"),
    ]
    for url in screens:
        response = admin_tab.goto(url)
        assert response.status == 200, url
        admin_tab.page.wait_for_load_state("networkidle")
        assert admin_tab.foreign_requests == [], url
        assert admin_tab.console_errors == [], url
    # The avatar is the user's initials or upload, never Gravatar's.
    assert admin_tab.broken_images() == []


def test_the_preview_panel_shows_the_page_at_each_size(admin_tab, demo_pages):
    page = demo_pages["pilates"]
    admin_tab.goto(reverse("wagtailadmin_pages:edit", args=[page.pk]))
    admin_tab.page.click('button[data-side-panel-toggle="preview"]')
    frame = admin_tab.page.frame_locator("#w-preview-iframe")
    heading = frame.locator("h1")
    heading.wait_for(timeout=15000)
    assert page.title in heading.inner_text()
    for size in ("mobile", "tablet", "desktop"):
        admin_tab.page.locator(f'input[name="preview-size"][value="{size}"]').check(force=True)
        assert frame.locator("h1").is_visible(), size
    assert admin_tab.console_errors == []
    assert admin_tab.foreign_requests == []


@pytest.fixture
def demo_pages(site_url):
    from wagtail.models import Site

    site = Site.objects.get(is_default_site=True)
    home = site.root_page
    return {
        "home": home,
        "pilates": Page.objects.get(slug="pilates").specific,
        "site": site,
    }


@pytest.fixture
def message_at_eleven(site_url):
    """A contact message sent at 11:05 a.m. in Enfield (16:05 UTC), deleted afterwards."""
    message = ContactSubmission.objects.create(
        name="Dana Whitfield",
        email="dana@example.com",
        message="Can I start with a private session?",
        consent=True,
        submitted_at=datetime.datetime(2026, 11, 24, 16, 5, tzinfo=datetime.UTC),
    )
    yield message
    message.delete()


def test_contact_message_times_are_the_studios(admin_tab, message_at_eleven):
    admin_tab.goto(reverse("contact_messages:inspect", args=[message_at_eleven.pk]))
    text = admin_tab.page.locator("main").inner_text()
    assert "November 24, 2026, 11:05 a.m. EST" in text
    assert "4:05" not in text and "16:05" not in text

    # The export, as the listing's "Download CSV" fetches it with the staff member's session.
    export = admin_tab.page.request.get(
        admin_tab.origin + reverse("contact_messages:index") + "?export=csv"
    )
    assert export.ok
    csv_text = export.text()
    assert "Sent (America/New_York time)" in csv_text
    assert "11/24/2026 11:05 AM" in csv_text


@pytest.fixture
def locked_out(site_url):
    attempt = AccessAttempt.objects.create(
        username="a-very-long-username-for-a-small-screen",
        ip_address="203.0.113.50",
        user_agent="test",
        get_data="",
        post_data="",
        http_accept="*/*",
        path_info="/admin/login/",
        failures_since_start=5,
    )
    yield attempt
    AccessAttempt.objects.filter(pk=attempt.pk).delete()


def test_the_lockouts_page_has_its_title_and_fits_a_phone(admin_tab, locked_out, viewport):
    admin_tab.goto(reverse("studio_lockouts"))
    assert admin_tab.page.locator("h1").inner_text().strip() == "Sign-in lockouts"
    assert "Sign-in lockouts" in admin_tab.page.title()
    button = admin_tab.page.get_by_role("button", name=f"Unlock {locked_out.username}")
    box = button.bounding_box()
    assert box is not None
    assert box["x"] >= 0 and box["x"] + box["width"] <= VIEWPORTS[viewport]["width"]
    assert not admin_tab.scrolls_sideways()
    with admin_tab.page.expect_navigation():
        button.click()
    assert "can sign in again" in admin_tab.page.locator("body").inner_text()
    assert not AccessAttempt.objects.filter(pk=locked_out.pk).exists()


@pytest.fixture
def new_articles_removed(site_url):
    from articles.models import ArticlePage

    before = set(ArticlePage.objects.values_list("pk", flat=True))
    yield
    for page in ArticlePage.objects.exclude(pk__in=before):
        page.delete()


def test_an_abandoned_add_article_points_to_its_draft(admin_tab, new_articles_removed):
    from articles.models import ArticlePage, CategoryPage

    category = CategoryPage.objects.order_by("pk").first()
    add_url = reverse("wagtailadmin_pages:add", args=("articles", "articlepage", category.pk))
    title = "Breathing drills for beginners"

    # First attempt, abandoned: the never-published draft Wagtail's autosave leaves (made
    # here as autosave makes it: a draft revision of a page that was never live).
    draft = ArticlePage(
        title=title,
        slug="breathing-drills-for-beginners",
        summary="Draft.",
        published_date=datetime.date(2026, 11, 29),
        live=False,
        owner=admin_tab.user,
    )
    category.add_child(instance=draft)
    draft.save_revision(user=admin_tab.user)

    # Second attempt: the same title; saving says which draft holds the address.
    admin_tab.goto(add_url)
    admin_tab.page.wait_for_load_state("networkidle")
    admin_tab.page.locator("#id_title").press_sequentially(title)
    admin_tab.page.locator("#id_title").blur()
    # The slug (on the Promote tab), as Wagtail fills it in from the title when it does.
    admin_tab.page.evaluate(
        "slug => { document.querySelector('#id_slug').value = slug; }", draft.slug
    )
    with admin_tab.page.expect_navigation():
        admin_tab.page.get_by_role("button", name=re.compile("Save draft")).first.click()
    # Wagtail's banner leads to the first error: the slug, on the Promote tab.
    admin_tab.page.get_by_role("button", name="Go to the first error").first.click()
    message = admin_tab.page.get_by_text("An unpublished draft").first
    message.wait_for(timeout=20000)
    open_link = admin_tab.page.get_by_role("link", name="Open that draft").first
    assert open_link.get_attribute("href") == reverse("wagtailadmin_pages:edit", args=[draft.pk])
    discard = admin_tab.page.get_by_role("link", name="discard it").first
    assert discard.get_attribute("href") == reverse("wagtailadmin_pages:delete", args=[draft.pk])

    # Discarding it frees the address.
    with admin_tab.page.expect_navigation():
        discard.click()
    with admin_tab.page.expect_navigation():
        admin_tab.page.get_by_role("button", name=re.compile("Yes, delete")).click()
    assert not ArticlePage.objects.filter(pk=draft.pk).exists()


def test_two_factor_enrolment_sign_in_and_recovery(tab, staff_removed, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True
    moderator = make_moderator("browsermoderator")
    sign_in_with_browser(tab, moderator)
    assert "/admin/two-factor/set-up/" in tab.page.url
    assert tab.page.get_by_role("img", name="QR code for your app").first.is_visible()
    secret = tab.page.locator(".two-factor-secret").first.inner_text().replace(" ", "")
    tab.page.fill("#id_code", totp_code(secret))
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Turn on two-factor sign-in").click()
    codes = [c.strip() for c in tab.page.locator(".two-factor-codes code").all_inner_texts()]
    assert len(codes) == 10
    with tab.page.expect_navigation():
        tab.page.get_by_role("link", name=re.compile("continue")).click()
    assert tab.page.locator("h1").first.is_visible()
    assert "/two-factor/" not in tab.page.url

    # Signing out and in again: the password, then a recovery code instead of the phone.
    tab.page.context.clear_cookies()
    sign_in_with_browser(tab, moderator, PASSWORD)
    assert "/admin/two-factor/" in tab.page.url
    tab.page.fill("#id_code", codes[0])
    with tab.page.expect_navigation():
        tab.page.get_by_role("button", name="Continue").click()
    assert "recovery code; 9 left" in tab.page.locator("body").inner_text()
    tab.assert_clean()
