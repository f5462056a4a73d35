"""HTML kept per content version (the templates' {% keep %}, enfuse/caching/fragments.py)
and the image renditions each process keeps in memory (enfuse/caching/renditions.py).

The page cache is off here (as in the test settings): every request is rendered, so what could
go stale is only what is kept, and it never may be: a change is seen on the very next request.
"""

import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from articles.models import CategoryPage
from enfuse.caching import fragments, snapshot, version
from enfuse.caching import page_cache as page_cache_module
from enfuse.caching.page_cache import page_cache
from enfuse.caching.renditions import KeptRenditionsCache
from enfuse.caching.version import bump
from studio.models import FrequentlyAskedQuestion, ServicePage
from tests.support import ARTICLE_URL, add_article, html


def current_menu_item(page):
    return re.search(r'<a href="([^"]+)" aria-current="page">', page).group(1)


def test_a_kept_page_needs_only_the_content_version_on_its_next_view(demo_site, client):
    first = html(client, ARTICLE_URL)
    with CaptureQueriesContext(connection) as queries:
        second = html(client, ARTICLE_URL)
    assert len(queries) == 1
    assert "caching_contentversion" in queries[0]["sql"]
    assert second == first


def test_the_menu_marks_the_section_of_each_page(demo_site, client):
    # The header is kept once per menu section, not once for the whole site.
    assert current_menu_item(html(client, ARTICLE_URL)) == "/institute-for-learning/"
    assert current_menu_item(html(client, "/services/pilates/")) == "/services/"
    assert current_menu_item(html(client, "/")) == "/"
    assert current_menu_item(html(client, ARTICLE_URL)) == "/institute-for-learning/"


def test_a_mistyped_address_reuses_the_header_of_no_section(demo_site, client):
    client.get("/no-such-page/")
    client.get("/another-missing-page/")
    current = snapshot.current()
    headers = [key for key in current._kept if ":fragment:header" in str(key)]
    assert len(headers) == 1, headers


def test_a_new_article_shows_in_listings_and_related_cards_at_once(demo_site, client):
    category = CategoryPage.objects.get(slug="health-wellness")
    for url in ("/", "/institute-for-learning/", category.url, ARTICLE_URL):
        assert "Stretching after a desk day" not in html(client, url)
    add_article(category, "Stretching after a desk day")
    for url in ("/", "/institute-for-learning/", category.url, ARTICLE_URL):
        assert "Stretching after a desk day" in html(client, url), url


def test_a_first_view_reads_no_related_card_already_kept(demo_site, client):
    category = CategoryPage.objects.get(slug="health-wellness")
    articles = [add_article(category, f"Neighbour {number}") for number in range(5)]
    html(client, articles[0].url)  # keeps the category's latest and their cards
    with CaptureQueriesContext(connection) as queries:
        page = html(client, articles[1].url)  # its own HTML is not kept yet
    tables = " ".join(query["sql"] for query in queries.captured_queries)
    # The version and the article (with its tags, whether it is in a series or has chosen
    # related articles): no series, related articles, cards or renditions.
    assert len(queries) == 2, tables
    assert "wagtailimages_rendition" not in tables
    related = page[page.index('id="related-heading"') :]
    assert articles[4].url in related and articles[1].url not in related


class StoreCalls:
    """The page cache's store, recording what is asked of it (each call once, by name)."""

    def __init__(self, store):
        self.store, self.calls = store, []

    def __getattr__(self, name):
        method = getattr(self.store, name)

        def recorded(*args, **kwargs):
            self.calls.append(name)
            return method(*args, **kwargs)

        return recorded


def test_a_first_view_asks_the_shared_store_twice_and_writes_to_it_once(
    demo_site, client, monkeypatch
):
    category = CategoryPage.objects.get(slug="health-wellness")
    articles = [add_article(category, f"Neighbour {number}") for number in range(5)]
    first, second = articles[0].url, articles[1].url
    html(client, first)  # the furniture, the category's latest and their cards are kept
    store = StoreCalls(page_cache_module.page_cache())
    monkeypatch.setattr(page_cache_module, "page_cache", lambda: store)
    monkeypatch.setattr(fragments, "page_cache", lambda: store)
    html(client, second)
    # The article by its address; its kept fragments, all at once (KEPT_FRAGMENTS); then
    # everything the view made, written together once its response was made.
    assert store.calls == ["get", "get_many", "set_many"]
    store.calls.clear()
    html(client, second)
    assert store.calls == []  # all kept in this process's memory


def test_a_related_card_gone_from_memory_is_made_from_the_article(demo_site, rf):
    from articles.templatetags.articles_tags import KeptCard

    article = demo_site["article"]
    card = KeptCard(article.pk)
    assert card.pk == article.pk
    assert card.title == article.title  # read from the database when asked for
    assert card.category.pk == demo_site["category"].pk


def test_an_edited_service_and_question_show_on_the_next_request(demo_site, client):
    assert "Pilates" in html(client, "/services/pilates/")
    service = ServicePage.objects.get(slug="pilates")
    service.summary = "Reformer classes for every level."
    service.save_revision().publish()
    assert "Reformer classes for every level." in html(client, "/services/pilates/")

    question = FrequentlyAskedQuestion.objects.first()
    html(client, "/")
    question.question = "Can I bring a friend to my first class?"
    question.save()
    assert "Can I bring a friend to my first class?" in html(client, "/")


def test_each_page_of_a_listing_is_kept_apart(demo_site, make_articles, client):
    category = CategoryPage.objects.get(slug="health-wellness")
    articles = make_articles(category, 15)
    first = html(client, category.url)
    second = html(client, category.url + "?page=2")
    assert articles[-1].title in first and articles[-1].title not in second
    assert articles[0].title in second and articles[0].title not in first
    assert html(client, category.url + "?page=2") == second


def test_the_same_fragment_is_kept_per_value_it_depends_on(demo_site, rf):
    request = rf.get("/")
    request._content_version = "version-1"
    fragment = Template(
        '{% load caching_tags %}{% keep "test" value %}<p>{{ shown }}</p>{% endkeep %}'
    )

    def render(value, shown):
        return fragment.render(Context({"request": request, "value": value, "shown": shown}))

    assert render("a", "first") == "<p>first</p>"
    assert render("a", "second") == "<p>first</p>"  # kept: same version, same value
    assert render("b", "third") == "<p>third</p>"
    request._site_snapshot = None
    request._content_version = "version-2"
    assert render("a", "fourth") == "<p>fourth</p>"  # a new version renders afresh


def test_previews_are_never_kept(demo_site, rf):
    request = rf.get("/")
    request._content_version = "version-1"
    fragment = Template('{% load caching_tags %}{% keep "test" %}{{ shown }}{% endkeep %}')
    assert fragment.render(Context({"request": request, "shown": "live"})) == "live"
    request.is_preview = True
    assert fragment.render(Context({"request": request, "shown": "draft"})) == "draft"


class CountingCache:
    """A shared store that counts what is asked of it."""

    def __init__(self):
        self.store, self.reads, self.writes = {}, 0, 0

    def get_many(self, keys, version=None):
        self.reads += 1
        return {key: self.store[key] for key in keys if key in self.store}

    def set_many(self, data, timeout=None, version=None):
        self.writes += 1
        self.store.update(data)


@pytest.fixture
def kept_renditions(db, monkeypatch):
    shared = CountingCache()
    kept = KeptRenditionsCache("", {"OPTIONS": {"SHARED": "unused"}})
    monkeypatch.setattr(KeptRenditionsCache, "shared", property(lambda self: shared))
    return kept, shared


def test_renditions_are_read_from_the_shared_store_once_per_version(kept_renditions):
    kept, shared = kept_renditions
    shared.store["image-1-fill"] = {"url": "/media/images/one.avif"}
    assert kept.get_many(["image-1-fill"]) == {"image-1-fill": {"url": "/media/images/one.avif"}}
    assert kept.get_many(["image-1-fill"]) == {"image-1-fill": {"url": "/media/images/one.avif"}}
    assert shared.reads == 1
    # Wagtail writes each rendition back after every lookup: nothing new, so nothing sent.
    kept.set_many({"image-1-fill": {"url": "/media/images/one.avif"}})
    assert shared.writes == 0
    kept.set_many({"image-1-width": {"url": "/media/images/one-wide.avif"}})
    assert shared.writes == 1

    bump()  # e.g. the image's file was replaced
    shared.store["image-1-fill"] = {"url": "/media/images/new.avif"}
    assert kept.get_many(["image-1-fill"]) == {"image-1-fill": {"url": "/media/images/new.avif"}}
    assert shared.reads == 2


def test_each_caller_gets_its_own_copy_of_a_kept_value(db):
    current = snapshot.current()
    current.keep("parts", [{"title": "Part one"}])
    mine = current.kept("parts")
    mine[0]["title"] = "changed by one request"
    assert current.kept("parts") == [{"title": "Part one"}]


def test_a_request_reads_the_content_version_once(demo_site, client, monkeypatch):
    html(client, "/")
    bump()  # nothing kept: the whole page is rendered, with all its lookups
    calls = []
    original = version.read
    monkeypatch.setattr(version, "read", lambda: calls.append(1) or original())
    html(client, "/")
    assert len(calls) == 1


def test_a_page_keeps_what_it_made_in_one_write_once_rendered(demo_site, client, monkeypatch):
    html(client, ARTICLE_URL)
    bump()  # the header, the footer and the article's parts are all made again
    store = page_cache()
    writes = []
    set_many = type(store).set_many

    def counting_set_many(self, data, *args, **kwargs):
        if any(key.startswith("kept:") for key in data):
            writes.append(dict(data))
        return set_many(self, data, *args, **kwargs)

    monkeypatch.setattr(type(store), "set_many", counting_set_many)
    html(client, ARTICLE_URL)
    assert len(writes) == 1, writes
    kept = writes[0]
    assert any(":fragment:header" in key for key in kept)
    assert any(":fragment:footer" in key for key in kept)
    # In the shared store for the other processes once the response is made.
    for key, value in kept.items():
        assert store.get(key) == value


def test_after_an_edit_the_shared_store_is_asked_once_then_serves_the_other_processes(
    demo_site, client, monkeypatch
):
    html(client, ARTICLE_URL)
    bump()
    store = page_cache()
    reads = []
    get = type(store).get

    def counting_get(self, key, *args, **kwargs):
        value = get(self, key, *args, **kwargs)
        if key.startswith("kept:"):
            reads.append((key, value is not None))
        return value

    monkeypatch.setattr(type(store), "get", counting_get)
    first = html(client, ARTICLE_URL)
    # Nothing is kept under the new version yet: one look at the mark, not one per value.
    assert len(reads) == 1 and reads[0][0].endswith(":written"), reads
    # Another process, with nothing in its memory, finds every value in the shared store.
    snapshot.forget_process_memory()
    reads.clear()
    assert html(client, ARTICLE_URL) == first
    assert len(reads) > 5
    assert all(found for _key, found in reads), reads
