"""Template tags for articles: share links and the way to contact the studio about one."""

from urllib.parse import quote, urlencode

from django import template
from django.utils.safestring import mark_safe

from enfuse.caching.fragments import fragment_key, read_ahead
from enfuse.structured_data import absolute_url, json_ld_script
from studio.contact.links import contact_href
from studio.templatetags.studio_tags import SOCIAL_IMAGE_SPEC, social_image_of

from ..models import ArticlePage, attach_categories
from ..structured_data import article_data

register = template.Library()

BODY = template.Template(
    "{% load wagtailcore_tags %}{% for block in page.body %}{% include_block block %}{% endfor %}"
)


@register.simple_tag(takes_context=True)
def article_body(context, page):
    """The article's body. Not kept on its own: the article page keeps all its HTML, body
    included, per content version (templates/articles/article_page.html's {% keep %})."""
    with context.push(page=page):
        return mark_safe(BODY.render(context))


class KeptCard:
    """An article whose card's HTML is already kept: only its id is read (the card's
    {% keep %} key); anything else fetches the article, should the HTML be gone meanwhile."""

    def __init__(self, pk):
        self.pk = pk

    def __getattr__(self, name):
        article = self.__dict__.get("_article")
        if article is None:
            article = self.__dict__["_article"] = attach_categories(
                ArticlePage.objects.for_listing().filter(pk=self.pk)
            )[0]
        return getattr(article, name)


@register.simple_tag(takes_context=True)
def article_cards(context, article_ids):
    """The cards of these articles (includes/article_card.html), in this order.

    Each card's HTML is kept per content version; only the articles whose card is not kept yet
    are read, in one query with their photos' renditions. The latest articles of a category are
    the related cards of all its other articles, so most first views read none.
    """
    request = context.get("request")
    keys = {pk: fragment_key(("article-card", pk)) for pk in article_ids}
    kept = read_ahead(request, keys.values())
    missing = [pk for pk, key in keys.items() if key not in kept]
    articles = {pk: KeptCard(pk) for pk in article_ids if pk not in missing}
    if missing:
        fetched = ArticlePage.objects.for_listing().filter(pk__in=missing)
        articles.update((article.pk, article) for article in attach_categories(fetched))
    card = context.template.engine.get_template("includes/article_card.html")
    html = []
    for pk in article_ids:
        if pk in articles:  # an id of an article gone meanwhile shows no card
            with context.push(article=articles[pk]):
                html.append(card.render(context))
    return mark_safe("".join(html))


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
