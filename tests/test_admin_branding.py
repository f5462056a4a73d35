"""Staff know where they are: the studio's name and logo on the admin's login page and pages."""

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core import mail
from django.urls import reverse

from tests.support import make_editor

LOGO = "/static/images/enfuse-logo.svg"


def test_the_logo_is_a_static_file_of_our_own():
    path = finders.find("images/enfuse-logo.svg")

    assert path is not None
    svg = Path(path).read_text(encoding="utf-8")
    assert "<title" in svg and "EnFuse Fitness" in svg


def test_the_login_page_names_the_studio_and_shows_its_logo(client, db):
    page = client.get(reverse("wagtailadmin_login")).content.decode()

    assert "<h1>Sign in to EnFuse Fitness</h1>" in page
    assert f'src="{LOGO}" alt="EnFuse Fitness"' in page
    assert "EnFuse Fitness admin</title>" in page
    assert f'rel="icon" href="{LOGO}"' in page
    assert "Sign in to Wagtail" not in page
    assert "5 wrong passwords" in page


@pytest.mark.django_db
def test_every_admin_page_carries_the_studio_logo_and_title(client):
    client.force_login(make_editor())

    page = client.get(reverse("wagtailadmin_home")).content.decode()

    assert "<template data-wagtail-sidebar-branding-logo>" in page
    assert f'<img class="enfuse-admin-logo" src="{LOGO}"' in page
    assert "EnFuse Fitness admin</title>" in page
    assert "EnFuse Fitness" in page  # the dashboard's welcome (WAGTAIL_SITE_NAME)


def test_the_password_reset_pages_are_branded_too(client, db):
    page = client.get(reverse("wagtailadmin_password_reset")).content.decode()

    assert "EnFuse Fitness admin</title>" in page
    assert mail.outbox == []
