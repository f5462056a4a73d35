"""load_demo_content builds the studio's pages and details from the client's facts, adds only
what is missing, and never overwrites what staff have edited."""

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from articles.demo import medical_disclaimer_text, studio_blurb
from studio import models as studio_models
from studio.models import (
    AboutPage,
    ContactPage,
    FrequentlyAskedQuestion,
    HomePage,
    OpeningHours,
    PrivacyPage,
    ServiceDetail,
    ServiceIndexPage,
    ServicePage,
    SpecialDay,
    StudioSettings,
    TeamMember,
)

pytestmark = pytest.mark.django_db


def snapshot():
    studio = StudioSettings.objects.get()
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "team": TeamMember.objects.count(),
        "testimonials": studio_models.Testimonial.objects.count(),
        "questions": FrequentlyAskedQuestion.objects.count(),
        "details": ServiceDetail.objects.count(),
        "hours": list(OpeningHours.objects.values_list("weekday", "opens", "closes", "closed")),
        "special days": list(SpecialDay.objects.values_list("label", "start_date")),
        "studio": (studio.pk, studio.phone, studio.about, studio.latitude, studio.longitude),
    }


def test_running_twice_changes_nothing(demo_site):
    first = snapshot()
    call_command("load_demo_content", verbosity=0)
    assert snapshot() == first


def test_the_studio_facts_come_from_the_client_page(demo_site):
    studio = demo_site["studio"]
    assert studio.name == "EnFuse Fitness"
    assert studio.phone == "(860) 253-9111"
    assert studio.support_email == "support@EnFuseFitness.com"
    assert studio.address_line == "786 Enfield St, Enfield, CT 06082"
    assert studio.country == "US"
    assert studio.year_founded == 2010
    assert studio.areas_served_list == ["western Massachusetts", "northern Connecticut"]
    assert studio.about == studio_blurb()
    assert studio.medical_disclaimer == medical_disclaimer_text()
    # Placeholders where the client's page has no fact: flagged for staff.
    assert studio.opening_hours.count() == 7
    assert {day.label for day in studio.special_days.all()} == {
        "Thanksgiving",
        "Christmas Day",
        "New Year's Day",
    }
    assert "PLACEHOLDER" in StudioSettings._meta.get_field("latitude").help_text


def test_the_pages_and_their_urls(demo_site):
    pages = demo_site
    assert Site.objects.get(is_default_site=True).root_page.specific == pages["home"]
    assert [child.url for child in pages["home"].get_children().live().in_menu()] == [
        "/services/",
        "/institute-for-learning/",
        "/about/",
        "/contact/",
    ]
    services = ServicePage.objects.live().order_by("path")
    assert [page.title for page in services] == [
        "Pilates",
        "Yoga",
        "Deep tissue & sports massage",
        "Meal prep",
        "Nutritional counseling",
        "Personal training",
    ]
    for service in services:
        assert service.image is not None
        assert len(service.image_alt) > 40, service.title
        assert service.details.filter(label="Price").exists()
    about = AboutPage.objects.get()
    assert [link.member.name for link in about.team_members.all()] == ["Team EnFuse"]
    assert TeamMember.objects.get().photo.description.startswith("Illustration of three people")
    home = HomePage.objects.get()
    assert home.hero_image_alt.startswith("Illustration of a small one-story studio")


def test_staff_edits_survive_a_second_run(demo_site):
    pages = demo_site
    studio = pages["studio"]
    studio.phone = "(413) 555-0142"
    studio.save()
    OpeningHours.objects.filter(weekday=6).delete()  # staff removed Sunday's row
    pilates = pages["pilates"]
    pilates.summary = "Edited by staff."
    pilates.save_revision().publish()
    FrequentlyAskedQuestion.objects.first().delete()
    studio_models.Testimonial.objects.all().delete()
    ServicePage.objects.get(slug="yoga").delete()

    call_command("load_demo_content", verbosity=0)

    studio.refresh_from_db()
    assert studio.phone == "(413) 555-0142"
    assert OpeningHours.objects.count() == 6
    assert ServicePage.objects.get(slug="pilates").summary == "Edited by staff."
    assert FrequentlyAskedQuestion.objects.count() == 2
    # Missing pages and snippets are put back: the command fills what is missing.
    assert ServicePage.objects.filter(slug="yoga").exists()
    assert studio_models.Testimonial.objects.count() == 3


def test_a_site_from_the_foundation_gets_the_studio_content():
    """A database built before the studio pages existed: home, settings, learning section."""
    call_command("load_demo_content", verbosity=0)
    for page in [
        *ServicePage.objects.all(),
        *AboutPage.objects.all(),
        *ContactPage.objects.all(),
        *PrivacyPage.objects.all(),
    ]:
        page.delete()
    ServiceIndexPage.objects.get().delete()
    OpeningHours.objects.all().delete()
    SpecialDay.objects.all().delete()

    call_command("load_demo_content", verbosity=0)

    home = HomePage.objects.get()
    assert [child.slug for child in home.get_children()] == [
        "services",
        "institute-for-learning",
        "about",
        "contact",
        "privacy",
    ]
    assert OpeningHours.objects.count() == 7
