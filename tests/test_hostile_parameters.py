"""Every parameter the site reads from a URL or a form is safe on PostgreSQL: a NUL byte or
another character PostgreSQL text cannot hold gives 400/404 or is ignored, never a 500; and a
bad Host header is a 400 logged once, at WARNING, without a traceback.

Run it on PostgreSQL (DATABASE_URL=postgres://...): SQLite accepts NUL, so only PostgreSQL
shows the DataError these requests used to raise.
"""

import logging

import pytest

from studio.models import ContactSubmission
from tests.support import ARTICLE_URL, CONTACT_URL, form_data

PAGES = [
    "/",
    "/services/",
    "/services/pilates/",
    "/about/",
    "/privacy/",
    CONTACT_URL,
    "/contact/thanks/",
    "/institute-for-learning/",
    "/institute-for-learning/health-wellness/",
    "/institute-for-learning/health-wellness/feed/",
    "/institute-for-learning/feed/",
    ARTICLE_URL,
    "/search/",
    "/medical-disclaimer/",
    "/robots.txt",
    "/sitemap.xml",
    "/no-such-page/",
    "/schedule/",
    "/schedule/calendar.ics",
    "/schedule/services/pilates.ics",
]
# Every query parameter a view reads, and a few it does not; percent-encoded as sent.
PARAMETERS = [
    *["q", "page", "tag", "service", "from", "source", "class", "week", "level"],
    *["utm_source", "%00"],
]
HOSTILE_VALUES = [
    "%00",
    "walking%00",
    "%2500",
    "%ED%A0%80",  # a UTF-16 surrogate, invalid in UTF-8
    "%FF%FE",
    "%EF%BF%BE",
    "%1B%5B31m",
    "9" * 40,
    "-1",
]


@pytest.mark.parametrize("url", PAGES)
def test_hostile_query_values_never_give_a_server_error(demo_site, client, url):
    for name in PARAMETERS:
        for value in HOSTILE_VALUES:
            response = client.get(f"{url}?{name}={value}")
            assert response.status_code in (200, 400, 404), (url, name, value)
            if "%00" in name + value:
                assert response.status_code == 400, (url, name, value)


@pytest.mark.parametrize(
    "path",
    [
        "/services/%00/",
        "/%00",
        "/institute-for-learning/%00/",
        "/institute-for-learning/health-wellness/%00/feed/",
        "/contact/%00/",
    ],
)
def test_a_nul_in_the_path_is_not_found(demo_site, client, path):
    assert client.get(path).status_code in (400, 404)


def test_the_contact_page_reads_a_service_and_source_with_nul_as_a_bad_request(demo_site, client):
    for query in ("service=%00", "from=%00", "service=pilates%00", "from=1%00"):
        assert client.get(f"{CONTACT_URL}?{query}").status_code == 400, query


@pytest.mark.parametrize(
    "field",
    ["name", "email", "phone", "service", "message", "consent", "source", "token", "website"],
)
def test_a_nul_in_any_contact_field_shows_the_form_again(demo_site, client, field):
    data = form_data(**{field: f"Jane\x00{field}"})
    response = client.post(CONTACT_URL, data)
    assert response.status_code in (200, 302)
    if response.status_code == 200:
        # Shown again with what was typed, nothing stored half-way.
        assert ContactSubmission.objects.count() == 0
        assert "Jane Prospect" in response.content.decode() or field == "name"
    else:
        # Only what the visitor never typed (a hidden field, the checkbox's value) is ignored.
        assert field in ("source", "token", "website", "consent")


def test_a_nul_in_a_cookie_is_no_error(demo_site, client):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"
    client.cookies["csrftoken"] = "x\x00y"
    assert client.get("/").status_code == 200
    assert client.post(CONTACT_URL, form_data()).status_code in (200, 302, 403)


def test_a_bad_host_is_a_400_logged_once_at_warning_without_traceback(demo_site, client, caplog):
    with caplog.at_level(logging.INFO):
        response = client.get("/", headers={"host": "evil.example"})
    assert response.status_code == 400
    assert "Sorry, we could not read that request" in response.content.decode()
    records = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert len(records) == 1, [r.getMessage() for r in records]
    assert records[0].levelno == logging.WARNING
    assert "evil.example" in records[0].getMessage()
    assert records[0].exc_info is None
