"""The editor form shared by every page type (PromoteMixin.base_form_class)."""

from django.urls import reverse
from django.utils.html import format_html
from wagtail.admin.forms import WagtailAdminPageForm

from . import times

# Wagtail's own page fields, explained in the studio's words (every page type's editor form).
PAGE_FIELD_HELP = {
    "title": "The page's name, as visitors see it at the top of the page, in menus and in "
    "listings.",
    "slug": "The last part of the page's web address, e.g. 'pilates' in /services/pilates/: "
    "lowercase words joined by hyphens. Changing it on a live page breaks links to it.",
    "seo_title": "Optional: the headline search engines show, up to about 60 characters, "
    "e.g. 'Pilates in Enfield, CT'. The title is used when empty.",
    "search_description": "One or two sentences (up to about 155 characters) that search "
    "engines and social networks show under the headline: say what a reader will get. When "
    "empty, the page's summary or introduction is used.",
    "show_in_menus": "Check to list this page in the site's main menu (for the home page's "
    "sections: Services, Institute for Learning, About, Contact).",
    "go_live_at": "Optional: when the page goes live by itself (the studio's time). Set it, "
    "then choose Publish; the page stays hidden until then.",
    "expire_at": "Optional: when the page is taken down by itself, e.g. at the end of an offer.",
}


class PageForm(WagtailAdminPageForm):
    """The editor form of every page type: Wagtail's own fields get the studio's help text,
    and a slug taken by a never-published draft says which draft, with the way forward."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, help_text in PAGE_FIELD_HELP.items():
            if name in self.fields:
                self.fields[name].help_text = help_text

    def clean(self):
        slug = self.cleaned_data.get("slug")
        cleaned_data = super().clean()
        if slug and self.has_error("slug") and self.parent_page is not None:
            draft = self.draft_holding(slug)
            if draft is not None:
                # On the slug only: Wagtail's banner lists non-field errors as escaped text,
                # and its "Go to the first error" button leads here.
                self.errors["slug"] = self.error_class([self.draft_message(draft, slug)])
        return cleaned_data

    def draft_holding(self, slug):
        """The never-published sibling page using ``slug``: typically an earlier "Add article"
        that Wagtail's autosave created and the editor then abandoned."""
        siblings = self.parent_page.get_children().filter(slug=slug, live=False)
        if self.instance.pk:
            siblings = siblings.exclude(pk=self.instance.pk)
        return siblings.filter(first_published_at__isnull=True).first()

    def draft_message(self, draft, slug):
        return format_html(
            'An unpublished draft, <a href="{}">“{}”</a> (last saved {}), already uses the '
            'web address “{}”. <a href="{}">Open that draft</a> to carry on with it, or '
            '<a href="{}">discard it</a> and save this page again; or give this page '
            "another slug.",
            reverse("wagtailadmin_pages:edit", args=[draft.pk]),
            draft.title,
            times.staff_datetime(draft.latest_revision_created_at or draft.last_published_at),
            slug,
            reverse("wagtailadmin_pages:edit", args=[draft.pk]),
            reverse("wagtailadmin_pages:delete", args=[draft.pk]),
        )
