"""Where the calls to action send a visitor who wants to talk to the studio.

To the contact page (a live ContactPage, or a page with the slug "contact", just below the
home page) when it exists, naming the service in ``?service=<slug>`` so the form can preselect
it and the page the visitor came from in ``?from=<page id>`` so staff see which article or
service brought the lead; until then, to an email to the studio whose subject names them.
"""

from urllib.parse import quote, urlencode

from wagtail.models import Site

from enfuse.caching import snapshot

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
        from .models import ContactPage

        # The home page's children come from the site snapshot: no query.
        children = snapshot.for_request(request).live_public_children(site.root_page)
        page = next(
            (
                child
                for child in children
                if child.slug == CONTACT_SLUG or isinstance(child, ContactPage)
            ),
            None,
        )
    request._studio_contact_page = page
    return page


def mailto(email, subject):
    return f"mailto:{email}?" + urlencode({"subject": subject}, quote_via=quote)


def contact_href(request, studio, service=None, source=None, timetable_class=None):
    """The contact page (with ``?service=`` for a service, ``?class=`` for a timetable class
    and ``?from=`` for the page the visitor is on; a service page is both), or an email naming
    the class, service or page."""
    if timetable_class is not None and service is None:
        service = timetable_class.service
    source = source or service
    page = contact_page(request) if request is not None else None
    if page is not None:
        url = page.get_url(request=request)
        query = {}
        if service is not None:
            query["service"] = service.slug
        if timetable_class is not None:
            query["class"] = timetable_class.pk
        if source is not None and source.pk:
            query["from"] = source.pk
        return f"{url}?{urlencode(query)}" if query else url
    if timetable_class is not None:
        return mailto(studio.support_email, f"A spot in {timetable_class.label}")
    if service is not None:
        return mailto(studio.support_email, f"Question about {service.title}")
    if source is not None:
        return mailto(studio.support_email, f"Question about: {source.title}")
    return mailto(studio.support_email, f"Question for {studio.name}")
