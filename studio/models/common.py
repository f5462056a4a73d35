"""Helpers shared by the studio's models: rendition specs, staff ordering, alt text checks."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.images import get_image_model
from wagtail.images.models import Filter


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
