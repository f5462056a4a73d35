"""Every fixture the tests share. Helpers (builders, clients, servers) live in tests/support.py.

Costly things are made once per session, not once per test:
- the demo content (`demo_site`): loaded once inside a transaction that stays open while the
  tests that use it run, each in a savepoint rolled back after it;
- image renditions: each (source image, filter) is encoded once per session (`Filter.run` is
  remembered), because AVIF encoding dominates a page's first render;
- the browser's live site (`live_site`): committed once, served by one live server; a test
  that changes content restores it;
- the production harness (`production_site` and the servers in front of it): started once.

Tests are ordered so that each of these is built once: plain tests, then those on the demo
content, then the ones that commit (transactional), the production harness, the browser.
Markers `browser` and `production` are applied here from the fixtures a test uses. Under
pytest-xdist (scripts/test) each worker has its own database and media folder, and the
production and the browser tests each go whole to one worker (`xdist_group`).
"""

import hashlib
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import transaction

from tests import support

BROWSER_FIXTURES = {"browser", "live_site", "site_url", "tab", "live_staff"}
PRODUCTION_FIXTURES = {"production_site"}
# pytest-timeout's limit (pyproject: 120 s) for tests that may start the session's servers.
SERVER_TIMEOUT = 420


# --- Markers and order -----------------------------------------------------------------------


def _group(item):
    """Run order: 0 plain, 1 on the demo content, 2 committing, 3 production, 4 browser."""
    names = set(item.fixturenames)
    if item.get_closest_marker("browser") or names & BROWSER_FIXTURES:
        return 4
    if item.get_closest_marker("production"):
        return 3
    marker = item.get_closest_marker("django_db")
    if (
        "transactional_db" in names
        or "live_server" in names
        or (marker is not None and marker.kwargs.get("transaction"))
    ):
        return 2
    if "demo_content" in names:
        return 1
    return 0


# Groups whose tests share one worker under pytest-xdist (`--dist loadgroup`), so that the
# session's servers and live site start once, on one worker, not on each.
XDIST_GROUPS = {3: "production", 4: "browser"}


def pytest_itemcollected(item):
    # Marked as each test is collected: xdist reads xdist_group in its own
    # pytest_collection_modifyitems, which may run before the one below.
    names = set(item.fixturenames)
    if names & BROWSER_FIXTURES:
        item.add_marker(pytest.mark.browser)
    if names & PRODUCTION_FIXTURES or Path(item.fspath).name.startswith("test_production_"):
        item.add_marker(pytest.mark.production)
    if _group(item) >= 3 and not item.get_closest_marker("timeout"):
        # Its first test also starts the session's servers (migrations, demo content).
        item.add_marker(pytest.mark.timeout(SERVER_TIMEOUT))
    if _group(item) in XDIST_GROUPS:
        item.add_marker(pytest.mark.xdist_group(XDIST_GROUPS[_group(item)]))


def pytest_collection_modifyitems(config, items):
    # After pytest-django's own ordering (tryfirst), which would undo this one.
    items.sort(key=_group)  # stable: files and tests keep their order within a group


def pytest_runtest_setup(item):
    # The demo content's transaction must end before a test that commits, or one that needs
    # an empty site, runs.
    if SESSION_DEMO.is_open and "demo_content" not in item.fixturenames:
        SESSION_DEMO.close()


# --- The test database ----------------------------------------------------------------------


@pytest.fixture(scope="session")
def django_db_setup(
    request, django_test_environment, django_db_modify_db_settings, django_db_blocker
):
    """pytest-django's test database setup, for the default database always.

    Its own sets up only the databases the collected tests declare (a `db` fixture or mark);
    the demo-content and browser tests reach theirs through session fixtures instead. Before
    the database is dropped, connections still open to it (the live server's) are closed.
    `django_db_modify_db_settings` gives each xdist worker a database of its own (`_gw0`...).
    """
    from django.db import connection, connections
    from django.test.utils import setup_databases, teardown_databases

    verbosity = request.config.option.verbose
    with django_db_blocker.unblock():
        config = setup_databases(verbosity=verbosity, interactive=False, aliases={"default"})
    yield
    with django_db_blocker.unblock():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        connections.close_all()
        teardown_databases(config, verbosity=verbosity)


# --- pytest-xdist workers --------------------------------------------------------------------


def pytest_configure(config):
    """Under pytest-xdist each worker (gw0, gw1...) uploads to a folder of its own beside the
    test settings' MEDIA_ROOT, so no worker sees or removes another's files. Set before any
    storage or the URLconf (which serves MEDIA_ROOT to the browser tests) reads it."""
    from django.conf import settings

    # `--dist loadgroup` hands out the biggest groups first unless told not to; the browser's
    # live site, committed, must follow the tests that need an empty database on its worker.
    if hasattr(config.option, "loadscopereorder"):
        config.option.loadscopereorder = False
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:
        media_root = Path(settings.MEDIA_ROOT)
        settings.MEDIA_ROOT = media_root.with_name(f"{media_root.name}-{worker}")


# --- Image renditions, encoded once per session ----------------------------------------------


@pytest.fixture(scope="session", autouse=True)
def renditions_encoded_once():
    """Remember each encoded rendition by (source file, focal point, filter spec).

    Every test rolls its rendition rows back, so without this each test that renders a page
    re-encodes its images (1.7 s for the article, 2.6 s for the home page, mostly AVIF).
    """
    from wagtail.images.models import Filter

    original_run = Filter.run
    encoded = {}

    def run(self, image, output, source=None):
        key = (_content_digest(image), repr(image.get_focal_point()), self.spec)
        if key not in encoded:
            generated = original_run(self, image, output, source=source)
            generated.f.seek(0)
            encoded[key] = (generated.format_name, generated.f.read())
        format_name, data = encoded[key]
        output.seek(0)
        output.truncate()
        output.write(data)
        output.seek(0)
        return _EncodedImage(output, format_name)

    Filter.run = run
    yield
    Filter.run = original_run


_digests = {}


def _content_digest(image):
    """The source file's SHA-1, read once per stored file (demo images have no file_hash)."""
    name = image.file.name
    if name not in _digests:
        with image.file.storage.open(name, "rb") as source:
            _digests[name] = hashlib.sha1(source.read()).hexdigest()
    return _digests[name]


class _EncodedImage:
    """What `Filter.run` returns to Wagtail: the file and its format's name."""

    def __init__(self, f, format_name):
        self.f = f
        self.format_name = format_name


# --- Caches ----------------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def fresh_content_version():
    """Each test starts with empty caches: a rolled-back test leaves its content version token
    behind for the next, so what was kept under it for that test's content must go."""
    from django.core.cache import caches

    from enfuse.caching import snapshot

    snapshot.forget_process_memory()
    for cache in caches.all(initialized_only=True):
        cache.clear()


# --- The demo content ------------------------------------------------------------------------


class SessionDemo:
    """The demo content, loaded once in a transaction that stays open until a test that does
    not use it runs (see pytest_runtest_setup)."""

    PAGES = {
        "home": ("studio", "HomePage", {}),
        "services": ("studio", "ServiceIndexPage", {}),
        "pilates": ("studio", "ServicePage", {"slug": "pilates"}),
        "about": ("studio", "AboutPage", {}),
        "contact": ("studio", "ContactPage", {}),
        "index": ("articles", "LearningIndexPage", {}),
        "category": ("articles", "CategoryPage", {"slug": "health-wellness"}),
        "article": ("articles", "ArticlePage", {"slug__startswith": "walking-to-improve"}),
    }

    def __init__(self):
        self.atomic = None
        self.blocker = None

    @property
    def is_open(self):
        return self.atomic is not None

    def open(self, blocker):
        self.blocker = blocker
        with blocker.unblock():
            self.atomic = transaction.atomic()
            # Marked as Django's TestCase marks its own: the app treats it as the test's.
            self.atomic._from_testcase = True
            self.atomic.__enter__()
            call_command("load_demo_content", verbosity=0)

    def close(self):
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None

    def pages(self):
        """The main pages by name, fetched afresh (a test may change its instances)."""
        from django.apps import apps
        from wagtail.models import Site

        from studio.models import StudioSettings

        found = {
            name: apps.get_model(app, model).objects.get(**lookup)
            for name, (app, model, lookup) in self.PAGES.items()
        }
        found["learning"] = found["index"]
        found["site"] = Site.objects.get(is_default_site=True)
        found["studio"] = StudioSettings.for_site(found["site"])
        return found


SESSION_DEMO = SessionDemo()


@pytest.fixture(scope="session")
def demo_content(django_db_setup, django_db_blocker):
    """The demo content for this stretch of the session (see SessionDemo)."""
    return SESSION_DEMO


@pytest.fixture
def demo_site(demo_content, db):
    """The site as `load_demo_content` builds it; each test's changes are rolled back.

    A dict of its main pages: home, services, pilates, about, contact, index (also
    "learning"), category, article, and the site and its studio settings.
    """
    assert demo_content.is_open, "_open_demo_content runs before db"
    return demo_content.pages()


@pytest.fixture(scope="class", autouse=True)
def _open_demo_content(request):
    """Open the session's demo content before the test's own transaction starts.

    Class scope is set up before pytest-django's function-scoped database fixtures; for a test
    outside a class it lasts one test, so each test gets the check.
    """
    if "demo_content" in request.fixturenames and not SESSION_DEMO.is_open:
        request.getfixturevalue("django_db_setup")
        SESSION_DEMO.open(request.getfixturevalue("django_db_blocker"))


@pytest.fixture
def make_articles():
    """Add ``count`` dated articles to a category, newest last, returning them in order."""
    import datetime

    def make(category, count, start=datetime.date(2024, 1, 1), **kwargs):
        return [
            support.add_article(
                category,
                f"Article {number}",
                published=start + datetime.timedelta(days=number),
                **kwargs,
            )
            for number in range(count)
        ]

    return make


# --- Staff -----------------------------------------------------------------------------------


@pytest.fixture
def editor_client(client, db):
    return support.logged_in(client, support.make_editor())


@pytest.fixture
def moderator_client(client, db):
    return support.logged_in(client, support.make_moderator())


# --- The contact form ------------------------------------------------------------------------


@pytest.fixture
def contact_site(db):
    """Home, two services, a contact page and the studio details: enough for the form."""
    from wagtail.models import Page, Site

    from studio.models import ContactPage, HomePage, ServiceIndexPage, ServicePage, StudioSettings

    root = Page.get_first_root_node()
    home = HomePage(title="EnFuse Fitness", slug="enfuse-test", live=True)
    root.add_child(instance=home)
    site = Site.objects.get(is_default_site=True)
    site.root_page = home
    site.save()
    index = ServiceIndexPage(title="Services", slug="services", live=True)
    home.add_child(instance=index)
    services = {}
    for slug, title in [("pilates", "Pilates"), ("yoga", "Yoga")]:
        services[slug] = ServicePage(title=title, slug=slug, summary=f"About {title}.", live=True)
        index.add_child(instance=services[slug])
    contact = ContactPage(title="Contact", slug="contact", live=True, show_in_menus=True)
    home.add_child(instance=contact)
    studio, _ = StudioSettings.objects.get_or_create(site=site)
    studio.support_email = support.SUPPORT
    studio.save()
    return {
        "site": site,
        "home": home,
        "contact": contact,
        "pilates": services["pilates"],
        "yoga": services["yoga"],
        "studio": studio,
    }


@pytest.fixture
def existing_submission(contact_site):
    """A message already stored and sent, which no later request may change."""
    from studio.models import ContactSubmission

    submission = ContactSubmission.objects.create(
        name="Earlier Prospect",
        email="earlier@example.com",
        message="An earlier message.",
        consent=True,
        page=contact_site["contact"],
        delivery_state=ContactSubmission.SENT,
        form_token="earlier-token",
    )
    submission.refresh_from_db()
    return submission


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server, with settings.MAILERS pointed at it."""
    server = support.SMTPServer()
    server.start()
    settings.MAILERS = {"default": server.mailer}
    yield server
    server.stop()


# --- The browser -----------------------------------------------------------------------------

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# there unless told that it is safe, which it is for tests that only talk to the live server.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def browser():
    if not Path(support.CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {support.CHROMIUM}: .ci/run installs it.")
        pytest.skip(f"Chromium is not installed at {support.CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=support.CHROMIUM, args=support.CHROMIUM_ARGS
        )
        yield browser
        browser.close()


def restore_wagtail_roots():
    """What Wagtail's and our data migrations make, after a transactional test's flush."""
    from wagtail.models import Collection, Locale, Page

    from studio.staff.roles import apply_roles

    locale, _ = Locale.objects.get_or_create(language_code="en")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale, live=True))
    apply_roles()


@pytest.fixture(scope="session")
def live_site(django_db_setup, django_db_blocker):
    """The demo site committed once and served by one live server thread, for the browser
    tests (which run last). A test that changes content restores it.

    pytest-django's `live_server` fixture would make every test transactional, emptying the
    database after each; its LiveServer helper serves the session's database as it is.
    """
    from pytest_django.live_server_helper import LiveServer
    from wagtail.models import Site

    if SESSION_DEMO.is_open:
        SESSION_DEMO.close()
    with django_db_blocker.unblock():
        restore_wagtail_roots()
        call_command("load_demo_content", verbosity=0)
        server = LiveServer("127.0.0.1")
        parts = urlsplit(server.url)
        Site.objects.filter(is_default_site=True).update(hostname=parts.hostname, port=parts.port)
    yield server.url
    server.stop()


@pytest.fixture
def site_url(live_site, django_db_blocker):
    """The live site's address; the test may read (and carefully change) its database."""
    with django_db_blocker.unblock():
        yield live_site


@pytest.fixture(params=list(support.VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def tab(browser, site_url, viewport, request):
    """A watched tab at the phone or desktop size; screenshots itself if the test fails."""
    context = browser.new_context(viewport=support.VIEWPORTS[viewport], reduced_motion="reduce")
    page = context.new_page()
    watched = support.WatchedPage(page, site_url)
    yield watched
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        support.SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        page.screenshot(path=str(support.SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def new_contact_messages_removed(site_url):
    """Contact messages a browser test sends are deleted afterwards (the live site is shared)."""
    from studio.models import ContactSubmission

    before = set(ContactSubmission.objects.values_list("pk", flat=True))
    yield
    ContactSubmission.objects.exclude(pk__in=before).delete()


@pytest.fixture
def staff_removed(site_url):
    """Staff accounts a browser test creates are deleted afterwards (the live site is shared)."""
    from django.contrib.auth import get_user_model

    before = set(get_user_model().objects.values_list("pk", flat=True))
    yield
    get_user_model().objects.exclude(pk__in=before).delete()


@pytest.fixture
def admin_tab(tab, staff_removed):
    """The watched tab, signed in to the admin as a new superuser through the sign-in form."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser(
        "browseradmin", "browseradmin@example.com", support.PASSWORD
    )
    support.sign_in_with_browser(tab, user)
    tab.user = user
    return tab


# --- The production harness ------------------------------------------------------------------


@pytest.fixture(scope="session")
def production_site(tmp_path_factory):
    """The production settings under gunicorn with two workers, static files collected, and a
    database of its own (PostgreSQL when one answers, else SQLite) with the demo content and
    an admin."""
    workdir = tmp_path_factory.mktemp("production")
    server_and_prefix = support.postgres_server()
    if server_and_prefix:
        server_url, prefix = server_and_prefix
        name = f"{prefix}_prod{os.getpid()}"
        database_url = support.create_database(server_url, name)
    else:
        database_url = f"sqlite:///{workdir / 'production.sqlite3'}"
    env = support.production_env(
        database_url,
        DJANGO_STATIC_ROOT=str(workdir / "static"),
        DJANGO_MEDIA_ROOT=str(workdir / "media"),
    )
    server = support.Gunicorn(env, workdir / "gunicorn.log")
    try:
        support.prepare_site(env)
        server.start()
        yield support.ProductionSite(server, env, database_url, bool(server_and_prefix), workdir)
    finally:
        server.stop()
        if server_and_prefix:
            support.drop_database(server_url, name)
        shutil.rmtree(workdir / "static", ignore_errors=True)
