"""Site search over the Institute's articles."""

from django.shortcuts import render
from django.views.decorators.http import require_safe

from .models import ArticlePage, attach_categories, paginate

# Longer queries are cut, not refused: a pasted paragraph still finds something.
MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 10


def clean_query(raw):
    """The visitor's query as words: control characters dropped, length capped."""
    printable = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(printable.split())[:MAX_QUERY_LENGTH].strip()


@require_safe
def search(request):
    query = clean_query(request.GET.get("q", ""))
    results = None
    if query:
        matches = ArticlePage.objects.for_listing().search(query, operator="or")
        results = paginate(request, matches, per_page=RESULTS_PER_PAGE)
        attach_categories(results.object_list)
    response = render(request, "articles/search_results.html", {"query": query, "results": results})
    response["X-Robots-Tag"] = "noindex"
    return response
