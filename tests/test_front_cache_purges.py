"""Front-cache purges are an outbox (enfuse/caching/purges.py): queued in the change's
transaction, bounded whatever the size of the site, sent by the worker to a front cache that
logs what it is told, and retried until it accepts them.
"""

import datetime
import http.server
import threading
from unittest import mock

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone
from wagtail.models import Page, PageViewRestriction

from articles.demo import add_articles_in_bulk
from articles.models import ArticlePage, CategoryPage
from enfuse.caching import purges
from enfuse.caching.models import FrontCachePurge
from studio.models import AboutPage, StudioSettings, TeamMember
from tests.support import ARTICLE_URL, free_port

CATEGORY_URL = "/institute-for-learning/health-wellness/"
PAGE_PURGES = {
    ("PURGE", ARTICLE_URL),
    ("PURGE", CATEGORY_URL),
    ("PURGE", "/institute-for-learning/"),
    ("PURGE", "/"),
    ("PURGE", "/sitemap.xml"),
}


class FrontCache:
    """A front cache on loopback that logs each PURGE and BAN it accepts (or is down)."""

    def __init__(self):
        self.port = free_port()
        self.received = []
        self.server = None

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def start(self):
        received = self.received

        class Handler(http.server.BaseHTTPRequestHandler):
            def accept(self):
                received.append((self.command, self.path))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_PURGE = do_BAN = accept

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def front_cache(settings):
    cache = FrontCache()
    settings.FRONTEND_CACHE_PURGE_URL = cache.url
    cache.start()
    yield cache
    cache.stop()


@pytest.fixture
def site(demo_site, front_cache):
    FrontCachePurge.objects.all().delete()  # what building the demo site queued
    return demo_site


def queued():
    return set(FrontCachePurge.objects.filter(sent_at=None).values_list("method", "path"))


def article():
    return ArticlePage.objects.get(url_path__endswith="lower-back-and-joints/")


def publish(page, **changes):
    for name, value in changes.items():
        setattr(page, name, value)
    with transaction.atomic():
        page.save_revision().publish()


def test_a_publish_purges_the_page_its_listings_their_feeds_home_and_sitemap(site, front_cache):
    publish(article(), title="Walking, revised")
    assert queued() == PAGE_PURGES
    assert FrontCachePurge.objects.count() == len(PAGE_PURGES)  # each once
    purges.send_due()
    # The category's and index's purges drop their feed/ and ?page=/?tag= variants (the VCL).
    assert set(front_cache.received) == PAGE_PURGES
    assert not queued()


@pytest.mark.parametrize("articles", [10, 1000])
def test_a_publish_sends_the_same_few_purges_whatever_the_size_of_the_site(site, articles):
    category = CategoryPage.objects.get(slug="health-wellness")
    add_articles_in_bulk(
        category,
        [
            ArticlePage(
                title=f"Sample {number}", slug=f"sample-{number}", summary="A sample.", live=True
            )
            for number in range(articles)
        ],
    )
    FrontCachePurge.objects.all().delete()
    publish(article(), title="Walking, revised")
    assert queued() == PAGE_PURGES
    assert len(PAGE_PURGES) <= purges.MAX_PURGES_PER_CHANGE


def test_a_change_shown_on_every_page_is_one_ban_of_the_site(site, front_cache):
    with transaction.atomic():
        studio = StudioSettings.objects.get()
        studio.phone = "(860) 555-0100"
        studio.save()
        for member in TeamMember.objects.all():
            member.save()
    assert list(FrontCachePurge.objects.values_list("method", "path")) == [("BAN", "/")]
    purges.send_due()
    assert front_cache.received == [("BAN", "/")]


def test_a_page_made_private_is_purged_with_everything_under_it(site):
    PageViewRestriction.objects.create(
        page=article(), restriction_type=PageViewRestriction.PASSWORD, password="s3cret-pass"
    )
    assert ("BAN", ARTICLE_URL) in queued()
    assert ("PURGE", CATEGORY_URL) in queued()


def test_an_unpublished_page_is_purged(site):
    article().unpublish()
    assert ("BAN", ARTICLE_URL) in queued()
    assert ("PURGE", CATEGORY_URL) in queued()


def test_a_move_purges_the_old_and_the_new_address(site):
    page = article()
    other = CategoryPage(title="Nutrition", slug="nutrition")
    Page.objects.get(url_path__endswith="/institute-for-learning/").add_child(instance=other)
    FrontCachePurge.objects.all().delete()
    page.move(other, pos="last-child")
    new_url = "/institute-for-learning/nutrition/" + ARTICLE_URL.split("/")[-2] + "/"
    assert {("BAN", ARTICLE_URL), ("PURGE", CATEGORY_URL), ("PURGE", new_url)} <= queued()
    assert ("PURGE", "/institute-for-learning/nutrition/") in queued()


def test_a_new_slug_purges_the_old_address(site):
    publish(article(), slug="walking-for-your-back")
    assert ("BAN", ARTICLE_URL) in queued()
    assert ("PURGE", CATEGORY_URL + "walking-for-your-back/") in queued()


def test_drafts_queue_nothing(site, admin_user):
    about = AboutPage.objects.get()
    about.title = "About us (draft)"
    for _ in range(5):  # an editor typing: an autosave every half second
        about.save_revision(user=admin_user)
    assert FrontCachePurge.objects.count() == 0


def test_a_rolled_back_change_queues_nothing(site):
    with pytest.raises(RuntimeError), transaction.atomic():
        publish(article(), title="Never published")
        raise RuntimeError("the editor's request failed")
    assert FrontCachePurge.objects.count() == 0


def test_purges_due_while_the_front_cache_is_down_arrive_once_it_is_back(site, front_cache):
    front_cache.stop()
    publish(article(), title="Walking, revised")
    assert purges.send_due() == (0, len(PAGE_PURGES))
    waiting = FrontCachePurge.objects.filter(sent_at=None)
    assert {row.attempts for row in waiting} == {1}
    assert all(row.last_error for row in waiting)
    assert purges.send_due() == (0, 0)  # not due again yet: retried after 5 s

    front_cache.start()
    later = timezone.now() + datetime.timedelta(seconds=6)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("send_front_cache_purges", verbosity=0)
    assert set(front_cache.received) == PAGE_PURGES
    assert not queued()


def test_retries_back_off_to_every_five_minutes(site):
    assert [purges.retry_delay(n).total_seconds() for n in range(1, 7)] == [
        5,
        15,
        60,
        300,
        300,
        300,
    ]


def test_pending_duplicates_are_sent_once(site, front_cache):
    for _ in range(3):  # three separate transactions, before the worker comes round
        publish(article(), title="Walking, revised")
    assert FrontCachePurge.objects.count() == 3 * len(PAGE_PURGES)
    purges.send_due()
    assert sorted(front_cache.received) == sorted(PAGE_PURGES)


def test_nothing_is_queued_without_a_front_cache(demo_site, settings):
    settings.FRONTEND_CACHE_PURGE_URL = ""
    FrontCachePurge.objects.all().delete()
    publish(article(), title="Walking, revised")
    assert FrontCachePurge.objects.count() == 0
