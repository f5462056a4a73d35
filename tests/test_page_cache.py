"""The whole-page cache (enfuse/caching/page_cache.py): hit for anonymous views, bypassed where it
must be, never stale, and a hit says its age."""

import contextlib
import datetime
import re
import time
from unittest import mock

import pytest
from django.core.cache import cache
from django.db import OperationalError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from articles.models import ArticlePage
from studio.models import StudioSettings, TeamMember
from tests.support import ARTICLE_URL


@pytest.fixture
def cached_site(demo_site, settings):
    settings.PAGE_CACHE_SECONDS = 3600
    cache.clear()
    return demo_site


@contextlib.contextmanager
def open_now_status_changes_at(moment):
    """The "open now" status changes at ``moment``, and nothing else on the page sooner: the home
    page's next class (kept until it starts, or until midnight) would otherwise cut the lifetime
    whenever the test runs in the ten minutes before midnight or a demo class."""
    later = moment + datetime.timedelta(hours=1)
    with (
        mock.patch(
            "studio.hours.OpeningStatus.valid_until",
            new_callable=mock.PropertyMock,
            return_value=moment,
        ),
        mock.patch("studio.timetable.recurrence.valid_until", return_value=later),
    ):
        yield


def get(client, url, **extra):
    response = client.get(url, **extra)
    return response, response.get("X-Page-Cache")


def test_second_anonymous_view_is_a_hit_reading_only_the_content_version(cached_site, client):
    first, state = get(client, ARTICLE_URL)
    assert state == "miss"
    with CaptureQueriesContext(connection) as queries:
        second, state = get(client, ARTICLE_URL)
    assert state == "hit"
    assert [query["sql"] for query in queries] == [
        query["sql"] for query in queries if "caching_contentversion" in query["sql"]
    ]
    assert len(queries) == 1
    assert second.content == first.content
    assert client.head(ARTICLE_URL)["X-Page-Cache"] == "hit"


def test_cached_pages_say_so_to_cdns_and_browsers(cached_site, client):
    response, _ = get(client, ARTICLE_URL)
    control = response["Cache-Control"]
    assert "public" in control and "max-age=0" in control
    assert int(re.search(r"s-maxage=(\d+)", control).group(1)) > 0


def test_a_published_edit_shows_on_the_next_request(cached_site, client):
    get(client, ARTICLE_URL)
    article = ArticlePage.objects.get(pk=cached_site["article"].pk)
    article.title = "Walking, revised"
    article.save_revision().publish()
    response, state = get(client, ARTICLE_URL)
    assert state == "miss"
    assert "Walking, revised" in response.content.decode()
    # ... and on every other page that lists it.
    assert "Walking, revised" in client.get("/institute-for-learning/").content.decode()


def test_unpublishing_removes_the_page_at_once(cached_site, client):
    get(client, ARTICLE_URL)
    cached_site["article"].unpublish()
    assert client.get(ARTICLE_URL).status_code == 404


def test_a_settings_change_shows_everywhere_at_once(cached_site, client):
    for url in ("/", ARTICLE_URL):
        get(client, url)
    studio = StudioSettings.objects.get()
    studio.phone = "(860) 555-0199"
    studio.save()
    for url in ("/", ARTICLE_URL):
        response, state = get(client, url)
        assert state == "miss"
        assert "(860) 555-0199" in response.content.decode()


def test_a_snippet_change_invalidates(cached_site, client):
    get(client, ARTICLE_URL)
    team = TeamMember.objects.get(name="Team EnFuse")
    team.name = "The EnFuse Team"
    team.save()
    assert "By The EnFuse Team" in client.get(ARTICLE_URL).content.decode()


def test_logged_in_users_are_never_served_from_or_into_the_cache(cached_site, admin_client):
    response, state = get(admin_client, ARTICLE_URL)
    assert state is None
    assert "private" in response["Cache-Control"]
    response, state = get(admin_client, ARTICLE_URL)
    assert state is None


@pytest.mark.parametrize(
    "url", ["/search/?q=walking", ARTICLE_URL + "?q1=1", "/no-such-page/", "/healthz"]
)
def test_never_cached(cached_site, client, url):
    client.get(url)
    assert client.get(url).get("X-Page-Cache") is None


def test_listing_pages_are_cached_per_page_and_tag(cached_site, client):
    assert get(client, "/institute-for-learning/?tag=walking")[1] == "miss"
    assert get(client, "/institute-for-learning/?tag=walking")[1] == "hit"
    assert get(client, "/institute-for-learning/?tag=posture")[1] == "miss"


def test_post_is_not_cached(cached_site, client):
    get(client, ARTICLE_URL)
    response = client.post(ARTICLE_URL)
    assert response.get("X-Page-Cache") is None


def test_pages_are_kept_no_longer_than_the_open_now_status_holds(cached_site, client):
    soon = timezone.now() + datetime.timedelta(minutes=10)
    with open_now_status_changes_at(soon):
        response, _ = get(client, "/")
    seconds = int(re.search(r"s-maxage=(\d+)", response["Cache-Control"]).group(1))
    # Ten minutes, less the time the request took.
    assert 480 <= seconds <= 600


def test_the_site_keeps_serving_when_the_cache_fails(cached_site, client):
    with mock.patch("enfuse.caching.page_cache.page_cache") as broken:
        broken.return_value.get.side_effect = ConnectionError("cache down")
        broken.return_value.get_many.side_effect = ConnectionError("cache down")
        broken.return_value.set.side_effect = ConnectionError("cache down")
        broken.return_value.add.side_effect = ConnectionError("cache down")
        response = client.get(ARTICLE_URL)
    assert response.status_code == 200


def test_a_hit_says_its_age_so_no_front_cache_outlives_the_window(cached_site, client):
    soon = timezone.now() + datetime.timedelta(minutes=10)
    with open_now_status_changes_at(soon):
        first, _ = get(client, "/")
    assert "Age" not in first
    lifetime = int(re.search(r"s-maxage=(\d+)", first["Cache-Control"]).group(1))
    stored = time.time()
    with mock.patch("enfuse.caching.page_cache.time.time", return_value=stored + 300):
        response, state = get(client, "/")
    assert state == "hit"
    # A cache downstream keeps it for s-maxage minus Age: what is left of the ten minutes.
    assert 299 <= int(response["Age"]) <= 301
    assert lifetime - int(response["Age"]) <= 300
    with mock.patch("enfuse.caching.page_cache.time.time", return_value=stored + lifetime + 1):
        assert get(client, "/")[1] == "miss"


def test_the_database_decides_not_the_cache_server(cached_site):
    """While the version cannot be read, nothing is served from the cache: the 503 page is."""
    client = Client(raise_request_exception=False)
    get(client, ARTICLE_URL)
    with mock.patch("enfuse.caching.version.read", side_effect=OperationalError("down")):
        response, state = get(client, ARTICLE_URL)
    assert state is None
    assert response.status_code == 503
    assert b"Walking to Improve" not in response.content
