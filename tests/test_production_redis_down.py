"""Redis down: the cache degrades to "always empty", the site keeps serving, nothing is a 500.

The rate limit counted in that cache lets everyone through while Redis is down (it fails open:
losing a prospect's message is worse than a burst of spam, which the honeypot and the minimum
fill time still catch): the contact form keeps taking messages, past the limit, and stores
each one for the email worker.
"""

import logging
import re
import socket

import pytest

from enfuse.caching import redis as resilient
from tests.support import ARTICLE_URL, Gunicorn, free_port


def redis_cache(location, prefix="enfuse-tests"):
    return resilient.ResilientRedisCache(
        location,
        {"KEY_PREFIX": prefix, "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}},
    )


@pytest.fixture
def dead_redis(monkeypatch):
    monkeypatch.setattr(resilient, "_down_until", {})
    return redis_cache(f"redis://127.0.0.1:{free_port()}/0")


def test_a_dead_redis_answers_like_an_empty_cache(dead_redis):
    cache = dead_redis
    assert cache.get("page", "fallback") == "fallback"
    assert cache.set("page", "html") is None
    assert cache.add("counter", 1, 60) is True
    assert cache.incr("counter") == 1
    assert cache.get_many(["a", "b"]) == {}
    assert cache.has_key("page") is False
    assert cache.delete("page") is False
    assert sorted(cache.set_many({"a": 1, "b": 2})) == ["a", "b"]
    assert cache.get_or_set("built", lambda: "fresh") == "fresh"
    cache.delete_many(["a"])
    cache.clear()


class ListHandler(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(record)


def test_one_warning_per_outage_and_no_retry_for_a_while(dead_redis, monkeypatch):
    calls = []
    original = resilient.RedisCache.get

    def counting_get(self, *args, **kwargs):
        calls.append(1)
        return original(self, *args, **kwargs)

    monkeypatch.setattr(resilient.RedisCache, "get", counting_get)
    handler = ListHandler()
    logging.getLogger("enfuse.caching.redis").addHandler(handler)
    try:
        for _ in range(5):
            dead_redis.get("page")
    finally:
        logging.getLogger("enfuse.caching.redis").removeHandler(handler)
    assert len(calls) == 1  # the next four did not even try
    warnings = handler.records
    assert len(warnings) == 1
    assert "serving without the cache" in warnings[0].getMessage()
    # Once RETRY_AFTER has passed, Redis is tried again.
    resilient._down_until.clear()
    dead_redis.get("page")
    assert len(calls) == 2


def live_redis_url():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            if sock.recv(16).startswith(b"+PONG"):
                return "redis://127.0.0.1:6379/15"
    except OSError:
        pass
    return None


def test_a_live_redis_is_an_ordinary_cache(monkeypatch):
    url = live_redis_url()
    if url is None:
        pytest.skip("no Redis on 127.0.0.1:6379 (apt-get install redis-server)")
    monkeypatch.setattr(resilient, "_down_until", {})
    cache = redis_cache(url, prefix=f"enfuse-tests-{socket.gethostname()}-{id(monkeypatch)}")
    try:
        cache.set("page", "html", 30)
        assert cache.get("page") == "html"
        assert cache.add("counter", 1, 30) is True
        assert cache.add("counter", 1, 30) is False
        assert cache.incr("counter") == 2
    finally:
        cache.delete_many(["page", "counter"])


@pytest.fixture(scope="module")
def site_without_redis(production_site):
    """A second copy of the production site whose REDIS_URL points at a closed port."""
    env = {
        **production_site.env,
        "REDIS_URL": f"redis://127.0.0.1:{free_port()}/0",
        # The contact form test posts as soon as it has the form, like a quick visitor.
        "CONTACT_MIN_FILL_SECONDS": "0",
    }
    server = Gunicorn(env, production_site.workdir / "gunicorn-no-redis.log", workers=1)
    server.start()
    yield server
    server.stop()


@pytest.mark.parametrize(
    "url",
    ["/", "/institute-for-learning/", ARTICLE_URL, "/services/", "/search/?q=walking", "/nope/"],
)
def test_pages_are_served_without_redis(site_without_redis, url):
    response = site_without_redis.client().get(url)
    assert response.status in (200, 404)
    assert response.status == (404 if url == "/nope/" else 200)


def test_admin_login_works_without_redis(site_without_redis):
    client = site_without_redis.client()
    client.login_admin()
    response = client.get("/admin/")
    assert response.status == 200
    assert "Dashboard" in response.text


def test_healthz_says_redis_is_down(site_without_redis):
    response = site_without_redis.client().get("/healthz")
    assert response.status == 503
    assert '"redis": false' in response.text
    assert '"database": true' in response.text


def test_the_outage_is_logged_once_in_a_while_not_per_request(site_without_redis):
    client = site_without_redis.client()
    before = site_without_redis.log_tail(10**7).count("Redis cache unavailable")
    for _ in range(12):
        assert client.get("/").status == 200
    log = site_without_redis.log_tail(10**7)
    assert "Redis cache unavailable" in log
    assert log.count("Redis cache unavailable") - before <= 3
    assert "Internal Server Error" not in log


# CONTACT_RATE_LIMIT's default (production_env sets none): 5 messages per 10 minutes per client.
DEFAULT_RATE_LIMIT = 5
FORM_FIELD = re.compile(r'name="(csrfmiddlewaretoken|token)" value="([^"]*)"')


def test_the_contact_form_takes_messages_and_the_rate_limit_fails_open(
    production_site, site_without_redis
):
    assert "CONTACT_RATE_LIMIT" not in site_without_redis.env
    client = site_without_redis.client()
    sent = [f"Sent while Redis is down, number {n}." for n in range(DEFAULT_RATE_LIMIT + 1)]
    for message in sent:
        page = client.get("/contact/")
        assert page.status == 200
        response = client.post_form(
            "/contact/",
            {
                **dict(FORM_FIELD.findall(page.text)),
                "name": "Redis Down",
                "email": "redis-down@example.com",
                "message": message,
                "consent": "on",
            },
        )
        # One more than the limit allows: with no counter to read, nobody is turned away.
        assert response.status == 302, response.status
        assert response.header("Location").endswith("/contact/thanks/")
    stored = production_site.django(
        "from studio.models import ContactSubmission\n"
        "rows = ContactSubmission.objects.filter(email='redis-down@example.com')\n"
        "print(sorted(rows.values_list('message', 'is_spam', 'delivery_state')))"
    )
    assert stored.strip() == repr(sorted((message, False, "pending") for message in sent))
    log = site_without_redis.log_tail(10**7)
    assert "Contact form: rate limit reached" not in log
    assert "Internal Server Error" not in log
