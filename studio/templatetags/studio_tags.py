"""Template tags for the studio's site-wide furniture: navigation, hours, contact links, JSON-LD."""

from django import template
from django.utils import timezone
from wagtail.models import Site

from enfuse import structured_data
from enfuse.caching import snapshot as site_snapshot
from enfuse.caching.fragments import FURNITURE, kept_per_version
from enfuse.caching.page_cache import limit_lifetime
from enfuse.images import SOCIAL_IMAGE_FILTER
from studio.contact import links as contact
from studio.hours import STUDIO_TIME_ZONE, format_moment, format_time
from studio.models import PrivacyPage, StudioSettings

register = template.Library()


def studio_settings(context):
    """The studio details from the settings context processor (read once per request)."""
    if "settings" in context:
        return context["settings"]["studio"]["StudioSettings"]
    # Rendered without the context processor (e.g. render_to_string without a request).
    request = context.get("request")
    if request is not None:
        return StudioSettings.for_request(request)
    return StudioSettings.for_site(Site.objects.get(is_default_site=True))


@register.simple_tag(takes_context=True)
def current_menu_section(context):
    """The URL of the menu item marked current on this page ("" when none is): the header
    is kept once per section, whatever the number of pages (or of mistyped addresses)."""
    items = main_navigation(context)["items"]
    return next((item["url"] for item in items if item["current"]), "")


@register.inclusion_tag("includes/main_navigation.html", takes_context=True)
def main_navigation(context):
    """Home, then the home page's live children marked "show in menus", in tree order.

    Staff choose the sections (Services, Institute for Learning, About, Contact) with the
    page's "Show in menus" box, so the menu never links to a page that does not exist. Until
    a contact page is in the menu, "Contact" leads to the contact details in the footer.
    """
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return {"items": []}
    current_path = request.path
    items = [{"label": "Home", "url": "/", "current": current_path == "/"}]
    has_contact = False
    # The home page's children come from the site snapshot: no query.
    for page in site_snapshot.for_request(request).live_public_children(site.root_page):
        if not page.show_in_menus:
            continue
        url = page.get_url(request=request)
        has_contact = has_contact or page.slug == contact.CONTACT_SLUG
        items.append({"label": page.title, "url": url, "current": current_path.startswith(url)})
    if not has_contact:
        items.append({"label": "Contact", "url": "#contact", "current": False})
    return {"items": items}


@register.simple_tag(takes_context=True)
def privacy_policy_url(context):
    """The live privacy page's URL ("" while there is none), from the site snapshot: no query."""
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    if site is None:
        return ""
    for page in site_snapshot.for_request(request).live_public_children(site.root_page):
        if isinstance(page, PrivacyPage):
            return page.get_url(request=request)
    return ""


@register.filter(expects_localtime=True)
def clock(value):
    """A time as the studio's clients read it: '6:00 am'."""
    return format_time(value) if value else ""


@register.filter(expects_localtime=True)
def when(value):
    """A moment as staff and visitors read it everywhere: 'November 29, 2026, 2:30 pm'."""
    return format_moment(value) if value else ""


@register.simple_tag(takes_context=True)
def studio_hours(context):
    """Opening status, the week and upcoming special days, computed once per request.

    Also tells the page cache how long this page stays true (enfuse/caching/page_cache.py).
    """
    hours_now = studio_settings(context).hours_at()
    limit_lifetime(context.get("request"), hours_now.status.valid_until)
    return hours_now


@register.simple_tag(takes_context=True)
def studio_structured_data(context):
    """The studio as schema.org JSON-LD, for every page's <head>."""
    request = context["request"]
    today = timezone.now().astimezone(STUDIO_TIME_ZONE).date()
    # The same on every page of a day, made from the settings alone: once per day and
    # furniture digest (only an edit to the settings, the menu or an image moves it).
    return kept_per_version(
        request,
        f"studio-json-ld:{today}",
        lambda: structured_data.json_ld_script(
            structured_data.studio_data(studio_settings(context), request, today)
        ),
        scope=FURNITURE,
    )


@register.simple_tag
def faq_structured_data(questions):
    """Questions and answers as schema.org FAQPage JSON-LD (nothing when there are none)."""
    if not questions:
        return ""
    return structured_data.json_ld_script(structured_data.faq_data(questions))


@register.simple_tag(takes_context=True)
def studio_contact_url(context, service=None, source=None):
    """Where "contact us" buttons go: the contact page (preselecting ``service``, and naming
    the page the visitor came from) or an email."""
    return contact.contact_href(
        context.get("request"), studio_settings(context), service=service, source=source
    )


def social_image_of(page, studio):
    """The image and alt text a shared link shows: the page's own photo, else the studio's."""
    for image_field, alt_field in getattr(page, "image_fields", []):
        image = getattr(page, image_field, None)
        if image is not None:
            return image, getattr(page, alt_field, "") or image.default_alt_text
    if studio.image is not None:
        return studio.image, studio.image.default_alt_text
    return None, ""


@register.inclusion_tag("includes/social_meta.html", takes_context=True)
def social_meta(context, page, title, description):
    """OpenGraph and Twitter card tags for ``page``, with a 1200×630 image rendition."""
    request = context["request"]
    studio = studio_settings(context)
    image, alt = social_image_of(page, studio)
    rendition = image.get_rendition(SOCIAL_IMAGE_FILTER) if image is not None else None
    return {
        "page": page,
        "url": page.get_full_url(request),
        "title": title,
        "description": description,
        "site_name": studio.name,
        "is_article": hasattr(page, "published_date"),
        "image_url": structured_data.absolute_url(request, rendition.url) if rendition else "",
        "image": rendition,
        "image_alt": alt,
    }


@register.simple_tag(takes_context=True)
def breadcrumb_structured_data(context, page):
    """BreadcrumbList JSON-LD for pages below the home page (nothing on the home page)."""
    request = context["request"]
    ancestors = context.get("ancestors")
    if ancestors is None:
        ancestors = list(page.get_ancestors().filter(depth__gt=1))
    if not ancestors:
        return ""
    trail = [*ancestors, page]
    return structured_data.json_ld_script(structured_data.breadcrumb_data(trail, request))
