"""Template tags for articles: share links and the way to contact the studio about one."""

from urllib.parse import quote, urlencode

from django import template
from django.utils.safestring import mark_safe

from enfuse.caching.fragments import kept_per_version
from enfuse.structured_data import absolute_url, json_ld_script
from studio.contact.links import contact_href
from studio.templatetags.studio_tags import SOCIAL_IMAGE_SPEC, social_image_of

from ..structured_data import article_data

register = template.Library()

BODY = template.Template(
    "{% load wagtailcore_tags %}{% for block in page.body %}{% include_block block %}{% endfor %}"
)


@register.simple_tag(takes_context=True)
def article_body(context, page):
    """The article's body, rendered once per content version rather than on every view.

    Its HTML changes only with content (an edit, an image or a linked page), and every content
    change moves the version on (enfuse/caching). Previews always render afresh.
    """
    request = context.get("request")
    with context.push(page=page):
        return mark_safe(
            kept_per_version(
                request,
                f"article-body:{page.pk}:{page.live_revision_id}",
                lambda: BODY.render(context),
            )
        )


@register.inclusion_tag("includes/share_links.html", takes_context=True)
def share_links(context, page):
    """Plain share links (no third-party script) for email, Facebook, X and LinkedIn."""
    request = context.get("request")
    url = page.get_full_url(request)
    title = page.title
    return {
        "links": [
            (
                "Email",
                "mailto:?"
                + urlencode({"subject": title, "body": f"{title}\n{url}"}, quote_via=quote),
            ),
            ("Facebook", "https://www.facebook.com/sharer/sharer.php?" + urlencode({"u": url})),
            ("X", "https://x.com/intent/post?" + urlencode({"url": url, "text": title})),
            (
                "LinkedIn",
                "https://www.linkedin.com/sharing/share-offsite/?" + urlencode({"url": url}),
            ),
        ],
        "title": title,
    }


@register.simple_tag(takes_context=True)
def contact_url(context, page=None):
    """Where a call to action sends a reader who wants to talk to the studio.

    The contact form, told which article the reader came from (``?from=<page id>``), so staff
    see which article brought the lead; an email naming the article while there is no form.
    """
    studio = context["settings"]["studio"]["StudioSettings"]
    return contact_href(context.get("request"), studio, source=page)


@register.simple_tag(takes_context=True)
def article_structured_data(context, article):
    """The article as schema.org Article JSON-LD, with the same image as its social card."""
    request = context["request"]
    studio = context["settings"]["studio"]["StudioSettings"]
    image, _alt = social_image_of(article, studio)
    image_url = absolute_url(request, image.get_rendition(SOCIAL_IMAGE_SPEC).url) if image else None
    return json_ld_script(article_data(article, request, studio, image_url))
