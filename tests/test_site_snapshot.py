"""The site snapshot (enfuse/caching/snapshot.py): what routing, menus, breadcrumbs and the studio
details need is read once per content version, and a change is seen on the very next request.

The page cache is off here (as in the test settings), so these requests are rendered: what
could go stale is the snapshot and what is kept per content version, never the page.
"""

from unittest import mock

import pytest
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from articles.models import ArticlePage, CategoryPage
from enfuse.caching import snapshot
from studio.models import AboutPage, HomePage, StudioSettings
from tests.support import ARTICLE_URL, html


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
