"""The studio's own views: the medical disclaimer and the page shown when a CSRF check fails.
(The contact form's view is in studio.contact.views.)"""

import logging

from django.shortcuts import render
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)


@require_safe
def medical_disclaimer(request):
    """The full disclaimer, from the studio settings; linked from every page's footer."""
    return render(request, "studio/medical_disclaimer.html")


def csrf_failure(request, reason=""):
    """403 for a form whose CSRF check failed (cookies blocked, or a page left open too long):
    in the site's design, with a way back and the studio's phone and email."""
    logger.warning("CSRF check failed on %s: %s", request.path, reason)
    return render(request, "403_csrf.html", status=403)
