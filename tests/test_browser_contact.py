"""The contact form in Chromium, on a phone and a desktop: from a service's call to action to
the thank-you page, the same with errors using the keyboard only, and axe scans of the form,
its error state and the thank-you page.

Uses the browser fixtures of tests/browser.py: every request stays on the site, with no console
error and no broken image.
"""

import re

import pytest
from django.core import mail

from studio.models import ContactSubmission, ServicePage
from tests.support import assert_no_axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("new_contact_messages_removed")]


@pytest.fixture(autouse=True)
def no_minimum_fill_time(settings):
    """Playwright fills the form faster than any person: the bot check would flag it."""
    settings.CONTACT_MIN_FILL_SECONDS = 0


def focused(page):
    return page.evaluate(
        "() => ({id: document.activeElement.id, tag: document.activeElement.tagName,"
        " text: document.activeElement.textContent.trim()})"
    )


def tab_until(page, matches, limit=120, backwards=False):
    """Press Tab (or Shift+Tab) until the focused element matches; fail after ``limit``."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if matches(focused(page)):
            return
    raise AssertionError("never reached the element with the keyboard")


def test_a_service_call_to_action_leads_to_a_sent_message(tab):
    page = tab.page
    pilates = ServicePage.objects.get(slug="pilates")
    tab.goto("/services/pilates/")
    page.get_by_role("link", name="Ask about Pilates").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Contact"
    service = page.get_by_label("What are you interested in? (optional)")
    assert service.locator("option:checked").inner_text() == "Pilates"
    assert not tab.scrolls_sideways()

    page.get_by_label("Your name").fill("Jane Browser")
    page.get_by_label("Email address").fill("jane.browser@example.com")
    page.get_by_label("Phone number (optional)").fill("(860) 555-0199")
    page.get_by_label("Your message").fill("Can I try a Pilates class next week?")
    page.get_by_label("I agree that EnFuse Fitness may contact me").check()
    page.get_by_role("button", name="Send message").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Thank you: we have your message"
    assert page.url.endswith("/contact/thanks/")
    tab.assert_clean()

    submission = ContactSubmission.objects.get()
    assert (submission.name, submission.service_title) == ("Jane Browser", "Pilates")
    assert submission.source_page_id == pilates.pk
    assert not submission.is_spam
    assert submission.delivery_state == ContactSubmission.SENT
    assert [m.subject for m in mail.outbox if "support@EnFuseFitness.com" in m.to] == [
        "Contact form: Jane Browser about Pilates"
    ]


def test_errors_with_the_keyboard_only(tab):
    page = tab.page
    tab.goto("/services/yoga/")
    # From the service page to its call to action, by keyboard.
    tab_until(page, lambda el: el["tag"] == "A" and el["text"] == "Ask about Yoga")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/contact/\?"))

    # Name, then an address with a typo; no message, no consent.
    tab_until(page, lambda el: el["id"] == "id_name")
    page.keyboard.type("Kim Keyboard")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_email"
    page.keyboard.type("kim.example.com")
    tab_until(page, lambda el: el["tag"] == "BUTTON")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    # The errors: title, summary focused first, each error linked to its field.
    assert page.title().startswith("Error: Contact")
    assert focused(page)["id"] == "error-summary"
    summary = page.locator("#error-summary")
    assert summary.get_attribute("role") == "alert"
    links = summary.get_by_role("link")
    assert links.all_inner_texts() == [
        "Enter an email address like name@example.com.",
        "Enter your message.",
        "Check the box to agree that we may contact you.",
    ]
    # Every value typed is still there, and Yoga is still chosen.
    assert page.locator("#id_name").input_value() == "Kim Keyboard"
    assert page.locator("#id_email").input_value() == "kim.example.com"
    assert page.locator("#id_service option:checked").inner_text() == "Yoga"
    email = page.locator("#id_email")
    assert email.get_attribute("aria-invalid") == "true"
    assert "id_email_error" in email.get_attribute("aria-describedby")

    # Follow the first summary link to the field and fix it.
    page.keyboard.press("Tab")
    assert focused(page)["text"] == "Enter an email address like name@example.com."
    page.keyboard.press("Enter")
    assert focused(page)["id"] == "id_email"
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("kim@example.com")
    tab_until(page, lambda el: el["id"] == "id_message")
    page.keyboard.type("Is there a beginners' yoga class?")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == "id_consent"
    page.keyboard.press("Space")
    # Back up one field and forward again: Shift+Tab works through the form too.
    page.keyboard.press("Shift+Tab")
    assert focused(page)["id"] == "id_message"
    tab_until(page, lambda el: el["tag"] == "BUTTON")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/contact/thanks/$"))
    assert page.get_by_role("heading", level=1).inner_text() == "Thank you: we have your message"
    tab.assert_clean()

    submission = ContactSubmission.objects.get()
    assert (submission.email, submission.service_title) == ("kim@example.com", "Yoga")


def test_no_axe_violations_on_the_form_its_errors_and_the_thanks(tab):
    page = tab.page
    tab.goto("/contact/")
    assert_no_axe_violations(page)
    assert not tab.scrolls_sideways()
    page.get_by_role("button", name="Send message").click()
    assert page.locator("#error-summary").is_visible()
    assert_no_axe_violations(page)
    assert not tab.scrolls_sideways()
    tab.goto("/contact/thanks/")
    assert_no_axe_violations(page)
    tab.assert_clean()


def test_the_honeypot_is_invisible_and_out_of_reach(tab):
    page = tab.page
    tab.goto("/contact/")
    assert not page.locator("#id_website").is_visible()
    tab_until(page, lambda el: el["tag"] == "BUTTON")
    # Tabbing on from the first field reaches the button without passing the hidden field.
    page.locator("#id_name").focus()
    seen = []
    for _ in range(8):
        page.keyboard.press("Tab")
        seen.append(focused(page)["id"])
        if focused(page)["tag"] == "BUTTON":
            break
    assert "id_website" not in seen
    assert seen[:5] == ["id_email", "id_phone", "id_service", "id_message", "id_consent"]
