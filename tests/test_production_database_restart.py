"""The database stops and comes back while the app runs.

Against a throwaway PostgreSQL cluster of the test's own (never the shared server), behind
gunicorn with the production settings: during the outage every page fails fast with the 503
page (even one in the page cache: only the database can say it is still current), and the first
request after it succeeds without restarting the app (CONN_HEALTH_CHECKS). A contact form
sent during the outage is never answered with success; sent again afterwards it is stored,
and every message answered with success is in the database. A database that accepts
connections but never answers costs a request DATABASE_CONNECT_TIMEOUT seconds, not a hung
worker.
"""

import re
import socket
import subprocess

import pytest

from tests.support import ARTICLE_URL, Gunicorn, load_loadtest_script, prepare_site, production_env

ARTICLE_TITLE = "Walking to Improve the Health of your Lower Back and Joints"
SEARCH_URL = "/search/?q=walking"


@pytest.fixture(scope="module")
def cluster():
    try:
        cluster = load_loadtest_script().Cluster().init()
    except SystemExit as missing:
        pytest.skip(str(missing))
    try:
        cluster.start()
        cluster.run("createdb", "-h", "127.0.0.1", "-p", str(cluster.port), "enfuse")
        yield cluster
    finally:
        cluster.destroy()


@pytest.fixture(scope="module")
def site_on_own_cluster(cluster, production_site, tmp_path_factory):
    """The production site's database copied into the throwaway cluster (a copy costs a
    second; building it again, the demo content included, a minute), behind gunicorn."""
    workdir = tmp_path_factory.mktemp("restart")
    env = production_env(
        cluster.url("enfuse"),
        DJANGO_STATIC_ROOT=production_site.env["DJANGO_STATIC_ROOT"],
        DJANGO_MEDIA_ROOT=production_site.env["DJANGO_MEDIA_ROOT"],
        # The contact form test posts as soon as it has the form, like a quick visitor.
        CONTACT_MIN_FILL_SECONDS="0",
    )
    if production_site.on_postgres:
        copy_database(production_site.database_url, cluster)
    else:
        prepare_site(env)
    # One worker: the very connection that the restart breaks serves the next request.
    server = Gunicorn(env, workdir / "gunicorn.log", workers=1).start()
    yield server
    server.stop()


def copy_database(source_url, cluster):
    dump = subprocess.run(
        [str(cluster.bindir / "pg_dump"), "--format=custom", "--no-owner", source_url],
        capture_output=True,
        check=True,
        timeout=120,
    )
    subprocess.run(
        [
            str(cluster.bindir / "pg_restore"),
            "--no-owner",
            "--exit-on-error",
            f"--dbname={cluster.url('enfuse')}",
        ],
        input=dump.stdout,
        capture_output=True,
        check=True,
        timeout=120,
    )


def test_outage_fails_fast_with_503_then_recovers_without_a_restart(cluster, site_on_own_cluster):
    client = site_on_own_cluster.client()
    before = client.get(ARTICLE_URL)
    assert before.status == 200
    assert ARTICLE_TITLE in before.text

    cluster.stop()
    try:
        # The article is in the page cache, but only the database can say it is current (a
        # change committed just before the outage may have made it private): 503, fast.
        cached = client.get(ARTICLE_URL, timeout=10)
        assert cached.status == 503
        assert ARTICLE_TITLE not in cached.text
        # What needs the database fails fast with the 503 page. The client gives up after
        # 10 s: a hung worker fails the test.
        during = client.get(SEARCH_URL, timeout=10)
        assert during.status == 503
        assert during.header("Retry-After") == "30"
        assert "briefly unavailable" in during.text
        assert "Traceback" not in during.text
        health = client.get("/healthz", timeout=10)
        assert health.status == 503
        assert '"database": false' in health.text
    finally:
        cluster.start()

    after = client.get(SEARCH_URL)
    assert after.status == 200
    assert ARTICLE_TITLE in after.text
    assert client.get("/healthz").status == 200


def test_a_restart_between_two_requests_is_invisible(cluster, site_on_own_cluster):
    client = site_on_own_cluster.client()
    assert client.get(SEARCH_URL).status == 200  # the worker now holds a connection
    cluster.stop()
    cluster.start()
    # That connection is dead; the health check replaces it before the request uses it.
    response = client.get(SEARCH_URL)
    assert response.status == 200
    assert ARTICLE_TITLE in response.text


CONTACT_URL = "/contact/"
FORM_FIELD = re.compile(r'name="(csrfmiddlewaretoken|token)" value="([^"]*)"')


def contact_form(client):
    """The contact form as a browser has it after loading the page: its CSRF token (the
    cookie is in the client) and signed timestamp, filled in."""
    page = client.get(CONTACT_URL, timeout=10)
    assert page.status == 200
    return {
        **dict(FORM_FIELD.findall(page.text)),
        "name": "Restart Prospect",
        "email": "restart@example.com",
        "consent": "on",
    }


def stored_messages(cluster):
    import psycopg

    with psycopg.connect(cluster.url("enfuse"), connect_timeout=10) as conn:
        rows = conn.execute("SELECT message FROM studio_contactsubmission").fetchall()
    return [message for (message,) in rows]


def test_no_contact_message_answered_with_success_is_lost_across_a_restart(
    cluster, site_on_own_cluster
):
    client = site_on_own_cluster.client()
    answers = {}

    def send(form, message):
        response = client.post_form(CONTACT_URL, {**form, "message": message}, timeout=10)
        answers[message] = response
        return response

    before = send(contact_form(client), "Sent before the outage.")
    assert before.status == 302
    assert before.header("Location").endswith("/contact/thanks/")
    # The visitor loads the form, and the database stops while they type.
    form = contact_form(client)
    cluster.stop()
    try:
        # Fails fast (the client gives up after 10 s) with the 503 page, never a thank-you.
        during = send(form, "Sent during the outage.")
        assert during.status == 503
        assert "briefly unavailable" in during.text
        assert "Traceback" not in during.text
        # The form itself needs the database (it is never cached): 503 too.
        assert client.get(CONTACT_URL, timeout=10).status == 503
    finally:
        cluster.start()

    # The visitor sends the same form again once the site is back: it goes through.
    after = send(form, "Sent again after the outage.")
    assert after.status == 302
    assert after.header("Location").endswith("/contact/thanks/")

    messages = stored_messages(cluster)
    assert "Sent again after the outage." in messages
    assert "Sent during the outage." not in messages
    answered_with_success = {text for text, response in answers.items() if response.status == 302}
    assert answered_with_success == {"Sent before the outage.", "Sent again after the outage."}
    assert answered_with_success <= set(messages)
    assert len(messages) == len(set(messages))  # each once


@pytest.fixture
def silent_database():
    """A port that accepts connections and then says nothing, like a hung database host."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(64)
    yield listener.getsockname()[1]
    listener.close()


def test_a_silent_database_costs_the_connect_timeout_not_a_hung_worker(
    site_on_own_cluster, silent_database, tmp_path
):
    env = {
        **site_on_own_cluster.env,
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:{silent_database}/enfuse",
        "DATABASE_CONNECT_TIMEOUT": "2",
    }
    server = Gunicorn(env, tmp_path / "gunicorn.log", workers=1)
    server.start()
    try:
        # libpq would wait for ever; gunicorn would kill the worker after 60 s. The client's
        # 15 s limit fails the test unless the connect timeout answers first.
        response = server.client().get(SEARCH_URL, timeout=15)
        assert response.status == 503
        assert "briefly unavailable" in response.text
    finally:
        server.stop()
