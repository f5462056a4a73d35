"""Two-factor sign-in for staff: TOTP after the password, recovery codes, a superuser's reset,
and django-axes' lockout on the second step. The test settings switch the requirement off for
the rest of the suite; these tests switch it on."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.test import override_settings
from django.urls import reverse

from studio.staff.two_factor import crypto, totp
from studio.staff.two_factor.models import RecoveryCode, StaffTwoFactor
from tests.support import (
    PASSWORD,
    enrol_two_factor,
    make_editor,
    make_moderator,
    totp_code,
)

HOME = reverse("wagtailadmin_home")
VERIFY = reverse("two_factor_verify")
ENROL = reverse("two_factor_enrol")
IP = "203.0.113.9"


@pytest.fixture(autouse=True)
def required(settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = True


def sign_in(client, user, password=PASSWORD):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": user.get_username(), "password": password, "next": HOME},
        REMOTE_ADDR=IP,
    )


def send_code(client, code, url=VERIFY):
    return client.post(url, {"code": code, "next": HOME}, REMOTE_ADDR=IP)


# --- The algorithm and the storage ------------------------------------------------------------

# RFC 6238, appendix B: the SHA-1 key "12345678901234567890" (8-digit codes; ours keep the
# last 6 digits, as RFC 4226's truncation does).
RFC_SECRET = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"


@pytest.mark.parametrize(
    ("when", "code"),
    [(59, "287082"), (1111111109, "081804"), (1234567890, "005924"), (2000000000, "279037")],
)
def test_codes_match_rfc_6238(when, code):
    assert totp.code_at(RFC_SECRET, when) == code


def test_a_code_is_accepted_one_step_either_side_and_never_twice():
    now = 1111111109
    assert totp.matching_step(RFC_SECRET, "081804", when=now + 30) == totp.step_at(now)
    assert totp.matching_step(RFC_SECRET, "081804", when=now + 90) is None
    step = totp.step_at(now)
    assert totp.matching_step(RFC_SECRET, "081804", when=now, after_step=step) is None
    assert totp.matching_step(RFC_SECRET, "08 18 04", when=now) == step
    assert totp.matching_step(RFC_SECRET, "abc", when=now) is None


def test_secrets_are_encrypted_at_rest_and_tamper_evident(db, settings):
    user = make_editor()
    secret, _ = enrol_two_factor(user)
    stored = StaffTwoFactor.objects.get(user=user).encrypted_secret
    assert secret not in stored
    assert crypto.decrypt(stored) == secret
    tampered = stored[:-5] + ("A" if stored[-5] != "A" else "B") + stored[-4:]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered)
    settings.STAFF_TWO_FACTOR_KEY = "another key"
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(stored)


def test_recovery_codes_are_stored_hashed(db):
    user = make_editor()
    _, codes = enrol_two_factor(user)
    hashes = list(RecoveryCode.objects.filter(user=user).values_list("code_hash", flat=True))
    assert len(hashes) == len(codes) == 10
    assert not {code.replace("-", "") for code in codes} & set(hashes)


# --- Enrolment ---------------------------------------------------------------------------------


def test_a_moderator_must_enrol_before_using_the_admin(client, db):
    moderator = make_moderator()
    assert sign_in(client, moderator).status_code == 302

    response = client.get(HOME)
    assert response.status_code == 302
    assert response.url.startswith(ENROL)

    page = client.get(ENROL).content.decode()
    assert "<svg" in page  # the QR code, drawn here
    secret = StaffTwoFactor.objects.get(user=moderator).secret
    assert " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert client.get(HOME).status_code == 302  # still not in

    wrong = send_code(client, "000000" if totp_code(secret) != "000000" else "111111", ENROL)
    assert wrong.status_code == 400
    assert "did not match" in wrong.content.decode()

    done = send_code(client, totp_code(secret), ENROL)
    assert done.status_code == 200
    codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", done.content.decode())
    assert len(codes) == 10
    assert client.get(HOME).status_code == 200


def test_superusers_must_enrol_too(client, db):
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)
    sign_in(client, admin)
    assert client.get(HOME).url.startswith(ENROL)


def test_editors_are_offered_it_but_not_forced(client, db):
    editor = make_editor()
    sign_in(client, editor)
    assert client.get(HOME).status_code == 200
    account = client.get(reverse("wagtailadmin_account")).content.decode()
    assert reverse("two_factor_manage") in account
    # Opting in: the manage page leads to enrolment.
    assert client.get(reverse("two_factor_manage")).url == ENROL
    assert client.get(ENROL).status_code == 200
    secret = StaffTwoFactor.objects.get(user=editor).secret
    assert send_code(client, totp_code(secret), ENROL).status_code == 200
    client.logout()
    sign_in(client, editor)
    assert client.get(HOME).url.startswith(VERIFY)


def test_without_the_requirement_a_moderator_is_not_forced(client, db, settings):
    settings.STAFF_TWO_FACTOR_REQUIRED = False
    sign_in(client, make_moderator())
    assert client.get(HOME).status_code == 200


# --- Signing in ---------------------------------------------------------------------------------


@pytest.fixture
def enrolled_moderator(db):
    moderator = make_moderator()
    secret, codes = enrol_two_factor(moderator)
    return moderator, secret, codes


def test_the_password_alone_does_not_open_the_admin(client, enrolled_moderator):
    moderator, secret, _ = enrolled_moderator
    sign_in(client, moderator)
    for url in (HOME, reverse("contact_messages:index"), reverse("wagtailadmin_explore_root")):
        response = client.get(url)
        assert response.status_code == 302
        assert response.url.startswith(VERIFY)

    page = client.get(VERIFY).content.decode()
    assert 'autocomplete="one-time-code"' in page
    # The sign-in page's own icon sprite is served, not the redirect to this page.
    assert client.get(reverse("wagtailadmin_sprite")).status_code == 200

    wrong = send_code(client, "12345")
    assert wrong.status_code == 400
    assert client.get(HOME).status_code == 302

    assert send_code(client, totp_code(secret)).url == HOME
    assert client.get(reverse("contact_messages:index")).status_code == 200


def test_a_code_cannot_be_used_twice(client, enrolled_moderator):
    moderator, secret, _ = enrolled_moderator
    code = totp_code(secret)
    sign_in(client, moderator)
    assert send_code(client, code).status_code == 302
    client.logout()
    sign_in(client, moderator)
    assert send_code(client, code).status_code == 400


def test_every_password_sign_in_asks_again(client, enrolled_moderator):
    moderator, secret, _ = enrolled_moderator
    sign_in(client, moderator)
    send_code(client, totp_code(secret))
    sign_in(client, moderator)  # again, in the same browser session
    assert client.get(HOME).url.startswith(VERIFY)


def test_a_recovery_code_signs_in_once(client, enrolled_moderator):
    moderator, _, codes = enrolled_moderator
    sign_in(client, moderator)
    response = send_code(client, codes[0].upper())
    assert response.url == HOME
    assert "recovery code; 9 left" in client.get(HOME).content.decode()
    client.logout()
    sign_in(client, moderator)
    assert send_code(client, codes[0]).status_code == 400
    assert send_code(client, codes[1]).status_code == 302


def test_new_recovery_codes_replace_the_old(client, enrolled_moderator):
    moderator, secret, codes = enrolled_moderator
    sign_in(client, moderator)
    send_code(client, totp_code(secret))
    page = client.post(reverse("two_factor_manage"), {"action": "new_codes"}).content.decode()
    new_codes = re.findall(r"<code>([a-z0-9]{5}-[a-z0-9]{5})</code>", page)
    assert len(new_codes) == 10
    client.logout()
    sign_in(client, moderator)
    assert send_code(client, codes[2]).status_code == 400
    assert send_code(client, new_codes[0]).status_code == 302


def test_a_moderator_cannot_turn_it_off(client, enrolled_moderator):
    moderator, secret, _ = enrolled_moderator
    sign_in(client, moderator)
    send_code(client, totp_code(secret))
    client.post(reverse("two_factor_manage"), {"action": "turn_off"})
    assert StaffTwoFactor.objects.filter(user=moderator, confirmed_at__isnull=False).exists()


def test_next_stays_on_this_site(client, enrolled_moderator):
    moderator, secret, _ = enrolled_moderator
    sign_in(client, moderator)
    response = client.post(VERIFY, {"code": totp_code(secret), "next": "https://evil.example/"})
    assert response.url == HOME


# --- A superuser's reset ----------------------------------------------------------------------


def test_a_superuser_resets_a_lost_phone(client, enrolled_moderator):
    moderator, secret, _ = enrolled_moderator
    admin = get_user_model().objects.create_superuser("boss", "boss@example.com", PASSWORD)
    enrol_two_factor(admin, secret=totp.new_secret())
    admin_secret = StaffTwoFactor.objects.get(user=admin).secret
    sign_in(client, admin)
    send_code(client, totp_code(admin_secret))

    page = client.get(reverse("two_factor_staff")).content.decode()
    assert f"Reset {moderator.username}" in page
    response = client.post(reverse("two_factor_staff"), {"user_id": moderator.pk})
    assert response.status_code == 302
    assert not StaffTwoFactor.objects.filter(user=moderator).exists()
    assert not RecoveryCode.objects.filter(user=moderator).exists()

    client.logout()
    sign_in(client, moderator)
    assert client.get(HOME).url.startswith(ENROL)


def test_a_reset_ends_sessions_verified_with_the_old_phone(client, enrolled_moderator):
    moderator, secret, _ = enrolled_moderator
    sign_in(client, moderator)
    send_code(client, totp_code(secret))
    StaffTwoFactor.objects.filter(user=moderator).delete()
    enrol_two_factor(moderator)
    assert client.get(HOME).url.startswith(VERIFY)


def test_only_superusers_reset(client, enrolled_moderator):
    moderator, secret, _ = enrolled_moderator
    sign_in(client, moderator)
    send_code(client, totp_code(secret))
    assert client.get(reverse("two_factor_staff")).status_code in (302, 403)
    client.post(reverse("two_factor_staff"), {"user_id": moderator.pk})
    assert StaffTwoFactor.objects.filter(user=moderator).exists()


# --- The lockout ------------------------------------------------------------------------------


@override_settings(AXES_ENABLED=True)
def test_wrong_codes_lock_the_username_like_wrong_passwords(client, enrolled_moderator):
    moderator, secret, _ = enrolled_moderator
    sign_in(client, moderator)
    statuses = [send_code(client, "99999a").status_code for _ in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    assert AccessAttempt.objects.get(username=moderator.username).failures_since_start == 5
    # Signed out; the right password and code are refused until the cool-off ends.
    assert client.get(HOME).status_code == 302
    assert sign_in(client, moderator).status_code == 429
    assert client.get(HOME).status_code == 302


@override_settings(AXES_ENABLED=True)
def test_a_right_code_clears_earlier_wrong_ones(client, enrolled_moderator):
    moderator, secret, _ = enrolled_moderator
    sign_in(client, moderator)
    send_code(client, "99999a")
    assert send_code(client, totp_code(secret)).status_code == 302
    assert not AccessAttempt.objects.filter(username=moderator.username).exists()
