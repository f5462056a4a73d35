"""Error pages: a friendly 404 in the site's design, and a 500 page that needs no database.

The suite runs with DEBUG = False (enfuse/settings/test.py), as production does.
"""

import pytest
from django.conf import settings
from django.test import Client, RequestFactory, override_settings
from django.urls import path
from django.views.defaults import server_error


def broken_view(request):
    raise RuntimeError("Something broke")


urlpatterns = [path("broken/", broken_view)]


def test_the_suite_runs_without_debug():
    assert settings.DEBUG is False


@pytest.mark.django_db
def test_not_found_page_is_friendly_and_in_the_site_design(client, demo_site):
    response = client.get("/services/no-such-service/")
    assert response.status_code == 404
    content = response.content.decode()
    assert "Sorry, we can't find that page" in content
    assert '<meta name="robots" content="noindex">' in content
    assert 'class="brand__logo"' in content and 'alt="EnFuse Fitness"' in content  # header
    assert '<nav class="main-nav" aria-label="Main">' in content
    assert 'id="hours"' in content  # footer with the opening hours
    assert 'href="tel:+18602539111"' in content
    assert '<a href="/search/">Search our articles</a>' in content


def test_server_error_page_renders_without_the_database():
    # No `db` fixture: pytest-django makes any database query here fail the test.
    response = server_error(RequestFactory().get("/"))
    assert response.status_code == 500
    content = response.content.decode()
    assert "Sorry, something went wrong on our side" in content
    assert 'href="tel:+18602539111"' in content
    assert 'href="mailto:support@EnFuseFitness.com"' in content
    assert "/static/css/site.css" in content


@override_settings(ROOT_URLCONF=__name__)
def test_an_exception_in_a_view_gives_the_500_page_without_touching_the_database():
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    assert response.status_code == 500
    assert "Sorry, something went wrong on our side" in response.content.decode()
