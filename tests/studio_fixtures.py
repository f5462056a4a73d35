"""Builders shared by the studio tests (tests/test_studio_*.py): the demo site, JSON-LD
parsing, admin form data for the studio's page types, small real images."""

import io
import json
import re

from django.core.files.images import ImageFile
from django.core.management import call_command
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.models import Site
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from articles.models import ArticlePage, CategoryPage, LearningIndexPage
from studio.models import AboutPage, HomePage, ServiceIndexPage, ServicePage, StudioSettings

JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def load_demo():
    """The site exactly as `load_demo_content` builds it, with its main pages by name."""
    call_command("load_demo_content", verbosity=0)
    site = Site.objects.get(is_default_site=True)
    return {
        "site": site,
        "studio": StudioSettings.for_site(site),
        "home": HomePage.objects.get(),
        "services": ServiceIndexPage.objects.get(),
        "pilates": ServicePage.objects.get(slug="pilates"),
        "about": AboutPage.objects.get(),
        "learning": LearningIndexPage.objects.get(),
        "category": CategoryPage.objects.get(slug="health-wellness"),
        "article": ArticlePage.objects.get(slug__startswith="walking-to-improve"),
    }


def json_ld_blocks(html):
    """Every JSON-LD block of a page, parsed (fails the test if one is not valid JSON)."""
    return [json.loads(block) for block in JSON_LD.findall(html)]


def json_ld_of_type(html, schema_type):
    return next(block for block in json_ld_blocks(html) if block.get("@type") == schema_type)


def settings_edit_url(site):
    return reverse("wagtailsettings:edit", args=["studio", "studiosettings", site.pk])


def make_image(title="Test image", colour=(0, 90, 78)):
    """A small real image, enough for renditions."""
    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 200), colour).save(buffer, format="JPEG")
    image = get_image_model()(title=title, description=f"A plain block of colour: {title}.")
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="test.jpg")
    image.save()
    return image


def page_form_data(page, **changes):
    """Admin editor POST data for one of the studio's page types, with ``changes`` applied.

    StreamField and inline panels are rendered by JavaScript in the editor, so the data is
    built here with Wagtail's helpers and the real field and block names.
    """
    body = streamfield(
        [
            ("heading", {"text": "What to expect", "level": "h2"}),
            ("paragraph", rich_text("<p>Every session is built around you.</p>")),
            (
                "call_to_action",
                {
                    "heading": "Ready?",
                    "text": "Talk to us.",
                    "button_label": "Contact our team",
                    "page": "",
                    "url": "",
                },
            ),
        ]
    )
    data = {"title": page.title, "slug": page.slug, "comments": inline_formset([])}
    if isinstance(page, HomePage):
        data.update(
            hero_heading=page.hero_heading,
            intro=page.intro,
            hero_image=page.hero_image_id or "",
            hero_image_alt=page.hero_image_alt,
            hero_cta_label=page.hero_cta_label,
            services_heading=page.services_heading,
            services_intro=page.services_intro,
            body=body,
            faq_heading=page.faq_heading,
        )
    elif isinstance(page, ServiceIndexPage):
        data.update(intro=rich_text(page.intro or "<p>Our services.</p>"))
    elif isinstance(page, ServicePage):
        data.update(
            summary=page.summary,
            image=page.image_id or "",
            image_alt=page.image_alt,
            body=body,
            cta_label=page.cta_label,
            details=inline_formset(
                [
                    {"label": "Price", "value": "$60 per session"},
                    {"label": "Duration", "value": "60 minutes"},
                ]
            ),
        )
    elif isinstance(page, AboutPage):
        data.update(
            heading=page.heading,
            intro=page.intro,
            body=body,
            team_heading=page.team_heading,
            team_members=inline_formset(
                [{"id": link.pk, "member": link.member_id} for link in page.team_members.all()],
                initial=page.team_members.count(),
            ),
        )
    data.update(changes)
    return nested_form_data(data)
