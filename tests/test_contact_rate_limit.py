"""The limit on submissions per client: a friendly 429 past it, per IP (behind trusted proxies
only), configurable, and open rather than broken when the cache is down."""

from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory

from enfuse.settings.base import env_rate
from studio.contact import ratelimit
from studio.models import ContactSubmission
from tests.support import CONTACT_URL, SUPPORT, post_form

pytestmark = pytest.mark.django_db


def test_past_the_limit_a_friendly_429_with_phone_and_email(contact_site, client, settings):
    settings.CONTACT_RATE_LIMIT = (3, 600)
    for _ in range(3):
        assert post_form(client).status_code == 302
    response = post_form(client)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 600
    html = response.content.decode()
    assert "Please wait a little before sending another message" in html
    main = html[html.index("<main") :]
    assert 'href="tel:+18602539111"' in main
    assert f'href="mailto:{SUPPORT}"' in main
    assert '<meta name="robots" content="noindex">' in html
    assert ContactSubmission.objects.count() == 3


def test_the_default_is_five_in_ten_minutes(contact_site, client, settings):
    assert settings.CONTACT_RATE_LIMIT == (5, 600)
    statuses = [post_form(client).status_code for _ in range(7)]
    assert statuses == [302] * 5 + [429] * 2
    assert ContactSubmission.objects.count() == 5


def test_forms_with_errors_do_not_use_up_the_limit(contact_site, client, settings):
    settings.CONTACT_RATE_LIMIT = (2, 600)
    for _ in range(4):
        assert post_form(client, email="wrong").status_code == 200
    assert post_form(client).status_code == 302


def test_spam_counts_towards_the_limit(contact_site, client, settings):
    settings.CONTACT_RATE_LIMIT = (2, 600)
    for _ in range(2):
        post_form(client, website="bot")
    assert post_form(client).status_code == 429


def test_the_limit_is_per_client(contact_site, client, settings):
    settings.CONTACT_RATE_LIMIT = (1, 600)
    assert post_form(client, meta={"REMOTE_ADDR": "203.0.113.1"}).status_code == 302
    assert post_form(client, meta={"REMOTE_ADDR": "203.0.113.1"}).status_code == 429
    assert post_form(client, meta={"REMOTE_ADDR": "203.0.113.2"}).status_code == 302


def test_a_new_window_opens_the_form_again(contact_site, settings):
    settings.CONTACT_RATE_LIMIT = (1, 60)
    ratelimit.record("203.0.113.9", now=1000.0)
    assert ratelimit.is_limited("203.0.113.9", now=1010.0)
    assert not ratelimit.is_limited("203.0.113.9", now=1021.0)  # the next minute


def test_zero_means_no_limit(contact_site, client, settings):
    settings.CONTACT_RATE_LIMIT = None
    assert all(post_form(client).status_code == 302 for _ in range(8))


def test_when_the_cache_fails_the_form_stays_open(contact_site, client, settings, monkeypatch):
    settings.CONTACT_RATE_LIMIT = (1, 600)

    class BrokenCache:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("Redis is down")

            return fail

    monkeypatch.setattr(ratelimit, "cache", BrokenCache())
    with mock.patch.object(ratelimit.logger, "warning") as warning:
        statuses = [post_form(client).status_code for _ in range(3)]
    assert statuses == [302, 302, 302]
    assert ContactSubmission.objects.count() == 3
    assert "the cache is unavailable" in warning.call_args.args[0]


@pytest.mark.parametrize(
    "value, expected",
    [
        ("5/10m", (5, 600)),
        ("20/h", (20, 3600)),
        ("3 / 30s", (3, 30)),
        ("100/1d", (100, 86400)),
        ("0", None),
        ("", (5, 600)),
    ],
)
def test_the_setting_reads_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("CONTACT_RATE_LIMIT", value)
    assert env_rate("CONTACT_RATE_LIMIT", "5/10m") == expected


@pytest.mark.parametrize("value", ["five", "5", "5/10x", "0/10m", "5/0m", "-1/m"])
def test_a_wrong_setting_stops_the_app_with_a_clear_message(monkeypatch, value):
    monkeypatch.setenv("CONTACT_RATE_LIMIT", value)
    with pytest.raises(ImproperlyConfigured, match="CONTACT_RATE_LIMIT must look like"):
        env_rate("CONTACT_RATE_LIMIT", "5/10m")


# --- Which address is the client's -------------------------------------------------------------


def request_with(remote, forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().post(CONTACT_URL, **extra)


def test_without_trusted_proxies_a_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_COUNT = 0
    request = request_with("198.51.100.7", forwarded="203.0.113.5")
    assert ratelimit.client_ip(request) == "198.51.100.7"


def test_behind_one_trusted_proxy_its_entry_is_the_client(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    # The client claims to be 1.2.3.4; the proxy appended the address it really saw.
    request = request_with("10.0.0.2", forwarded="1.2.3.4, 203.0.113.5")
    assert ratelimit.client_ip(request) == "203.0.113.5"


def test_behind_two_trusted_proxies(settings):
    settings.TRUSTED_PROXY_COUNT = 2
    request = request_with("10.0.0.3", forwarded="1.2.3.4, 203.0.113.5, 10.0.0.2")
    assert ratelimit.client_ip(request) == "203.0.113.5"


@pytest.mark.parametrize("forwarded", ["", "not-an-ip", "203.0.113.5, <script>"])
def test_a_missing_or_malformed_forwarded_header_falls_back(settings, forwarded):
    settings.TRUSTED_PROXY_COUNT = 1
    assert ratelimit.client_ip(request_with("10.0.0.2", forwarded=forwarded)) == "10.0.0.2"


def test_a_spoofed_forwarded_header_cannot_dodge_the_limit(contact_site, client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.CONTACT_RATE_LIMIT = (1, 600)
    first = post_form(
        client, meta={"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "9.9.9.1, 203.0.113.5"}
    )
    second = post_form(
        client, meta={"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "9.9.9.2, 203.0.113.5"}
    )
    assert (first.status_code, second.status_code) == (302, 429)


def test_ipv6_clients_are_counted_per_network():
    assert ratelimit.client_key("2001:db8::1") == ratelimit.client_key("2001:db8::ffff:1")
    assert ratelimit.client_key("2001:db8::1") != ratelimit.client_key("2001:db8:0:1::1")
    assert ratelimit.client_key("203.0.113.1") == "203.0.113.1"
