"""The editor form shared by every page type (PromoteMixin.base_form_class)."""

from wagtail.admin.forms import WagtailAdminPageForm

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
    """The editor form of every page type: Wagtail's own fields get the studio's help text."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, help_text in PAGE_FIELD_HELP.items():
            if name in self.fields:
                self.fields[name].help_text = help_text
