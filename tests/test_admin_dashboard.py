"""The admin dashboard greets each role with what matters to them."""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import ArticlePage
from tests.support import add_article_url, article_form_data, make_editor, make_moderator


@pytest.fixture
def people(demo_site):
    editor, moderator = Client(), Client()
    editor.force_login(make_editor())
    moderator.force_login(make_moderator())
    return {"editor": editor, "moderator": moderator, "category": demo_site["category"]}


def dashboard(client):
    response = client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    return response.content.decode()


def write(people, title, slug, action):
    data = article_form_data(title=title, slug=slug)
    data[action] = "yes"
    response = people["editor"].post(add_article_url(people["category"]), data)
    assert response.status_code == 302
    return ArticlePage.objects.get(slug=slug)


def test_an_editor_sees_the_drafts_they_left_until_they_submit_them(people):
    write(people, "Half-written: knee care", "knee-care", "action-draft")
    write(people, "Submitted: hip mobility", "hip-mobility", "action-submit")

    page = dashboard(people["editor"])

    drafts = page.split("Drafts you left", 1)[1]
    assert "Half-written: knee care" in drafts
    assert "Submitted: hip mobility" not in drafts.split("</section>", 1)[0]
    # The submitted one is in Wagtail's own panel of the user's pages in moderation.
    assert "Your pages and snippets in a workflow" in page
    assert "Awaiting your review" not in page


def test_a_moderator_sees_what_awaits_their_review_first(people):
    write(people, "Submitted: hip mobility", "hip-mobility", "action-submit")

    page = dashboard(people["moderator"])

    assert "Awaiting your review" in page
    assert "Submitted: hip mobility" in page
    # First of the panels: before the health-review reminder.
    assert page.index("Awaiting your review") < page.index("Articles due for a health review")
    # The editor's draft is not the moderator's draft.
    assert "Drafts you left" not in page


def test_staff_with_page_permissions_see_the_health_review_reminder(people):
    assert "Articles due for a health review" in dashboard(people["editor"])
    assert "Articles due for a health review" in dashboard(people["moderator"])


def test_moderation_emails_carry_the_studios_name(people):
    from django.core import mail

    write(people, "Submitted: hip mobility", "hip-mobility", "action-submit")

    html = mail.outbox[-1].alternatives[0].content
    assert "EnFuse Fitness" in html
    assert "email-header.jpg" not in html


def test_enquiries_and_failed_sends_show_only_to_those_allowed_to_read_them(people):
    from studio.models import ContactSubmission

    ContactSubmission.objects.create(
        name="Pat Prospect", email="pat@example.com", message="Do you run Pilates classes?"
    )

    assert "Pat Prospect" in dashboard(people["moderator"])
    assert "Pat Prospect" not in dashboard(people["editor"])
