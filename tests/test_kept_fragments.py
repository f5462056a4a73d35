"""HTML kept per content version (the templates' {% keep %}, enfuse/caching/fragments.py)
and the image renditions each process keeps in memory (enfuse/caching/renditions.py).

The page cache is off here (as in the test settings): every request is rendered, so what could
go stale is only what is kept, and it never may be: a change is seen on the very next request.
"""

import datetime
import re

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape
from wagtail.models import Page

from articles.models import ArticlePage, CategoryPage, attach_categories
from enfuse.caching import fragments, snapshot, version
from enfuse.caching import page_cache as page_cache_module
from enfuse.caching.page_cache import page_cache
from enfuse.caching.renditions import KeptRenditionsCache
from enfuse.caching.version import bump
from studio.models import AboutPage, FrequentlyAskedQuestion, ServicePage, StudioSettings
from studio.templatetags import studio_tags
from tests.support import ARTICLE_URL, add_article, html, make_image


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


def test_a_change_makes_the_latest_cards_for_the_first_views_after_it(
    demo_site, client, django_capture_on_commit_callbacks
):
    category = CategoryPage.objects.get(slug="health-wellness")
    articles = [add_article(category, f"Neighbour {number}") for number in range(4)]
    html(client, articles[0].url)
    with django_capture_on_commit_callbacks(execute=True):
        about = AboutPage.objects.get().get_latest_revision_as_object()
        about.title = "Our story"
        about.save_revision().publish()
    snapshot.forget_process_memory()  # another process: what the shared store holds
    with CaptureQueriesContext(connection) as queries:
        page = html(client, articles[1].url)
    # The version and the article: the category's latest were made by the change's process.
    assert len(queries) == 2, [query["sql"] for query in queries]
    assert ">Our story<" in page
    related = page[page.index('id="related-heading"') :]
    assert articles[3].url in related and articles[1].url not in related


def newest_in_related_cards(client, django_capture_on_commit_callbacks):
    """Add an article once some were viewed; the queries of a first view of another article in
    another process, and whether the new one is among its related cards."""
    category = CategoryPage.objects.get(slug="health-wellness")
    articles = [add_article(category, f"Neighbour {number}") for number in range(3)]
    html(client, articles[0].url)
    with django_capture_on_commit_callbacks(execute=True):
        newest = add_article(category, "Stretching", published=datetime.date(2025, 1, 1))
    snapshot.forget_process_memory()
    with CaptureQueriesContext(connection) as queries:
        page = html(client, articles[1].url)
    related = page[page.index('id="related-heading"') :]
    return len(queries), newest.url in related


def test_a_new_article_is_among_the_latest_cards_the_change_made(
    demo_site, client, django_capture_on_commit_callbacks
):
    queries, shown = newest_in_related_cards(client, django_capture_on_commit_callbacks)
    # The version, the article and the new article's card (never made before).
    assert (queries, shown) == (3, True)


def test_latest_cards_the_change_could_not_make_are_made_by_the_first_view(
    demo_site, client, django_capture_on_commit_callbacks, monkeypatch
):
    def shared_store_down(*args, **kwargs):
        raise ConnectionError("shared store down")

    monkeypatch.setattr(CategoryPage, "make_kept_values", shared_store_down)
    queries, shown = newest_in_related_cards(client, django_capture_on_commit_callbacks)
    # The category's latest too, read by the view itself.
    assert (queries, shown) == (4, True)


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


def render_card(rf, article):
    request = rf.get("/")
    return Template("{% load articles_tags %}{% article_card article %}").render(
        Context({"request": request, "article": article})
    )


def listed(pk):
    """An article as listings read it: its image joined, its category attached."""
    return attach_categories(ArticlePage.objects.for_listing().filter(pk=pk))[0]


def test_a_related_card_gone_from_memory_is_made_from_the_article(demo_site, rf):
    from articles.templatetags.articles_tags import KeptCard

    article = listed(demo_site["article"].pk)
    category = demo_site["category"]
    card = render_card(rf, KeptCard(article.pk, "a-stamp-nothing-was-kept-under", category))
    assert article.title in card  # read from the database
    assert escape(category.title) in card
    # Kept under the article's own stamp, not the one it was asked for by.
    assert render_card(rf, KeptCard(article.pk, article.card_stamp, category)) == card


def assert_kept(rf, article, html):
    with CaptureQueriesContext(connection) as queries:
        assert render_card(rf, article) == html
    # Only the version read, which every request makes: the card was not made again.
    assert [query["sql"] for query in queries.captured_queries] == [
        "SELECT token, site_token, media_token FROM caching_contentversion WHERE id = 1"
    ]


def test_a_card_is_kept_until_what_it_is_made_from_changes(demo_site, rf):
    article = listed(demo_site["article"].pk)
    assert article.hero_image is not None
    first = render_card(rf, article)
    stamp = article.card_stamp

    # Another article's publish, a service page's, the site settings: the same card.
    other = add_article(demo_site["category"], "Another article")
    other.title = "Another article, revised"
    other.save_revision().publish()
    publish_renamed(ServicePage.objects.get(slug="pilates"), "Pilates, revised")
    StudioSettings.objects.get().save()
    assert listed(article.pk).card_stamp == stamp
    assert_kept(rf, listed(article.pk), first)

    # Its image edited: another card (the renditions follow the focal point).
    image = article.hero_image
    image.focal_point_x, image.focal_point_y = 10, 10
    image.focal_point_width, image.focal_point_height = 20, 20
    image.save()
    assert listed(article.pk).card_stamp != stamp
    stamp = listed(article.pk).card_stamp

    # Its category renamed: another card.
    category = CategoryPage.objects.get(pk=demo_site["category"].pk)
    publish_renamed(category, "Health and Wellness")
    assert "Health and Wellness" in render_card(rf, listed(article.pk))

    # Any column of its own, even one saved without a revision, makes another card.
    ArticlePage.objects.filter(pk=article.pk).update(summary="A new summary, saved directly.")
    Page.objects.filter(pk=article.pk).update(title="A new title, saved directly")
    assert listed(article.pk).card_stamp != stamp
    card = render_card(rf, listed(article.pk))
    assert "A new summary, saved directly." in card and "A new title, saved directly" in card


def publish_renamed(page, title):
    page = page.get_latest_revision_as_object()
    page.title = title
    page.save_revision().publish()


def test_a_card_of_an_article_read_in_part_is_kept_per_content_version(demo_site, rf):
    """Without all its columns an article has no stamp: its card is kept per content
    version, which an article's publish moves."""
    article = ArticlePage.objects.defer("summary").get(pk=demo_site["article"].pk)
    assert article.card_stamp is None
    render_card(rf, article)
    ArticlePage.objects.filter(pk=article.pk).update(summary="Changed meanwhile.")
    bump(site=False)  # as an article's publish moves it
    card = render_card(rf, ArticlePage.objects.defer("summary").get(pk=article.pk))
    assert "Changed meanwhile." in card


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


def test_renditions_outlive_edits_to_pages_and_settings_not_to_images(demo_site, kept_renditions):
    """Renditions are kept in memory per media token: a page's publish or a settings save
    leaves them, any image saved (in use or not) drops them (its file may have changed)."""
    kept, shared = kept_renditions
    shared.store["image-1-fill"] = {"url": "/media/images/one.avif"}
    kept.get_many(["image-1-fill"])
    publish_renamed(ServicePage.objects.get(slug="pilates"), "Pilates, revised")
    StudioSettings.objects.get().save()
    kept.get_many(["image-1-fill"])
    assert shared.reads == 1

    image = make_image("Not used on any page")
    image.title = "Renamed, still not used"
    image.save()
    kept.get_many(["image-1-fill"])
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
    reads, in_get_many = [], []
    get, get_many = type(store).get, type(store).get_many

    def counting_get(self, key, *args, **kwargs):
        value = get(self, key, *args, **kwargs)
        if key.startswith("kept:") and not in_get_many:  # some stores' get_many calls get
            reads.append({key: value is not None})
        return value

    def counting_get_many(self, keys, *args, **kwargs):
        in_get_many.append(True)
        try:
            values = get_many(self, keys, *args, **kwargs)
        finally:
            in_get_many.pop()
        if any(key.startswith("kept:") for key in keys):
            reads.append({key: values.get(key) is not None for key in keys})
        return values

    monkeypatch.setattr(type(store), "get", counting_get)
    monkeypatch.setattr(type(store), "get_many", counting_get_many)
    first = html(client, ARTICLE_URL)
    # Nothing is kept under the new tokens yet: one look at their marks, not one per value.
    assert len(reads) == 1, reads
    # The content, site and furniture tokens', that of values kept under no token (article
    # cards), and the content token's for any host (the category's latest articles).
    assert len(reads[0]) == 5 and all(key.endswith(":written") for key in reads[0]), reads
    # Another process, with nothing in its memory, finds every value in the shared store.
    snapshot.forget_process_memory()
    reads.clear()
    assert html(client, ARTICLE_URL) == first
    values = {key: found for read in reads for key, found in read.items()}
    values = {key: found for key, found in values.items() if not key.endswith(":written")}
    assert len(values) > 5
    assert all(values.values()), values


def kept_reads(monkeypatch):
    """The keys of kept values each request asks the shared store for (marks left out)."""
    store = page_cache()
    reads = []
    get, get_many = type(store).get, type(store).get_many

    def recording_get(self, key, *args, **kwargs):
        reads.append(key)
        return get(self, key, *args, **kwargs)

    def recording_get_many(self, keys, *args, **kwargs):
        reads.extend(keys)
        return get_many(self, keys, *args, **kwargs)

    monkeypatch.setattr(type(store), "get", recording_get)
    monkeypatch.setattr(type(store), "get_many", recording_get_many)
    return reads


def publish_a_service():
    service = ServicePage.objects.get(slug="pilates").get_latest_revision_as_object()
    service.summary = "Pilates, revised."
    service.save_revision().publish()


def test_after_an_edit_a_process_reads_none_of_its_furniture_or_cards_again(
    demo_site, client, monkeypatch
):
    category = CategoryPage.objects.get(slug="health-wellness")
    for number in range(3):
        add_article(category, f"Neighbour {number}")
    first = html(client, ARTICLE_URL)
    assert "Neighbour 2" in first  # a related card
    held = snapshot._latest
    publish_a_service()  # moves the site token; no row of the furniture or of a card
    # Another worker, which still holds the snapshot from before the edit.
    monkeypatch.setattr(snapshot, "_latest", held)
    reads = kept_reads(monkeypatch)
    assert html(client, ARTICLE_URL) == first
    read = " ".join(key for key in reads if not key.endswith(":written"))
    for lasting in (":fragment:header", ":fragment:footer", ":studio-json-ld:", "article-card"):
        assert lasting not in read, lasting


def test_a_changed_phone_shows_in_a_process_that_held_the_furniture_before(
    demo_site, client, monkeypatch
):
    html(client, ARTICLE_URL)
    held = snapshot._latest
    studio = StudioSettings.objects.get()
    studio.phone = "(860) 555-0199"
    studio.save()
    monkeypatch.setattr(snapshot, "_latest", held)
    page = html(client, ARTICLE_URL)
    assert "(860) 555-0199" in page


def test_only_lasting_values_are_carried_over_and_they_leave_first(monkeypatch):
    monkeypatch.setattr(snapshot, "KEPT_IN_PROCESS", 3)
    previous = snapshot.SiteSnapshot("1")
    previous.keep("furniture-old", "<header>old</header>", lasting=True)
    previous.keep("content", "<article></article>")
    previous.keep("furniture", "<header></header>", lasting=True)
    previous.keep("card", {"title": "A card"}, lasting=True)
    replacement = snapshot.SiteSnapshot("2")
    replacement.keep("made-since", "<footer></footer>")
    replacement.carry_over(previous)
    assert replacement.kept("content") is None  # under a token that moved: never carried
    assert replacement.kept("made-since") == "<footer></footer>"
    assert replacement.kept("card") == {"title": "A card"}
    assert replacement.kept("furniture") == "<header></header>"
    # At most KEPT_IN_PROCESS: the least recently used carried value left.
    assert replacement.kept("furniture-old") is None


def kept_writes(monkeypatch):
    """The keys of kept values each request writes to the shared store."""
    store = page_cache()
    writes = []
    set_many = type(store).set_many

    def counting_set_many(self, data, *args, **kwargs):
        writes.extend(key for key in data if key.startswith("kept:"))
        return set_many(self, data, *args, **kwargs)

    monkeypatch.setattr(type(store), "set_many", counting_set_many)
    return writes


def test_an_article_publish_leaves_the_furniture_kept(demo_site, client, monkeypatch):
    html(client, ARTICLE_URL)
    writes = kept_writes(monkeypatch)
    article = ArticlePage.objects.get(url_path__endswith="lower-back-and-joints/")
    article.title = "Walking, revised"
    article.save_revision().publish()
    page = html(client, ARTICLE_URL)
    assert "Walking, revised" in page
    made = " ".join(writes)
    assert ":fragment:article" in made  # the article's own HTML is made again
    for furniture in (":fragment:header", ":fragment:footer", ":studio-json-ld:"):
        assert furniture not in made, furniture


@pytest.mark.parametrize("edit", ["a service published", "the settings saved unchanged"])
def test_an_edit_to_no_row_of_the_furniture_leaves_it_kept(demo_site, client, monkeypatch, edit):
    html(client, ARTICLE_URL)
    writes = kept_writes(monkeypatch)
    if edit == "a service published":
        service = ServicePage.objects.get(slug="pilates").get_latest_revision_as_object()
        service.summary = "Pilates, revised."
        service.save_revision().publish()
    else:
        StudioSettings.objects.get().save()
    snapshot.forget_process_memory()  # another process, with the shared store
    html(client, ARTICLE_URL)
    made = " ".join(writes)
    assert ":fragment:article" in made  # the content token moved: the article is made again
    for furniture in (":fragment:header", ":fragment:footer", ":studio-json-ld:"):
        assert furniture not in made, furniture


@pytest.mark.parametrize(
    "field, value",
    [("phone", "(860) 555-0199"), ("street_address", "12 New Street")],
)
def test_a_changed_setting_shows_in_the_kept_furniture_at_once(demo_site, client, field, value):
    html(client, ARTICLE_URL)
    studio = StudioSettings.objects.get()
    setattr(studio, field, value)
    studio.save()
    assert escape(value) in html(client, ARTICLE_URL)


def test_a_changed_opening_hour_shows_in_the_kept_footer_at_once(demo_site, client):
    before = html(client, ARTICLE_URL)
    studio = StudioSettings.objects.get()
    row = studio.opening_hours.order_by("pk").first()
    row.closes = datetime.time(21, 45)
    row.save()
    after = html(client, ARTICLE_URL)
    assert "9:45 pm" in after and "9:45 pm" not in before


def test_a_menu_page_renamed_shows_in_the_kept_header_of_an_article(demo_site, client):
    assert ">About<" in html(client, ARTICLE_URL)
    about = AboutPage.objects.get()
    about.title = "Our story"
    about.save_revision().publish()
    page = html(client, ARTICLE_URL)
    assert ">Our story<" in page and ">About<" not in page


def test_the_furniture_reads_only_the_rows_of_its_digest(demo_site, client, monkeypatch):
    """The header and footer are kept under a digest of the rows they may be made from
    (SiteSnapshot.furniture_digest): the settings, the sites, the home page and the pages right
    below it. So while they are made they may read no other page of the snapshot and query
    nothing but their images' renditions (made afresh here, on an article page)."""
    furniture_sql, pages_read = [], []
    original = fragments.kept_per_version
    making = []

    def recording(request, key, make, seconds=3600, scope=fragments.CONTENT, **kwargs):
        if scope != fragments.FURNITURE:
            return original(request, key, make, seconds, scope, **kwargs)

        def make_recorded():
            def record(execute, sql, params, many, context):
                furniture_sql.append(sql)
                return execute(sql, params, many, context)

            making.append(True)
            try:
                with connection.execute_wrapper(record):
                    return make()
            finally:
                making.pop()

        return original(request, key, make_recorded, seconds, scope, **kwargs)

    for name in ("page", "live_public_children", "ancestors", "resolve"):
        method = getattr(snapshot.SiteSnapshot, name)

        def reading(self, page_or_path, *args, _method=method, **kwargs):
            if making:
                pages_read.append(getattr(page_or_path, "path", page_or_path))
            return _method(self, page_or_path, *args, **kwargs)

        monkeypatch.setattr(snapshot.SiteSnapshot, name, reading)
    monkeypatch.setattr(fragments, "kept_per_version", recording)
    monkeypatch.setattr(studio_tags, "kept_per_version", recording)
    bump()
    snapshot.forget_process_memory()
    made = kept_writes(monkeypatch)
    html(client, ARTICLE_URL)
    assert any(":fragment:header" in key for key in made)  # made here, not found kept
    assert any(":studio-json-ld:" in key for key in made)
    for sql in furniture_sql:
        assert re.match(r'SELECT .* FROM "wagtailimages_\w+"', sql), sql
    home = demo_site["home"]
    assert pages_read, "the menu reads the pages below the home page"
    assert all(path == home.path for path in pages_read), pages_read


def test_after_a_deploy_nothing_the_previous_code_kept_is_read(demo_site, client, monkeypatch):
    """A value's shape may change with the code: the shared store's values, kept by the code
    before a deploy under the same tokens, are made again (release.py)."""
    from enfuse.caching import release

    html(client, ARTICLE_URL)
    made = kept_writes(monkeypatch)
    snapshot.forget_process_memory()  # a new process, the shared store as it was
    html(client, ARTICLE_URL)
    assert made == []  # all found in the shared store
    monkeypatch.setattr(release, "digest", lambda: "next-release")
    snapshot.forget_process_memory()
    with CaptureQueriesContext(connection) as queries:
        html(client, ARTICLE_URL)
    assert any(":fragment:header" in key for key in made)
    assert any(":fragment:article" in key for key in made)
    # The site snapshot is built again too.
    assert any('"wagtailcore_site"' in query["sql"] for query in queries.captured_queries)


def test_the_release_digest_follows_the_code(settings, tmp_path):
    from enfuse.caching import release

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>one</p>")
    settings.BASE_DIR = tmp_path
    release.digest.cache_clear()
    try:
        first = release.digest()
        release.digest.cache_clear()
        assert release.digest() == first
        page.write_text("<p>two</p>")
        release.digest.cache_clear()
        assert release.digest() != first
    finally:
        release.digest.cache_clear()
