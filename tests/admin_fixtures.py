"""Builders shared by the admin tests (tests/test_admin_*.py): staff in their groups, and the
page editor's POST data for an article, built with Wagtail's helpers and the real block names.
"""

import io

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.images import get_image_model
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from studio.staff.roles import EDITORS, MODERATORS

PASSWORD = "a-long-staff-password"


def make_staff(username, group_name=None, **fields):
    """An active user with an email address (for Wagtail's notifications), in one group."""
    user = get_user_model().objects.create_user(
        username,
        email=f"{username}@example.com",
        password=PASSWORD,
        first_name=username.capitalize(),
        **fields,
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def make_editor(username="trainer"):
    return make_staff(username, EDITORS)


def make_moderator(username="owner"):
    return make_staff(username, MODERATORS)


def make_image(title="Stretching after a walk", description="A woman stretching her calf"):
    buffer = io.BytesIO()
    PILImage.new("RGB", (320, 200), (0, 90, 78)).save(buffer, format="JPEG")
    image = get_image_model()(title=title, description=description)
    image.file = ImageFile(io.BytesIO(buffer.getvalue()), name="stretch.jpg")
    image.save()
    return image


def article_form_data(title="Stretching after a walk", image=None, **changes):
    """The article editor's form, filled in as a trainer would: text, a heading and a figure."""
    blocks = [
        ("heading", {"text": "Why stretch", "level": "h2"}),
        ("paragraph", rich_text("<p>Five minutes of gentle stretching after a walk.</p>")),
    ]
    if image is not None:
        blocks.append(
            (
                "figure",
                {
                    "image": {
                        "image": image.pk,
                        "alt_text": "A woman stretching her calf against a wall",
                        "decorative": "",
                    },
                    "caption": "Hold each stretch for 30 seconds.",
                },
            )
        )
    data = {
        "title": title,
        "slug": changes.pop("slug", "stretching-after-a-walk"),
        "summary": "How to stretch after walking, and why it helps your back.",
        "hero_image": image.pk if image is not None else "",
        "hero_image_alt": "A woman stretching her calf" if image is not None else "",
        "body": streamfield(blocks),
        "author": "",
        "published_date": "2026-01-15",
        "tags": "walking, stretching",
        "reviewed_by": "",
        "last_reviewed": "",
        "related_articles": inline_formset([]),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
    }
    data.update(changes)
    return nested_form_data(data)


def add_article_url(category):
    return reverse("wagtailadmin_pages:add", args=("articles", "articlepage", category.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))
