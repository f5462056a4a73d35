"""The front cache (deploy/varnish/default.vcl) run in Debian's varnishd in front of the
production gunicorn: anonymous pages come from the cache, anyone logged in never does, and an
edit published through Wagtail purges the page at once.

The gunicorn behind Varnish shares its page cache through Redis, as in docker-compose: a
publish in another process must reach every worker's cache.
"""

import gzip
import os
import time
from pathlib import Path

import pytest

from tests.support import (
    ARTICLE_URL,
    NGINX,
    VARNISHD,
    Client,
    Gunicorn,
    Nginx,
    Varnish,
    redis_answers,
)

ARTICLE_TITLE = "Walking to Improve the Health of your Lower Back and Joints"
# A Redis database of its own; the keys carry the site's host name besides.
REDIS_URL = "redis://127.0.0.1:6379/12"

if not Path(VARNISHD).exists():
    if os.environ.get("CI"):
        pytest.fail("varnishd is missing: .ci/run installs varnish", pytrace=False)
    pytest.skip("varnish is not installed (apt-get install varnish)", allow_module_level=True)


@pytest.fixture(scope="module")
def app_behind_varnish(production_site):
    if not redis_answers():
        if os.environ.get("CI"):
            pytest.fail("Redis does not answer on 127.0.0.1:6379 (.ci/run starts it)")
        pytest.skip("no Redis on 127.0.0.1:6379 (apt-get install redis-server)")
    env = {**production_site.env, "REDIS_URL": REDIS_URL}
    # Pages an earlier test session cached in this Redis came from another database.
    production_site.django("from enfuse.caching.version import bump; bump()", REDIS_URL=REDIS_URL)
    server = Gunicorn(env, production_site.workdir / "gunicorn-varnish.log")
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def varnish(app_behind_varnish):
    """The port of varnishd running the repository's VCL in front of that gunicorn."""
    server = Varnish(app_behind_varnish.port).start()
    yield server.port
    server.stop()


def get(port, target, **kwargs):
    return Client(port).get(target, **kwargs)


def test_an_anonymous_article_is_a_hit_the_second_time(varnish):
    get(varnish, ARTICLE_URL)
    response = get(varnish, ARTICLE_URL)
    assert response.status == 200
    assert ARTICLE_TITLE in response.text
    assert response.header("X-Front-Cache") == "hit"
    assert int(response.header("Age")) >= 0
    assert "s-maxage=" in response.header("Cache-Control")


def test_static_files_are_kept_too(varnish):
    page = get(varnish, "/").text
    css = page.split('rel="stylesheet" href="', 1)[1].split('"', 1)[0]
    get(varnish, css)
    assert get(varnish, css).header("X-Front-Cache") == "hit"


def test_an_unrelated_cookie_does_not_split_the_cache(varnish):
    """A visitor who once saw the contact form carries a csrftoken: pages do not depend on it."""
    get(varnish, ARTICLE_URL)
    response = get(varnish, ARTICLE_URL, headers={"Cookie": "csrftoken=abc123"})
    assert response.header("X-Front-Cache") == "hit"
    assert response.cookies() == {}


@pytest.mark.parametrize("cookie", ["sessionid=anything", "messages=anything"])
def test_a_request_with_a_session_or_messages_cookie_is_never_served_from_the_cache(
    varnish, cookie
):
    get(varnish, ARTICLE_URL)
    assert get(varnish, ARTICLE_URL).header("X-Front-Cache") == "hit"
    for _ in range(2):
        response = get(varnish, ARTICLE_URL, headers={"Cookie": cookie})
        assert response.status == 200
        assert response.header("X-Front-Cache") == "miss"
        assert "private" in response.header("Cache-Control")


def test_a_logged_in_editor_gets_their_own_page_never_a_cached_one(varnish):
    editor = Client(varnish)
    editor.login_admin()
    get(varnish, ARTICLE_URL)
    for _ in range(2):
        response = editor.get(ARTICLE_URL)
        assert response.status == 200
        assert response.header("X-Front-Cache") == "miss"
        # Wagtail's user bar is there for the editor alone.
        assert "wagtail-userbar" in response.text
    anonymous = get(varnish, ARTICLE_URL)
    assert "wagtail-userbar" not in anonymous.text


@pytest.mark.parametrize("target", ["/admin/", "/search/?q=walking", "/contact/", "/healthz"])
def test_personal_and_per_request_pages_are_passed_to_the_app(varnish, target):
    get(varnish, target)
    assert get(varnish, target).header("X-Front-Cache") == "miss"


def test_plain_http_and_https_visitors_do_not_share_an_answer(varnish):
    """Django redirects plain http to https; that redirect must never reach an https visitor."""
    assert get(varnish, ARTICLE_URL, proto=None).status == 301
    response = get(varnish, ARTICLE_URL)
    assert response.status == 200
    assert get(varnish, ARTICLE_URL, proto=None).status == 301


def test_a_purge_from_the_app_drops_the_page_and_its_listing_variants(varnish):
    listing = "/institute-for-learning/"
    for target in (ARTICLE_URL, listing, listing + "?tag=walking", listing + "feed/"):
        get(varnish, target)
        assert get(varnish, target).header("X-Front-Cache") == "hit", target
    # Loopback is in the VCL's purgers ACL, as the Docker network is in docker-compose.
    assert Client(varnish).request("PURGE", listing).status == 200
    assert get(varnish, listing).header("X-Front-Cache") == "miss"
    assert get(varnish, listing + "?tag=walking").header("X-Front-Cache") == "miss"
    assert get(varnish, listing + "feed/").header("X-Front-Cache") == "miss"
    assert get(varnish, ARTICLE_URL).header("X-Front-Cache") == "hit"


def test_a_ban_from_the_app_drops_everything_below_a_path(varnish):
    for target in (ARTICLE_URL, "/about/", "/sitemap.xml"):
        get(varnish, target)
        assert get(varnish, target).header("X-Front-Cache") == "hit", target
    assert Client(varnish).request("BAN", "/institute-for-learning/").status == 200
    assert get(varnish, ARTICLE_URL).header("X-Front-Cache") == "miss"
    assert get(varnish, "/about/").header("X-Front-Cache") == "hit"
    assert Client(varnish).request("BAN", "/").status == 200
    for target in ("/about/", "/sitemap.xml"):
        assert get(varnish, target).header("X-Front-Cache") == "miss", target


def test_tracking_parameters_share_the_page_and_unknown_ones_are_passed(varnish):
    get(varnish, ARTICLE_URL)
    tracked = get(varnish, ARTICLE_URL + "?utm_source=news&fbclid=abc123&gclid=x")
    assert tracked.header("X-Front-Cache") == "hit"
    listing = "/institute-for-learning/?tag=walking"
    get(varnish, listing)
    assert get(varnish, listing + "&utm_medium=email").header("X-Front-Cache") == "hit"
    for _ in range(2):
        junk = get(varnish, ARTICLE_URL + "?q1=1")
        assert junk.status == 200
        assert junk.header("X-Front-Cache") == "miss"


@pytest.mark.parametrize("target", ["/no-such-page/", "/institute-for-learning/?page=x1z"])
def test_errors_are_never_kept(varnish, target):
    for _ in range(2):
        response = get(varnish, target)
        assert response.status == 404
        assert response.header("X-Front-Cache") == "miss"


def test_an_edit_published_through_wagtail_shows_through_varnish_within_a_second(
    production_site, varnish
):
    feed = "/institute-for-learning/health-wellness/feed/"
    for target in (ARTICLE_URL, feed, "/sitemap.xml"):
        get(varnish, target)
        assert get(varnish, target).header("X-Front-Cache") == "hit", target
    publish = """
from articles.models import ArticlePage
page = ArticlePage.objects.get(url_path__endswith="lower-back-and-joints/")
page.title = {title!r}
page.save_revision().publish()
# The purge worker's next round (the compose "purger" service runs it every second).
from enfuse.caching import purges
purges.send_due()
"""
    purge_url = {
        "FRONTEND_CACHE_PURGE_URL": f"http://127.0.0.1:{varnish}",
        "REDIS_URL": REDIS_URL,
    }
    edited = ARTICLE_TITLE + " (revised)"
    try:
        production_site.django(publish.format(title=edited), **purge_url)
        published_at = time.monotonic()
        seen = False
        while time.monotonic() - published_at < 1 and not seen:
            seen = edited in get(varnish, ARTICLE_URL).text
        assert seen, "the published edit did not show through Varnish within 1 s"
        # Its category lists it too, and was purged with it, as was the category's feed;
        # the sitemap (whose dates moved) is fetched afresh.
        category = get(varnish, "/institute-for-learning/health-wellness/")
        assert edited in category.text
        assert edited in get(varnish, feed).text
        assert get(varnish, "/sitemap.xml").header("X-Front-Cache") == "miss"
    finally:
        production_site.django(publish.format(title=ARTICLE_TITLE), **purge_url)
    restored = get(varnish, ARTICLE_URL).text
    assert ARTICLE_TITLE in restored
    assert edited not in restored


# The whole chain of docker-compose.yml: nginx (deploy/nginx/default.conf) -> Varnish -> web.


@pytest.fixture(scope="module")
def nginx_in_front(varnish, tmp_path_factory):
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx-light)")
    server = Nginx(varnish, tmp_path_factory.mktemp("nginx-media")).start()
    yield server.port
    server.stop()


def test_pages_through_nginx_come_from_varnish(nginx_in_front):
    get(nginx_in_front, ARTICLE_URL)
    response = get(nginx_in_front, ARTICLE_URL)
    assert response.status == 200
    assert ARTICLE_TITLE in response.text
    assert response.header("X-Front-Cache") == "hit"


def test_nobody_outside_can_purge_through_nginx(nginx_in_front):
    get(nginx_in_front, ARTICLE_URL)
    refused = Client(nginx_in_front).request("PURGE", ARTICLE_URL)
    assert refused.status == 405
    assert get(nginx_in_front, ARTICLE_URL).header("X-Front-Cache") == "hit"


def test_nginx_sends_pages_compressed_to_browsers_that_accept_it(nginx_in_front):
    plain = get(nginx_in_front, ARTICLE_URL)
    assert plain.header("Content-Encoding") is None
    gzipped = get(nginx_in_front, ARTICLE_URL, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert gzipped.header("Content-Encoding") == "gzip"
    assert gzip.decompress(gzipped.body) == plain.body
    assert len(gzipped.body) < len(plain.body) / 2
    # Varnish's purge key stays inside Varnish.
    assert gzipped.header("X-Url") is None
