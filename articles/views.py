"""Site search over the Institute's articles."""

import re

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import ArticlePage, attach_categories, paginate

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


@require_safe
def search(request):
    query = clean_query(request.GET.get("q", ""))
    terms = search_terms(query)
    results = None
    if terms:
        matches = ArticlePage.objects.for_listing().search(terms, operator="or")
        results = paginate(request, matches, per_page=RESULTS_PER_PAGE)
        attach_categories(results.object_list)
    context = {"query": query, "searched": bool(terms), "results": results}
    response = render(request, "articles/search_results.html", context)
    response["X-Robots-Tag"] = "noindex"
    return response
