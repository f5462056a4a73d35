"""Plain views of the studio that are not pages: the medical disclaimer."""

from django.shortcuts import render
from django.views.decorators.http import require_safe


@require_safe
def medical_disclaimer(request):
    """The full disclaimer, from the studio settings; linked from every page's footer."""
    return render(request, "studio/medical_disclaimer.html")
