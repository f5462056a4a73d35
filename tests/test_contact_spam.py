"""Bots and double clicks: spam is stored flagged and never emailed, the bot sees the normal
thank-you page, and one rendered form makes one submission however often it is posted."""

import time

import pytest
from django.core import mail, signing

from studio.contact.forms import TOKEN_SALT, new_form_token
from studio.models import ContactSubmission
from tests.support import (
    CONTACT_URL,
    SUPPORT,
    THANKS_URL,
    form_data,
    only_submission,
    outbox_to,
    post_form,
)

pytestmark = pytest.mark.django_db


def assert_stored_as_spam(response, reason):
    assert response.status_code == 302
    assert response["Location"] == THANKS_URL
    submission = only_submission()
    assert submission.is_spam
    assert reason in submission.spam_reason
    assert submission.delivery_state == ContactSubmission.NOT_SENT
    assert submission.next_attempt_at is None
    assert mail.outbox == []
    return submission


def test_a_filled_honeypot_is_spam(contact_site, client):
    response = post_form(client, website="http://cheap-pills.example")
    assert_stored_as_spam(response, "hidden field")


def test_a_form_sent_too_fast_is_spam(contact_site, client):
    response = post_form(client, age=1)
    assert_stored_as_spam(response, "after the form was shown")


def test_the_minimum_fill_time_is_a_setting(contact_site, client, settings):
    settings.CONTACT_MIN_FILL_SECONDS = 0
    response = post_form(client, age=0)
    assert response.status_code == 302
    assert not only_submission().is_spam


def test_a_real_visitor_who_reads_the_form_first_is_not_spam(contact_site, client):
    form = client.get(CONTACT_URL).content.decode()
    assert 'name="token"' in form
    post_form(client, age=10)
    assert not only_submission().is_spam
    assert len(mail.outbox) == 2  # the studio's copy and the receipt


@pytest.mark.parametrize(
    "token",
    [
        "",
        "not-a-token",
        signing.dumps({"t": 0, "n": "x"}, salt="another-salt"),
        signing.dumps({"t": int(time.time()) - 60, "n": "x"}, salt=TOKEN_SALT)[:-3] + "abc",
        signing.dumps({"nonce": "missing time"}, salt=TOKEN_SALT),
        signing.dumps("just a string", salt=TOKEN_SALT),
    ],
    # Named, not shown: the signed tokens differ from second to second, and pytest-xdist's
    # workers must collect the same test ids.
    ids=["empty", "not-a-token", "other-salt", "forged-signature", "no-time", "not-a-dict"],
)
def test_a_missing_or_forged_timestamp_is_spam(contact_site, client, token):
    response = post_form(client, token=token)
    submission = assert_stored_as_spam(response, "missing or forged")
    assert submission.form_token is None


def test_no_token_field_at_all_is_spam(contact_site, client):
    response = post_form(client, token=None)
    assert_stored_as_spam(response, "missing or forged")


def test_an_expired_timestamp_is_spam(contact_site, client, settings):
    settings.CONTACT_FORM_MAX_AGE_SECONDS = 3600
    response = post_form(client, age=3601 + 5)
    assert_stored_as_spam(response, "expired")


def test_spam_shows_the_same_thank_you_page(contact_site, client):
    response = client.post(CONTACT_URL, form_data(website="x"), follow=True)
    assert response.status_code == 200
    assert "Thank you: we have your message" in response.content.decode()


# --- Double clicks and resubmissions ----------------------------------------------------------


def test_a_double_click_makes_one_submission_and_one_email(contact_site, client):
    data = form_data()
    first = post_form(client, data=data)
    second = post_form(client, data=data)
    assert first.status_code == second.status_code == 302
    assert second["Location"] == THANKS_URL
    assert ContactSubmission.objects.count() == 1
    assert len(outbox_to(SUPPORT)) == 1


def test_a_resubmitted_form_later_is_still_one_submission(contact_site, client):
    data = form_data(age=600)
    post_form(client, data=data)
    data["message"] = "Sent again with the browser's back button."
    post_form(client, data=data)
    assert ContactSubmission.objects.count() == 1
    assert only_submission().message.startswith("I would like to try Pilates")


def test_two_forms_make_two_submissions(contact_site, client):
    post_form(client)
    post_form(client, token=new_form_token(now=time.time() - 60))
    assert ContactSubmission.objects.count() == 2


def test_a_second_post_racing_the_first_is_caught_by_the_database(contact_site, rf):
    """Two requests past the 'already stored?' check at once: the unique one-time id wins."""
    from studio.contact.forms import ContactForm
    from studio.contact.views import live_services

    data = form_data()
    forms = []
    for _ in range(2):
        form = ContactForm(data, services=live_services())
        assert form.is_valid()
        forms.append(form)
    request = rf.post(CONTACT_URL)
    page = contact_site["contact"]
    created = [
        ContactSubmission.create_from_form(
            form, page=page, request=request, spam_reason="", nonce=form.form_nonce()
        )
        for form in forms
    ]
    assert created[0] is not None and created[1] is None
    assert ContactSubmission.objects.count() == 1
