"""A queryset compiled once and run with another value (enfuse/compiled_lookups.py): an article's
lookup by slug, as its category's route runs it, gives what the plain queryset gives."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from articles.models import ArticlePage, CategoryPage, RelatedArticle
from enfuse.compiled_lookups import CompiledLookup
from studio.models import TeamMember
from tests.support import add_article, make_image


def described(article):
    """Everything the page reads from the looked-up article: its columns, the facts read with
    it, and the rows joined to it."""
    if article is None:
        return None
    joined = {
        name: {field.attname: getattr(related, field.attname) for field in related._meta.fields}
        for name in ("author", "reviewed_by", "hero_image")
        if (related := getattr(article, name)) is not None
    }
    return (
        type(article),
        {field.attname: getattr(article, field.attname) for field in article._meta.fields},
        {name: getattr(article, name) for name in ("in_series", "has_chosen_related")},
        [(tag.pk, tag.name, tag.slug) for tag in article.tag_list],
        joined,
    )


@pytest.fixture
def articles(demo_site):
    category = CategoryPage.objects.get(slug="health-wellness")
    trainer = TeamMember.objects.create(name="Pat Example", role="Trainer")
    plain = add_article(category, "Plain")
    rich = add_article(
        category,
        "Rich",
        tags=["back", "walking"],
        author=trainer,
        hero_image=make_image(),
    )
    rich.reviewed_by = trainer
    rich.save()
    RelatedArticle.objects.create(page=rich, related_page=plain, sort_order=0)
    return category, [demo_site["article"], plain, rich]


def test_the_compiled_lookup_gives_what_the_queryset_gives(articles):
    category, pages = articles
    lookup = category.article_lookup()
    for page in pages:
        plain = lookup.queryset.filter(slug=page.slug).first()
        assert described(lookup.first(page.slug)) == described(plain)
        assert lookup.first(page.slug).pk == page.pk
    # The client's article is in a series, the rich one has chosen links, tags and all joins.
    assert described(lookup.first(pages[0].slug))[2]["in_series"] is True
    assert described(lookup.first(pages[2].slug))[2]["has_chosen_related"] is True
    assert len(described(lookup.first(pages[2].slug))[4]) == 3


def test_a_slug_is_only_ever_a_value(articles):
    category, pages = articles
    lookup = category.article_lookup()
    for slug in ["no-such-article", "plain' OR '1'='1", "pla%", "pl_in", "", "ünïcode"]:
        assert lookup.first(slug) is None, slug
    assert lookup.first("plain").pk == pages[1].pk


def test_each_run_is_one_query_compiled_once(articles, monkeypatch):
    category, pages = articles
    lookup = category.article_lookup()
    lookup.first(pages[1].slug)
    compiled = []
    compile_query = type(lookup.queryset.query.get_compiler(using="default")).as_sql
    monkeypatch.setattr(
        type(lookup.queryset.query.get_compiler(using="default")),
        "as_sql",
        lambda self, *args, **kwargs: compiled.append(1) or compile_query(self, *args, **kwargs),
    )
    with CaptureQueriesContext(connection) as queries:
        found = [lookup.first(page.slug).pk for page in pages]
    assert found == [page.pk for page in pages]
    assert len(queries) == len(pages)
    assert compiled == []


def test_a_field_that_is_not_one_parameter_is_refused(demo_site):
    lookup = CompiledLookup(ArticlePage.objects.all(), "slug__in")
    with pytest.raises((ValueError, TypeError)):
        lookup.first("walking")
