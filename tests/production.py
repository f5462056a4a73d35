"""The site as it runs in production, for the tests/test_production_*.py files.

`production_site` (one per test session) is the real thing on loopback: the production
settings, gunicorn with two workers, static files collected and served by WhiteNoise, and a
database of its own (PostgreSQL when one answers, as in production; a SQLite file otherwise)
holding the demo content and an admin. Requests are sent as raw bytes over a socket, so a test
can send what a browser never would (NUL bytes, ``..``, backslashes, forged headers), each as
the proxy in front would pass it on: with ``X-Forwarded-Proto: https``.
"""

import http.client
import importlib.util
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_loadtest_script():
    """scripts/loadtest.py as a module (it is a script, not part of a package)."""
    spec = importlib.util.spec_from_file_location("loadtest", ROOT / "scripts" / "loadtest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


HOST = "enfuse.test"
SECRET_KEY = "production-tests-only-not-a-secret-" + "0123456789abcdef" * 2
ADMIN_USER = "prodadmin"
ADMIN_PASSWORD = "production-tests-password-1"
# Variables of the developer's or CI's shell that must not leak into the production copy.
OWN_PREFIXES = ("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "AWS_", "CONTACT_", "WEB_")
# Text that must never reach a visitor: a traceback, a setting's name, a path on the server.
LEAKS = (
    "Traceback",
    'File "/',
    "SECRET_KEY",
    "DATABASES",
    "DJANGO_SETTINGS_MODULE",
    str(ROOT),
    "/usr/lib/python",
    "site-packages",
    "root:x:0:0",
    SECRET_KEY,
)


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url, **extra):
    env = {key: value for key, value in os.environ.items() if not key.startswith(OWN_PREFIXES)}
    env.update(
        DJANGO_SETTINGS_MODULE="enfuse.settings.production",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS=f"{HOST},www.{HOST}",
        DATABASE_URL=database_url,
        # Mail goes to a port where nothing listens: no test here sends real mail.
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT="9",
        EMAIL_TIMEOUT="2",
        PYTHONUNBUFFERED="1",
        # Without Redis the cache is a folder named after the database; a fresh one per site
        # keeps pages cached by an earlier run (same database name) out of this one.
        DJANGO_CACHE_DIR=tempfile.mkdtemp(prefix="enfuse-test-cache-"),
    )
    env.update(extra)
    return env


def manage(env, *args, timeout=600):
    """Run a management command with ``env``; fail the test with its output if it fails."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise AssertionError(
            f"manage.py {' '.join(args)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        )
    return result.stdout


def prepare_site(env):
    """Collect the static files, migrate, load the demo content, add an admin."""
    manage(env, "collectstatic", "--no-input", "-v0")
    manage(env, "migrate", "--no-input", "-v0")
    manage(env, "load_demo_content", "-v0")
    manage(
        {**env, "DJANGO_SUPERUSER_PASSWORD": ADMIN_PASSWORD},
        "createsuperuser",
        "--no-input",
        f"--username={ADMIN_USER}",
        "--email=prodadmin@example.com",
    )


@dataclass
class Response:
    status: int
    headers: http.client.HTTPMessage
    body: bytes
    elapsed: float

    @property
    def text(self):
        return self.body.decode("utf-8", "replace")

    def header(self, name, default=None):
        return self.headers.get(name, default)

    def cookies(self):
        """The cookies set by this response: {name: value}."""
        jar = {}
        for line in self.headers.get_all("Set-Cookie") or []:
            name, _, rest = line.partition("=")
            jar[name.strip()] = rest.split(";", 1)[0]
        return jar


def as_bytes(value):
    return value if isinstance(value, bytes) else value.encode("utf-8")


@dataclass
class Client:
    """Raw HTTP/1.1 to a server on loopback, as the TLS-terminating proxy would send it."""

    port: int
    host: str = HOST
    cookies: dict = field(default_factory=dict)

    def request(
        self, method, target, *, headers=None, body=b"", host=None, proto="https", timeout=20
    ):
        """Send one request; ``proto=None`` leaves out X-Forwarded-Proto (plain http)."""
        head = [
            as_bytes(f"{method} ") + as_bytes(target) + b" HTTP/1.1",
            b"Host: " + as_bytes(self.host if host is None else host),
            b"Connection: close",
        ]
        if proto:
            head.append(b"X-Forwarded-Proto: " + as_bytes(proto))
        all_headers = dict(headers or {})
        if self.cookies:
            all_headers.setdefault(
                "Cookie", "; ".join(f"{key}={value}" for key, value in self.cookies.items())
            )
        if body:
            all_headers["Content-Length"] = str(len(body))
        head += [as_bytes(f"{key}: ") + as_bytes(value) for key, value in all_headers.items()]
        start = time.monotonic()
        with socket.create_connection(("127.0.0.1", self.port), timeout=timeout) as sock:
            sock.sendall(b"\r\n".join(head) + b"\r\n\r\n" + as_bytes(body))
            response = http.client.HTTPResponse(sock, method=method)
            response.begin()
            data = response.read()
        result = Response(response.status, response.headers, data, time.monotonic() - start)
        self.cookies.update(result.cookies())
        return result

    def get(self, target, **kwargs):
        return self.request("GET", target, **kwargs)

    def post_form(self, target, fields, *, referer_path=None, **kwargs):
        from urllib.parse import urlencode

        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{self.host}",
            "Referer": f"https://{self.host}{referer_path or target}",
            **kwargs.pop("headers", {}),
        }
        return self.request("POST", target, headers=headers, body=urlencode(fields), **kwargs)

    def login_admin(self):
        """Log in to the Wagtail admin as the test admin; returns the final response."""
        import re

        page = self.get("/admin/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
        response = self.post_form(
            "/admin/login/",
            {
                "csrfmiddlewaretoken": token.decode(),
                "username": ADMIN_USER,
                "password": ADMIN_PASSWORD,
            },
        )
        assert response.status == 302, response.status
        return response


class Gunicorn:
    """gunicorn serving the production settings on a free loopback port."""

    def __init__(self, env, log_path, workers=2, options=()):
        self.env = env
        self.log_path = log_path
        self.workers = workers
        self.options = list(options)
        self.port = free_port()
        self.process = None

    def start(self, timeout=90):
        log = open(self.log_path, "ab")  # noqa: SIM115 - kept open while the server runs
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "enfuse.wsgi",
                f"--bind=127.0.0.1:{self.port}",
                f"--workers={self.workers}",
                "--timeout=60",
                *self.options,
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"gunicorn exited: {self.log_tail()}")
            try:
                self.client().get("/healthz", timeout=5)
                return self
            except OSError:
                time.sleep(0.3)
        raise AssertionError(f"gunicorn did not answer in {timeout} s: {self.log_tail()}")

    def client(self, **kwargs):
        return Client(self.port, **kwargs)

    def log_tail(self, chars=4000):
        return Path(self.log_path).read_text(errors="replace")[-chars:]

    def stop(self):
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


# Databases -------------------------------------------------------------------------------


def postgres_server():
    """(url without database, database-name prefix) of the PostgreSQL to use, or None.

    The suite's own server when DATABASE_URL points at PostgreSQL, else the local one on
    127.0.0.1:5432 if it answers.
    """
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        return parts._replace(path="").geturl(), (parts.path.lstrip("/") or "enfuse")
    candidate = "postgres://postgres@127.0.0.1:5432"
    if _postgres_answers(candidate):
        return candidate, "enfuse"
    return None


def _postgres_answers(server_url):
    try:
        import psycopg

        with psycopg.connect(server_url + "/postgres", connect_timeout=3):
            return True
    except Exception:
        return False


def admin_sql(server_url, *statements):
    """Run statements outside a transaction in the server's maintenance database."""
    import psycopg

    with psycopg.connect(server_url + "/postgres", autocommit=True, connect_timeout=10) as conn:
        for statement in statements:
            conn.execute(statement)


def create_database(server_url, name):
    admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin_sql(server_url, f'CREATE DATABASE "{name}"')
    return f"{server_url}/{name}"


def drop_database(server_url, name):
    admin_sql(server_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class ProductionSite:
    server: Gunicorn
    env: dict
    database_url: str
    on_postgres: bool
    workdir: Path

    def client(self, **kwargs):
        return self.server.client(**kwargs)

    def django(self, code, **extra_env):
        """Run Python code with Django set up against this site's database; its stdout."""
        result = subprocess.run(
            [sys.executable, "-c", f"import django; django.setup()\n{code}"],
            cwd=ROOT,
            env={**self.env, **extra_env},
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return result.stdout


@pytest.fixture(scope="session")
def production_site(tmp_path_factory):
    workdir = tmp_path_factory.mktemp("production")
    server_and_prefix = postgres_server()
    if server_and_prefix:
        server_url, prefix = server_and_prefix
        name = f"{prefix}_prod{os.getpid()}"
        database_url = create_database(server_url, name)
    else:
        database_url = f"sqlite:///{workdir / 'production.sqlite3'}"
    env = production_env(
        database_url,
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
    )
    server = Gunicorn(env, workdir / "gunicorn.log")
    try:
        prepare_site(env)
        server.start()
        yield ProductionSite(server, env, database_url, bool(server_and_prefix), workdir)
    finally:
        server.stop()
        if server_and_prefix:
            drop_database(server_url, name)
        shutil.rmtree(workdir / "static", ignore_errors=True)
