"""The studio's own views: the medical disclaimer, robots.txt and the page shown when a CSRF
check fails. (The contact form's view is in studio.contact.views, search in studio.search.)"""

import logging

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from wagtail.models import Site

from studio.contact.models import ContactPage

logger = logging.getLogger(__name__)


@require_safe
def medical_disclaimer(request):
    """The full disclaimer, from the studio settings; linked from every page's footer."""
    return render(request, "studio/medical_disclaimer.html")


@require_safe
def robots_txt(request):
    """robots.txt, with the addresses it names read from the URL configuration and the pages
    (the contact page's thank-you address), so it cannot drift from them."""
    disallowed = [
        reverse("wagtailadmin_home"),
        reverse("search"),
        "/documents/",
    ]
    site = Site.find_for_request(request)
    if site is not None:
        contact_pages = ContactPage.objects.live().descendant_of(site.root_page, inclusive=True)
        disallowed += [page.thanks_url(request) for page in contact_pages]
    return render(
        request,
        "robots.txt",
        {"disallowed": disallowed, "sitemap_url": request.build_absolute_uri(reverse("sitemap"))},
        content_type="text/plain",
    )


def csrf_failure(request, reason=""):
    """403 for a form whose CSRF check failed (cookies blocked, or a page left open too long):
    in the site's design, with a way back and the studio's phone and email."""
    logger.warning("CSRF check failed on %s: %s", request.path, reason)
    return render(request, "403_csrf.html", status=403)
