"""The site snapshot (enfuse/caching/snapshot.py): what routing, menus, breadcrumbs and the studio
details need is read once per content version, and a change is seen on the very next request.

The page cache is off here (as in the test settings), so these requests are rendered: what
could go stale is the snapshot and what is kept per content version, never the page.
"""

import datetime
import pickle
from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction, Site
from wagtail.models.sites import get_site_for_hostname

from articles.models import ArticlePage, CategoryPage
from enfuse.caching import snapshot, version
from studio.models import AboutPage, HomePage, StudioSettings
from tests.support import ARTICLE_URL, add_article, html


def test_routing_and_furniture_take_no_query_once_read(demo_site, client):
    html(client, "/about/")
    with CaptureQueriesContext(connection) as queries:
        html(client, "/about/")
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    # No site, page tree, privacy or settings lookups: only the about page's own team.
    for table in ("wagtailcore_site", "wagtailcore_pageviewrestriction", "studio_studiosettings"):
        assert f'"{table}"' not in tables, table
    assert '"wagtailcore_page"' not in tables


@pytest.mark.parametrize("types_per_query", [1, 4, 100])
def test_kept_pages_are_read_in_a_few_queries_as_wagtail_reads_them(
    demo_site, monkeypatch, types_per_query
):
    monkeypatch.setattr(snapshot, "KEPT_TYPES_PER_QUERY", types_per_query)
    snapshot._kept_page_types()  # content types, cached once per process
    with CaptureQueriesContext(connection) as queries:
        pages = snapshot.SiteSnapshot("under-test").pages
    kept_types = len(snapshot._kept_page_types()[0])
    assert len(queries) == -(-kept_types // types_per_query) + 1  # and the images
    wagtails = Page.objects.not_type(ArticlePage).order_by("path").specific()
    assert list(pages) == [page.path for page in wagtails]
    for page in wagtails:
        kept = pages[page.path]
        assert type(kept) is type(page)
        for field in type(page)._meta.concrete_fields:
            assert getattr(kept, field.attname) == getattr(page, field.attname), field.name
        assert not kept._state.fields_cache.get("page_ptr")  # no link to generic copies
    home = next(page for page in pages.values() if isinstance(page, HomePage))
    with CaptureQueriesContext(connection) as queries:
        assert home.hero_image.title  # read with the pages
    assert not queries


def test_edited_studio_details_show_on_the_next_request(demo_site, client):
    assert "(860) 253-9111" in html(client, ARTICLE_URL)
    studio = StudioSettings.objects.get()
    studio.phone = "(860) 555-0100"
    studio.save()
    page = html(client, ARTICLE_URL)
    assert "(860) 555-0100" in page
    assert "(860) 253-9111" not in page


def test_a_new_menu_page_and_a_renamed_one_show_on_the_next_request(demo_site, client):
    assert ">About<" in html(client, "/")
    about = AboutPage.objects.get()
    about.title = "Our story"
    about.save_revision().publish()
    page = html(client, "/")
    assert ">Our story<" in page and ">About<" not in page


def test_an_unpublished_page_is_gone_on_the_next_request(demo_site, client):
    assert client.get("/about/").status_code == 200
    AboutPage.objects.get().unpublish()
    assert client.get("/about/").status_code == 404
    assert "/about/" not in html(client, "/")  # nor in the menu


def test_a_renamed_category_moves_its_articles_at_once(demo_site, client):
    html(client, ARTICLE_URL)
    category = CategoryPage.objects.get(slug="health-wellness")
    category.slug = "wellbeing"
    category.save_revision().publish()
    assert client.get(ARTICLE_URL).status_code == 404
    moved = ARTICLE_URL.replace("/health-wellness/", "/wellbeing/")
    page = html(client, moved)
    assert 'href="/institute-for-learning/wellbeing/"' in page  # the breadcrumbs


def test_a_page_made_private_is_private_on_the_next_request(demo_site, client):
    html(client, ARTICLE_URL)
    PageViewRestriction.objects.create(
        page=Page.objects.get(pk=demo_site["index"].pk),
        restriction_type=PageViewRestriction.PASSWORD,
        password="members-only",
    )
    response = client.get(ARTICLE_URL)
    assert "password" in response.content.decode().lower()
    assert 'class="article-body"' not in response.content.decode()
    # And it leaves the listings that are public.
    assert demo_site["article"].title not in html(client, "/")


def test_an_edited_article_body_shows_on_the_next_request(demo_site, client):
    assert "A brand new closing paragraph." not in html(client, ARTICLE_URL)
    article = ArticlePage.objects.get(pk=demo_site["article"].pk)
    article.body.append(("paragraph", "<p>A brand new closing paragraph.</p>"))
    article.save_revision().publish()
    assert "A brand new closing paragraph." in html(client, ARTICLE_URL)


def test_without_a_version_nothing_is_kept(demo_site, client):
    html(client, ARTICLE_URL)
    with mock.patch("enfuse.caching.version.read", side_effect=DatabaseError("down")):
        first = snapshot.current()
        second = snapshot.current()
        assert first is not second  # nothing kept without a version to check it against
    studio = StudioSettings.objects.get()
    studio.phone = "(860) 555-0199"
    studio.save()
    assert "(860) 555-0199" in html(client, ARTICLE_URL)


@pytest.mark.django_db(transaction=True)
def test_nothing_read_inside_a_transaction_that_may_roll_back_is_kept(client):
    from django.db import transaction

    from enfuse.caching.version import bump

    bump()
    with transaction.atomic():
        kept_inside = snapshot.current()
        assert kept_inside is not snapshot.current()
    outside = snapshot.current()
    assert outside is snapshot.current()


def test_a_previewed_draft_never_reaches_visitors(demo_site, client):
    html(client, ARTICLE_URL)
    article = ArticlePage.objects.get(pk=demo_site["article"].pk)
    article.body.append(("paragraph", "<p>Draft words not yet published.</p>"))
    revision = article.save_revision()  # a draft: not published
    draft = revision.as_object()
    preview = draft.make_preview_request(preview_mode="")
    assert "Draft words not yet published." in preview.content.decode()
    assert "Draft words not yet published." not in html(client, ARTICLE_URL)


# Shared between processes (a gunicorn worker, the editor's process)


def snapshot_queries(client, url):
    """The queries a view makes for the site snapshot (its pages, sites, privacy, settings)."""
    with CaptureQueriesContext(connection) as queries:
        html(client, url)
    snapshot_tables = (
        "wagtailcore_site",
        "wagtailcore_pageviewrestriction",
        "studio_studiosettings",
        "studio_openinghours",
    )
    return [
        query["sql"]
        for query in queries.captured_queries
        if any(f'"{table}"' in query["sql"] for table in snapshot_tables)
    ]


def publish_renamed(page, title):
    page = page.get_latest_revision_as_object()
    page.title = title
    page.save_revision().publish()


def test_a_change_builds_and_shares_the_new_snapshot_once_committed(
    demo_site, client, django_capture_on_commit_callbacks
):
    html(client, "/about/")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        publish_renamed(AboutPage.objects.get(), "Our story")
    assert snapshot.warm in callbacks  # once, however many saves the publish made
    assert callbacks.count(snapshot.warm) == 1
    # Another process: nothing in its memory, the snapshot from the shared store.
    snapshot.forget_process_memory()
    assert snapshot_queries(client, "/about/") == []
    assert ">Our story<" in html(client, ARTICLE_URL)


def test_the_first_process_to_build_a_snapshot_shares_it(demo_site, client):
    html(client, "/")  # built here, piece by piece, and shared once the response is made
    snapshot.forget_process_memory()
    assert snapshot_queries(client, "/about/") == []


def test_a_shared_snapshot_of_an_older_site_token_is_never_used(demo_site, client):
    html(client, "/")
    publish_renamed(AboutPage.objects.get(), "Our story")  # no commit hook: nothing warmed
    snapshot.forget_process_memory()
    page = html(client, "/")
    assert ">Our story<" in page and ">About<" not in page


def test_without_the_shared_store_each_process_builds_its_own(demo_site, client):
    down = mock.Mock()
    down.get.side_effect = down.set.side_effect = ConnectionError("the cache server is down")
    with mock.patch("enfuse.caching.snapshot.page_cache", return_value=down):
        first = html(client, "/about/")
        snapshot.forget_process_memory()
        assert html(client, "/about/") == first
        assert snapshot_queries(client, "/about/") == []  # kept in this process all the same
    assert down.get.called and down.set.called


def test_something_else_under_the_snapshot_key_is_ignored(demo_site, client):
    html(client, "/")
    token = snapshot.current().version
    snapshot.page_cache().set(snapshot.shared_key(token), "not a snapshot")
    snapshot.forget_process_memory()
    assert ">About<" in html(client, "/")
    assert snapshot.current().shared_parts  # built here, then shared again


def test_a_shared_snapshot_holds_no_password(demo_site, client):
    PageViewRestriction.objects.create(
        page=AboutPage.objects.get(),
        restriction_type=PageViewRestriction.PASSWORD,
        password="s3cret-pass",
    )
    html(client, "/")
    parts = snapshot.page_cache().get(snapshot.shared_key(snapshot.current().version))
    assert parts["restrictions"]
    assert all("password" not in restriction.__dict__ for restriction in parts["restrictions"])
    assert "s3cret-pass" not in repr(pickle.dumps(parts))
    # The private page stays private in a process that read the shared snapshot.
    snapshot.forget_process_memory()
    assert "s3cret-pass" not in client.get("/about/").content.decode()
    assert client.get("/about/").status_code == 200  # the password form
    assert "password" in client.get("/about/").content.decode().lower()


@pytest.mark.parametrize(
    "sites",
    [
        [("localhost", 80, True)],
        [("localhost", 80, True), ("enfuse.example", 80, False)],
        [("localhost", 80, True), ("enfuse.example", 80, False), ("enfuse.example", 8080, False)],
        [("enfuse.example", 443, True), ("enfuse.example", 80, False)],
        [("enfuse.example", 80, False), ("other.example", 80, False)],
    ],
)
def test_sites_are_matched_as_wagtail_matches_them(demo_site, sites):
    home = demo_site["home"]
    Site.objects.all().delete()
    for hostname, port, default in sites:
        Site.objects.create(hostname=hostname, port=port, is_default_site=default, root_page=home)
    kept = snapshot.SiteSnapshot("under-test")
    for hostname in ("localhost", "enfuse.example", "other.example", "unknown.example"):
        for port in ("80", "443", "8080"):
            try:
                expected = get_site_for_hostname(hostname, port).pk
            except Site.DoesNotExist:
                expected = None
            found = kept.site_for(hostname, port)
            assert (found.pk if found else None) == expected, (hostname, port)


def test_an_article_made_private_leaves_the_related_cards_at_once(demo_site, client):
    category = demo_site["category"]
    shown = add_article(category, "Stretching after a desk day")
    assert "Stretching after a desk day" in html(client, ARTICLE_URL)
    PageViewRestriction.objects.create(
        page=shown, restriction_type=PageViewRestriction.PASSWORD, password="s3cret-pass"
    )
    assert "Stretching after a desk day" not in html(client, ARTICLE_URL)
    PageViewRestriction.objects.filter(page=shown).delete()
    assert "Stretching after a desk day" in html(client, ARTICLE_URL)


def furniture_digest():
    """The furniture digest of the default site, as a process would work it out now."""
    snapshot.forget_process_memory()
    current = snapshot.current()
    return current.furniture_digest(next(site for site in current.sites if site.is_default_site))


def test_every_row_the_furniture_is_made_from_moves_its_digest(demo_site):
    from studio.models import SocialLink

    studio = StudioSettings.objects.get()
    changes = {
        "a setting": lambda: StudioSettings.objects.filter(pk=studio.pk).update(phone="1"),
        "an opening hour": lambda: studio.opening_hours.filter(
            pk=studio.opening_hours.order_by("pk").first().pk
        ).update(closes=datetime.time(21, 45)),
        "a social link": lambda: SocialLink.objects.create(
            studio=studio, network="Example", url="https://example.com/enfuse"
        ),
        "a menu page": lambda: publish_renamed(AboutPage.objects.get(), "Our story"),
        "the home page": lambda: publish_renamed(demo_site["home"].specific, "EnFuse"),
        "a private menu page": lambda: PageViewRestriction.objects.create(
            page=AboutPage.objects.get(), restriction_type="password", password="x"
        ),
    }
    for name, change in changes.items():
        before = furniture_digest()
        change()
        version.bump()  # as the change's signals do (an update() sends none)
        assert furniture_digest() != before, name


def test_a_snapshot_a_view_built_has_the_digest_of_one_built_after_a_change(demo_site, client):
    snapshot.forget_process_memory()
    html(client, ARTICLE_URL)  # the view builds the snapshot piece by piece, and uses it
    by_the_view = snapshot.current()
    site = next(site for site in by_the_view.sites if site.is_default_site)
    built = snapshot.SiteSnapshot(by_the_view.version)
    built.build()  # as warm() builds it once a change commits
    assert by_the_view.furniture_digest(site) == built.furniture_digest(site)


def test_a_page_further_down_leaves_the_furniture_digest(demo_site):
    before = furniture_digest()
    publish_renamed(demo_site["pilates"].specific, "Pilates, revised")
    publish_renamed(demo_site["category"].specific, "Health and Wellness")
    assert furniture_digest() == before
