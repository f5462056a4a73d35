"""A first deployment works: on an empty PostgreSQL database, with the environment
docker-compose.yml gives its app services (the front-cache purge URL included), `migrate`
succeeds, and then each service's command runs against the fresh database.

No signal handler may do cache or purge work while migrations run: wagtailcore's first migration
saves the root page and default site before later columns exist (enfuse/caching/changes.py).
"""

import os
import shutil
import subprocess
import uuid

import pytest
import yaml

from tests.support import (
    ROOT,
    SECRET_KEY,
    create_database,
    drop_database,
    manage,
    postgres_server,
)

pytestmark = pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="docker-compose is not installed"
)


@pytest.fixture(scope="module")
def compose_env(tmp_path_factory):
    """The migrate service's environment, as docker-compose resolves it with .env.example."""
    folder = tmp_path_factory.mktemp("first-deployment")
    shutil.copy(ROOT / "docker-compose.yml", folder / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", folder / ".env")
    result = subprocess.run(
        ["docker-compose", "config"], cwd=folder, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)["services"]


@pytest.fixture
def empty_database():
    server = postgres_server()
    if server is None:
        pytest.skip("no PostgreSQL on 127.0.0.1:5432")
    server_url, prefix = server
    name = f"{prefix}_first_{uuid.uuid4().hex[:8]}"
    yield create_database(server_url, name)
    drop_database(server_url, name)


def test_migrate_then_every_service_command_work_on_an_empty_database(
    compose_env, empty_database, tmp_path
):
    migrate_env = compose_env["migrate"]["environment"]
    assert migrate_env["FRONTEND_CACHE_PURGE_URL"] == "http://varnish:80"
    env = {
        "PATH": os.environ["PATH"],
        **{key: str(value) for key, value in migrate_env.items()},
        # What differs from the compose stack: where the database is, and a real secret (an
        # operator replaces .env.example's placeholder, which production refuses).
        "DATABASE_URL": empty_database,
        "DJANGO_SECRET_KEY": SECRET_KEY,
        "DJANGO_MEDIA_ROOT": str(tmp_path / "media"),
        "DJANGO_STATIC_ROOT": str(tmp_path / "static"),
    }
    manage(env, "migrate", "--no-input", "-v0")
    # What the migrations saved queued no purge and moved nothing: there was nothing to purge.
    count = manage(
        env,
        "shell",
        "-c",
        "from enfuse.caching.models import ContentVersion, FrontCachePurge; "
        "print(ContentVersion.objects.count(), FrontCachePurge.objects.count())",
    )
    assert count.strip().splitlines()[-1].split() == ["1", "0"]
    # The one-off forms of the other services' commands.
    manage(env, "send_front_cache_purges", "-v0")
    manage(env, "publish_scheduled")
    manage(env, "sweep_contact_deliveries")
    for backend in ("email", "renditions"):
        manage(env, "db_worker", "--backend", backend, "--batch", "--no-startup-delay", "-v0")
