"""Demo content for the studio: the site root, the team and the studio's details."""

from urllib.parse import urlsplit

from django.conf import settings
from wagtail.models import Page, Site

from articles.demo import medical_disclaimer_text, studio_blurb

from .models import HomePage, StudioSettings, TeamMember

HOME_TITLE = "EnFuse Fitness"


def build_home():
    """The HomePage as the default site's root, replacing Wagtail's placeholder page."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = HomePage(title=HOME_TITLE, slug="enfuse-fitness", intro=studio_blurb())
        root.add_child(instance=home)
        home.save_revision().publish()
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(is_default_site=True, site_name=HOME_TITLE)
    if site.root_page_id != home.pk:
        # Full URLs (feeds, share links, canonical) are built from the site's host and port.
        base_url = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        site.hostname = base_url.hostname or "localhost"
        site.port = base_url.port or (443 if base_url.scheme == "https" else 80)
        placeholder = site.root_page if site.pk else None
        site.root_page = home
        site.site_name = HOME_TITLE
        site.save()
        # Wagtail's "Welcome to your new Wagtail site!" page is not ours to keep.
        if (
            placeholder is not None
            and placeholder.specific_class is Page
            and placeholder.depth == 2
        ):
            placeholder.delete()
    return home, site


def build_team():
    team, _ = TeamMember.objects.get_or_create(
        name="Team EnFuse",
        defaults={
            "role": "The trainers of EnFuse Fitness",
            "bio": "<p>The veteran and family-owned team behind EnFuse Fitness in Enfield, "
            "Connecticut, training clients since 2010.</p>",
        },
    )
    return team


def build_studio_settings(site):
    settings, created = StudioSettings.objects.get_or_create(site=site)
    if created:
        settings.medical_disclaimer = medical_disclaimer_text()
        settings.save()
    return settings
