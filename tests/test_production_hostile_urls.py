"""Odd and hostile URLs against the production settings behind gunicorn.

None may answer 5xx, redirect to another site, or let slip a traceback, a setting, a path on the
server or a file outside the static and media folders. Each is sent as raw bytes, as an attacker
would send it (no client-side normalisation of ``..`` or ``%2e``).
"""

import re
from urllib.parse import urlsplit

import pytest

from tests.support import ARTICLE_URL, HOST, LEAKS

LONG_SLUG = "a" * 5000  # past gunicorn's 4,094-byte request line: refused before Django
SLUG_DJANGO_SEES = "b" * 4000
LONG_QUERY = "q=" + "x" * 3500

HOSTILE_URLS = [
    # Path traversal, plain and in several encodings.
    "/../../../../etc/passwd",
    "/static/../../../../etc/passwd",
    "/static/../enfuse/settings/base.py",
    "/static/..%2f..%2fenfuse%2fsettings%2fbase.py",
    "/static/%2e%2e/%2e%2e/manage.py",
    "/static/css/..%252f..%252f..%252fmanage.py",
    "/media/../../../etc/passwd",
    "/media/..%2f..%2fmanage.py",
    "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
    "/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/..%2f..%2f..%2fetc%2fpasswd",
    "/..%252f..%252f..%252fetc%252fpasswd",
    "/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd",
    "/%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd",
    "/documents/1/..%2f..%2f..%2fetc%2fpasswd",
    "/institute-for-learning/..;/..;/admin/",
    # NUL bytes and control characters.
    "/index.html%00.txt",
    "/institute-for-learning/%00/",
    "/search/?q=%00",
    "/institute-for-learning/?page=1%00",
    "/%0d%0aSet-Cookie:%20evil=1",
    "/institute-for-learning/feed/?x=%0d%0aSet-Cookie:%20evil=1",
    # Dot-files and probes for other software.
    "/.env",
    "/.git/config",
    "/.git/HEAD",
    "/.htaccess",
    "/static/.env",
    "/wp-login.php",
    "/phpmyadmin/index.php",
    "/cgi-bin/test.cgi",
    # Huge slugs and query strings.
    f"/{LONG_SLUG}/",
    f"/institute-for-learning/{LONG_SLUG}/",
    f"/institute-for-learning/health-wellness/{LONG_SLUG}/",
    f"/institute-for-learning/{SLUG_DJANGO_SEES}/",
    f"/institute-for-learning/health-wellness/{SLUG_DJANGO_SEES}/",
    f"/?{LONG_QUERY}",
    f"/search/?{LONG_QUERY}",
    f"{ARTICLE_URL}?{LONG_QUERY}",
    # Odd page numbers, tags and search terms.
    "/institute-for-learning/?page=-1",
    "/institute-for-learning/?page=0",
    "/institute-for-learning/?page=99999999999999999999999",
    "/institute-for-learning/?page=1e9",
    "/institute-for-learning/?page=abc",
    "/institute-for-learning/health-wellness/?page=-1",
    "/institute-for-learning/?tag=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/institute-for-learning/?tag=" + "t" * 3000,
    "/search/?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
    "/search/?q=%27%20OR%201%3D1%20--",
    "/search/?q=%ff%fe",
    "/search/?q=&page=-1",
    "/sitemap.xml?p=-1",
    "/sitemap.xml?p=abc",
    # The admin with ids that do not exist (an anonymous visitor).
    "/admin/pages/999999/edit/",
    "/admin/pages/999999/",
    "/admin/images/999999/",
    "/admin/documents/edit/999999/",
    "/admin/users/999999/",
    "/admin/login/?next=//evil.example/",
    "/admin/login/?next=https://evil.example/",
    "/admin/login/?next=/%5Cevil.example",
    # Scheme-relative and backslash paths: redirects must stay on our site.
    "//evil.example",
    "//evil.example/",
    "//evil.example/institute-for-learning",
    "///evil.example/%2e%2e",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
    "/\\evil.example",
    "/\\\\evil.example/",
    "/institute-for-learning//evil.example",
    "/institute-for-learning",
    "/healthz/",
    "/http://evil.example",
    # Unicode and invalid UTF-8.
    "/%F0%9F%92%A9/",
    "/institute-for-learning/h%C3%A9alth-wellness/",
    "/institute-for-learning/héalth-wellness/",
    "/%ff%fe%fd/",
    "/%E2%80%AE/",
    "/?__debug__=1&debug=true",
]

ADMIN_UNKNOWN_IDS = [
    "/admin/pages/999999/edit/",
    "/admin/pages/999999/",
    "/admin/pages/999999/delete/",
    "/admin/pages/add/studio/homepage/999999/",
    "/admin/images/999999/",
    "/admin/documents/edit/999999/",
    "/admin/users/999999/",
    "/admin/snippets/articles/series/edit/999999/",
    "/admin/pages/-1/edit/",
    "/admin/pages/abc/edit/",
    "/admin/pages/99999999999999999999999/edit/",
]


def location_host(location):
    """The host a Location header sends the browser to, as a browser would read it."""
    # Browsers treat a backslash like a slash, so "/\\evil" means "//evil".
    normalised = location.replace("\\", "/")
    return urlsplit(normalised).hostname


def assert_safe(response):
    assert response.status < 500, response.text[:500]
    if 300 <= response.status < 400:
        location = response.header("Location", "")
        host = location_host(location)
        assert host in (None, HOST), f"redirects off-site to {location!r}"
    body = response.text
    for leak in LEAKS:
        assert leak not in body, f"the answer contains {leak!r}"
    assert "<script>alert(1)</script>" not in body
    for name in response.cookies():
        assert name in {"csrftoken", "sessionid"}, f"a forged cookie was set: {name}"


def test_there_are_at_least_forty_hostile_urls():
    assert len(set(HOSTILE_URLS)) == len(HOSTILE_URLS) >= 40


@pytest.mark.parametrize("url", HOSTILE_URLS)
def test_a_hostile_url_gets_a_safe_answer(production_site, url):
    response = production_site.client().get(url)
    assert_safe(response)


@pytest.mark.parametrize("url", ADMIN_UNKNOWN_IDS)
def test_unknown_admin_ids_as_a_logged_in_admin(production_site, url):
    client = production_site.client()
    client.login_admin()
    response = client.get(url)
    assert_safe(response)
    assert response.status in (302, 400, 404)


def test_traversal_never_reaches_a_file_outside_the_static_folder(production_site):
    client = production_site.client()
    assert client.get("/static/css/site.css").status == 200
    for url in HOSTILE_URLS[:16]:
        response = client.get(url)
        assert response.status in (301, 302, 400, 404), url
        for source_text in ("import os", "from django", "#!/usr/bin/env python", "root:x:"):
            assert source_text not in response.text, url


@pytest.mark.parametrize(
    "next_url", ["//evil.example/", "https://evil.example/", "/\\evil.example", "///evil.example"]
)
def test_logging_in_never_follows_a_next_to_another_site(production_site, next_url):
    response = production_site.client().login_admin(next_url=next_url)
    assert location_host(response.header("Location")) in (None, HOST)


def test_the_site_still_works_for_the_same_client_afterwards(production_site):
    client = production_site.client()
    for url in HOSTILE_URLS:
        client.get(url)
    response = client.get(ARTICLE_URL)
    assert response.status == 200
    assert "Walking to Improve the Health" in response.text


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH", "TRACE", "PROPFIND"])
def test_other_methods_are_refused_cleanly(production_site, method):
    response = production_site.client().request(method, "/")
    assert_safe(response)
    assert response.status in (400, 403, 405, 501)


def test_a_huge_request_line_is_refused_by_gunicorn_not_django(production_site):
    response = production_site.client().get("/?" + "x" * 10_000)
    assert response.status in (400, 414)
    assert_safe(response)


def test_a_forged_cookie_through_crlf_is_not_set(production_site):
    response = production_site.client().get("/%0d%0aSet-Cookie:%20evil=1")
    assert "evil" not in response.cookies()
    assert not re.search(r"(?im)^set-cookie:\s*evil", str(response.headers))
