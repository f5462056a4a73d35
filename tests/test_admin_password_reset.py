"""The admin's "Forgotten password?" sends its email through the site's mail path, and the new
password must pass the site's validators (at least 12 characters)."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tests.support import make_editor

NEW_PASSWORD = "walk-daily-stretch-often"


@pytest.fixture
def trainer(db):
    return make_editor()


def request_reset(client, email):
    return client.post(reverse("wagtailadmin_password_reset"), {"email": email})


def test_the_forgotten_password_form_sends_a_reset_email(client, trainer):
    response = request_reset(client, trainer.email)

    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == [trainer.email]
    assert message.from_email == settings.DEFAULT_FROM_EMAIL
    assert "/admin/password_reset/confirm/" in message.body


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, trainer):
    response = request_reset(client, "nobody@example.com")

    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_password_reset_done")
    assert mail.outbox == []


def test_the_reset_link_sets_a_new_password_of_at_least_12_characters(client, trainer):
    request_reset(client, trainer.email)
    link = re.search(r"https?://[^/\s]+(/admin/password_reset/confirm/\S+/)", mail.outbox[0].body)
    response = client.get(link.group(1))
    form_url = response["Location"]  # Django swaps the token for a session key first

    response = client.post(form_url, {"new_password1": "short1!", "new_password2": "short1!"})
    assert response.status_code == 200
    assert "at least 12 characters" in response.content.decode()

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302
    trainer.refresh_from_db()
    assert trainer.check_password(NEW_PASSWORD)


def test_password_validators_ask_for_twelve_characters_and_refuse_common_ones():
    names = [v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS]
    minimum = next(
        v for v in settings.AUTH_PASSWORD_VALIDATORS if v["NAME"].endswith("MinimumLengthValidator")
    )

    assert minimum["OPTIONS"]["min_length"] >= 12
    assert {"CommonPasswordValidator", "UserAttributeSimilarityValidator"} <= set(names)
