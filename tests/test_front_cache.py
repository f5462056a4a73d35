"""The front cache (Varnish/CDN) is told to drop exactly what a change affects."""

from unittest import mock
from urllib.parse import urlsplit

import pytest

from articles.models import ArticlePage
from studio.models import StudioSettings
from tests.support import ARTICLE_URL

FRONT_CACHE = {
    "proxy": {
        "BACKEND": "wagtail.contrib.frontend_cache.backends.HTTPBackend",
        "LOCATION": "http://front-cache.test",
    }
}


@pytest.fixture
def purged(demo_site, settings):
    """The paths PURGE requests were sent for (no request leaves the machine)."""
    settings.WAGTAILFRONTENDCACHE = FRONT_CACHE
    paths = []
    with mock.patch("wagtail.contrib.frontend_cache.backends.http.urlopen") as urlopen:
        urlopen.side_effect = lambda request: paths.append(
            (request.get_method(), urlsplit(request.full_url).path)
        )
        yield paths


def test_publishing_an_article_purges_it_and_the_pages_that_list_it(purged):
    article = ArticlePage.objects.get(url_path__endswith="lower-back-and-joints/")
    article.title = "Walking, revised"
    article.save_revision().publish()
    assert {method for method, _ in purged} == {"PURGE"}
    assert {path for _, path in purged} == {
        ARTICLE_URL,
        "/institute-for-learning/health-wellness/",
        "/institute-for-learning/",
        "/",
    }


def test_unpublishing_purges_too(purged):
    ArticlePage.objects.get(url_path__endswith="lower-back-and-joints/").unpublish()
    assert ("PURGE", ARTICLE_URL) in purged


def test_a_studio_setting_change_purges_every_page(purged, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        studio = StudioSettings.objects.get()
        studio.phone = "(860) 555-0100"
        studio.save()
    paths = {path for _, path in purged}
    assert {"/", ARTICLE_URL, "/services/pilates/", "/about/"} <= paths


def test_nothing_is_sent_without_a_front_cache(demo_site, settings):
    settings.WAGTAILFRONTENDCACHE = {}
    with mock.patch("wagtail.contrib.frontend_cache.backends.http.urlopen") as urlopen:
        ArticlePage.objects.get(
            url_path__endswith="lower-back-and-joints/"
        ).save_revision().publish()
    urlopen.assert_not_called()
