"""ALLOWED_HOSTS is enforced, forwarded headers are trusted only when configured, and the site
exposes no API it does not use."""

import pytest
from django.conf import settings as django_settings
from django.test import override_settings
from django.urls import get_resolver

from tests.support import ARTICLE_URL, HOST, run_with_production_settings

FORGED_HOSTS = [
    "evil.example",
    "evil.example:443",
    f"{HOST}.evil.example",
    f"evil{HOST}",
    f"{HOST}@evil.example",
    f"{HOST}:443@evil.example",
    f"{HOST}:abc",
    "localhost",
    "127.0.0.1",
    "[::1]",
    f"{HOST}\\evil.example",
    "",
]


@pytest.mark.parametrize("host", FORGED_HOSTS)
@pytest.mark.parametrize("url", ["/", ARTICLE_URL, "/institute-for-learning/feed/", "/healthz"])
def test_a_forged_host_gets_400_and_nothing_built_on_it(production_site, host, url):
    response = production_site.client().get(url, host=host)
    assert response.status == 400
    assert "evil" not in response.text
    assert "Location" not in response.headers


def test_a_password_reset_for_a_forged_host_is_refused(production_site):
    client = production_site.client(host="evil.example")
    response = client.post_form("/admin/password_reset/", {"email": "prodadmin@example.com"})
    assert response.status == 400


@pytest.mark.parametrize("host", [HOST, f"www.{HOST}", HOST.upper(), f"{HOST}:443"])
def test_our_own_host_names_are_served(production_site, host):
    assert production_site.client().get(ARTICLE_URL, host=host).status == 200


@pytest.mark.parametrize("url", ["/", ARTICLE_URL, "/institute-for-learning/feed/"])
def test_a_forged_x_forwarded_host_is_ignored(production_site, url):
    response = production_site.client().get(
        url, headers={"X-Forwarded-Host": "evil.example", "X-Forwarded-Port": "666"}
    )
    assert response.status == 200
    assert "evil.example" not in response.text
    assert ":666" not in response.text


def test_the_https_redirect_stays_on_our_host(production_site):
    response = production_site.client().get(
        ARTICLE_URL, proto=None, headers={"X-Forwarded-Host": "evil.example"}
    )
    assert response.status == 301
    assert response.header("Location") == f"https://{HOST}{ARTICLE_URL}"


def test_forwarded_host_is_off_unless_switched_on():
    code = "from django.conf import settings as s; print(s.USE_X_FORWARDED_HOST)"
    env = {"DJANGO_SECRET_KEY": "k" * 50, "DJANGO_ALLOWED_HOSTS": HOST}
    assert run_with_production_settings(code, **env).stdout.strip() == "False"
    switched_on = run_with_production_settings(code, DJANGO_USE_X_FORWARDED_HOST="true", **env)
    assert switched_on.stdout.strip() == "True"


@pytest.mark.django_db
def test_when_trusted_a_forwarded_host_is_still_checked(client):
    with override_settings(USE_X_FORWARDED_HOST=True, ALLOWED_HOSTS=[HOST]):
        refused = client.get("/healthz", HTTP_HOST=HOST, HTTP_X_FORWARDED_HOST="evil.example")
        allowed = client.get("/healthz", HTTP_HOST="proxy.internal", HTTP_X_FORWARDED_HOST=HOST)
    assert refused.status_code == 400
    assert allowed.status_code == 200


def test_wagtail_api_is_not_installed():
    assert not [app for app in django_settings.INSTALLED_APPS if app.startswith("wagtail.api")]
    assert "rest_framework" not in django_settings.INSTALLED_APPS
    patterns = [str(pattern.pattern) for pattern in get_resolver().url_patterns]
    assert not [pattern for pattern in patterns if "api" in pattern]


@pytest.mark.parametrize(
    "url", ["/api/v2/pages/", "/api/v2/images/", "/api/v2/documents/", "/api/"]
)
def test_no_api_endpoint_answers(production_site, url):
    response = production_site.client().get(url)
    assert response.status == 404
    assert "application/json" not in response.header("Content-Type", "")
