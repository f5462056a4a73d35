"""The production compose file is valid and wires the services together as documented.

There is no Docker engine here: Debian's docker-compose parses and resolves the file (with
.env.example as the operator's .env), and the tests read the resolved configuration.
"""

import shutil

import pytest
import yaml

from tests.support import ROOT, run_compose

pytestmark = pytest.mark.skipif(
    shutil.which("docker-compose") is None, reason="docker-compose is not installed"
)

APP_SERVICES = ("migrate", "web", "worker", "renditions", "sweeper", "purger")
REQUIRED_APP_ENV = (
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_SECRET_KEY",
    "DJANGO_ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "EMAIL_HOST",
    "DEFAULT_FROM_EMAIL",
    "DJANGO_MEDIA_ROOT",
)


@pytest.fixture(scope="module")
def config(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("compose")
    quiet = run_compose(tmp_path, "config", "-q")
    assert quiet.returncode == 0, quiet.stderr
    result = run_compose(tmp_path, "config")
    assert result.returncode == 0, result.stderr
    return yaml.safe_load(result.stdout)


def test_compose_file_is_valid(config):
    assert {"web", "migrate", "nginx", "db", "redis"} <= set(config["services"])


def test_every_service_restarts_except_the_one_off_migration(config):
    for name, service in config["services"].items():
        expected = "no" if name == "migrate" else "unless-stopped"
        assert service.get("restart") == expected, name


def test_app_services_run_the_production_settings_with_their_environment(config):
    for name in APP_SERVICES:
        env = config["services"][name]["environment"]
        for variable in REQUIRED_APP_ENV:
            assert env.get(variable), f"{name} lacks {variable}"
        assert env["DJANGO_SETTINGS_MODULE"] == "enfuse.settings.production"
        assert env["DATABASE_URL"].startswith("postgres://enfuse:")
        assert env["DATABASE_URL"].endswith("@db:5432/enfuse")
        assert env["REDIS_URL"] == "redis://redis:6379/0"
        assert "media:/app/media" in " ".join(config["services"][name]["volumes"])


def test_app_services_wait_for_a_healthy_database_and_redis(config):
    for name in APP_SERVICES:
        depends = config["services"][name]["depends_on"]
        assert depends["db"]["condition"] == "service_healthy", name
        assert depends["redis"]["condition"] == "service_healthy", name
    assert config["services"]["web"]["depends_on"]["migrate"]["condition"] == (
        "service_completed_successfully"
    )


def test_health_checks(config):
    services = config["services"]
    assert "pg_isready" in " ".join(services["db"]["healthcheck"]["test"])
    assert services["redis"]["healthcheck"]["test"][-2:] == ["redis-cli", "ping"]
    assert services["web"]["healthcheck"]["test"] == ["CMD", "python", "scripts/healthcheck"]
    assert (ROOT / "scripts" / "healthcheck").exists()
    assert services["varnish"]["depends_on"]["web"]["condition"] == "service_healthy"
    assert services["nginx"]["depends_on"]["varnish"]["condition"] == "service_started"


def test_web_is_gunicorn_reachable_only_through_nginx(config):
    web = config["services"]["web"]
    assert web["command"].startswith("gunicorn enfuse.wsgi --bind 0.0.0.0:8000 --workers 2")
    assert "ports" not in web
    assert "ports" not in config["services"]["varnish"]
    nginx = config["services"]["nginx"]
    assert nginx["image"].startswith("nginx:1.27")
    assert nginx["ports"] == ["127.0.0.1:8080:80/tcp"]
    config_mount = "/deploy/nginx/default.conf:/etc/nginx/conf.d/default.conf:ro"
    assert [volume for volume in nginx["volumes"] if volume.endswith(config_mount)]
    assert "media:/srv/media:ro" in nginx["volumes"]


def test_named_volumes_keep_the_database_and_media(config):
    assert {"pgdata", "media"} <= set(config["volumes"])
    assert "pgdata:/var/lib/postgresql/data" in " ".join(config["services"]["db"]["volumes"])


def test_the_database_password_is_required(tmp_path):
    result = run_compose(tmp_path, "config", "-q", env_file=False)
    assert result.returncode != 0
    assert "POSTGRES_PASSWORD" in result.stderr


def test_redis_keeps_nothing_on_disk_and_bounds_its_memory(config):
    command = config["services"]["redis"]["command"]
    assert command[command.index("--save") + 1] == ""
    assert command[command.index("--maxmemory-policy") + 1] == "allkeys-lru"


def test_a_worker_sends_the_contact_form_emails(config):
    worker = config["services"]["worker"]
    assert worker["image"] == "enfuse-web"
    assert worker["command"][:5] == ["python", "manage.py", "db_worker", "--backend", "email"]
    assert "--no-reload" in worker["command"]


def test_a_worker_makes_uploaded_images_renditions(config):
    worker = config["services"]["renditions"]
    assert worker["image"] == "enfuse-web"
    assert worker["command"][:5] == ["python", "manage.py", "db_worker", "--backend", "renditions"]
    assert "--no-reload" in worker["command"]


def test_a_sweeper_retries_what_is_due(config):
    sweeper = config["services"]["sweeper"]
    assert sweeper["image"] == "enfuse-web"
    assert sweeper["command"] == [
        "python",
        "manage.py",
        "sweep_contact_deliveries",
        "--loop",
        "30",
    ]


def test_mailpit_catches_mail_on_staging_only(config):
    mailpit = config["services"]["mailpit"]
    assert mailpit["image"].startswith("axllent/mailpit")
    assert mailpit["profiles"] == ["staging"]
    assert mailpit["ports"] == ["127.0.0.1:8025:8025/tcp"]  # the web UI, on loopback only


def test_varnish_runs_the_repository_config_in_front_of_web(config):
    varnish = config["services"]["varnish"]
    assert varnish["image"].startswith("varnish:7")
    config_mount = "/deploy/varnish/default.vcl:/etc/varnish/default.vcl:ro"
    assert [volume for volume in varnish["volumes"] if volume.endswith(config_mount)]
    vcl = (ROOT / "deploy" / "varnish" / "default.vcl").read_text()
    assert '.host = "web";' in vcl
    assert '.port = "8000";' in vcl


def test_nginx_passes_pages_to_varnish_and_refuses_purge_from_outside():
    site = (ROOT / "deploy" / "nginx" / "default.conf").read_text()
    upstream = site[site.index("upstream enfuse_web") : site.index("}")]
    assert "server varnish:80;" in upstream
    assert "web:8000" not in upstream
    assert "if ($request_method ~ ^(PURGE|BAN)$) {\n        return 405;" in site


def test_a_purger_sends_the_queued_front_cache_purges(config):
    purger = config["services"]["purger"]
    assert purger["image"] == "enfuse-web"
    assert purger["command"][:4] == ["python", "manage.py", "send_front_cache_purges", "--loop"]
    assert purger["environment"]["FRONTEND_CACHE_PURGE_URL"] == "http://varnish:80"


def test_pages_are_cached_in_a_redis_of_their_own(config):
    """A flood of pages can never evict sessions or the contact form's rate-limit counters."""
    pages = config["services"]["redis-pages"]["command"]
    assert pages[pages.index("--maxmemory-policy") + 1] == "allkeys-lru"
    assert config["services"]["web"]["environment"]["REDIS_PAGE_CACHE_URL"] == (
        "redis://redis-pages:6379/0"
    )
    assert config["services"]["web"]["depends_on"]["redis-pages"]["condition"] == (
        "service_healthy"
    )


def test_the_app_purges_varnish_and_trusts_both_proxies(config):
    """Every app service that can publish (web: the admin; scheduler: go-live times) queues
    purges."""
    for name in ("web", "worker", "sweeper", "scheduler", "purger"):
        env = config["services"][name]["environment"]
        assert env["FRONTEND_CACHE_PURGE_URL"] == "http://varnish:80", name
        # nginx appends the visitor, then Varnish appends nginx: two proxies (.env.example).
        assert env["DJANGO_TRUSTED_PROXY_COUNT"] == "2", name
