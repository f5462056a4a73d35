"""Helpers shared by the studio's models: rendition specs, staff ordering, alt text checks, and
the promote tab every page type shares."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from ..admin_forms import PageForm


def renditions(*specs):
    """The rendition filter specs a {% picture %} tag with these arguments asks for."""
    return tuple(Filter.expand_spec(list(specs)))


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


class PromoteMixin(models.Model):
    """The promote tab of every page type: the search engine title and description, with the
    studio's guidance, and the picture shown when the page is shared.

    List ``("social_image", "social_image_alt")`` first in the page's ``image_fields``: the
    social card (studio_tags.social_image_of) then prefers it, and AltTextMixin requires its
    alt text.
    """

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The picture shown when this page is shared on Facebook, X, LinkedIn or in a "
        "message, cropped to a wide 1200×630. Leave empty to use the page's own photo, or "
        "else the studio's photo.",
    )
    social_image_alt = models.CharField(
        "social image alt text",
        max_length=250,
        blank=True,
        help_text="Describe the picture for someone who cannot see it. Required with a "
        "social image.",
    )

    promote_panels = [
        MultiFieldPanel(
            [FieldPanel("slug"), FieldPanel("seo_title"), FieldPanel("search_description")],
            heading="For search engines",
        ),
        MultiFieldPanel(
            [FieldPanel("social_image"), FieldPanel("social_image_alt")],
            heading="When shared on social media",
        ),
        MultiFieldPanel([FieldPanel("show_in_menus")], heading="For site menus"),
    ]
    base_form_class = PageForm

    class Meta:
        abstract = True
