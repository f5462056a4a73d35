""" "Ask for a spot": a class's link opens the contact form with its service and class chosen;
the class is stored on the message, shown in the lead inbox and named in the email's subject."""

import pytest
from django.core import mail

from studio.models import ContactSubmission, TimetableClass
from tests.support import logged_in, make_moderator, only_submission, post_form


@pytest.fixture
def mat(demo_site):
    return TimetableClass.objects.get(name="Mat Pilates")


def test_the_class_page_links_to_the_form_with_service_and_class(client, mat):
    html = client.get(f"/schedule/classes/{mat.pk}/").content.decode()
    assert f'href="/contact/?service=pilates&amp;class={mat.pk}' in html


def test_the_form_preselects_the_service_and_carries_the_class(client, mat):
    html = client.get(f"/contact/?class={mat.pk}").content.decode()
    assert "You are asking for a spot in <strong>Mat Pilates (Tuesdays, 6:00 pm)</strong>" in html
    assert f'<option value="{mat.service_id}" selected>Pilates</option>' in html
    assert f'name="timetable_class" value="{mat.pk}"' in html


@pytest.mark.parametrize(
    "query", ["class=99999999999999999999", "class=abc", "class=999999", "class=-1&service=nope"]
)
def test_a_bad_class_in_the_address_is_ignored(client, demo_site, query):
    response = client.get(f"/contact/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "You are asking for a spot" not in html
    assert 'name="timetable_class" value=' not in html


@pytest.mark.parametrize("query", ["class=%00", "class=1%00", "class=1&service=%00"])
def test_a_nul_in_the_address_is_refused_before_the_form(client, demo_site, query):
    assert client.get(f"/contact/?{query}").status_code == 400


def test_the_class_is_stored_shown_and_named_in_the_subject(client, mat, demo_site):
    response = post_form(client, **{"timetable_class": str(mat.pk), "service": ""})
    assert response.status_code == 302
    submission = only_submission()
    assert submission.timetable_class == mat
    assert submission.timetable_class_title == "Mat Pilates (Tuesdays, 6:00 pm)"
    assert submission.service_id == mat.service_id  # filled in from the class
    subjects = [message.subject for message in mail.outbox]
    assert "Contact form: Jane Prospect: a spot in Mat Pilates (Tuesdays, 6:00 pm)" in subjects
    body = next(m.body for m in mail.outbox if "a spot in" in m.subject)
    assert "Class:    Mat Pilates (Tuesdays, 6:00 pm) (asks for a spot)" in body

    logged_in(client, make_moderator())
    listing = client.get("/admin/contact-messages/").content.decode()
    assert "Mat Pilates (Tuesdays, 6:00 pm)" in listing
    inspect = client.get(f"/admin/contact-messages/inspect/{submission.pk}/").content.decode()
    assert "Mat Pilates (Tuesdays, 6:00 pm)" in inspect


def test_the_class_name_survives_the_class(client, mat):
    post_form(client, timetable_class=str(mat.pk))
    mat.delete()
    submission = only_submission()
    assert submission.timetable_class is None
    assert submission.class_label == "Mat Pilates (Tuesdays, 6:00 pm)"


def test_a_class_of_another_service_asks_the_visitor(client, mat, demo_site):
    yoga = demo_site["services"].get_children().get(slug="yoga")
    response = post_form(client, timetable_class=str(mat.pk), service=str(yoga.pk))
    assert response.status_code == 200
    html = response.content.decode()
    assert "You are asking for a spot in Mat Pilates (Tuesdays, 6:00 pm), a Pilates class" in html
    assert "You are asking for a spot in <strong>Mat Pilates" in html
    assert not ContactSubmission.objects.exists()


@pytest.mark.parametrize("value", ["999999", "%00", "1\x00", "9" * 40, "x"])
def test_a_class_gone_or_forged_still_sends_the_message(client, demo_site, value):
    response = post_form(client, timetable_class=value)
    assert response.status_code == 302
    submission = only_submission()
    assert submission.timetable_class is None and submission.timetable_class_title == ""


def test_a_class_that_no_longer_runs_is_not_offered(client, mat):
    mat.service.unpublish()
    html = client.get(f"/contact/?class={mat.pk}").content.decode()
    assert "You are asking for a spot" not in html
    assert 'name="timetable_class" value=' not in html
