"""Where the calls to action send a visitor who wants to talk to the studio.

To the contact page (a live page with the slug "contact" just below the home page) when it
exists, naming the service in ``?service=<slug>`` so the form can preselect it; until then, to
an email to the studio whose subject names the service.
"""

from urllib.parse import quote, urlencode

from wagtail.models import Page, Site

CONTACT_SLUG = "contact"
_UNSET = object()


def contact_page(request):
    """The site's live contact page, or None; looked up once per request."""
    cached = getattr(request, "_studio_contact_page", _UNSET)
    if cached is not _UNSET:
        return cached
    page = None
    site = Site.find_for_request(request)
    if site is not None:
        page = (
            Page.objects.live()
            .public()
            .child_of(site.root_page)
            .filter(slug=CONTACT_SLUG)
            .only("url_path", "path", "depth", "slug")
            .first()
        )
    request._studio_contact_page = page
    return page


def mailto(email, subject):
    return f"mailto:{email}?" + urlencode({"subject": subject}, quote_via=quote)


def contact_href(request, studio, service=None):
    """The contact page (with ``?service=`` for a service), or an email naming the service."""
    page = contact_page(request) if request is not None else None
    if page is not None:
        url = page.get_url(request=request)
        if service is not None:
            url += "?" + urlencode({"service": service.slug})
        return url
    if service is not None:
        return mailto(studio.support_email, f"Question about {service.title}")
    return mailto(studio.support_email, f"Question for {studio.name}")
