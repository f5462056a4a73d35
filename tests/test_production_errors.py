"""Server errors: 503 with Retry-After while the database is away, the static 500 page otherwise;
and every log event on one line with its request id."""

import logging
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client

from enfuse.middleware import OneLineFormatter, RequestIDLogFilter


@pytest.fixture
def client_keeping_errors(db):
    return Client(raise_request_exception=False)


def test_database_unreachable_is_a_503_with_retry_after(client_keeping_errors):
    failure = OperationalError("connection failed: Connection refused")
    with mock.patch("wagtail.models.Site.find_for_request", side_effect=failure):
        response = client_keeping_errors.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    content = response.content.decode()
    assert "briefly unavailable" in content
    assert "(860) 253-9111" in content
    assert "Connection refused" not in content
    assert response["Content-Security-Policy"]


def test_any_other_error_is_the_500_page(client_keeping_errors):
    with mock.patch(
        "wagtail.models.Site.find_for_request", side_effect=ValueError("boom /work/secret")
    ):
        response = client_keeping_errors.get("/")
    assert response.status_code == 500, response.content.decode()[:3000]
    assert "Retry-After" not in response
    content = response.content.decode()
    assert "something went wrong" in content
    assert "boom" not in content


def format_line(record):
    formatter = OneLineFormatter("%(levelname)s [%(request_id)s] %(name)s %(message)s")
    RequestIDLogFilter().filter(record)
    return formatter.format(record)


def test_a_traceback_stays_on_one_line():
    try:
        raise OperationalError("first line\nsecond line")
    except OperationalError:
        record = logging.LogRecord(
            "django.request", logging.ERROR, __file__, 1, "Failed", (), exc_info=True
        )
        record.exc_info = __import__("sys").exc_info()
    line = format_line(record)
    assert "\n" not in line
    assert "Traceback" in line
    assert "first line\\nsecond line" in line


def test_a_response_logged_after_the_middlewares_keeps_its_request_id():
    record = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Not Found", (), None
    )
    record.request = mock.Mock(request_id="abc123def456")
    assert "[abc123def456]" in format_line(record)
