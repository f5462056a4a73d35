"""Snippets staff edit once and the pages show: team members, testimonials and the FAQ."""

from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Orderable
from wagtail.search import index

from .common import IN_STAFF_ORDER


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


class TestimonialQuerySet(models.QuerySet):
    def for_display(self):
        """The testimonials staff have published, in their order (none: the section hides)."""
        return self.filter(published=True).select_related("service").order_by(*IN_STAFF_ORDER)


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
        "studio.ServicePage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="testimonials",
        help_text="The service it is about; it is then also shown on that service's page.",
    )
    show_on_home = models.BooleanField(
        default=True, help_text="Show on the home page (the first three are shown)."
    )
    # Off by default: an invented or sample testimonial must never reach visitors (the FTC's
    # 2024 rule on fake reviews), so a person confirms each one before it is shown.
    published = models.BooleanField(
        "show on the site",
        default=False,
        help_text="Check only for a real client's own words, given with their permission. "
        "Unchecked, it is kept here but shown nowhere.",
    )

    objects = TestimonialQuerySet.as_manager()

    panels = [
        FieldPanel("quote"),
        FieldPanel("first_name"),
        FieldPanel("service"),
        FieldPanel("show_on_home"),
        FieldPanel("published"),
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
