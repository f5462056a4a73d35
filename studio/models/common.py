"""Helpers shared by the studio's models: rendition specs, staff ordering, alt text checks, and
the promote tab every page type shares."""

from django.core.exceptions import ValidationError
from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.images import get_image_model
from wagtail.images.models import Filter
from wagtail.models import PageQuerySet, PageViewRestriction

from enfuse.caching import snapshot as site_snapshot

from ..staff.editor_forms import PageForm


def renditions(*specs):
    """The rendition filter specs a {% picture %} tag with these arguments asks for."""
    return tuple(Filter.expand_spec(list(specs)))


# Rows in the order staff arranged them; rows added in code (no sort order yet) come last on
# every database (SQLite and PostgreSQL disagree on where NULLs sort).
IN_STAFF_ORDER = (models.F("sort_order").asc(nulls_last=True), "pk")


def images_with(specs):
    return get_image_model().objects.prefetch_renditions(*specs)


def renditions_of(image_field, specs):
    """Prefetch the renditions ``specs`` of the image in ``image_field`` (select_related it):
    one query for a whole listing, found by the image's get_rendition()."""
    rendition_model = get_image_model().get_rendition_model()
    return models.Prefetch(
        f"{image_field}__renditions",
        queryset=rendition_model.objects.filter(
            filter_spec__in=[spec.spec if isinstance(spec, Filter) else spec for spec in specs]
        ),
        to_attr="prefetched_renditions",
    )


class SitePageQuerySet(PageQuerySet):
    """Page querysets whose ``public()`` reads the privacy restrictions from the site snapshot
    (Wagtail's reads them all from the database on every call)."""

    def private_q(self):
        q = models.Q()
        for restriction in site_snapshot.current().restrictions:
            q |= self.descendant_of_q(restriction.page, inclusive=True)
        # Match no page when nothing is private (as Wagtail does).
        return q if q else models.Q(pk__in=[])


class SnapshotPageMixin:
    """Every page type: its privacy check and breadcrumbs come from the site snapshot
    (enfuse/caching/snapshot.py) instead of two and one queries per view."""

    def get_view_restrictions(self):
        snapshot = site_snapshot.current()
        if self.alias_of_id or snapshot.has_aliases:
            return super().get_view_restrictions()
        # pk__in=[] runs no query at all: the usual case, a public page.
        return PageViewRestriction.objects.filter(pk__in=snapshot.restrictions_for(self))

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        # From the home page down to the parent, for the breadcrumbs and their JSON-LD.
        context["ancestors"] = site_snapshot.for_request(request).ancestors(self)
        return context


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
