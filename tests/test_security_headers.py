"""Security headers on public pages, and the admin's looser policy where it needs one."""

import pytest

from tests.support import ARTICLE_URL, page_form_data


def parse_csp(header):
    policy = {}
    for directive in header.split(";"):
        name, *values = directive.split()
        policy[name] = values
    return policy


@pytest.mark.parametrize("url", ["/", "/institute-for-learning/", ARTICLE_URL, "/no-such-page/"])
def test_public_pages_send_a_strict_policy(demo_site, client, url):
    response = client.get(url)
    policy = parse_csp(response["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in " ".join(policy["style-src"] + policy["script-src"])
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    permissions = dict(
        item.strip().split("=") for item in response["Permissions-Policy"].split(",")
    )
    assert permissions["camera"] == permissions["geolocation"] == "()"
    assert len(response["X-Request-ID"]) == 32


def test_admin_pages_have_their_own_policy_and_cannot_be_framed(db, client):
    response = client.get("/admin/login/")
    policy = parse_csp(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]
    assert "'unsafe-inline'" in policy["style-src"]
    assert response["X-Frame-Options"] == "DENY"


def test_previews_alone_may_be_framed_by_the_site_itself(demo_site, client, admin_user):
    """The editor's preview panel frames the preview; the page itself stays unframeable."""
    client.force_login(admin_user)
    page = demo_site["pilates"]
    url = f"/admin/pages/{page.pk}/edit/preview/"
    data = page_form_data(page, title="Pilates, previewed")
    assert client.post(url, data).json()["is_valid"]

    response = client.get(url, {"mode": ""})
    assert response.status_code == 200
    assert "Pilates, previewed" in response.content.decode()
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    policy = parse_csp(response["Content-Security-Policy"])
    assert policy["frame-ancestors"] == ["'self'"]
    # Otherwise the public page's strict policy: no inline script or style.
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in " ".join(policy["style-src"])

    public = client.get(page.url)
    assert public["X-Frame-Options"] == "DENY"
    assert parse_csp(public["Content-Security-Policy"])["frame-ancestors"] == ["'none'"]


def test_a_request_id_from_outside_is_ignored_unless_trusted(client, settings):
    sent = "abcdef1234567890"
    assert client.get("/healthz", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] != sent
    settings.TRUST_REQUEST_ID_HEADER = True
    assert client.get("/healthz", HTTP_X_REQUEST_ID=sent)["X-Request-ID"] == sent
    assert client.get("/healthz", HTTP_X_REQUEST_ID="bad id\\n")["X-Request-ID"] != "bad id\\n"
