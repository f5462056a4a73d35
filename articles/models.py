"""The EnFuse Institute for Learning: an index, its categories, their articles, and series."""

import datetime
import functools
import hashlib
import json
import math

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import connection, models
from django.db.models import StringAgg
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Cast, JSONArray
from django.http import Http404
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from taggit.models import Tag, TaggedItemBase
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from enfuse import images as renditions
from enfuse import internals
from enfuse.caching import querystrings
from enfuse.caching import snapshot as site_snapshot
from enfuse.caching.fragments import (
    fragment_key,
    kept_per_version,
    read_ahead,
    share_for_any_host,
)
from enfuse.compiled_lookups import CompiledLookup
from studio.models.common import (
    AltTextMixin,
    PromoteMixin,
    SitePageQuerySet,
    SnapshotPageMixin,
    renditions_of,
)

from . import search_index
from .blocks import ArticleBodyBlock
from .search_index import readable_text

ARTICLES_PER_PAGE = 12
# Sub-routes of a category page; an article may not take these slugs.
RESERVED_ARTICLE_SLUGS = {"feed"}
# Adults read web text at roughly this pace; used for "N min read".
WORDS_PER_MINUTE = 200
# A health article should be checked by a professional at least this often.
REVIEW_INTERVAL = datetime.timedelta(days=365)
# The renditions an article card shows (includes/article_card.html), prefetched by listings.
CARD_RENDITIONS = renditions.specs("article_card")
# Each category's article lookup, built once per process (CategoryPage.article_lookup).
ARTICLE_LOOKUPS = {}
# Each category's latest cards lookup (latest_cards_lookup).
LATEST_CARD_LOOKUPS = {}
# How many related articles an article shows (articles/article_page.html).
RELATED_CARDS = 3
# The names of the {% keep %} fragments an article page keeps under its id (base.html and
# articles/article_page.html).
KEPT_FRAGMENTS = ("social-meta", "breadcrumb-json-ld", "article-json-ld", "article")


def paginate(request, queryset, per_page=ARTICLES_PER_PAGE):
    """Return the requested page of a listing; a bad or out-of-range ?page= shows the nearest page.

    Paginator.get_page already maps non-numbers to the first page and numbers past the end to the
    last page; a reader following an old link is better served by a page than by an error.
    """
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


class ArticlePageQuerySet(SitePageQuerySet):
    def for_listing(self):
        """Live public articles, newest first, with everything an article card shows: the
        hero image joined in and its card renditions in one more query."""
        return (
            self.live()
            .public()
            .select_related("author", "hero_image")
            .prefetch_related(renditions_of("hero_image", CARD_RENDITIONS))
            .order_by("-published_date", "-pk")
        )

    def with_page_facts(self):
        """Each article's tags, and whether it is in a series and has related articles chosen
        by staff, read in the same query (three index lookups), so that its page asks no
        further query for its tags, nor for the others when the answer is no
        (ArticlePage.tag_list, series_navigation, related_cards)."""
        # The tags as JSON arrays [link id, tag id, name, slug] joined by commas (StringAgg
        # works on every database; ordered by link id in Python, as self.tags.all() orders).
        tag_rows = (
            ArticlePageTag.objects.filter(content_object=models.OuterRef("pk"))
            .order_by()
            .values("content_object")
            .annotate(
                rows=StringAgg(
                    Cast(JSONArray("pk", "tag_id", "tag__name", "tag__slug"), models.TextField()),
                    delimiter=models.Value(","),
                )
            )
            .values("rows")
        )
        return self.annotate(
            in_series=models.Exists(SeriesPart.objects.filter(article=models.OuterRef("pk"))),
            has_chosen_related=models.Exists(
                RelatedArticle.objects.filter(page=models.OuterRef("pk"))
            ),
            tag_rows=models.Subquery(tag_rows),
        )


ArticlePageManager = PageManager.from_queryset(ArticlePageQuerySet)


class ListingMixin:
    """Shared by the index and category pages: the articles below them, filtered and paged."""

    def articles(self):
        return ArticlePage.objects.for_listing().descendant_of(self)

    def listing_context(self, request):
        """The requested page of articles, read only if the template needs it: the listing
        is kept per content version and ``listing_key`` (the template's {% keep %}).

        The pages a listing answers are finitely many, so junk query strings never reach a
        cache: ``?page=`` must be a plain number in range and ``?tag=`` a known tag, else 404
        (``?page=1`` redirects to the address without it); see enfuse/caching/querystrings.py.
        Returns a redirect instead of a context for ``?page=1``.
        """
        number = querystrings.listing_page_number(request)
        if not isinstance(number, int):
            return number
        slug = querystrings.listing_tag_slug(request)
        tag = None
        if slug is not None:
            tag = kept_per_version(
                request, f"tag:{slug}", lambda: Tag.objects.filter(slug=slug).first()
            )
            if tag is None:
                raise Http404("No such tag")
        tag_pk = tag.pk if tag is not None else None

        def matching():
            articles = self.articles()
            return articles.filter(tags=tag_pk) if tag_pk is not None else articles

        count = kept_per_version(
            request, f"listing-count:{self.pk}:{tag_pk}", lambda: matching().count()
        )
        querystrings.check_page_in_range(number, count, ARTICLES_PER_PAGE)

        def page_of_articles():
            paginator = Paginator(matching(), ARTICLES_PER_PAGE)
            paginator.count = count  # already counted (and kept) above
            found = paginator.page(number)
            attach_categories(found.object_list)
            return found

        return {
            "articles": SimpleLazyObject(page_of_articles),
            "selected_tag": tag,
            "unknown_tag": None,
            # What the listing depends on: the page and the tag, both checked above.
            "listing_key": f"{number}|{tag.slug if tag is not None else ''}",
        }


def attach_categories(articles):
    """Give each article in a listing its category page (from the site snapshot: no query)."""
    articles = list(articles)
    if not articles:
        return articles
    snapshot = site_snapshot.current()
    steplen = Page.steplen
    categories = {}
    for article in articles:
        parent_path = article.path[:-steplen]
        if parent_path not in categories:
            categories[parent_path] = snapshot.page(parent_path)
        article.category = categories[parent_path]
    return articles


def card_stamp_of(values):
    """The stamp of an article card made from these column values (CARD_STAMP_FIELDS; a file
    counts by its name, as the database holds it)."""
    plain = tuple(value.name if isinstance(value, FieldFile) else value for value in values)
    return hashlib.blake2b(repr(plain).encode(), digest_size=12).hexdigest()


def latest_cards_key(parent_path, count):
    """The key a category's latest cards are kept under (kept_per_version, any host)."""
    return f"latest-cards:{parent_path}:{count}"


def latest_cards(parent_path, depth, count, snapshot):
    """The ``count`` latest live public articles below ``parent_path`` (at ``depth``), as
    (id, card stamp, tree path), newest first: what the related cards are chosen from."""
    return [
        (values[0], card_stamp_of(values), values[2])
        for values in latest_cards_lookup(parent_path, depth, count, snapshot)
    ]


def latest_cards_lookup(parent_path, depth, count, snapshot):
    """The columns of a category's ``count`` latest live public articles and their images:
    built once per category and set of private pages in each process, as building it (the
    privacy filter, 56 columns) took 1.6 ms of the 2.7 ms it cost."""
    # The privacy filter is made from the snapshot's restrictions; not from a snapshot made
    # for one request (rows that may still roll back).
    key = (parent_path, depth, count, snapshot.private_paths)
    lookup = LATEST_CARD_LOOKUPS.get(key) if snapshot.process_wide else None
    if lookup is None:
        lookup = (
            ArticlePage.objects.live()
            .public()
            .filter(path__startswith=parent_path, depth=depth)
            .order_by("-published_date", "-pk")
            .values_list(*CARD_STAMP_FIELDS)[:count]
        )
        if snapshot.process_wide:
            if len(LATEST_CARD_LOOKUPS) > 100:  # categories moved, privacy changed
                LATEST_CARD_LOOKUPS.clear()
            LATEST_CARD_LOOKUPS[key] = lookup
    return lookup._chain()


class LearningIndexPage(
    RoutablePageMixin, ListingMixin, SnapshotPageMixin, AltTextMixin, PromoteMixin, Page
):
    """The EnFuse Institute for Learning: its categories and the latest articles."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="A welcome of one or two sentences: what readers will learn here.",
    )

    search_fields = [*Page.search_fields, index.SearchField("intro")]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["studio.HomePage"]
    subpage_types = ["articles.CategoryPage"]
    max_count_per_parent = 1
    page_description = "The Institute for Learning: lists its categories and latest articles."
    image_fields = [("social_image", "social_image_alt")]

    def categories(self):
        """The live, public categories, in the editors' order (from the site snapshot)."""
        return site_snapshot.current().live_public_children(self, CategoryPage)

    @path("")
    def index_route(self, request):
        context = self.listing_context(request)
        if not isinstance(context, dict):
            return context
        context["categories"] = self.categories()
        return self.render(request, context_overrides=context)

    @path("feed/")
    def feed(self, request):
        from .feeds import ArticleFeed

        return ArticleFeed(self)(request)


class CategoryPage(
    RoutablePageMixin, ListingMixin, SnapshotPageMixin, AltTextMixin, PromoteMixin, Page
):
    """A subject of the Institute, e.g. Health & Wellness, listing its articles newest first."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="What the articles in this category are about, in one or two sentences.",
    )

    search_fields = [*Page.search_fields, index.SearchField("intro")]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["articles.LearningIndexPage"]
    subpage_types = ["articles.ArticlePage"]
    page_description = "A category of articles, e.g. Health & Wellness."
    image_fields = [("social_image", "social_image_alt")]

    def save(self, *args, **kwargs):
        # Its articles' search entries hold its title: a rename (published, or made by a
        # full save) rewrites them in the same transaction.
        renamed = (
            self.pk is not None
            and connection.vendor == "postgresql"
            and kwargs.get("update_fields") is None
            and CategoryPage.objects.filter(pk=self.pk).exclude(title=self.title).exists()
        )
        result = super().save(*args, **kwargs)
        if renamed:
            search_index.index_articles_below(self)
        return result

    def route(self, request, path_components):
        # An article is fetched in one query with what its page shows (author, reviewer,
        # hero image) instead of Wagtail's generic two, then the extra lookups per relation.
        if len(path_components) == 1 and path_components[0] not in RESERVED_ARTICLE_SLUGS:
            # Kept per content version (any edit moves it on); each request gets its own copy.
            article = kept_per_version(
                request,
                f"article:{self.pk}:{path_components[0]}",
                lambda: self.article_lookup().first(path_components[0]),
            )
            if article is not None:
                internals.set_cached_parent(article, self)
                return article.route(request, [])
        return super().route(request, path_components)

    def article_lookup(self):
        """This category's article by slug, with what its page shows (author, reviewer, hero
        image, tags and facts): compiled to SQL once per category in each process
        (enfuse/compiled_lookups.py), as building and compiling the query took 1.3 ms of the
        2.8 ms the lookup cost; each view only runs it with its slug."""
        key = (self.pk, self.path, self.depth)
        lookup = ARTICLE_LOOKUPS.get(key)
        if lookup is None:
            if len(ARTICLE_LOOKUPS) > 100:  # categories moved or deleted meanwhile
                ARTICLE_LOOKUPS.clear()
            lookup = ARTICLE_LOOKUPS[key] = CompiledLookup(
                ArticlePage.objects.child_of(self)
                .select_related("author", "reviewed_by", "hero_image")
                .with_page_facts(),
                "slug",
            )
        return lookup

    def make_kept_values(self, snapshot, content_token):
        """After any change, once committed (snapshot.warm): this category's latest cards
        under the new content token, so that no first view of its articles queries them."""
        count = RELATED_CARDS + 1
        depth = self.depth + 1
        share_for_any_host(
            snapshot,
            content_token,
            {latest_cards_key(self.path, count): latest_cards(self.path, depth, count, snapshot)},
        )

    @path("")
    def index_route(self, request):
        context = self.listing_context(request)
        if not isinstance(context, dict):
            return context
        return self.render(request, context_overrides=context)

    @path("feed/")
    def feed(self, request):
        from .feeds import ArticleFeed

        return ArticleFeed(self)(request)


class ArticlePageTag(TaggedItemBase):
    content_object = ParentalKey(
        "articles.ArticlePage", on_delete=models.CASCADE, related_name="tagged_items"
    )


class ArticlePage(SnapshotPageMixin, AltTextMixin, PromoteMixin, Page):
    """A health article of the Institute for Learning."""

    # A site may have thousands: kept one by one per content version, not in the site snapshot.
    keep_in_site_snapshot = False

    summary = models.TextField(
        max_length=300,
        help_text="One or two sentences that make someone want to read on. Shown in listings, "
        "feeds and search results, and used by search engines when the promote tab's "
        "description is empty.",
    )
    published_date = models.DateField(
        "first published",
        default=datetime.date.today,
        help_text="The article's publication date: listings are in this order, newest first.",
    )
    # The client's own articles carry no date; ordering still needs one, but a date nobody
    # chose must not be shown to readers as the publication date.
    show_date = models.BooleanField(
        "show the date to readers",
        default=True,
        help_text="Uncheck when the real publication date is unknown (e.g. an article copied "
        "from the old site): the date then only sets the order of the listings.",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A landscape photo shown at the top of the article and on its card.",
    )
    hero_image_alt = models.CharField(
        "hero image alt text",
        max_length=250,
        blank=True,
        help_text="Describe the image for someone who cannot see it. Required with an image.",
    )
    body = StreamField(
        ArticleBodyBlock(),
        help_text="The article: headings for each section, paragraphs, figures with alt text, "
        "quotes, tips and warnings, and links to trusted sources.",
    )
    author = models.ForeignKey(
        "studio.TeamMember",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="articles",
        help_text="Who wrote it. 'Team EnFuse' when the whole team did.",
    )
    reviewed_by = models.ForeignKey(
        "studio.TeamMember",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reviewed_articles",
        help_text="The qualified team member who checked the health content.",
    )
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        help_text="When the health content was last checked. Review it at least once a year.",
    )
    tags = ClusterTaggableManager(through=ArticlePageTag, blank=True)
    reading_minutes = models.PositiveSmallIntegerField(default=1, editable=False)

    objects = ArticlePageManager()

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("category_title"),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("published_date"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_image_alt")], heading="Hero image"
        ),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldPanel("author"),
                FieldPanel("published_date"),
                FieldPanel("show_date"),
                FieldPanel("tags"),
            ],
            heading="About this article",
        ),
        MultiFieldPanel(
            [FieldPanel("reviewed_by"), FieldPanel("last_reviewed")],
            heading="Health content review",
        ),
        InlinePanel(
            "related_articles",
            label="Related article",
            heading="Related articles",
            help_text="Chosen by hand; when empty, the latest articles of the same category show.",
        ),
    ]

    parent_page_types = ["articles.CategoryPage"]
    subpage_types = []
    page_description = "A health article, written in a category of the Institute for Learning."

    class Meta:
        # Listings show the newest first: with this index the database walks articles in that
        # order and stops after a page of them, instead of sorting every article of the site.
        indexes = [
            models.Index(fields=["-published_date", "-page_ptr"], name="article_newest_first")
        ]

    # The photos (with their alt text) a shared link may show, preferred first; AltTextMixin
    # requires the alt text of each one chosen.
    image_fields = [("social_image", "social_image_alt"), ("hero_image", "hero_image_alt")]

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        if self.slug in RESERVED_ARTICLE_SLUGS:
            errors["slug"] = f"'{self.slug}' is reserved: choose another slug."
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        # Computed once per save rather than on every view.
        self.reading_minutes = self.compute_reading_minutes()
        result = super().save(*args, **kwargs)
        # The search entry follows the row in the same transaction (draft saves, which
        # name only Wagtail's draft fields, leave the live content and the entry alone).
        update_fields = kwargs.get("update_fields")
        if update_fields is None or {"live", "title", "summary", "body"} & set(update_fields):
            search_index.index_articles([self])
        return result

    def compute_reading_minutes(self):
        words = len(" ".join(readable_text(self.body.raw_data)).split())
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    def category_title(self):
        parent = self.get_parent()
        return parent.title if parent else ""

    @property
    def has_review(self):
        """A review is shown only as staff recorded it: by someone, on a date."""
        return self.reviewed_by_id is not None and self.last_reviewed is not None

    @property
    def review_overdue(self):
        """True when the health content has not been reviewed within a year."""
        if self.last_reviewed is None:
            return True
        return timezone.localdate() - self.last_reviewed > REVIEW_INTERVAL

    @cached_property
    def series_navigation(self):
        """This article's place in its series, or None when it belongs to none."""
        if getattr(self, "in_series", True) is False:  # known from the page's own query
            return None
        # Every part of the series this article is in, in one query.
        parts = list(
            SeriesPart.objects.filter(series__parts__article_id=self.pk)
            .select_related("series", "article")
            .order_by("sort_order", "pk")
        )
        position = next((i for i, part in enumerate(parts) if part.article_id == self.pk), None)
        if position is None:
            return None
        return {
            "series": parts[position].series,
            "parts": parts,
            "number": position + 1,
            "total": len(parts),
            "previous": parts[position - 1] if position > 0 else None,
            "next": parts[position + 1] if position + 1 < len(parts) else None,
        }

    @cached_property
    def tag_list(self):
        """The article's tags, in the order they were added; read once (the template asks
        twice), from the page's own query when it read them (with_page_facts)."""
        rows = getattr(self, "tag_rows", False)
        if rows is False:  # e.g. a preview: the tags being edited
            return list(self.tags.all())
        return [
            Tag(pk=tag_id, name=name, slug=slug)
            for _link, tag_id, name, slug in sorted(json.loads(f"[{rows or ''}]"))
        ]

    @property
    def card_stamp(self):
        """A digest of the columns this article's card is made from, its own and its image's
        (CARD_STAMP_FIELDS); None when some were not read (deferred, or the image not joined),
        so that none is guessed."""
        if self.get_deferred_fields() & CARD_ARTICLE_SET:
            return None
        values = [getattr(self, name) for name in CARD_ARTICLE_FIELDS]
        if self.hero_image_id is None:
            values += [None] * len(CARD_IMAGE_FIELDS)
        else:
            image = self._state.fields_cache.get("hero_image")
            if image is None or image.get_deferred_fields() & CARD_IMAGE_SET:
                return None
            values += [getattr(image, name) for name in CARD_IMAGE_FIELDS]
        return card_stamp_of(values)

    def related_cards(self, limit=RELATED_CARDS, request=None):
        """Up to ``limit`` live articles as (id, card stamp, path) or, for those chosen by
        staff, (id, None, None): those, else the latest of the category (this one left out).

        The category's latest are kept per content version and category (an edit to any
        article moves it on), with their card stamps, for any host (they hold no address), and
        made by the change's own process once it commits (CategoryPage.make_kept_values): so
        an article's first view, even right after an edit, needs no query for them nor, after
        another article's publish, to make their cards; only an article with chosen links reads
        those (one query on the links' index).
        """
        chosen = getattr(self, "has_chosen_related", None)
        if chosen is None:  # an article not fetched by its category's route (e.g. a preview)
            chosen = RelatedArticle.objects.filter(page_id=self.pk).exists()
        if chosen:
            linked = (
                RelatedArticle.objects.filter(
                    page_id=self.pk,
                    related_page__in=ArticlePage.objects.live().public().values("pk"),
                )
                .order_by("sort_order", "pk")
                .values_list("related_page_id", flat=True)
            )
            return [(pk, None, None) for pk in dict.fromkeys(linked)][:limit]
        parent_path = self.path[: -self.steplen]
        latest = kept_per_version(
            request,
            latest_cards_key(parent_path, limit + 1),
            lambda: latest_cards(parent_path, self.depth, limit + 1, site_snapshot.current()),
            any_host=True,
        )
        return [card for card in latest if card[0] != self.pk][:limit]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # The ancestors (home, index, category) come from the site snapshot (SnapshotPageMixin);
        # the category itself was already fetched (specific) when the request was routed to us.
        ancestors = context["ancestors"]
        context["learning_index"] = ancestors[-2] if len(ancestors) > 1 else None
        context["category"] = self.get_parent().specific
        # The rest is read only when the article's HTML is not already kept (the template's
        # {% keep %} around everything that uses them): callables, which the template calls
        # when it renders that part. Nothing else keeps them: the HTML made from them is kept.
        context["series"] = lambda: self.series_navigation
        context["article_tags"] = lambda: self.tag_list
        context["related_cards"] = functools.partial(self.related_cards, request=request)
        # This page's kept HTML: asked of the shared store in one round trip, not one each.
        read_ahead(request, [fragment_key((name, self.pk)) for name in KEPT_FRAGMENTS])
        return context


# An article card (includes/article_card.html) is made from nothing else than the article's own
# columns (all but its body: the card shows the reading time saved from it), its image's columns
# (its renditions are made from them), its category's title and the site's root paths (its
# address). The card stamp is a digest of the columns; {% article_card %} keeps the card under it
# with the other two and no token, so no edit that leaves them alone, site-wide or not, makes it
# again, and any that changes one makes another key. The page's primary key comes first, so the
# values read for a stamp start with the article's id, then its path (its category's).
CARD_ARTICLE_FIELDS = [
    field.attname
    for field in sorted(
        ArticlePage._meta.concrete_fields,
        key=lambda field: (not field.primary_key, field.name != "path"),
    )
    if field.name != "body"
]
CARD_ARTICLE_SET = set(CARD_ARTICLE_FIELDS)
CARD_IMAGE_FIELDS = [field.attname for field in get_image_model()._meta.concrete_fields]
CARD_IMAGE_SET = set(CARD_IMAGE_FIELDS)
CARD_STAMP_FIELDS = CARD_ARTICLE_FIELDS + [
    f"hero_image__{field.name}" for field in get_image_model()._meta.concrete_fields
]


# The search indexes hold live articles only (search_index.py reads no others).
LIVE = models.Q(live=True)


class ArticleSearchEntry(models.Model):
    """An article's words for the site search, on PostgreSQL only (articles/search_index.py):
    written with the article's every content save, in the same transaction."""

    # Deleted by PostgreSQL with its article (the constraint its migration adds, ON DELETE
    # CASCADE): Django's own cascade would query this table on SQLite, which has none, and
    # Django refuses DB_CASCADE below the page's Python-level cascade (fields.E323).
    article = models.OneToOneField(
        ArticlePage,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        primary_key=True,
        related_name="search_entry",
    )
    # The article's own flag, copied: the search reads this table alone.
    live = models.BooleanField(default=False)
    # The title alone: "a title naming the query" ranks first.
    title = SearchVectorField()
    # Title (weight A), summary (B), body, tags and category (C).
    document = SearchVectorField()

    class Meta:
        # No table elsewhere: SQLite searches with Wagtail's backend.
        required_db_vendor = "postgresql"
        indexes = [
            GinIndex(fields=["document"], name="article_search_live", condition=LIVE),
            # Titles naming the query are ranked on their own first (search_index.py).
            GinIndex(fields=["title"], name="article_search_title", condition=LIVE),
        ]

    def __str__(self):
        return f"Search entry of article {self.article_id}"


class RelatedArticle(Orderable):
    page = ParentalKey(ArticlePage, on_delete=models.CASCADE, related_name="related_articles")
    related_page = models.ForeignKey(
        ArticlePage, on_delete=models.CASCADE, related_name="+", help_text="An article to suggest."
    )

    panels = [FieldPanel("related_page")]


class Series(ClusterableModel):
    """An ordered run of articles on one theme, e.g. 'Walking for health'."""

    title = models.CharField(
        max_length=120,
        unique=True,
        help_text="The series' name as readers see it on each part, e.g. 'Walking for health'.",
    )
    description = models.TextField(
        blank=True, help_text="One sentence on what the series covers, shown on each part."
    )

    panels = [
        FieldPanel("title"),
        FieldPanel("description"),
        InlinePanel(
            "parts",
            label="Part",
            heading="Parts, in reading order",
            help_text="Announce a part before it is written: give it a title and leave the "
            "article empty. It is linked once its article is published.",
        ),
    ]

    class Meta:
        verbose_name_plural = "series"
        ordering = ["title"]

    def __str__(self):
        return self.title


class SeriesPart(Orderable):
    """One part of a series: a published article, or a title announcing one still to come."""

    series = ParentalKey(Series, on_delete=models.CASCADE, related_name="parts")
    article = models.ForeignKey(
        ArticlePage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="series_parts",
        help_text="Leave empty for a part that is announced but not yet written.",
    )
    planned_title = models.CharField(
        max_length=200,
        blank=True,
        help_text="The title to announce while the article is not yet published.",
    )

    panels = [FieldPanel("article"), FieldPanel("planned_title")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["article"],
                condition=models.Q(article__isnull=False),
                name="article_in_one_series_only",
            )
        ]

    def clean(self):
        if not self.article_id and not self.planned_title.strip():
            raise ValidationError("Choose an article or give the planned part a title.")

    @property
    def is_available(self):
        return self.article is not None and self.article.live

    @property
    def title(self):
        if self.article is not None and (self.article.live or not self.planned_title):
            return self.article.title
        return self.planned_title

    def __str__(self):
        return self.title
