"""The content version lives in the database (enfuse/caching/version.py, changes.py): it moves in
the same transaction as a change visitors can see, never for drafts, and a cache server that
times out during a change can never make a visitor see the old page once it answers again.
"""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from articles.models import ArticlePage
from enfuse.caching import changes, snapshot, version
from enfuse.caching.models import ContentVersion
from studio.models import AboutPage, ContactSubmission, ServicePage, StudioSettings
from tests.support import ARTICLE_URL

ARTICLE_WORDS = "supportive pair of sneakers"


def token():
    return ContentVersion.objects.get(pk=1).token


def site_token():
    return ContentVersion.objects.get(pk=1).site_token


@pytest.fixture
def cached_site(demo_site, settings):
    settings.PAGE_CACHE_SECONDS = 3600
    return demo_site


class TimingOutCache:
    """The page cache's server not answering: every call times out (as ResilientRedisCache
    would report, or raise if it did not catch it)."""

    def __getattr__(self, name):
        def timed_out(*args, **kwargs):
            raise TimeoutError("Timeout reading from socket")

        return timed_out


def while_the_cache_times_out(change):
    with mock.patch("enfuse.caching.page_cache.page_cache", return_value=TimingOutCache()):
        change()


def article():
    return ArticlePage.objects.get(url_path__endswith="lower-back-and-joints/")


def test_a_restriction_added_while_the_cache_times_out_is_enforced_once_it_answers(
    cached_site, client
):
    assert ARTICLE_WORDS in client.get(ARTICLE_URL).content.decode()
    assert client.get(ARTICLE_URL)["X-Page-Cache"] == "hit"

    while_the_cache_times_out(
        lambda: PageViewRestriction.objects.create(
            page=article(), restriction_type=PageViewRestriction.PASSWORD, password="s3cret-pass"
        )
    )
    # The cache answers again, still holding the public page: six views, none shows it.
    for _ in range(6):
        response = client.get(ARTICLE_URL)
        assert ARTICLE_WORDS not in response.content.decode()
        assert response.get("X-Page-Cache") != "hit"


def test_an_unpublish_while_the_cache_times_out_is_seen_once_it_answers(cached_site, client):
    client.get(ARTICLE_URL)
    while_the_cache_times_out(lambda: article().unpublish())
    assert client.get(ARTICLE_URL).status_code == 404
    assert ARTICLE_WORDS not in client.get("/institute-for-learning/").content.decode()


def test_a_settings_change_while_the_cache_times_out_is_seen_once_it_answers(cached_site, client):
    client.get("/")

    def change():
        studio = StudioSettings.objects.get()
        studio.phone = "(860) 555-0142"
        studio.save()

    while_the_cache_times_out(change)
    assert "(860) 555-0142" in client.get("/").content.decode()


def test_another_process_sees_the_change_through_the_database(demo_site):
    """Process memory (the site snapshot) is checked against the database on every request."""
    before = snapshot.current()
    assert before.version == site_token()
    with transaction.atomic():
        page = ServicePage.objects.get(slug="pilates")
        page.title = "Pilates, revised"
        page.save_revision().publish()
    after = snapshot.current()
    assert after.version == site_token() != before.version
    assert after.page(page.path).title == "Pilates, revised"


def test_an_article_publish_moves_the_content_token_alone(demo_site):
    """No page of the site snapshot (nor the furniture made from it) shows an article: the
    snapshot is kept; anything made from articles is kept under the content token, which
    moves."""
    before_content, before_site = token(), site_token()
    kept = snapshot.current()
    with transaction.atomic():
        page = article()
        page.title = "Walking, revised"
        page.save_revision().publish()
    assert token() != before_content
    assert site_token() == before_site
    assert snapshot.current() is kept
    article().unpublish()
    assert site_token() == before_site


def test_a_change_of_unknown_reach_moves_both_tokens(demo_site):
    before_content, before_site = token(), site_token()
    with transaction.atomic():
        version.bump(site=False)
        version.bump()  # a later change in the same transaction reaches further
    assert token() != before_content and site_token() != before_site
    before_content, before_site = token(), site_token()
    with transaction.atomic():
        version.bump()
        version.bump(site=False)
    assert token() != before_content and site_token() != before_site


def test_drafts_and_autosaves_do_not_move_the_version(demo_site, admin_user):
    before = token()
    about = AboutPage.objects.get()
    about.title = "About us (draft)"
    about.save_revision(user=admin_user)  # what each autosave does
    about.save_revision(user=admin_user)
    # A new page's first autosave creates it, as a draft.
    services = Page.objects.get(url_path__endswith="/services/")
    services.add_child(instance=ServicePage(title="Boxing", slug="boxing", live=False))
    about.locked = True
    about.locked_by = admin_user
    about.save(update_fields=["locked", "locked_by"])
    ContactSubmission.objects.create(
        name="Pat Doe", email="pat@example.com", message="Hello there, a question."
    )
    assert token() == before


def test_publish_unpublish_and_privacy_each_move_the_version(demo_site):
    seen = {token()}
    page = article()
    page.title = "Walking, revised"
    page.save_revision().publish()
    seen.add(token())
    PageViewRestriction.objects.create(
        page=page, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-pass"
    )
    seen.add(token())
    article().unpublish()
    seen.add(token())
    assert len(seen) == 4


def test_a_publish_moves_the_version_once_in_its_own_transaction(demo_site):
    page = article()
    page.title = "Walking, revised"
    revision = page.save_revision()
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        revision.publish()
    updates = [q for q in queries if q["sql"].startswith('UPDATE "caching_contentversion"')]
    assert len(updates) == 1


def test_a_rolled_back_change_leaves_the_version_as_it_was(demo_site):
    before = token()
    with pytest.raises(RuntimeError), transaction.atomic():
        page = article()
        page.title = "Never published"
        page.save_revision().publish()
        raise RuntimeError("the editor's request failed")
    assert token() == before
    # ...and the next transaction moves it again (the marks went with the rollback).
    with transaction.atomic():
        page = article()
        page.save_revision().publish()
    assert token() != before


def test_no_handler_runs_during_migrations_or_raw_loads(demo_site):
    before = token()
    changes.migration_started()
    try:
        studio = StudioSettings.objects.get()
        studio.phone = "(860) 555-0100"
        studio.save()
    finally:
        changes.migration_finished()
    assert token() == before
    changes.saved(StudioSettings, studio, raw=True)
    assert token() == before


def test_the_cache_holds_no_version(demo_site, client):
    """Nothing in the cache server says what is current: emptying it changes nothing."""
    client.get(ARTICLE_URL)
    before = token()
    cache.clear()
    assert version.read().content == before


@pytest.mark.django_db(transaction=True)
def test_the_version_read_stands_in_for_the_connection_health_check(monkeypatch):
    """The request's first query is the version read: it replaces Django's `SELECT 1` health
    check, and a kept connection that died meanwhile is replaced, not a failed request."""
    import psycopg
    from django.db import connections

    from enfuse.caching import version

    connection = connections["default"]  # the wrapper itself, not the proxy (for monkeypatch)
    if connection.vendor != "postgresql":
        pytest.skip("a server-side disconnect needs PostgreSQL")
    version.read()
    pid = connection.connection.info.backend_pid
    settings_dict = connection.settings_dict
    with psycopg.connect(
        host=settings_dict["HOST"] or "127.0.0.1",
        port=settings_dict["PORT"] or 5432,
        user=settings_dict["USER"],
        dbname=settings_dict["NAME"],
        autocommit=True,
    ) as other:
        other.execute("SELECT pg_terminate_backend(%s)", [pid])
    monkeypatch.setattr(connection, "health_check_enabled", True)
    monkeypatch.setattr(connection, "health_check_done", False)
    checks = []
    monkeypatch.setattr(connection, "is_usable", lambda: checks.append(1) or True)

    assert version.read() is not None
    assert connection.connection.info.backend_pid != pid
    assert checks == []  # no separate health-check round trip


def media_token():
    return ContentVersion.objects.get(pk=1).media_token


def test_only_images_and_documents_move_the_media_token(demo_site):
    before = media_token()
    with transaction.atomic():
        page = ServicePage.objects.get(slug="pilates")
        page.title = "Pilates, revised"
        page.save_revision().publish()
    StudioSettings.objects.get().save()
    assert media_token() == before
    image = demo_site["article"].hero_image
    image.focal_point_x = 1
    image.save()
    assert media_token() != before
