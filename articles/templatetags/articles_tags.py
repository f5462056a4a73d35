"""Template tags for articles: share links and the way to contact the studio about one."""

from urllib.parse import quote, urlencode

from django import template
from django.utils.safestring import mark_safe

from enfuse.caching import snapshot as site_snapshot
from enfuse.caching.fragments import ADDRESSED, fragment_key, kept_per_version, read_ahead
from enfuse.images import SOCIAL_IMAGE_FILTER
from enfuse.structured_data import absolute_url, json_ld_script
from studio.contact.links import contact_href
from studio.templatetags.studio_tags import social_image_of

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
    """An article whose card's HTML is kept: only what the card's key names is known (its id,
    card stamp and category, ArticlePage.card_stamp)."""

    def __init__(self, pk, card_stamp, category):
        self.pk = pk
        self.card_stamp = card_stamp
        self.category = category

    def fetch(self):
        """The article itself, should its kept card be gone meanwhile."""
        found = listed([self.pk])
        return found[0] if found else None


def listed(pks):
    """These articles as cards show them (photo and renditions, category), in one query."""
    return attach_categories(ArticlePage.objects.for_listing().filter(pk__in=pks))


def card_key(request, article):
    """The key an article's card is kept under with no token (fragments.ADDRESSED): all it is
    made from (articles/models.py, CARD_STAMP_FIELDS); None without a card stamp."""
    if article.card_stamp is None or request is None:
        return None
    category = getattr(article, "category", None)
    roots = site_snapshot.for_request(request).site_root_paths_digest
    return fragment_key(
        ("article-card", article.pk, article.card_stamp, category.title if category else "", roots)
    )


@register.simple_tag(takes_context=True)
def article_card(context, article):
    """One article's card (includes/article_card.html), the same in every listing, search
    result and related articles, kept under a key naming all it is made from (card_key), so
    no edit that leaves those alone makes it again; per content version when the article's
    columns were not all read."""
    request = context.get("request")
    if isinstance(article, KeptCard):
        html = kept_per_version(request, card_key(request, article), lambda: None, scope=ADDRESSED)
        if html is not None:
            return html
        # Gone meanwhile: made from the article as it is now, under its own key.
        article = article.fetch()
        if article is None:
            return ""
    card = context.template.engine.get_template("includes/article_card.html")

    def make():
        with context.push(article=article):
            return card.render(context)

    key = card_key(request, article)
    if key is None:
        return kept_per_version(request, fragment_key(("article-card", article.pk)), make)
    return kept_per_version(request, key, make, scope=ADDRESSED)


@register.simple_tag(takes_context=True)
def article_cards(context, articles):
    """The cards of these articles ((id, card stamp, path) or (id, None, None)), in order.

    Only the articles whose card is not kept yet are read, in one query with their photos'
    renditions. The latest articles of a category are the related cards of all its other
    articles, so most first views read none, even right after an edit.
    """
    request = context.get("request")
    snapshot = site_snapshot.for_request(request) if request is not None else None
    steplen = ArticlePage.steplen
    known = {
        pk: KeptCard(pk, stamp, snapshot.page(path[:-steplen]))
        for pk, stamp, path in articles
        if stamp is not None and snapshot is not None
    }
    keys = {pk: card_key(request, card) for pk, card in known.items()}
    kept = read_ahead(request, keys.values(), scope=ADDRESSED)
    cards = {pk: known[pk] for pk, key in keys.items() if key in kept}
    missing = [pk for pk, _stamp, _path in articles if pk not in cards]
    if missing:
        cards.update((article.pk, article) for article in listed(missing))
    # An id of an article gone meanwhile shows no card.
    html = [article_card(context, cards[pk]) for pk, _stamp, _path in articles if pk in cards]
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
    image_url = (
        absolute_url(request, image.get_rendition(SOCIAL_IMAGE_FILTER).url) if image else None
    )
    return json_ld_script(article_data(article, request, studio, image_url))
