"""What the environment switches on in production: storage, cache, sessions, timeouts, secrets.

Each runs the real production settings in a subprocess, as gunicorn would load them.
"""

import pytest

from tests.support import PRODUCTION_BASE_ENV as BASE_ENV
from tests.support import production_value, run_with_production_settings


def test_media_on_the_filesystem_by_default():
    storage = production_value("s.STORAGES")
    assert storage["default"] == {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    assert storage["staticfiles"]["BACKEND"] == (
        "whitenoise.storage.CompressedManifestStaticFilesStorage"
    )


def test_a_bucket_switches_media_to_s3_without_touching_the_network():
    env = {
        "AWS_STORAGE_BUCKET_NAME": "enfuse-media",
        "AWS_S3_ENDPOINT_URL": "https://s3.example.net",
        "AWS_S3_REGION_NAME": "us-east-1",
        "AWS_ACCESS_KEY_ID": "AKIDEXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "secret-example",
        "AWS_S3_CUSTOM_DOMAIN": "media.enfuse.example",
    }
    result = run_with_production_settings(
        "from django.core.files.storage import storages; d = storages['default']; "
        "print(type(d).__module__, type(d).__name__, d.bucket_name, d.endpoint_url, "
        "d.region_name, d.access_key, d.file_overwrite, d.url('original_images/walk.jpg'))",
        **BASE_ENV,
        **env,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "storages.backends.s3",
        "S3Storage",
        "enfuse-media",
        "https://s3.example.net",
        "us-east-1",
        "AKIDEXAMPLE",
        "False",
        "https://media.enfuse.example/original_images/walk.jpg",
    ]


def test_postgres_connections_give_up_after_a_few_seconds():
    url = "postgres://u:p@db.internal:5432/enfuse"
    options = production_value("s.DATABASES['default']['OPTIONS']", DATABASE_URL=url)
    assert options == {"connect_timeout": 3}
    options = production_value(
        "s.DATABASES['default']['OPTIONS']", DATABASE_URL=url, DATABASE_CONNECT_TIMEOUT="7"
    )
    assert options == {"connect_timeout": 7}
    database = production_value("s.DATABASES['default']", DATABASE_URL=url)
    assert database["CONN_HEALTH_CHECKS"] is True
    assert database["CONN_MAX_AGE"] == 60


def test_sqlite_gets_no_postgres_options():
    options = production_value(
        "s.DATABASES['default'].get('OPTIONS', {})", DATABASE_URL="sqlite:////tmp/x.sqlite3"
    )
    assert "connect_timeout" not in options


def test_redis_holds_the_cache_and_the_sessions_when_configured():
    cache, sessions = production_value(
        "[s.CACHES['default'], s.SESSION_ENGINE]", REDIS_URL="redis://redis:6379/0"
    )
    assert cache["BACKEND"] == "enfuse.caching.redis.ResilientRedisCache"
    assert cache["LOCATION"] == "redis://redis:6379/0"
    assert cache["OPTIONS"]["socket_connect_timeout"] <= 1
    assert cache["OPTIONS"]["socket_timeout"] <= 1
    assert sessions == "django.contrib.sessions.backends.cached_db"


def test_without_redis_the_cache_is_a_folder_and_sessions_in_the_database(tmp_path):
    cache, sessions = production_value(
        "[s.CACHES['default'], s.SESSION_ENGINE]", DJANGO_CACHE_DIR=str(tmp_path)
    )
    assert cache["BACKEND"] == "enfuse.caching.folder.FolderCache"
    assert cache["LOCATION"] == str(tmp_path)
    assert sessions == "django.contrib.sessions.backends.db"


def test_without_redis_two_sites_on_one_machine_keep_their_own_cache():
    folder = "s.CACHES['default']['LOCATION']"
    one = production_value(folder, DATABASE_URL="postgres://u@db:5432/enfuse")
    other = production_value(folder, DATABASE_URL="postgres://u@db:5432/staging")
    assert one != other
    assert one == production_value(folder, DATABASE_URL="postgres://u@db:5432/enfuse")


def test_unhashed_static_names_are_cached_for_an_hour():
    assert production_value("s.WHITENOISE_MAX_AGE") == 3600


@pytest.mark.parametrize("key", ["change-me", "short-key", "change-me" + "x" * 60])
def test_the_example_or_a_short_secret_key_is_refused(key):
    result = run_with_production_settings(
        "print('started')", DJANGO_SECRET_KEY=key, DJANGO_ALLOWED_HOSTS="a.com"
    )
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert "DJANGO_SECRET_KEY is too short or is the example's placeholder" in result.stderr


def test_deploy_checks_pass_with_the_compose_environment():
    result = run_with_production_settings(
        "from django.core.management import call_command; "
        "call_command('check', '--deploy', '--fail-level', 'WARNING')",
        DJANGO_SECRET_KEY="Zq8" + "a1B2c3D4e5" * 6,
        DJANGO_ALLOWED_HOSTS="enfusefitness.com",
        DATABASE_URL="postgres://enfuse:pw@db:5432/enfuse",
        REDIS_URL="redis://redis:6379/0",
    )
    assert result.returncode == 0, result.stderr
