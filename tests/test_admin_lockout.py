"""Keeping intruders out of the admin: five wrong passwords lock a username at one address."""

import re
import shutil
import zoneinfo

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from enfuse.middleware import client_ip
from tests.support import compose_service_block, run_compose

PASSWORD = "a-long-trainer-password"

# The test settings switch django-axes off (the test client's login() has no request); these
# tests run with it on, as every other environment does.
pytestmark = pytest.mark.usefixtures("axes_on")


@pytest.fixture
def axes_on(settings):
    settings.AXES_ENABLED = True


@pytest.fixture
def trainer(db):
    return get_user_model().objects.create_superuser("trainer", "trainer@example.com", PASSWORD)


def sign_in(client, username, password, ip="203.0.113.7"):
    return client.post(
        reverse("wagtailadmin_login"),
        {"username": username, "password": password},
        REMOTE_ADDR=ip,
    )


def is_signed_in(client):
    return client.get(reverse("wagtailadmin_home")).status_code == 200


def fail(client, times, username="trainer", ip="203.0.113.7"):
    return [sign_in(client, username, "wrong password", ip).status_code for _ in range(times)]


def test_four_failures_do_not_lock_and_the_right_password_still_works(client, trainer):
    assert fail(client, 4) == [200, 200, 200, 200]  # the form again, with its error

    response = sign_in(client, "trainer", PASSWORD)

    assert response.status_code == 302
    assert is_signed_in(client)


def test_the_fifth_failure_locks_and_then_the_right_password_is_refused(client, trainer):
    statuses = fail(client, 5)

    assert statuses == [200, 200, 200, 200, 429]
    response = sign_in(client, "trainer", PASSWORD)
    assert response.status_code == 429
    assert not is_signed_in(client)
    page = response.content.decode()
    assert "Too many failed sign-in attempts" in page
    assert "paused for 30 minutes" in page
    assert reverse("wagtailadmin_password_reset") in page
    # In the site's own design, not a bare message.
    assert 'class="site-header"' in page


def test_a_lockout_is_per_username_and_address(client, trainer, django_user_model):
    django_user_model.objects.create_superuser("owner", "owner@example.com", PASSWORD)
    fail(client, 5)

    # Another username from the same address is not locked...
    assert sign_in(client, "owner", PASSWORD).status_code == 302
    client.logout()
    # ...nor the same username from another address.
    assert sign_in(client, "trainer", PASSWORD, ip="198.51.100.20").status_code == 302


def test_a_superuser_unlocks_a_username_with_the_management_command(client, trainer):
    fail(client, 5)
    assert sign_in(client, "trainer", PASSWORD).status_code == 429

    call_command("axes_reset_username", "trainer", verbosity=0)

    assert not AccessAttempt.objects.filter(username="trainer").exists()
    assert sign_in(client, "trainer", PASSWORD).status_code == 302


def test_a_correct_sign_in_clears_earlier_failures(client, trainer):
    fail(client, 4)
    assert sign_in(client, "trainer", PASSWORD).status_code == 302
    client.logout()

    # The count starts again: four more failures still do not lock.
    assert fail(client, 4) == [200, 200, 200, 200]
    assert sign_in(client, "trainer", PASSWORD).status_code == 302


class FakeRequest:
    def __init__(self, remote_addr, forwarded_for=None):
        self.META = {"REMOTE_ADDR": remote_addr}
        if forwarded_for is not None:
            self.META["HTTP_X_FORWARDED_FOR"] = forwarded_for


def test_without_a_trusted_proxy_the_forwarded_header_is_ignored():
    request = FakeRequest("203.0.113.7", forwarded_for="10.9.9.9")

    assert client_ip(request) == "203.0.113.7"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_one_proxy_the_address_it_saw_is_used_not_one_the_client_wrote():
    # The client sent "X-Forwarded-For: 10.9.9.9"; the proxy appended the real address.
    request = FakeRequest("172.18.0.5", forwarded_for="10.9.9.9, 198.51.100.20")

    assert client_ip(request) == "198.51.100.20"


@override_settings(TRUSTED_PROXY_COUNT=1)
def test_behind_a_proxy_a_missing_header_falls_back_to_the_connection_address():
    assert client_ip(FakeRequest("172.18.0.5")) == "172.18.0.5"


def test_in_production_the_sign_in_cookies_are_secure_httponly_and_same_site():
    from tests.support import run_with_production_settings

    result = run_with_production_settings(
        "from django.conf import settings as s; "
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, "
        "s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_HTTPONLY, s.CSRF_COOKIE_SAMESITE, "
        "s.AUTHENTICATION_BACKENDS[0], s.AXES_ENABLED, s.AXES_FAILURE_LIMIT, s.AXES_COOLOFF_TIME)",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="enfusefitness.com",
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "True",
        "True",
        "Lax",
        "True",
        "True",
        "Lax",
        "axes.backends.AxesBackend",
        "True",
        "5",
        "0:30:00",
    ]


def test_a_superuser_sees_and_unlocks_a_lockout_in_the_admin(client, trainer, django_user_model):
    fail(client, 5)
    owner = django_user_model.objects.create_superuser("owner", "owner@example.com", PASSWORD)
    admin = Client()
    admin.force_login(owner)

    page = admin.get(reverse("studio_lockouts")).content.decode()
    assert "Locked out now" in page
    assert "Unlock trainer" in page
    assert "203.0.113.7" in page
    # Headed by its own name (Wagtail's default breadcrumb alone said "Home").
    assert re.search(r"<h1[^>]*>\s*(<[^>]+>\s*)*Sign-in lockouts", page)
    assert "<title>Sign-in lockouts" in page
    # The time of the last attempt in the studio's zone, the zone stated.
    attempt = AccessAttempt.objects.get(username="trainer")
    local = timezone.localtime(attempt.attempt_time, zoneinfo.ZoneInfo("America/New_York"))
    assert date_format(local, "F j, Y, g:i a T") in page

    response = admin.post(
        reverse("studio_lockouts"), {"username": "trainer", "ip_address": "203.0.113.7"}
    )

    assert response.status_code == 302
    assert not AccessAttempt.objects.filter(username="trainer").exists()
    assert sign_in(client, "trainer", PASSWORD).status_code == 302


def test_only_superusers_may_open_the_lockouts_page(client, db):
    from tests.support import make_moderator

    client.force_login(make_moderator())

    assert client.get(reverse("studio_lockouts")).status_code in (302, 403)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Sign-in lockouts" not in home


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is missing")
def test_behind_the_compose_stacks_nginx_and_varnish_the_app_trusts_two_proxies(tmp_path):
    result = run_compose(tmp_path, "config")

    assert result.returncode == 0, result.stderr
    web = compose_service_block(result.stdout, "web")
    # nginx and then Varnish each append to X-Forwarded-For.
    assert "DJANGO_TRUSTED_PROXY_COUNT: '2'" in web or 'DJANGO_TRUSTED_PROXY_COUNT: "2"' in web
