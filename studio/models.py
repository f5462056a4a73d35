"""The studio: its pages (home, services, about), its people and the details shown on every page."""

from decimal import Decimal
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    HelpPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField, StreamField
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import Orderable, Page, PageManager, PageQuerySet
from wagtail.search import index

from . import hours
from .blocks import StudioStreamBlock
from .forms import StudioSettingsForm
from .validators import phone_e164, validate_phone

DEFAULT_DISCLAIMER = (
    "THIS SITE DOES NOT PROVIDE MEDICAL ADVICE: None of the information on this site is intended "
    "or implied to be a substitute for professional medical advice, diagnosis or treatment."
)
# Placeholders: the client's page gives no coordinates. Roughly 786 Enfield St, Enfield, CT.
PLACEHOLDER_LATITUDE = Decimal("41.983700")
PLACEHOLDER_LONGITUDE = Decimal("-72.592000")


def renditions(*specs):
    """The rendition filter specs a {% picture %} tag with these arguments asks for."""
    return tuple(Filter.expand_spec(list(specs)))


# Each listing prefetches exactly the renditions its template's {% picture %} tag uses.
SERVICE_CARD_RENDITIONS = renditions("format-{avif,webp,jpeg}", "fill-{480x320,960x640}")
TEAM_PHOTO_RENDITIONS = renditions("format-{avif,webp,jpeg}", "fill-{240x240,480x480}")


def coordinate_text(value):
    """'41.9837' from Decimal('41.983700'); '-72' from Decimal('-72.000000')."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# Rows in the order staff arranged them; rows added in code (no sort order yet) come last on
# every database (SQLite and PostgreSQL disagree on where NULLs sort).
IN_STAFF_ORDER = (models.F("sort_order").asc(nulls_last=True), "pk")


def images_with(specs):
    return get_image_model().objects.prefetch_renditions(*specs)


class AltTextMixin:
    """Pages with an image and an alt text field: the alt text is required with the image."""

    image_fields = ()

    def clean(self):
        super().clean()
        errors = {}
        for image_field, alt_field in self.image_fields:
            if getattr(self, f"{image_field}_id") and not getattr(self, alt_field).strip():
                errors[alt_field] = "Describe the image for visitors who cannot see it."
        if errors:
            raise ValidationError(errors)


# --- Pages ------------------------------------------------------------------------------------


class HomePage(AltTextMixin, Page):
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
    subpage_types = ["studio.ServiceIndexPage", "articles.LearningIndexPage", "studio.AboutPage"]
    max_count = 1
    page_description = "The home page of the site. There is only one."
    image_fields = [("hero_image", "hero_image_alt")]

    def services(self):
        return ServicePage.objects.for_cards().descendant_of(self)

    def get_context(self, request, *args, **kwargs):
        from articles.models import ArticlePage, attach_categories

        context = super().get_context(request, *args, **kwargs)
        context["services"] = list(self.services())
        latest = ArticlePage.objects.for_listing().descendant_of(self)[:3]
        context["latest_articles"] = attach_categories(latest)
        context["testimonials"] = Testimonial.objects.for_display().filter(show_on_home=True)[:3]
        context["questions"] = list(FrequentlyAskedQuestion.objects.all())
        return context


class ServiceIndexPage(Page):
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

    def services(self):
        return ServicePage.objects.for_cards().child_of(self)

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["services"] = list(self.services())
        return context


class ServicePageQuerySet(PageQuerySet):
    def for_cards(self):
        """Live public services with the renditions their cards use, in the editors' order."""
        return (
            self.live()
            .public()
            .prefetch_related(
                models.Prefetch("image", queryset=images_with(SERVICE_CARD_RENDITIONS))
            )
            .order_by("path")
        )


class ServicePage(AltTextMixin, Page):
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
    image_fields = [("image", "image_alt")]

    @property
    def call_to_action(self):
        return self.cta_label or f"Ask about {self.title}"

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["details"] = list(self.details.all())
        context["testimonials"] = list(Testimonial.objects.for_display().filter(service=self))
        context["other_services"] = list(
            ServicePage.objects.live()
            .public()
            .sibling_of(self, inclusive=False)
            .only("title", "url_path", "path", "depth")
        )
        return context


class ServiceDetail(Orderable):
    """One optional fact about a service: its price, duration or format."""

    page = ParentalKey(ServicePage, on_delete=models.CASCADE, related_name="details")
    label = models.CharField(
        max_length=40, help_text="What the fact is, e.g. 'Price', 'Duration' or 'Format'."
    )
    value = models.CharField(
        max_length=120,
        help_text="e.g. '$60 per session', '60 minutes', 'One-to-one or small group'.",
    )

    panels = [FieldRowPanel([FieldPanel("label"), FieldPanel("value")])]

    def __str__(self):
        return f"{self.label}: {self.value}"


class AboutPage(Page):
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

    def team(self):
        """The chosen team members in order, with their photos' renditions."""
        photos = models.Prefetch("member__photo", queryset=images_with(TEAM_PHOTO_RENDITIONS))
        links = self.team_members.all().select_related("member").prefetch_related(photos)
        return [link.member for link in links if link.member is not None]

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["team"] = self.team()
        return context


# --- Snippets ---------------------------------------------------------------------------------


class TeamMember(index.Indexed, models.Model):
    """A person (or the team as a whole) who trains clients and writes articles."""

    name = models.CharField(
        max_length=100, help_text="As readers should see it, e.g. 'Team EnFuse'."
    )
    role = models.CharField(
        max_length=100, blank=True, help_text="e.g. 'Certified personal trainer'."
    )
    photo = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A friendly head-and-shoulders photo. Its description is used as alt text.",
    )
    bio = RichTextField(
        blank=True, features=["bold", "italic", "link"], help_text="A short paragraph about them."
    )
    qualifications = models.TextField(
        blank=True, help_text="Certifications and training, one per line."
    )

    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]
    panels = [
        FieldPanel("name"),
        FieldPanel("role"),
        FieldPanel("photo"),
        FieldPanel("bio"),
        FieldPanel("qualifications"),
    ]

    class Meta:
        ordering = ["name"]
        verbose_name = "team member"

    def __str__(self):
        return self.name

    @property
    def qualification_list(self):
        return [line.strip() for line in self.qualifications.splitlines() if line.strip()]


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


class TestimonialQuerySet(models.QuerySet):
    def for_display(self):
        return self.select_related("service").order_by(*IN_STAFF_ORDER)


class Testimonial(Orderable):
    """A client's words about the studio, shown on the home page and on the service's page."""

    quote = models.TextField(
        max_length=600,
        help_text="The client's own words, with their permission. No quotation marks needed.",
    )
    first_name = models.CharField(
        max_length=60,
        help_text="The client's first name only (or an initial), as they agreed to be named.",
    )
    service = models.ForeignKey(
        ServicePage,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="testimonials",
        help_text="The service it is about; it is then also shown on that service's page.",
    )
    show_on_home = models.BooleanField(
        default=True, help_text="Show on the home page (the first three are shown)."
    )

    objects = TestimonialQuerySet.as_manager()

    panels = [
        FieldPanel("quote"),
        FieldPanel("first_name"),
        FieldPanel("service"),
        FieldPanel("show_on_home"),
    ]

    class Meta(Orderable.Meta):
        ordering = IN_STAFF_ORDER
        verbose_name = "testimonial"

    def __str__(self):
        return f"{self.first_name}: {self.quote[:60]}"


class FrequentlyAskedQuestion(Orderable):
    """A question a new client asks before the first visit, with the studio's answer."""

    question = models.CharField(
        max_length=200, help_text="As a client would ask it, e.g. 'What should I bring?'"
    )
    answer = RichTextField(
        features=["bold", "italic", "link", "ol", "ul"],
        help_text="A short, friendly answer. Shown on the home page and to search engines.",
    )

    panels = [FieldPanel("question"), FieldPanel("answer")]

    class Meta(Orderable.Meta):
        ordering = IN_STAFF_ORDER
        verbose_name = "FAQ"
        verbose_name_plural = "FAQ"

    def __str__(self):
        return self.question


# --- Studio details (site setting) ------------------------------------------------------------


@register_setting(icon="home")
class StudioSettings(ClusterableModel, BaseSiteSetting):
    """The studio's contact details, hours and legal text, edited once and shown on every page."""

    name = models.CharField(
        max_length=100,
        default="EnFuse Fitness",
        help_text="The studio's name as shown on the site.",
    )
    phone = models.CharField(
        max_length=30,
        default="(860) 253-9111",
        validators=[validate_phone],
        help_text="As visitors should read it, e.g. (860) 253-9111. Every page links it for "
        "click-to-call.",
    )
    support_email = models.EmailField(
        default="support@EnFuseFitness.com",
        help_text="Shown on every page and where contact form messages are sent.",
    )
    street_address = models.CharField(
        max_length=200, default="786 Enfield St", help_text="Number and street."
    )
    city = models.CharField(max_length=100, default="Enfield", help_text="Town or city.")
    state = models.CharField(
        max_length=50, default="CT", help_text="Two-letter state code, e.g. CT."
    )
    postcode = models.CharField(max_length=20, default="06082", help_text="ZIP code.")
    country = models.CharField(
        max_length=2,
        default="US",
        validators=[
            RegexValidator(
                r"^[A-Z]{2}$", message="Use the two-letter country code in capitals, e.g. US."
            )
        ],
        help_text="Two-letter country code, e.g. US.",
    )
    latitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        default=PLACEHOLDER_LATITUDE,
        validators=[
            MinValueValidator(-90, message="Latitude must be between -90 and 90."),
            MaxValueValidator(90, message="Latitude must be between -90 and 90."),
        ],
        help_text="PLACEHOLDER (41.9837): check it. Between -90 and 90; Enfield, CT is about "
        "41.98. Right-click the studio on openstreetmap.org and choose 'Show address' to "
        "read it. Used for the map link and search engines.",
    )
    longitude = models.DecimalField(
        max_digits=9,
        decimal_places=6,
        null=True,
        blank=True,
        default=PLACEHOLDER_LONGITUDE,
        validators=[
            MinValueValidator(-180, message="Longitude must be between -180 and 180."),
            MaxValueValidator(180, message="Longitude must be between -180 and 180."),
        ],
        help_text="PLACEHOLDER (-72.5920): check it. Between -180 and 180; Enfield, CT is "
        "about -72.59 (west of Greenwich is negative).",
    )
    areas_served = models.TextField(
        default="western Massachusetts\nnorthern Connecticut",
        blank=True,
        help_text="One area per line, as they read after 'Proudly serving residents of', "
        "e.g. 'western Massachusetts'.",
    )
    year_founded = models.PositiveSmallIntegerField(
        default=2010,
        validators=[MinValueValidator(1900, message="Enter a year from 1900 on.")],
        help_text="The year the studio opened, shown as 'since 2010'.",
    )
    about = models.TextField(
        blank=True,
        help_text="One paragraph about the studio, for the home and about pages and search "
        "engines.",
    )
    image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="A photo of the studio, given to search engines with the studio's details.",
    )
    medical_disclaimer = models.TextField(
        default=DEFAULT_DISCLAIMER,
        help_text="Shown at the end of every article and on the disclaimer page.",
    )

    base_form_class = StudioSettingsForm
    edit_handler = TabbedInterface(
        [
            ObjectList(
                [
                    FieldPanel("name"),
                    MultiFieldPanel(
                        [FieldPanel("phone"), FieldPanel("support_email")],
                        heading="How to reach the studio",
                    ),
                    MultiFieldPanel(
                        [
                            FieldPanel("street_address"),
                            FieldPanel("city"),
                            FieldRowPanel(
                                [FieldPanel("state"), FieldPanel("postcode"), FieldPanel("country")]
                            ),
                        ],
                        heading="Address",
                    ),
                    MultiFieldPanel(
                        [FieldRowPanel([FieldPanel("latitude"), FieldPanel("longitude")])],
                        heading="Map position",
                        help_text="The demo values are placeholders near 786 Enfield St: "
                        "check them before going live.",
                    ),
                ],
                heading="Contact and location",
            ),
            ObjectList(
                [
                    InlinePanel(
                        "opening_hours",
                        heading="Regular weekly hours",
                        label="Day",
                        help_text="One row per day, or several for a day with a break. A day "
                        "without a row is shown as closed. The demo content's hours are "
                        "PLACEHOLDERS: replace them with the studio's real hours.",
                    ),
                    InlinePanel(
                        "special_days",
                        heading="Special days",
                        label="Special day",
                        help_text="Holidays, closures and changed hours, for one day or a "
                        "range. They replace the weekly hours on those dates. Past ones can be "
                        "deleted.",
                    ),
                ],
                heading="Opening hours",
            ),
            ObjectList(
                [
                    FieldPanel("about"),
                    FieldPanel("year_founded"),
                    FieldPanel("areas_served"),
                    FieldPanel("image"),
                    InlinePanel(
                        "social_links",
                        heading="Social profiles",
                        label="Social profile",
                        help_text="The studio's own pages on social networks, linked in the "
                        "footer.",
                    ),
                ],
                heading="About the studio",
            ),
            ObjectList([FieldPanel("medical_disclaimer")], heading="Medical disclaimer"),
        ]
    )

    class Meta:
        verbose_name = "studio details"

    @classmethod
    def base_queryset(cls):
        """The settings with their image and rows: four queries, once per request."""
        return (
            super()
            .base_queryset()
            .select_related("image")
            .prefetch_related(
                models.Prefetch("opening_hours", OpeningHours.objects.order_by(*IN_STAFF_ORDER)),
                models.Prefetch("special_days", SpecialDay.objects.order_by(*IN_STAFF_ORDER)),
                models.Prefetch("social_links", SocialLink.objects.order_by(*IN_STAFF_ORDER)),
            )
        )

    def clean(self):
        super().clean()
        errors = {}
        if self.year_founded and self.year_founded > timezone.localdate().year:
            errors["year_founded"] = "The year founded cannot be in the future."
        if (self.latitude is None) != (self.longitude is None):
            message = "Give both latitude and longitude, or neither."
            errors["latitude" if self.latitude is None else "longitude"] = message
        if errors:
            raise ValidationError(errors)

    # Values the templates and structured data use.

    @property
    def phone_e164(self):
        return phone_e164(self.phone)

    @property
    def phone_href(self):
        """The phone number as a tel: link target, e.g. tel:+18602539111."""
        return f"tel:{self.phone_e164}"

    @property
    def mailto_href(self):
        return f"mailto:{self.support_email}"

    @property
    def address_line(self):
        """'786 Enfield St, Enfield, CT 06082'."""
        parts = [self.street_address, self.city, f"{self.state} {self.postcode}".strip()]
        return ", ".join(part for part in parts if part)

    @property
    def map_url(self):
        """A plain link to the studio on OpenStreetMap (no embedded map, no script)."""
        if self.latitude is not None and self.longitude is not None:
            lat, lon = coordinate_text(self.latitude), coordinate_text(self.longitude)
            query = urlencode({"mlat": lat, "mlon": lon})
            return f"https://www.openstreetmap.org/?{query}#map=17/{lat}/{lon}"
        query = urlencode({"query": f"{self.address_line}, {self.country}"})
        return f"https://www.openstreetmap.org/search?{query}"

    @property
    def areas_served_list(self):
        return [line.strip() for line in self.areas_served.splitlines() if line.strip()]

    @property
    def serving_line(self):
        """'Proudly serving residents of western Massachusetts and northern Connecticut since
        2010', from the areas served and the year founded."""
        areas = self.areas_served_list
        since = f" since {self.year_founded}" if self.year_founded else ""
        if not areas:
            return f"Proudly serving our community{since}"
        joined = areas[0] if len(areas) == 1 else ", ".join(areas[:-1]) + " and " + areas[-1]
        return f"Proudly serving residents of {joined}{since}"

    def hours_at(self, now=None):
        """Opening status, the regular week and upcoming special days at ``now`` (default: now).

        Computed once per settings object for the current moment; the settings object itself
        is cached on the request, so header, footer and page share one computation.
        """
        if now is not None:
            return hours.studio_hours(now, self.opening_hours.all(), self.special_days.all())
        if not hasattr(self, "_hours_now"):
            self._hours_now = hours.studio_hours(
                hours.current_time(), self.opening_hours.all(), self.special_days.all()
            )
        return self._hours_now

    def __getstate__(self):
        state = super().__getstate__()
        state.pop("_hours_now", None)
        return state


class HoursMixin(models.Model):
    """Opening and closing times, or closed: shared by weekly rows and special days."""

    opens = models.TimeField(null=True, blank=True, help_text="e.g. 06:00. Empty when closed.")
    closes = models.TimeField(null=True, blank=True, help_text="e.g. 20:00, after opening.")

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        if self.closed:
            if self.opens is not None or self.closes is not None:
                raise ValidationError(
                    {"closed": "A closed day has no opening times: clear them, or untick Closed."}
                )
            return
        errors = {}
        if self.opens is None:
            errors["opens"] = "Give the opening time, or tick Closed."
        if self.closes is None:
            errors["closes"] = "Give the closing time, or tick Closed."
        if errors:
            raise ValidationError(errors)
        if self.closes <= self.opens:
            raise ValidationError(
                {
                    "closes": f"The closing time ({hours.format_time(self.closes)}) must be "
                    f"after the opening time ({hours.format_time(self.opens)})."
                }
            )

    @property
    def period(self):
        if self.closed or self.opens is None or self.closes is None:
            return None
        return hours.Period(self.opens, self.closes)


class OpeningHours(HoursMixin, Orderable):
    """A regular weekly opening: a weekday and its times, or the day marked closed."""

    studio = ParentalKey(StudioSettings, on_delete=models.CASCADE, related_name="opening_hours")
    weekday = models.PositiveSmallIntegerField(
        choices=hours.WEEKDAYS, help_text="The day of the week."
    )
    closed = models.BooleanField(default=False, help_text="Closed all day (no times).")

    panels = [
        FieldRowPanel(
            [FieldPanel("weekday"), FieldPanel("opens"), FieldPanel("closes"), FieldPanel("closed")]
        )
    ]

    class Meta(Orderable.Meta):
        verbose_name = "opening hours"
        verbose_name_plural = "opening hours"

    def __str__(self):
        period = self.period
        return f"{hours.WEEKDAY_NAMES[self.weekday]}: {period or 'Closed'}"


class SpecialDay(HoursMixin, Orderable):
    """A holiday, closure or change of hours on a date or a range of dates."""

    studio = ParentalKey(StudioSettings, on_delete=models.CASCADE, related_name="special_days")
    label = models.CharField(
        max_length=100,
        help_text="What visitors see, e.g. 'Thanksgiving' or 'Staff training'.",
    )
    start_date = models.DateField(help_text="The first (or only) day.")
    end_date = models.DateField(
        null=True, blank=True, help_text="The last day of a range. Empty for a single day."
    )
    closed = models.BooleanField(
        default=True, help_text="Closed all day. Untick and give times for changed hours."
    )

    panels = [
        FieldPanel("label"),
        FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
        FieldRowPanel([FieldPanel("closed"), FieldPanel("opens"), FieldPanel("closes")]),
    ]

    class Meta(Orderable.Meta):
        verbose_name = "special day"

    def __str__(self):
        return f"{self.label}: {self.dates_text}"

    def clean(self):
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors.update(error.message_dict)
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "The last day must be on or after the first day."
        if errors:
            raise ValidationError(errors)

    @property
    def last_date(self):
        return self.end_date or self.start_date

    @property
    def dates_text(self):
        if self.last_date == self.start_date:
            return hours.format_date(self.start_date)
        return f"{hours.format_date(self.start_date)} to {hours.format_date(self.last_date)}"

    @property
    def hours_text(self):
        return hours.periods_text(hours.special_periods(self))


class SocialLink(Orderable):
    """One of the studio's profiles on a social network."""

    studio = ParentalKey(StudioSettings, on_delete=models.CASCADE, related_name="social_links")
    network = models.CharField(max_length=40, help_text="As visitors know it, e.g. 'Facebook'.")
    url = models.URLField(help_text="The full address of the studio's profile, https://…")

    panels = [FieldRowPanel([FieldPanel("network"), FieldPanel("url")])]

    def __str__(self):
        return self.network
