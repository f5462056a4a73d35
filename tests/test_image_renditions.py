"""Image renditions: every one the templates use is listed in enfuse/images.py and made when
an image is uploaded (or the demo content loaded), so the first visitor never waits for one."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.template import Context, Template
from django.urls import reverse
from django.utils.text import smart_split
from wagtail.images import get_image_model
from wagtail.images.models import Filter

from enfuse import images as renditions
from enfuse.images import SOCIAL_IMAGE_SPEC, all_specs, make_missing_renditions
from tests.support import make_image, production_value, uploaded_image

PICTURE_TAG = re.compile(r"{%\s*(?:picture|srcset_image|image)\s+\S+\s+(.*?)%}", re.DOTALL)
PRESET_TAG = re.compile(r"{%\s*preset_picture\s+\S+\s+[\"'](\w+)[\"']")


def specs_in_templates():
    """The rendition specs of every {% preset_picture %}, and of any {% picture %},
    {% srcset_image %} and {% image %} tag."""
    found = {}
    for template in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        text = template.read_text()
        for arguments in PICTURE_TAG.findall(text):
            filters = [word for word in smart_split(arguments) if "=" not in word and word != "as"]
            found[template.name] = found.get(template.name, set()) | {
                spec for spec in Filter.expand_spec(filters)
            }
        for preset in PRESET_TAG.findall(text):
            assert preset in renditions.PRESETS, f"{template.name} names no preset: {preset}"
            found[template.name] = found.get(template.name, set()) | set(renditions.specs(preset))
    return found


def test_every_rendition_a_template_asks_for_is_listed():
    listed = set(all_specs())
    used = specs_in_templates()
    assert used, "no picture tag found: has the pattern changed?"
    for template, specs in used.items():
        assert specs <= listed, f"{template} asks for {specs - listed}: add them to PRESETS"


def test_every_listed_rendition_is_used_by_a_template():
    used = set().union(*specs_in_templates().values())
    unused = set(all_specs()) - used - {SOCIAL_IMAGE_SPEC}
    assert not unused, f"listed in enfuse/images.py but used by no template: {unused}"


@pytest.mark.django_db
@pytest.mark.parametrize("preset", [name for name in renditions.PRESETS if name != "wordmark"])
def test_a_preset_picture_is_wagtails_picture_of_the_presets_specs(preset):
    image = make_image()
    arguments = " ".join(renditions.PRESETS[preset])
    attributes = 'sizes="(min-width: 50em) 46rem, 100vw" alt=alt loading="lazy"'
    context = Context({"image": image, "alt": "A <plain> block & more"})
    ours = Template(
        f'{{% load picture_tags %}}{{% preset_picture image "{preset}" {attributes} %}}'
    ).render(context)
    wagtails = Template(
        f"{{% load wagtailimages_tags %}}{{% picture image {arguments} {attributes} %}}"
    ).render(context)
    assert ours == wagtails
    assert "<picture>" in ours and 'type="image/avif"' in ours
    assert "A &lt;plain&gt; block &amp; more" in ours


def test_a_preset_picture_of_no_image_is_nothing():
    template = Template('{% load picture_tags %}[{% preset_picture None "hero" alt="x" %}]')
    assert template.render(Context({})) == "[]"


def rendition_specs(image):
    return set(image.renditions.values_list("filter_spec", flat=True))


@pytest.mark.django_db
def test_an_uploaded_image_has_all_its_renditions_before_any_page_is_shown(
    admin_client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("wagtailimages:add"),
            {
                "title": "Studio floor",
                "description": "The studio's wooden floor with mats laid out.",
                "file": uploaded_image(),
            },
        )
    assert response.status_code in (200, 302), response.content[:2000]
    image = get_image_model().objects.get(title="Studio floor")
    assert rendition_specs(image) == set(all_specs())
    # Each one's file is there to serve.
    for rendition in image.renditions.all():
        assert rendition.file.storage.exists(rendition.file.name), rendition.filter_spec


@pytest.mark.django_db
def test_a_changed_focal_point_gets_its_renditions_too(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        image = make_image("Focus")
    made = image.renditions.count()
    assert made == len(all_specs())
    with django_capture_on_commit_callbacks(execute=True):
        image.focal_point_x, image.focal_point_y = 10, 10
        image.focal_point_width = image.focal_point_height = 20
        image.save()
    # The fill- renditions depend on the focal point: new ones are made for it.
    for spec in all_specs():
        key = Filter(spec).get_cache_key(image)
        assert image.renditions.filter(filter_spec=spec, focal_point_key=key).exists(), spec


@pytest.mark.slow  # every rendition of every demo image, encoded (AVIF dominates)
@pytest.mark.django_db
def test_the_demo_content_comes_with_its_renditions(django_capture_on_commit_callbacks):
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo_content", verbosity=0)
    images = get_image_model().objects.all()
    assert images
    for image in images:
        assert rendition_specs(image) == set(all_specs()), image.title
    # Running it again finds them all (nothing more to make).
    make_missing_renditions()


def test_listings_prefetch_the_renditions_their_cards_show():
    from articles.models import CARD_RENDITIONS
    from studio.models import SERVICE_CARD_RENDITIONS, TEAM_PHOTO_RENDITIONS

    assert renditions.specs("article_card") == CARD_RENDITIONS
    assert renditions.specs("service_card") == SERVICE_CARD_RENDITIONS
    assert renditions.specs("team_photo") == TEAM_PHOTO_RENDITIONS


def test_production_keeps_renditions_in_their_own_redis_cache():
    caches = production_value("s.CACHES", REDIS_URL="redis://redis:6379/0")
    # Each process keeps them in memory per content version, in front of Redis.
    assert caches["renditions"]["BACKEND"] == "enfuse.caching.renditions.KeptRenditionsCache"
    shared = caches[caches["renditions"]["OPTIONS"]["SHARED"]]
    assert shared["BACKEND"] == caches["default"]["BACKEND"]
    assert shared["LOCATION"] == "redis://redis:6379/0"
    assert shared["KEY_PREFIX"] != caches["default"]["KEY_PREFIX"]


def test_without_redis_renditions_share_the_workers_cache_folder():
    caches = production_value("s.CACHES")
    assert caches["renditions"]["BACKEND"] == "enfuse.caching.renditions.KeptRenditionsCache"
    assert caches["renditions"]["OPTIONS"]["SHARED"] == "default"


def test_production_makes_renditions_in_the_worker_not_during_the_upload():
    tasks = production_value("s.TASKS")
    assert tasks["renditions"]["BACKEND"] == "django_tasks_db.DatabaseBackend"


@pytest.mark.django_db
def test_an_upload_queues_its_renditions_for_the_worker(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    """Production's path: the upload only queues the task; `db_worker` makes the renditions."""
    from django.core.management import call_command
    from django_tasks_db.management.commands import db_worker
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {
        **settings.TASKS,
        "renditions": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    }
    with django_capture_on_commit_callbacks(execute=True):
        image = make_image("Queued")
    assert image.renditions.count() == 0
    assert DBTaskResult.objects.filter(backend_name="renditions").count() == 1

    # The worker's loop would close the test's connection, ending its transaction.
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    call_command(
        "db_worker", "--backend", "renditions", "--batch", "--no-startup-delay", verbosity=0
    )
    assert rendition_specs(image) == set(all_specs())
