"""The site search's article ranking and its index: a title naming the query first (across
pages, not only within one), an index that follows publishes, edits, unpublishes, privacy and
renamed categories in the same transaction, and hostile queries that never give a 500.

On PostgreSQL articles are ranked from their own index (articles/search_index.py); on SQLite
Wagtail's backend ranks them. Tests of the index itself run on PostgreSQL only."""

import datetime
import io
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection, transaction
from wagtail.models import PageViewRestriction

from articles import search_index
from articles.demo import add_articles_in_bulk
from articles.models import ArticlePage, ArticleSearchEntry
from tests.support import (
    ARTICLE_TITLE,
    add_article,
    manage,
    production_value,
    require_postgresql,
    search_article_count,
    search_result_titles,
)

OLD = datetime.date(2001, 1, 1)


def test_a_title_naming_the_query_comes_first_even_among_many_matches(demo_site, client):
    category = demo_site["category"]
    for number in range(12):
        add_article(category, f"Strength session {number}", body="kettlebell " * 30)
    # The oldest, and only a word or two of body: it still leads the first page.
    add_article(category, "Kettlebell basics", published=OLD)
    titles = search_result_titles(client, "kettlebell")
    assert titles[0] == "Kettlebell basics"
    assert len(titles) == 10
    assert search_article_count(client, "kettlebell") == 13


def test_pages_past_the_titles_naming_the_query_continue_with_the_other_matches(demo_site, client):
    """Titles naming the query are ranked apart from the rest on PostgreSQL: the page where
    one kind ends and the other begins, and the count, must still add up."""
    category = demo_site["category"]
    for number in range(7):
        add_article(category, f"Kettlebell {number}", published=OLD)
    for number in range(8):
        add_article(category, f"Strength session {number}", body="A kettlebell workout.")
    first = search_result_titles(client, "kettlebell")
    second = search_result_titles(client, "kettlebell", page=2)
    assert sorted(first[:7]) == [f"Kettlebell {n}" for n in range(7)]
    assert len(first) == 10 and len(second) == 5
    assert set(first) | set(second) == {
        *(f"Kettlebell {n}" for n in range(7)),
        *(f"Strength session {n}" for n in range(8)),
    }
    assert search_article_count(client, "kettlebell") == 15


def test_every_word_in_the_title_beats_one_word_which_beats_the_body(demo_site, client):
    category = demo_site["category"]
    add_article(category, "Strength session", body="kettlebell snatch " * 30)
    add_article(category, "Kettlebell basics", published=OLD)
    add_article(category, "Kettlebell snatch drills", published=OLD)
    assert search_result_titles(client, "snatch kettlebell") == [
        "Kettlebell snatch drills",
        "Kettlebell basics",
        "Strength session",
    ]


def test_more_of_the_query_in_the_body_ranks_higher(demo_site, client):
    require_postgresql("Wagtail's SQLite backend ranks the body its own way")
    category = demo_site["category"]
    add_article(category, "Once", body="A rowing machine.")
    add_article(category, "Often", body="Rowing, rowing and more rowing on the rowing machine.")
    assert search_result_titles(client, "rowing") == ["Often", "Once"]


def test_a_publish_is_found_at_once_and_a_draft_is_not(demo_site, client):
    article = add_article(demo_site["category"], "Rowing basics")
    article.title = "Rowing and kayaking"
    article.save_revision()
    assert search_result_titles(client, "kayaking") == []
    assert search_result_titles(client, "rowing") == ["Rowing basics"]
    article.get_latest_revision().publish()
    assert search_result_titles(client, "kayaking") == ["Rowing and kayaking"]


def test_the_entry_is_written_in_the_publishing_transaction(demo_site, client):
    require_postgresql()
    article = add_article(demo_site["category"], "Rowing basics")
    article.title = "Rowing and kayaking"
    revision = article.save_revision()

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        revision.publish()
        assert search_result_titles(client, "kayaking") == ["Rowing and kayaking"]
        raise RolledBack
    assert search_result_titles(client, "kayaking") == []
    assert search_result_titles(client, "rowing") == ["Rowing basics"]


def test_an_article_never_published_is_not_found(demo_site, client):
    draft = ArticlePage(title="Kayaking plans", summary="Soon.", body=[], live=False)
    demo_site["category"].add_child(instance=draft)
    draft.save_revision()
    assert search_result_titles(client, "kayaking") == []


def test_unpublished_and_private_articles_leave_the_results_and_the_count(demo_site, client):
    category = demo_site["category"]
    first, second, _third = (add_article(category, f"Rowing {n}") for n in range(3))
    assert search_article_count(client, "rowing") == 3
    first.unpublish()
    assert search_article_count(client, "rowing") == 2
    assert "Rowing 0" not in search_result_titles(client, "rowing")
    PageViewRestriction.objects.create(
        page=category, restriction_type=PageViewRestriction.PASSWORD, password="members"
    )
    assert search_result_titles(client, "rowing") == []
    assert search_article_count(client, "rowing") == 0
    assert search_result_titles(client, "sacrum") == []


def test_a_deleted_article_is_gone_from_the_index(demo_site, client):
    # On both databases: SQLite has no index table, and deleting must not look for one.
    article = add_article(demo_site["category"], "Rowing basics")
    article.delete()
    assert search_result_titles(client, "rowing") == []
    if connection.vendor == "postgresql":
        assert not ArticleSearchEntry.objects.filter(article_id=article.pk).exists()


def test_deleting_a_category_deletes_its_articles_entries(demo_site, client):
    category = demo_site["category"]
    articles = [add_article(category, f"Rowing drill {number}") for number in range(3)]
    category.delete()  # Wagtail deletes the articles below as pages, not one by one
    assert search_result_titles(client, "rowing") == []
    if connection.vendor == "postgresql":
        ids = [article.pk for article in articles]
        assert not ArticleSearchEntry.objects.filter(article_id__in=ids).exists()


def test_an_edit_replaces_the_old_words(demo_site, client):
    article = demo_site["article"]
    article.title = "Zumbathon for beginners"
    article.save_revision().publish()
    assert search_result_titles(client, "zumbathon") == ["Zumbathon for beginners"]
    assert ARTICLE_TITLE not in search_result_titles(client, "walking")
    # Words of the body are still there.
    assert search_result_titles(client, "sacrum") == ["Zumbathon for beginners"]


def test_a_renamed_category_is_searched_under_its_new_name(demo_site, client):
    require_postgresql("Wagtail's backend indexes the category's name only when the article saves")
    category = demo_site["category"]
    assert search_result_titles(client, "zumbathon") == []
    category.title = "Zumbathon & Wellness"
    category.save_revision().publish()
    assert ARTICLE_TITLE in search_result_titles(client, "zumbathon")


def test_articles_added_in_bulk_are_indexed(demo_site, client):
    require_postgresql()
    added = add_articles_in_bulk(
        demo_site["category"],
        [ArticlePage(title="Rowing in bulk", slug="rowing-in-bulk", summary="Bulk.", live=True)],
    )
    assert ArticleSearchEntry.objects.get(article_id=added[0].pk).live
    assert search_result_titles(client, "rowing") == ["Rowing in bulk"]


def test_the_index_is_rebuilt_by_the_migration_and_the_command(demo_site, client):
    require_postgresql()
    ArticleSearchEntry.objects.all().delete()
    assert search_result_titles(client, "sacrum") == []
    search_index.fill_index(apps, SimpleNamespace(connection=connection))
    assert search_result_titles(client, "sacrum") == [ARTICLE_TITLE]
    ArticleSearchEntry.objects.all().delete()
    output = io.StringIO()
    call_command("update_article_search_index", stdout=output)
    assert "Wrote the search entries of 1 articles." in output.getvalue()
    assert search_result_titles(client, "sacrum") == [ARTICLE_TITLE]


def test_the_query_is_answered_from_the_gin_index(demo_site):
    """At a few articles PostgreSQL rightly scans the table; with scans off, the plan shows
    the partial GIN index fits the query (live, any word), as at 10,000 articles."""
    require_postgresql()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = search_index.Matches(["walking", "back"]).ranked().explain()
        titles_plan = search_index.Matches(["walking"]).ranked(in_title=True).explain()
    assert "article_search_live" in plan
    assert "Seq Scan" not in plan
    assert "article_search_title" in titles_plan


def test_the_results_read_no_article_body(demo_site, client, django_assert_max_num_queries):
    """A card shows no body; at 10,000 articles reading ten bodies cost about 2 ms a search."""
    require_postgresql()
    with django_assert_max_num_queries(20) as captured:
        assert search_result_titles(client, "sacrum") == [ARTICLE_TITLE]
    article_reads = [q["sql"] for q in captured if '"articles_articlepage"."summary"' in q["sql"]]
    assert article_reads
    assert not any('"articles_articlepage"."body"' in sql for sql in article_reads)


def test_a_search_server_address_switches_to_wagtails_backend(settings):
    assert production_value("s.WAGTAILSEARCH_BACKENDS") == {
        "default": {"BACKEND": "wagtail.search.backends.database"}
    }
    backends = production_value(
        "s.WAGTAILSEARCH_BACKENDS",
        WAGTAILSEARCH_URL="http://search:9200, http://search-2:9200",
        WAGTAILSEARCH_BACKEND="wagtail.search.backends.opensearch2",
    )
    assert backends["default"] == {
        "BACKEND": "wagtail.search.backends.opensearch2",
        "URLS": ["http://search:9200", "http://search-2:9200"],
        "INDEX": "enfuse",
        "TIMEOUT": 5,
    }
    # The site search then asks that backend for articles too, not the database's index.
    settings.WAGTAILSEARCH_BACKENDS = backends
    assert not search_index.is_used()


@pytest.mark.parametrize(
    "query",
    [
        "a & | ! :*",
        "walking:* & !back",
        "walking <-> back",
        "(walking | back",
        "'\"'\"",
        "\\ \\\\",
        "the of and",
        "x" * 10000,
        " ".join(f"word{n}" for n in range(60)),
        "naïve café ＆ walking",
        "walking'); DROP TABLE articles_articlepage; --",
        "-walking",
        "OR AND NOT",
    ],
)
def test_hostile_queries_give_results_or_the_empty_state(demo_site, client, query):
    response = client.get("/search/", {"q": query})
    assert response.status_code == 200
    content = response.content.decode()
    shown = ('class="search-group', "Nothing on this site matches", "Please type a word")
    assert any(marker in content for marker in shown)


def test_the_index_migration_fills_entries_for_articles_already_there(production_site):
    """A site upgraded with its articles in place: migration 0006 fills the index (and its
    constraint and GIN indexes go in after those rows), then search finds them."""
    if not production_site.on_postgres:
        pytest.skip("the articles' own search index exists on PostgreSQL only")
    count_entries = (
        "from articles.models import ArticlePage, ArticleSearchEntry\n"
        "print(ArticlePage.objects.count(), ArticleSearchEntry.objects.count())"
    )
    manage(production_site.env, "migrate", "articles", "0005", "--no-input", "-v0")
    manage(production_site.env, "migrate", "--no-input", "-v0")
    articles, entries = production_site.django(count_entries).split()[-2:]
    assert int(articles) > 0
    assert entries == articles
    found = production_site.client().get("/search/?q=walking")
    assert found.status == 200
    assert "Walking to Improve the Health" in found.text
