"""Fixtures for tests in a real browser: Debian's Chromium driven by Playwright.

Every page a test opens is watched: a request to another origin is blocked and fails the test,
as does a console error, an uncaught script error or a broken image. A failing test leaves a
full-page screenshot in test-artifacts/screenshots/.
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {"phone": {"width": 375, "height": 812}, "desktop": {"width": 1366, "height": 768}}
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "screenshots"

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
    if not Path(CHROMIUM).exists():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is missing at {CHROMIUM}: .ci/run installs it.")
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site_url(live_server, transactional_db):
    """The demo site, served on loopback by a live test server.

    A live server needs committed data, so these tests empty the database afterwards (the
    flush keeps content types and permissions); what Wagtail's migrations would have made
    (the default locale, the root collection, the root page and the staff roles) is made
    again first.
    """
    restore_wagtail_roots()
    call_command("load_demo_content", verbosity=0)
    _point_default_site_at(live_server.url)
    return live_server.url


def restore_wagtail_roots():
    from wagtail.models import Collection, Locale, Page

    from studio.staff.roles import apply_roles

    locale, _ = Locale.objects.get_or_create(language_code="en")
    if not Collection.objects.exists():
        Collection.add_root(name="Root")
    if not Page.objects.exists():
        Page.add_root(instance=Page(title="Root", slug="root", locale=locale, live=True))
    # The staff groups and workflow of the data migration (studio 0003).
    apply_roles()


def _point_default_site_at(url):
    from wagtail.models import Site

    parts = urlsplit(url)
    Site.objects.filter(is_default_site=True).update(hostname=parts.hostname, port=parts.port)


class WatchedPage:
    """A browser tab that records what a careful reviewer would look for."""

    def __init__(self, page, origin):
        self.page = page
        self.origin = origin
        self.foreign_requests = []
        self.console_errors = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda error: self.console_errors.append(str(error)))
        page.route("**/*", self._only_our_origin)

    def _on_console(self, message):
        if message.type == "error":
            self.console_errors.append(message.text)

    def _only_our_origin(self, route):
        url = route.request.url
        if url.startswith(self.origin) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.foreign_requests.append(url)
            route.abort()

    def goto(self, path):
        response = self.page.goto(self.origin + path)
        return response

    def scrolls_sideways(self):
        """Whether the page is wider than the window, once its stylesheet has applied: after
        a click, the new page's DOM can be read before its CSS has loaded."""
        self.page.wait_for_load_state("load")
        return self.page.evaluate(
            "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )

    def broken_images(self):
        """Images that failed to load, after making lazy ones load too."""
        self.page.evaluate(
            "() => document.querySelectorAll('img[loading=lazy]')"
            ".forEach(img => { img.loading = 'eager'; })"
        )
        self.page.wait_for_load_state("networkidle")
        return self.page.evaluate(
            "() => Array.from(document.images)"
            ".filter(img => !img.complete || img.naturalWidth === 0)"
            ".map(img => img.currentSrc || img.src)"
        )

    def assert_clean(self, expected_status=None):
        """No foreign request, console error or broken image.

        ``expected_status``: the page itself answered with this error status on purpose (a 404
        page), which the browser reports on its console; any other error still fails.
        """
        errors = self.console_errors
        if expected_status:
            errors = [e for e in errors if f"status of {expected_status}" not in e]
        assert self.foreign_requests == [], "requests left the site"
        assert errors == [], "the console reported errors"
        assert self.broken_images() == [], "images did not load"


@pytest.fixture(params=list(VIEWPORTS))
def viewport(request):
    return request.param


@pytest.fixture
def tab(browser, site_url, viewport, request):
    """A watched tab at the phone or desktop size; screenshots itself if the test fails."""
    context = browser.new_context(viewport=VIEWPORTS[viewport], reduced_motion="reduce")
    page = context.new_page()
    watched = WatchedPage(page, site_url)
    yield watched
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-150:]
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()
