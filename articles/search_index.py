"""The articles' own full-text index on PostgreSQL, read by the site search (/search/).

One row per article (``ArticleSearchEntry``): whether it is live, its title's words, and one
weighted ``tsvector`` (title A, summary B, body, tags and category C) under a GIN index. The
row is rewritten by the article's every content or publishing save, in the same transaction:
a publish is found at once, an unpublish gone at once, and no task worker is involved.

Why not Wagtail's database backend, which the rest of the site keeps using (the admin, the
services and the about page): it joins its generic ``IndexEntry`` table to the page tables
and ranks every match over both its title and body vectors; at 10,000 articles
/search/?q=walking answered 7.8 req/s with p50 near 1 s. Here one narrow table answers: the
GIN indexes find the matches, only the rows a page needs are ranked, and only the page's ten
articles are read (``RankedArticles``): 82 req/s, p99 182 ms (scripts/bench-search).
"""

import functools
import operator

from django.apps import apps
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Count, F, IntegerField, Q, Value, When
from django.utils.html import strip_tags

# English stemming: "walking" finds "walk", "walks" and "walked".
CONFIG = "english"
# ts_rank's weights for D, C, B, A (PostgreSQL's defaults, written out).
RANK_WEIGHTS = [0.1, 0.2, 0.4, 1.0]
# A query is at most this many distinct words (a pasted paragraph is cut, not refused).
MAX_WORDS = 32

# Block values under these keys are references or addresses, not words a reader reads.
NON_TEXT_KEYS = {"image", "url", "level", "tone", "decorative", "id", "type"}


def readable_text(value):
    """Yield the words a reader reads in raw StreamField data (text of every block, no markup)."""
    if isinstance(value, str):
        yield strip_tags(value)
    elif isinstance(value, dict):
        for key, item in value.items():
            if key not in NON_TEXT_KEYS:
                yield from readable_text(item)
    elif hasattr(value, "__iter__") and not isinstance(value, bytes):  # lists, StreamValues
        for item in value:
            yield from readable_text(item)


def is_used():
    """True where the site search reads this index: PostgreSQL with Wagtail's database
    backend (with Elasticsearch or OpenSearch configured, Wagtail's backend ranks)."""
    backend = settings.WAGTAILSEARCH_BACKENDS["default"]["BACKEND"]
    return connection.vendor == "postgresql" and backend.endswith(".database")


def vector(text, weight=None):
    return SearchVector(Value(text), config=CONFIG, weight=weight)


def entry_values(live, title, summary, body_raw, tag_names, category_title):
    """An article's entry: its two vectors as expressions PostgreSQL evaluates on write."""
    rest = " ".join([*readable_text(body_raw), *tag_names, category_title or ""])
    return {
        "live": live,
        "title": vector(title),
        "document": vector(title, "A") + vector(summary, "B") + vector(rest, "C"),
    }


def write_entries(entry_model, tag_model, page_model, articles):
    """Insert or replace the entries of saved ``articles`` (objects with pk, path, live,
    title, summary and body) in one statement, after reading their tags and categories in two.

    The models are passed in so the migration that fills the index can use its own.
    """
    if not articles:
        return
    tag_names = {}
    for article_id, name in tag_model.objects.filter(
        content_object_id__in=[article.pk for article in articles]
    ).values_list("content_object_id", "tag__name"):
        tag_names.setdefault(article_id, []).append(name)
    steplen = page_model.steplen if hasattr(page_model, "steplen") else 4
    parent_titles = dict(
        page_model.objects.filter(
            path__in={article.path[:-steplen] for article in articles}
        ).values_list("path", "title")
    )
    entry_model.objects.bulk_create(
        [
            entry_model(
                article_id=article.pk,
                **entry_values(
                    article.live,
                    article.title,
                    article.summary,
                    article.body.raw_data,
                    tag_names.get(article.pk, []),
                    parent_titles.get(article.path[:-steplen], ""),
                ),
            )
            for article in articles
        ],
        update_conflicts=True,
        unique_fields=["article"],
        update_fields=["live", "title", "document"],
    )


def article_model(name):
    """One of the articles' models, from Django's registry: articles/models.py imports this
    module, so importing it back would make a cycle."""
    return apps.get_model("articles", name)


def index_articles(articles):
    """Write the entries of saved ``articles`` (ArticlePages): three queries for any number.

    Kept on PostgreSQL whichever search backend is configured, so switching back from
    Elasticsearch needs no rebuild.
    """
    if connection.vendor == "postgresql":
        write_entries(
            article_model("ArticleSearchEntry"),
            article_model("ArticlePageTag"),
            apps.get_model("wagtailcore", "Page"),
            list(articles),
        )


def index_articles_below(page, batch_size=500):
    """Rewrite the entries of every article below ``page`` (a category renamed, or all of
    them); returns how many."""
    if connection.vendor != "postgresql":
        return 0
    articles = article_model("ArticlePage").objects.descendant_of(page).order_by("pk")
    batch, count = [], 0
    for article in articles.iterator(chunk_size=batch_size):
        batch.append(article)
        count += 1
        if len(batch) == batch_size:
            index_articles(batch)
            batch = []
    index_articles(batch)
    return count


def add_cascading_foreign_key(apps, schema_editor):
    """Migration step: an article's entry is deleted by PostgreSQL with the article, in the
    same statement. Checked at once, not at commit: rows written in the migration's own
    transaction would otherwise leave trigger events pending, and PostgreSQL refuses to build
    the GIN indexes after them."""
    if schema_editor.connection.vendor != "postgresql":
        return
    entry_model = apps.get_model("articles", "ArticleSearchEntry")
    article_model = apps.get_model("articles", "ArticlePage")
    schema_editor.execute(
        f"ALTER TABLE {entry_model._meta.db_table} ADD CONSTRAINT article_search_entry_article "
        f"FOREIGN KEY (article_id) REFERENCES {article_model._meta.db_table} "
        f"({article_model._meta.pk.column}) ON DELETE CASCADE"
    )


def fill_index(apps, schema_editor):
    """Migration step: an entry for every article already saved (PostgreSQL only)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    article_model = apps.get_model("articles", "ArticlePage")
    entry_model = apps.get_model("articles", "ArticleSearchEntry")
    tag_model = apps.get_model("articles", "ArticlePageTag")
    page_model = apps.get_model("wagtailcore", "Page")
    batch = []
    fields = ("pk", "path", "live", "title", "summary", "body")
    for article in article_model.objects.only(*fields).order_by("pk").iterator(chunk_size=500):
        batch.append(article)
        if len(batch) == 500:
            write_entries(entry_model, tag_model, page_model, batch)
            batch = []
    write_entries(entry_model, tag_model, page_model, batch)
    # Planner statistics now, rather than when autovacuum gets to the new table.
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {entry_model._meta.db_table}")


def distinct_words(words):
    return list(dict.fromkeys(word.lower() for word in words))[:MAX_WORDS]


def word_queries(words):
    """One ``plainto_tsquery`` per word: nothing a visitor types is read as tsquery syntax,
    and a stop word alone ("the") matches nothing."""
    return [SearchQuery(word, config=CONFIG, search_type="plain") for word in words]


class Matches:
    """The entries of live articles holding any of ``words`` (any word matches, as the site
    search always did). Privacy is checked here only when a section is private (rare: it
    costs a join); the articles are read through ``for_listing()``, which checks live and
    public again."""

    def __init__(self, words):
        ArticlePage = article_model("ArticlePage")
        ArticleSearchEntry = article_model("ArticleSearchEntry")
        queries = word_queries(distinct_words(words))
        self.any_word = functools.reduce(operator.or_, queries)
        self.every_word = functools.reduce(operator.and_, queries)
        entries = ArticleSearchEntry.objects.filter(live=True, document=self.any_word)
        private = ArticlePage.objects.all().private_q()
        if private != Q(pk__in=[]):
            entries = entries.exclude(article__in=ArticlePage.objects.filter(private).values("pk"))
        self.entries = entries

    def counts(self):
        """How many match, and how many of those hold a word in their title (one query)."""
        found = self.entries.aggregate(
            total=Count("pk"), in_title=Count("pk", filter=Q(title=self.any_word))
        )
        return found["total"], found["in_title"]

    def ranked(self, in_title=None):
        """Best first: a title holding every word, then a title holding one, then the
        weighted rank (title, summary, the rest), then the most recently added. Values:
        ``article_id`` and ``title_match`` (2, 1 or 0). ``in_title``: True for only the
        titles holding a word, False for only the others."""
        entries = self.entries
        if in_title is True:
            entries = entries.filter(title=self.any_word)
        elif in_title is False:
            entries = entries.exclude(title=self.any_word)
        title_match = Case(
            When(Q(title=self.every_word), then=Value(2)),
            When(Q(title=self.any_word), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
        return (
            entries.annotate(
                title_match=title_match,
                rank=SearchRank(F("document"), self.any_word, weights=RANK_WEIGHTS),
            )
            .order_by("-title_match", "-rank", "-article_id")
            .values("article_id", "title_match")
        )


class RankedArticles:
    """The matches of ``words`` as the paginator reads them: ``count()`` is one query, a
    slice one more for its ids in order, then its articles (each with ``title_match``).

    Titles naming the query come before all other matches, so a page within them ranks only
    them, found through the title's own GIN index: for a word in nearly every article but in
    one title in ten, page one ranks a tenth of the matches. A page after them ranks only the
    others; the one page holding both kinds ranks all matches.
    """

    def __init__(self, words):
        self.matches = Matches(words)
        self.total = self.in_title = None

    def count(self):
        if self.total is None:
            self.total, self.in_title = self.matches.counts()
        return self.total

    def __len__(self):
        return self.count()

    def rows(self, start, stop):
        self.count()
        if stop <= self.in_title:
            return list(self.matches.ranked(in_title=True)[start:stop])
        if start >= self.in_title:
            others = self.matches.ranked(in_title=False)
            return list(others[start - self.in_title : stop - self.in_title])
        return list(self.matches.ranked()[start:stop])

    def __getitem__(self, index):
        rows = self.rows(index.start or 0, index.stop)
        found = (
            article_model("ArticlePage")
            .objects.for_listing()
            .defer("body")
            .in_bulk([row["article_id"] for row in rows])
        )
        articles = []
        for row in rows:
            article = found.get(row["article_id"])
            if article is not None:
                article.title_match = row["title_match"]
                articles.append(article)
        return articles


def explain(words, in_title=None):
    """The plan PostgreSQL runs for the first page of ``words`` (for the benchmark notes)."""
    return Matches(words).ranked(in_title)[:10].explain(analyze=True)
