"""Site search (/search/): the services, the about page, the FAQ answers and the Institute's
articles, in labelled groups, best match first. Results are never cached.

Services and the about page are searched with Wagtail's search backend, articles with their own
index on PostgreSQL (articles/search_index.py; Wagtail's backend elsewhere); the few FAQ
answers, which are snippets outside the search index, are matched here. Each group then ranks
a title that names the query above the rest, so "pilates" shows the Pilates page first.
"""

import re
from dataclasses import dataclass, field

from django.db import connection
from django.shortcuts import render
from django.utils.html import strip_tags
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from wagtail.models import Page

from articles import search_index
from articles.models import ArticlePage, attach_categories, paginate
from studio.models import AboutPage, FrequentlyAskedQuestion, ServicePage

# Longer queries are cut, not refused: a pasted paragraph still finds something.
MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


def clean_query(raw):
    """The visitor's query as typed, for display: control characters dropped, length capped."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH].strip()


def search_terms(query):
    """The words of the query, and nothing a search backend could read as syntax.

    Quotes, brackets, '*', ':' and '-' are operators to SQLite's FTS5 and PostgreSQL's
    tsquery; a visitor means them as punctuation, so only words are searched for.
    """
    return " ".join(re.findall(r"\w+", query))


def title_score(title, words):
    """2 when the title holds every word of the query, 1 when it holds one, else 0."""
    found = sum(1 for word in words if word in title.lower())
    if found and found == len(words):
        return 2
    return 1 if found else 0


@dataclass
class Group:
    """One labelled group of results ("Services", "Articles"...), best match first."""

    key: str
    label: str
    items: list = field(default_factory=list)

    @property
    def best(self):
        return max((score for score, _ in self.items), default=0)

    def ranked(self):
        # sorted() is stable: equal title scores keep the backend's relevance order.
        return [item for _, item in sorted(self.items, key=lambda pair: -pair[0])]


def ranked_pages(terms, words):
    """The live, public services and about page holding a word of the query, each with its
    title score, in Wagtail's relevance order: one search for both page types."""
    private = ServicePage.objects.all().private_q()  # from the site snapshot: no query
    pages = (
        Page.objects.live()
        .type(ServicePage, AboutPage)
        .exclude(private)
        .specific()
        .search(terms, operator="or")
    )
    return [(title_score(page.title, words), page) for page in pages]


def matching_articles(terms, words):
    """Live, public articles holding a word of the query, for the paginator.

    On PostgreSQL with Wagtail's database backend, the articles' own index ranks them (title
    matches first: articles/search_index.py); elsewhere Wagtail's backend finds them, and
    titles naming the query come first: among all matches on SQLite, within each page of
    results with Elasticsearch or OpenSearch (which boost the title themselves).
    """
    if search_index.is_used():
        return search_index.RankedArticles(words)
    results = ArticlePage.objects.for_listing().search(terms, operator="or")
    if connection.vendor == "sqlite":
        # A development database of a few articles: rank every match here, so titles
        # naming the query come first on every page, as on PostgreSQL.
        return sorted(results, key=lambda article: -title_score(article.title, words))
    return results


def matching_questions(words):
    """The FAQ entries whose question or answer holds a word of the query (a handful of rows:
    read them all rather than index them)."""
    found = []
    for question in FrequentlyAskedQuestion.objects.all():
        text = f"{question.question} {strip_tags(question.answer)}".lower()
        hits = sum(1 for word in words if word in text)
        if hits:
            found.append((hits, title_score(question.question, words), question))
    found.sort(key=lambda entry: -entry[0])  # most words found first
    return [(score, question) for _, score, question in found]


@never_cache
@require_safe
def search(request):
    query = clean_query(request.GET.get("q", ""))
    terms = search_terms(query)
    words = [word.lower() for word in terms.split()]
    groups, articles = [], None
    if terms:
        articles = paginate(request, matching_articles(terms, words), per_page=RESULTS_PER_PAGE)
        attach_categories(articles.object_list)
        article_group = Group("articles", "Articles from the Institute for Learning")
        article_group.items = [
            (getattr(a, "title_match", None) or title_score(a.title, words), a)
            for a in articles.object_list
        ]
        candidates = [article_group]
        # Later pages list more articles only; the other groups are on the first page.
        if articles.number == 1:
            services = Group("services", "Services")
            about = Group("about", "About the studio")
            for scored in ranked_pages(terms, words):
                (about if isinstance(scored[1], AboutPage) else services).items.append(scored)
            questions = Group("questions", "Questions and answers")
            questions.items = matching_questions(words)
            candidates = [services, about, questions, article_group]
        # A group whose best result names the query in its title comes first; otherwise
        # services, the studio, questions, then articles.
        groups = sorted((g for g in candidates if g.items), key=lambda g: -min(g.best, 1))
    context = {
        "query": query,
        "searched": bool(terms),
        "groups": [(group, group.ranked()) for group in groups],
        "articles": articles,
        "suggested_services": ServicePage.objects.live().public().order_by("path")
        if terms and not groups
        else [],
    }
    response = render(request, "studio/search_results.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
