"""The studio's pages: home, services (index and one page each) and about."""

from django.conf import settings
from django.db import models
from django.utils.functional import SimpleLazyObject
from modelcluster.fields import ParentalKey
from wagtail.admin.panels import FieldPanel, FieldRowPanel, HelpPanel, InlinePanel, MultiFieldPanel
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager
from wagtail.search import index

from enfuse import images as rendition_presets
from enfuse.caching import snapshot as site_snapshot

from ..blocks import StudioStreamBlock
from .common import (
    AltTextMixin,
    PromoteMixin,
    SitePageQuerySet,
    SnapshotPageMixin,
    renditions_of,
)
from .snippets import FrequentlyAskedQuestion, TeamMember, Testimonial

# Each listing prefetches exactly the renditions its template's {% picture %} tag uses.
SERVICE_CARD_RENDITIONS = rendition_presets.specs("service_card")
TEAM_PHOTO_RENDITIONS = rendition_presets.specs("team_photo")


class HomePage(SnapshotPageMixin, AltTextMixin, PromoteMixin, Page):
    """The site root: what the studio offers, its services, latest articles, location and hours."""

    hero_heading = models.CharField(
        max_length=120,
        blank=True,
        help_text="The big headline at the top, e.g. 'Personal training in Enfield, CT'. "
        "The page title is used when empty.",
    )
    intro = models.TextField(
        blank=True,
        help_text="One or two sentences under the headline: who you are and what you offer.",
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A landscape photo of the studio or a session, shown beside the headline.",
    )
    hero_image_alt = models.CharField(
        "hero image alt text",
        max_length=250,
        blank=True,
        help_text="Describe the photo for someone who cannot see it. Required with a photo.",
    )
    hero_cta_label = models.CharField(
        "call to action",
        max_length=60,
        default="Contact us to get started",
        help_text="The main button's words. It opens the contact page (an email while there "
        "is none); a second button calls the studio.",
    )
    services_heading = models.CharField(
        max_length=120,
        default="What we offer",
        help_text="Heading above the service cards. The cards come from the Services pages.",
    )
    services_intro = models.TextField(
        blank=True, help_text="Optional sentence under the services heading."
    )
    body = StreamField(
        StudioStreamBlock(),
        blank=True,
        help_text="More about the studio, shown after the services.",
    )
    faq_heading = models.CharField(
        "questions heading",
        max_length=120,
        default="Your first visit: common questions",
        help_text="Heading above the questions and answers (edit those under Snippets > FAQ).",
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("hero_heading"),
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    content_panels = [
        *Page.content_panels,
        MultiFieldPanel(
            [
                FieldPanel("hero_heading"),
                FieldPanel("intro"),
                FieldPanel("hero_image"),
                FieldPanel("hero_image_alt"),
                FieldPanel("hero_cta_label"),
            ],
            heading="Hero",
        ),
        MultiFieldPanel(
            [FieldPanel("services_heading"), FieldPanel("services_intro")], heading="Services"
        ),
        FieldPanel("body"),
        FieldPanel("faq_heading"),
        HelpPanel(
            "Location, phone and opening hours come from Settings > Studio details; "
            "testimonials and questions from Snippets; the latest articles from the "
            "Institute for Learning."
        ),
    ]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = [
        "studio.ServiceIndexPage",
        "articles.LearningIndexPage",
        "studio.AboutPage",
        "studio.ContactPage",
        "studio.PrivacyPage",
    ]
    max_count = 1
    page_description = "The home page of the site. There is only one."
    image_fields = [("social_image", "social_image_alt"), ("hero_image", "hero_image_alt")]

    def services(self):
        return ServicePage.objects.for_cards().descendant_of(self)

    def route(self, request, path_components):
        # The site root: walk down the pages kept in the site snapshot (no query per level),
        # then let the deepest one route the rest (an article, a sub-route such as feed/).
        page, remaining = site_snapshot.for_request(request).resolve(self, path_components)
        if page.pk == self.pk:
            return super(HomePage, page).route(request, remaining)
        return page.route(request, remaining)

    def get_context(self, request, *args, **kwargs):
        from articles.models import ArticlePage, attach_categories

        context = super().get_context(request, *args, **kwargs)
        # Read only if the template needs them: the page's sections are kept per content
        # version and opening-hours window (home_page.html's {% keep %}).
        context["services"] = SimpleLazyObject(lambda: list(self.services()))
        context["latest_articles"] = SimpleLazyObject(
            lambda: attach_categories(ArticlePage.objects.for_listing().descendant_of(self)[:3])
        )
        context["testimonials"] = SimpleLazyObject(
            lambda: list(Testimonial.objects.for_display().filter(show_on_home=True)[:3])
        )
        context["questions"] = SimpleLazyObject(lambda: list(FrequentlyAskedQuestion.objects.all()))
        return context


class ServiceIndexPage(SnapshotPageMixin, AltTextMixin, PromoteMixin, Page):
    """/services/: every service the studio offers, as cards."""

    intro = RichTextField(
        blank=True,
        features=["bold", "italic", "link"],
        help_text="A sentence or two above the list of services.",
    )

    search_fields = [*Page.search_fields, index.SearchField("intro")]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["studio.HomePage"]
    subpage_types = ["studio.ServicePage"]
    max_count = 1
    page_description = "Lists the studio's services. Add each service as a page below it."
    image_fields = [("social_image", "social_image_alt")]

    def services(self):
        return ServicePage.objects.for_cards().child_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = SimpleLazyObject(lambda: list(self.services()))
        return context


class ServicePageQuerySet(SitePageQuerySet):
    def for_cards(self):
        """Live public services with the renditions their cards use, in the editors' order."""
        return (
            self.live()
            .public()
            .select_related("image")
            .prefetch_related(renditions_of("image", SERVICE_CARD_RENDITIONS))
            .order_by("path")
        )


class ServicePage(SnapshotPageMixin, AltTextMixin, PromoteMixin, Page):
    """One service (e.g. Pilates): what it is, what it costs and how to ask about it."""

    summary = models.TextField(
        max_length=300,
        help_text="One or two sentences: what the service is and who it helps. Shown on the "
        "service cards and to search engines.",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A landscape photo of the service, shown on its card and at the top of its page.",
    )
    image_alt = models.CharField(
        "image alt text",
        max_length=250,
        blank=True,
        help_text="Describe the photo for someone who cannot see it. Required with a photo.",
    )
    body = StreamField(
        StudioStreamBlock(),
        blank=True,
        help_text="What a session is like, who it is for, what to bring.",
    )
    cta_label = models.CharField(
        "call to action",
        max_length=60,
        blank=True,
        help_text="The button's words. 'Ask about <title>' when empty. It opens the contact "
        "page with this service chosen.",
    )

    objects = PageManager.from_queryset(ServicePageQuerySet)()

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel([FieldPanel("image"), FieldPanel("image_alt")], heading="Photo"),
        FieldPanel("body"),
        InlinePanel(
            "details",
            heading="Price, duration and format",
            label="Detail",
            help_text="Optional facts shown as a short list, e.g. 'Price: $60 per session'. "
            "The demo content's values are placeholders: replace them with the real ones.",
        ),
        FieldPanel("cta_label"),
    ]

    parent_page_types = ["studio.ServiceIndexPage"]
    subpage_types = []
    page_description = "A service such as Pilates or massage, with a button to ask about it."
    image_fields = [("social_image", "social_image_alt"), ("image", "image_alt")]

    @property
    def call_to_action(self):
        return self.cta_label or f"Ask about {self.title}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # Read only if the template needs them (service_page.html keeps its HTML per version).
        context["details"] = SimpleLazyObject(lambda: list(self.details.all()))
        context["testimonials"] = SimpleLazyObject(
            lambda: list(Testimonial.objects.for_display().filter(service=self))
        )
        snapshot = site_snapshot.for_request(request)
        parent = snapshot.page(self.path[: -self.steplen])
        context["other_services"] = [
            page
            for page in (snapshot.live_public_children(parent) if parent is not None else [])
            if isinstance(page, ServicePage) and page.pk != self.pk
        ]
        return context


class ServiceDetail(Orderable):
    """One optional fact about a service: its price, duration or format."""

    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="details")
    label = models.CharField(
        max_length=40, help_text="What the fact is, e.g. 'Price', 'Duration' or 'Format'."
    )
    value = models.CharField(
        max_length=120,
        help_text="e.g. '$60 per session', '60 minutes', 'One-on-one or small group'.",
    )

    panels = [FieldRowPanel([FieldPanel("label"), FieldPanel("value")])]

    def __str__(self):
        return f"{self.label}: {self.value}"


class AboutPage(SnapshotPageMixin, AltTextMixin, PromoteMixin, Page):
    """/about/: who the studio is (veteran and family-owned, since 2010) and Team EnFuse."""

    heading = models.CharField(
        max_length=120,
        blank=True,
        help_text="The main heading, e.g. 'Veteran and family-owned since 2010'. The page "
        "title (short, for the menu) is used when empty.",
    )
    intro = models.TextField(
        blank=True, help_text="The opening paragraph: who the studio is, in a few sentences."
    )
    body = StreamField(
        StudioStreamBlock(), blank=True, help_text="The studio's story, values and approach."
    )
    team_heading = models.CharField(
        max_length=120, default="Team EnFuse", help_text="Heading above the team members."
    )

    search_fields = [
        *Page.search_fields,
        index.SearchField("heading"),
        index.SearchField("intro"),
        index.SearchField("body"),
    ]
    content_panels = [
        *Page.content_panels,
        FieldPanel("heading"),
        FieldPanel("intro"),
        FieldPanel("body"),
        FieldPanel("team_heading"),
        InlinePanel(
            "team_members",
            heading="Team members",
            label="Team member",
            help_text="Who to show, in order. Edit their details under Team.",
        ),
    ]

    parent_page_types = ["studio.HomePage"]
    subpage_types = []
    max_count = 1
    page_description = "About the studio and its team, with the ways to contact them."
    image_fields = [("social_image", "social_image_alt")]

    def team(self):
        """The chosen team members in order, with their photos' renditions."""
        links = (
            self.team_members.all()
            .select_related("member", "member__photo")
            .prefetch_related(renditions_of("member__photo", TEAM_PHOTO_RENDITIONS))
        )
        return [link.member for link in links if link.member is not None]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["team"] = SimpleLazyObject(self.team)
        return context


class AboutTeamMember(Orderable):
    """A team member shown on the about page, in the order staff choose."""

    page = ParentalKey(AboutPage, on_delete=models.CASCADE, related_name="team_members")
    member = models.ForeignKey(
        TeamMember,
        on_delete=models.CASCADE,
        related_name="about_pages",
        help_text="Choose a team member to show.",
    )

    panels = [FieldPanel("member")]


class PrivacyPage(SnapshotPageMixin, PromoteMixin, Page):
    """/privacy/: what the contact form collects, who receives it, how long it is kept and how
    to ask for its deletion. The facts (the fields, the support address, the retention period)
    are read from the form, the studio settings and CONTACT_RETENTION_DAYS, so they cannot
    drift; staff write the rest."""

    intro = models.TextField(
        blank=True,
        help_text="A sentence or two above the facts, e.g. 'We collect only what we need to "
        "answer you.'",
    )
    body = RichTextField(
        blank=True,
        features=["h2", "h3", "bold", "italic", "link", "ol", "ul"],
        help_text="The rest of the policy, in the studio's own words. The demo text is only a "
        "starting point: have it checked before going live.",
    )

    search_fields = [*Page.search_fields, index.SearchField("intro"), index.SearchField("body")]
    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        HelpPanel(
            "Shown after the intro, from the site itself: what the contact form asks for, "
            "that messages go to the support address (Settings > Studio details), how many "
            "days they are kept (CONTACT_RETENTION_DAYS) and how to ask for deletion."
        ),
        FieldPanel("body"),
    ]

    parent_page_types = ["studio.HomePage"]
    subpage_types = []
    max_count = 1
    page_description = "The privacy policy, linked from every page's footer and the contact form."

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["retention_days"] = settings.CONTACT_RETENTION_DAYS
        return context
