"""Production settings refuse to start without their secrets, and mean production."""

from pathlib import Path

import pytest

from tests.support import run_with_production_settings

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize(
    "env, missing",
    [
        ({"DJANGO_ALLOWED_HOSTS": "enfusefitness.com"}, "DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "x" * 50}, "DJANGO_ALLOWED_HOSTS"),
    ],
)
def test_production_refuses_to_start_without_secrets(env, missing):
    result = run_with_production_settings("print('started')", **env)
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert f"{missing} is not set" in result.stderr


def test_production_settings_are_production():
    result = run_with_production_settings(
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.ALLOWED_HOSTS, s.SECURE_PROXY_SSL_HEADER, s.SECURE_SSL_REDIRECT, "
        "s.SESSION_COOKIE_SECURE, s.MAILERS['default']['BACKEND'], "
        "s.MAILERS['default']['OPTIONS']['host'], s.DATABASES['default']['ENGINE'])",
        DJANGO_SECRET_KEY="x" * 50,
        DJANGO_ALLOWED_HOSTS="enfusefitness.com, www.enfusefitness.com",
        EMAIL_HOST="smtp.example.net",
        DATABASE_URL="postgres://user:secret@db.internal:5432/enfuse",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "False",
        "['enfusefitness.com',",
        "'www.enfusefitness.com']",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "True",
        "True",
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.net",
        "django.db.backends.postgresql",
    ]


def test_a_non_numeric_port_is_a_clear_error():
    result = run_with_production_settings(
        "", DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="a.com", EMAIL_PORT="smtp"
    )
    assert result.returncode != 0
    assert "EMAIL_PORT must be a whole number" in result.stderr
