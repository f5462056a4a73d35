"""The timetable in Chromium, on a phone and a desktop: the schedule, a class, "Ask for a
spot" and the thank-you page, with axe scans of the schedule and the class page. The message
it sends is deleted afterwards (the live site is shared)."""

import pytest
from django.core import mail

from studio.models import ContactSubmission, TimetableClass
from tests.support import assert_no_axe_violations

pytestmark = [
    pytest.mark.browser,
    pytest.mark.slow,
    pytest.mark.usefixtures("new_contact_messages_removed"),
]


@pytest.fixture(autouse=True)
def no_minimum_fill_time(settings):
    """Playwright fills the form faster than any person: the bot check would flag it."""
    settings.CONTACT_MIN_FILL_SECONDS = 0


def test_from_the_schedule_to_a_spot_asked_for(tab):
    page = tab.page
    mat = TimetableClass.objects.get(name="Mat Pilates")
    tab.goto("/schedule/")
    assert page.get_by_role("heading", level=1).inner_text() == "Class timetable"
    assert not tab.scrolls_sideways()
    assert_no_axe_violations(page)

    # The filters are plain links: Pilates only.
    page.get_by_role("navigation", name="Choose the week and classes").get_by_role(
        "link", name="Pilates", exact=True
    ).click()
    assert "service=pilates" in page.url
    assert page.get_by_role("link", name="Gentle yoga").count() == 0

    page.get_by_role("link", name="Mat Pilates").first.click()
    assert page.get_by_role("heading", level=1).inner_text() == "Mat Pilates"
    assert page.url.endswith(f"/schedule/classes/{mat.pk}/")
    assert_no_axe_violations(page)

    page.get_by_role("link", name="Ask for a spot").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Contact"
    assert "a spot in Mat Pilates (Tuesdays, 6:00 pm)" in page.locator("#chosen-class").inner_text()
    service = page.get_by_label("What are you interested in? (optional)")
    assert service.locator("option:checked").inner_text() == "Pilates"

    page.get_by_label("Your name").fill("Jane Browser")
    page.get_by_label("Email address").fill("jane.browser@example.com")
    page.get_by_label("Your message").fill("Is there a spot next Tuesday?")
    page.get_by_label("I agree that EnFuse Fitness may contact me").check()
    page.get_by_role("button", name="Send message").click()

    assert page.get_by_role("heading", level=1).inner_text() == "Thank you: we have your message"
    tab.assert_clean()
    submission = ContactSubmission.objects.get(name="Jane Browser")
    assert submission.timetable_class_id == mat.pk
    assert submission.service_title == "Pilates"
    assert "Contact form: Jane Browser: a spot in Mat Pilates (Tuesdays, 6:00 pm)" in [
        m.subject for m in mail.outbox
    ]


def test_the_class_calendar_file_downloads(tab):
    mat = TimetableClass.objects.get(name="Mat Pilates")
    response = tab.page.request.get(tab.origin + f"/schedule/classes/{mat.pk}.ics")
    assert response.status == 200
    assert response.headers["content-type"] == "text/calendar; charset=utf-8"
    assert b"BEGIN:VEVENT\r\n" in response.body()
