"""The studio: its home page, its team and the details shown on every page."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

DEFAULT_DISCLAIMER = (
    "THIS SITE DOES NOT PROVIDE MEDICAL ADVICE: None of the information on this site is intended "
    "or implied to be a substitute for professional medical advice, diagnosis or treatment."
)


class HomePage(Page):
    """The site root: what the studio offers and the way into the Institute for Learning."""

    intro = models.TextField(
        blank=True,
        help_text="One or two sentences under the studio's name: who you are and what you offer.",
    )

    search_fields = [*Page.search_fields, index.SearchField("intro")]
    content_panels = [*Page.content_panels, FieldPanel("intro")]

    parent_page_types = ["wagtailcore.Page"]
    max_count = 1
    page_description = "The home page of the site. There is only one."

    def get_context(self, request, *args, **kwargs):
        from articles.models import ArticlePage

        context = super().get_context(request, *args, **kwargs)
        context["latest_articles"] = ArticlePage.objects.for_listing().descendant_of(self)[:3]
        return context


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


@register_setting(icon="home")
class StudioSettings(BaseSiteSetting):
    """The studio's contact details and legal text, edited once and shown on every page."""

    name = models.CharField(max_length=100, default="EnFuse Fitness")
    phone = models.CharField(max_length=30, default="(860) 253-9111")
    support_email = models.EmailField(
        default="support@EnFuseFitness.com",
        help_text="Shown on every page and where contact form messages are sent.",
    )
    street_address = models.CharField(max_length=200, default="786 Enfield St")
    city = models.CharField(max_length=100, default="Enfield")
    state = models.CharField(max_length=50, default="CT")
    postcode = models.CharField(max_length=20, default="06082")
    country = models.CharField(max_length=2, default="US", help_text="Two-letter country code.")
    medical_disclaimer = models.TextField(
        default=DEFAULT_DISCLAIMER,
        help_text="Shown at the end of every article and on the disclaimer page.",
    )

    panels = [
        FieldPanel("name"),
        MultiFieldPanel(
            [FieldPanel("phone"), FieldPanel("support_email")], heading="How to reach the studio"
        ),
        MultiFieldPanel(
            [
                FieldPanel("street_address"),
                FieldPanel("city"),
                FieldPanel("state"),
                FieldPanel("postcode"),
                FieldPanel("country"),
            ],
            heading="Address",
        ),
        FieldPanel("medical_disclaimer"),
    ]

    class Meta:
        verbose_name = "studio details"

    def clean(self):
        super().clean()
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        if not 7 <= len(digits) <= 15:
            raise ValidationError({"phone": "Enter a phone number that can be dialled."})

    @property
    def phone_href(self):
        """The phone number as a tel: link target, digits only with the US country code."""
        digits = "".join(ch for ch in self.phone if ch.isdigit())
        if len(digits) == 10:
            digits = "1" + digits
        return f"tel:+{digits}"
