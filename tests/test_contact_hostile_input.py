"""Hostile input to the contact form: each gets a clear 4xx or a field error, never a 500, never
an email header or markup, and the messages already stored are left exactly as they were."""

import re
from urllib.parse import urlencode

import pytest
from django.core import mail
from django.test import Client

from studio.models import ContactSubmission
from tests.support import (
    CONTACT_URL,
    SUPPORT,
    assert_unchanged,
    form_data,
    only_submission,
    outbox_to,
    post_form,
)

pytestmark = pytest.mark.django_db


def new_rows(existing):
    return ContactSubmission.objects.exclude(pk=existing.pk)


def assert_field_error(response, field, message, existing):
    assert response.status_code == 200
    html = response.content.decode()
    assert f'<a href="#id_{field}">{message}</a>' in html
    assert re.search(rf'name="{field}"[^>]*aria-invalid="true"', html)
    assert not new_rows(existing).exists()
    assert mail.outbox == []
    assert_unchanged(existing)


@pytest.mark.parametrize(
    "name",
    [
        "Jane\r\nBcc: victim@example.com",
        "Jane\nSubject: hijacked",
        "Jane\rX-Spam: no",
        "Jane\u2028Doe",
        "Jane\x85Doe",
        "Jane\tDoe",
        "Jane\x1bDoe",
    ],
)
def test_line_breaks_or_control_characters_in_the_name_are_refused(
    contact_site, client, existing_submission, name
):
    response = post_form(client, name=name)
    assert_field_error(
        response,
        "name",
        "Enter your name on one line, without special characters.",
        existing_submission,
    )


@pytest.mark.parametrize(
    "address", ["jane@example.com\r\nBcc: victim@example.com", "jane@example.com\nCc: x@y.z"]
)
def test_line_breaks_in_the_email_address_are_refused(
    contact_site, client, existing_submission, address
):
    response = post_form(client, email=address)
    assert_field_error(
        response, "email", "Enter an email address like name@example.com.", existing_submission
    )


def test_html_and_script_in_the_message_stay_plain_text(contact_site, client, existing_submission):
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)> <b>bold</b> &amp;'
    response = post_form(client, message=hostile, name="<b>Jane</b>")
    assert response.status_code == 302
    submission = new_rows(existing_submission).get()
    assert submission.message == hostile  # stored as the visitor typed it
    [notification] = outbox_to(SUPPORT)
    assert notification.content_subtype == "plain"
    assert not getattr(notification, "alternatives", None)
    assert hostile in notification.body
    assert notification.subject == "Contact form: <b>Jane</b>"
    # Shown again on the form (after an error elsewhere) it is escaped.
    again = post_form(client, message=hostile, email="wrong").content.decode()
    assert "<script>alert" not in again
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in again
    assert_unchanged(existing_submission)


@pytest.mark.parametrize("field", ["name", "message", "phone"])
def test_null_bytes_are_refused(contact_site, client, existing_submission, field):
    response = post_form(client, **{field: "Jane\x00Doe"})
    assert_field_error(response, field, "Null characters are not allowed.", existing_submission)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("name", "J" * 101, "Your name must be 100 characters or fewer."),
        ("message", "m" * 5001, "Your message must be 5,000 characters or fewer (it has 5001)."),
        (
            "email",
            "a" * 250 + "@example.com",
            "Your email address must be 254 characters or fewer.",
        ),
        ("phone", "1" * 31, "A phone number has at most 30 characters."),
    ],
)
def test_overlong_fields_are_refused(
    contact_site, client, existing_submission, field, value, message
):
    response = post_form(client, **{field: value})
    assert_field_error(response, field, message, existing_submission)


def test_line_breaks_count_once_in_the_message_length(contact_site, client):
    # 5,000 characters as the browser counts them, 6,000 as sent (CRLF line breaks).
    message = ("x" * 4 + "\r\n") * 1000
    assert post_form(client, message=message).status_code == 302
    assert only_submission().message == ("x" * 4 + "\n") * 999 + "x" * 4


def test_non_utf8_bytes_do_not_break_anything(contact_site, client, existing_submission):
    rest = {key: value for key, value in form_data().items() if key != "name"}
    body = b"name=Jos%E9+%FF\xfe&" + urlencode(rest).encode()
    response = client.post(CONTACT_URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    # Undecodable bytes become replacement characters: stored as text, nothing more.
    assert new_rows(existing_submission).get().name.startswith("Jos\ufffd \ufffd")
    assert_unchanged(existing_submission)


def test_a_form_in_another_charset_is_refused_with_400(contact_site, client, existing_submission):
    body = urlencode(form_data(name="José"), encoding="latin-1").encode()
    response = client.post(
        CONTACT_URL, body, content_type="application/x-www-form-urlencoded; charset=latin-1"
    )
    assert response.status_code == 400
    assert not new_rows(existing_submission).exists()
    assert_unchanged(existing_submission)


def test_a_body_over_64_kb_is_refused_with_413(contact_site, client, existing_submission):
    response = post_form(client, message="m" * 70_000)
    assert response.status_code == 413
    assert "Your message is too long to send" in response.content.decode()
    assert not new_rows(existing_submission).exists()
    assert mail.outbox == []
    assert_unchanged(existing_submission)


def csrf_client():
    client = Client(enforce_csrf_checks=True)
    html = client.get(CONTACT_URL).content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)[1]
    return client, token


def test_a_body_over_1_mb_is_refused_with_400(contact_site, existing_submission):
    client, token = csrf_client()
    response = client.post(
        CONTACT_URL, form_data(csrfmiddlewaretoken=token, message="m" * 1_100_000)
    )
    assert response.status_code == 400
    assert "Sorry, we could not read that request" in response.content.decode()
    assert not new_rows(existing_submission).exists()
    assert_unchanged(existing_submission)


def test_with_the_right_csrf_token_the_form_works(contact_site):
    client, token = csrf_client()
    response = client.post(CONTACT_URL, form_data(csrfmiddlewaretoken=token))
    assert response.status_code == 302


def test_a_missing_csrf_token_gets_a_friendly_403(contact_site, existing_submission):
    client = Client(enforce_csrf_checks=True)
    response = client.post(CONTACT_URL, form_data())
    assert response.status_code == 403
    html = response.content.decode()
    assert "Sorry, your form could not be sent" in html
    assert 'href="tel:+18602539111"' in html  # in the site's design, with the phone number
    assert '<meta name="robots" content="noindex">' in html
    assert not new_rows(existing_submission).exists()
    assert_unchanged(existing_submission)


def test_a_wrong_csrf_token_gets_a_friendly_403(contact_site, existing_submission):
    client, _ = csrf_client()
    response = client.post(CONTACT_URL, form_data(csrfmiddlewaretoken="x" * 64))
    assert response.status_code == 403
    assert "Sorry, your form could not be sent" in response.content.decode()
    assert not new_rows(existing_submission).exists()


@pytest.mark.parametrize("method", ["put", "patch", "delete", "options", "trace"])
def test_other_methods_are_not_allowed(contact_site, client, existing_submission, method):
    response = getattr(client, method)(CONTACT_URL, data="name=x")
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD, POST"
    assert not new_rows(existing_submission).exists()
    assert_unchanged(existing_submission)


def test_other_methods_without_a_csrf_token_are_refused_too(contact_site, existing_submission):
    response = Client(enforce_csrf_checks=True).put(CONTACT_URL, data="name=x")
    assert response.status_code == 403
    assert_unchanged(existing_submission)


def test_posting_to_the_thank_you_page_is_not_allowed(contact_site, client):
    response = post_form(client, url="/contact/thanks/")
    assert response.status_code == 405
    assert not ContactSubmission.objects.exists()


def test_head_is_answered(contact_site, client):
    assert client.head(CONTACT_URL).status_code == 200


@pytest.mark.parametrize("service", ["1 OR 1=1", "-1", "<script>", "9" * 30])
def test_a_forged_service_is_a_field_error(contact_site, client, existing_submission, service):
    response = post_form(client, service=service)
    assert_field_error(
        response, "service", "Choose one of the services in the list.", existing_submission
    )


def test_repeated_fields_take_the_last_value_and_stay_single(contact_site, client):
    data = form_data()
    body = urlencode(data) + "&name=Second+Name&email=second@example.com"
    response = client.post(CONTACT_URL, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 302
    submission = only_submission()
    assert (submission.name, submission.email) == ("Second Name", "second@example.com")


def test_a_multipart_post_with_a_file_is_handled(contact_site, client, existing_submission):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = form_data()
    data["attachment"] = SimpleUploadedFile("evil.exe", b"MZ" + b"\0" * 100)
    response = post_form(client, data=data)
    assert response.status_code == 302
    assert new_rows(existing_submission).count() == 1
