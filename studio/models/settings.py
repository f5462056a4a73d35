"""The studio details site setting, with its weekly hours, special days and social profiles."""

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
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable

from .. import hours
from ..contact.validators import phone_e164, validate_phone
from ..forms import StudioSettingsForm
from .common import IN_STAFF_ORDER

DEFAULT_DISCLAIMER = (
    "THIS SITE DOES NOT PROVIDE MEDICAL ADVICE: None of the information on this site is intended "
    "or implied to be a substitute for professional medical advice, diagnosis or treatment."
)
# Placeholders: the client's page gives no coordinates. Roughly 786 Enfield St, Enfield, CT.
PLACEHOLDER_LATITUDE = Decimal("41.983700")
PLACEHOLDER_LONGITUDE = Decimal("-72.592000")


def coordinate_text(value):
    """'41.9837' from Decimal('41.983700'); '-72' from Decimal('-72.000000')."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


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
    postcode = models.CharField("ZIP code", max_length=20, default="06082", help_text="e.g. 06082.")
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
    wordmark = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The studio's name as a logo (a wide PNG or WebP with a transparent background, "
        "light on dark), at the top of every page. "
        "Empty: the built-in EnFuse Fitness wordmark. Its alt text is the studio's name.",
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
                    FieldPanel("wordmark"),
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
            .select_related("image", "wordmark")
            .prefetch_related(
                models.Prefetch("opening_hours", OpeningHours.objects.order_by(*IN_STAFF_ORDER)),
                models.Prefetch("special_days", SpecialDay.objects.order_by(*IN_STAFF_ORDER)),
                models.Prefetch("social_links", SocialLink.objects.order_by(*IN_STAFF_ORDER)),
            )
        )

    @classmethod
    def for_request(cls, request):
        """The studio details for the request's site, from the site snapshot (a copy per
        request, cached on it as Wagtail does): no query on most requests."""
        from wagtail.models import Site

        from enfuse.caching import snapshot

        attr_name = cls.get_cache_attr_name()
        if hasattr(request, attr_name):
            return getattr(request, attr_name)
        site = Site.find_for_request(request)
        if site is None:
            return super().for_request(request)
        studio = snapshot.for_request(request).setting(cls, site)
        studio._request = request
        setattr(request, attr_name, studio)
        return studio

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
