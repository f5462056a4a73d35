"""Every helper the tests share, in one place: the demo site's addresses, builders for staff,
articles, images and form data, the contact form's SMTP server, the browser's watched tab, and
the production harness's processes and raw HTTP client.

Fixtures live in tests/conftest.py; test modules import helpers from here and nowhere else.
"""

import datetime
import email
import email.policy
import http.client
import importlib.util
import io
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files.images import ImageFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import SimpleTestCase, TestCase
from django.urls import reverse
from PIL import Image as PILImage
from wagtail.coreutils import get_dummy_request
from wagtail.images import get_image_model
from wagtail.rich_text import RichText
from wagtail.test.utils import WagtailPageTestCase, WagtailTestUtils
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from studio.models import AboutPage, HomePage, ServiceIndexPage, ServicePage

ROOT = Path(__file__).resolve().parent.parent

# --- The demo site ---------------------------------------------------------------------------

ARTICLE_URL = (
    "/institute-for-learning/health-wellness/"
    "walking-to-improve-the-health-of-your-lower-back-and-joints/"
)
ARTICLE_TITLE = "Walking to Improve the Health of your Lower Back and Joints"


def add_article(
    category, title, *, published=None, tags=(), author=None, hero_image=None, body=None
):
    """Create one live article in ``category`` (saved live directly: faster than a revision).
    ``body``: the text of its one paragraph."""
    from articles.models import ArticlePage

    page = ArticlePage(
        live=True,
        title=title,
        summary=f"Summary of {title}.",
        body=[("paragraph", RichText(f"<p>{body or f'Body text of {title}.'}</p>"))],
        published_date=published or datetime.date(2024, 1, 1),
        author=author,
        hero_image=hero_image,
        hero_image_alt="A stand-in photo" if hero_image else "",
    )
    for tag in tags:
        page.tags.add(tag)
    category.add_child(instance=page)
    return page


def search_result_titles(client, query, **params):
    """The article titles /search/ lists for ``query``, in order; fails unless it answers 200."""
    response = client.get("/search/", {"q": query, **params})
    assert response.status_code == 200, (query, response.status_code)
    content = response.content.decode()
    return re.findall(r'class="card__title"><a href="[^"]+">([^<]+)</a>', content)


def search_article_count(client, query):
    """The "N articles found" figure of /search/ for ``query`` (0 when nothing is found)."""
    content = client.get("/search/", {"q": query}).content.decode()
    found = re.search(r"<p>([\d,]+) articles? found\.</p>", content)
    return int(found.group(1).replace(",", "")) if found else 0


def require_postgresql(reason="the articles' own search index exists on PostgreSQL only"):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip(reason)


def html(client, url):
    """A page's HTML through the test client; fails unless it answers 200."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


JSON_LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.DOTALL)


def json_ld_blocks(page_html):
    """Every JSON-LD block of a page, parsed (fails the test if one is not valid JSON)."""
    return [json.loads(block) for block in JSON_LD.findall(page_html)]


def json_ld_of_type(page_html, schema_type):
    return next(block for block in json_ld_blocks(page_html) if block.get("@type") == schema_type)


# --- Tests in unittest style on the demo content ---


class DemoPageTests(WagtailTestUtils, SimpleTestCase):
    """unittest-style tests (Wagtail's page assertions) on the session's demo content.

    Not Django's TestCase: its tearDownClass closes the connection, which would end the demo
    content's transaction. Each test runs in a savepoint rolled back after it.
    """

    databases = "__all__"

    # Wagtail's page assertions, borrowed without WagtailPageTestCase's TestCase base.
    _testCanCreateAt = WagtailPageTestCase._testCanCreateAt
    assertCanCreateAt = WagtailPageTestCase.assertCanCreateAt
    assertCanNotCreateAt = WagtailPageTestCase.assertCanNotCreateAt
    assertCanCreate = WagtailPageTestCase.assertCanCreate
    assertAllowedSubpageTypes = WagtailPageTestCase.assertAllowedSubpageTypes
    assertAllowedParentPageTypes = WagtailPageTestCase.assertAllowedParentPageTypes
    assertPageIsRoutable = WagtailPageTestCase.assertPageIsRoutable
    assertPageIsRenderable = WagtailPageTestCase.assertPageIsRenderable
    assertPageIsEditable = WagtailPageTestCase.assertPageIsEditable
    assertPageIsPreviewable = WagtailPageTestCase.assertPageIsPreviewable

    @pytest.fixture(autouse=True)
    def _on_demo_content(self, demo_content, django_db_blocker):
        if not demo_content.is_open:
            demo_content.open(django_db_blocker)
        with django_db_blocker.unblock():
            self.pages = demo_content.pages()
            self.dummy_request = get_dummy_request()
            atomic = transaction.atomic()
            atomic._from_testcase = True  # as Django's TestCase marks its own
            atomic.__enter__()
            try:
                yield
            finally:
                transaction.set_rollback(True)
                atomic.__exit__(None, None, None)


# --- Images ----------------------------------------------------------------------------------


def image_bytes(size=(320, 200), colour=(0, 90, 78)):
    """A small real JPEG."""
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="JPEG")
    return buffer.getvalue()


def make_image(title="Test image", description=None, colour=(0, 90, 78)):
    """A small real image in the library, enough for renditions."""
    image = get_image_model()(
        title=title, description=description or f"A plain block of colour: {title}."
    )
    image.file = ImageFile(io.BytesIO(image_bytes(colour=colour)), name="test.jpg")
    image.save()
    return image


def uploaded_image(name="studio-floor.jpg", size=(640, 400), colour=(120, 90, 40)):
    """An image file as a browser uploads it."""
    return SimpleUploadedFile(name, image_bytes(size, colour), content_type="image/jpeg")


# --- Staff and the admin ---------------------------------------------------------------------

PASSWORD = "a-long-staff-password"


def make_staff(username, group_name=None, **fields):
    """An active user with an email address (for Wagtail's notifications), in one group."""
    user = get_user_model().objects.create_user(
        username,
        email=f"{username}@example.com",
        password=PASSWORD,
        first_name=username.capitalize(),
        **fields,
    )
    if group_name:
        user.groups.add(Group.objects.get(name=group_name))
    return user


def make_editor(username="trainer"):
    from studio.staff.roles import EDITORS

    return make_staff(username, EDITORS)


def make_moderator(username="owner"):
    from studio.staff.roles import MODERATORS

    return make_staff(username, MODERATORS)


def logged_in(client, user):
    client.force_login(user)
    return client


def enrol_two_factor(user, secret=None):
    """Give ``user`` a confirmed second factor; returns (secret, recovery codes)."""
    from studio.staff.two_factor.models import StaffTwoFactor
    from studio.staff.two_factor.totp import new_secret

    record = StaffTwoFactor.start(user, secret or new_secret())
    return record.secret, record.confirm()


def totp_code(secret, steps_from_now=0):
    """The authenticator app's code, ``steps_from_now`` 30-second steps away."""
    from studio.staff.two_factor.totp import STEP_SECONDS, code_at

    return code_at(secret, time.time() + steps_from_now * STEP_SECONDS)


def article_form_data(title="Stretching after a walk", image=None, **changes):
    """The article editor's form, filled in as a trainer would: text, a heading and a figure."""
    blocks = [
        ("heading", {"text": "Why stretch", "level": "h2"}),
        ("paragraph", rich_text("<p>Five minutes of gentle stretching after a walk.</p>")),
    ]
    if image is not None:
        blocks.append(
            (
                "figure",
                {
                    "image": {
                        "image": image.pk,
                        "alt_text": "A woman stretching her calf against a wall",
                        "decorative": "",
                    },
                    "caption": "Hold each stretch for 30 seconds.",
                },
            )
        )
    data = {
        "title": title,
        "slug": changes.pop("slug", "stretching-after-a-walk"),
        "summary": "How to stretch after walking, and why it helps your back.",
        "hero_image": image.pk if image is not None else "",
        "hero_image_alt": "A woman stretching her calf" if image is not None else "",
        "body": streamfield(blocks),
        "author": "",
        "published_date": "2026-01-15",
        "tags": "walking, stretching",
        "reviewed_by": "",
        "last_reviewed": "",
        "related_articles": inline_formset([]),
        "comments": inline_formset([]),
        "seo_title": "",
        "search_description": "",
    }
    data.update(changes)
    return nested_form_data(data)


def add_article_url(category):
    return reverse("wagtailadmin_pages:add", args=("articles", "articlepage", category.pk))


def edit_url(page):
    return reverse("wagtailadmin_pages:edit", args=(page.pk,))


def settings_edit_url(site):
    return reverse("wagtailsettings:edit", args=["studio", "studiosettings", site.pk])


def page_form_data(page, **changes):
    """Admin editor POST data for one of the studio's page types, with ``changes`` applied.

    StreamField and inline panels are rendered by JavaScript in the editor, so the data is
    built here with Wagtail's helpers and the real field and block names.
    """
    body = streamfield(
        [
            ("heading", {"text": "What to expect", "level": "h2"}),
            ("paragraph", rich_text("<p>Every session is built around you.</p>")),
            (
                "call_to_action",
                {
                    "heading": "Ready?",
                    "text": "Talk to us.",
                    "button_label": "Contact our team",
                    "page": "",
                    "url": "",
                },
            ),
        ]
    )
    data = {"title": page.title, "slug": page.slug, "comments": inline_formset([])}
    if isinstance(page, HomePage):
        data.update(
            hero_heading=page.hero_heading,
            intro=page.intro,
            hero_image=page.hero_image_id or "",
            hero_image_alt=page.hero_image_alt,
            hero_cta_label=page.hero_cta_label,
            services_heading=page.services_heading,
            services_intro=page.services_intro,
            body=body,
            faq_heading=page.faq_heading,
        )
    elif isinstance(page, ServiceIndexPage):
        data.update(intro=rich_text(page.intro or "<p>Our services.</p>"))
    elif isinstance(page, ServicePage):
        data.update(
            summary=page.summary,
            image=page.image_id or "",
            image_alt=page.image_alt,
            body=body,
            cta_label=page.cta_label,
            details=inline_formset(
                [
                    {"label": "Price", "value": "$60 per session"},
                    {"label": "Duration", "value": "60 minutes"},
                ]
            ),
        )
    elif isinstance(page, AboutPage):
        data.update(
            heading=page.heading,
            intro=page.intro,
            body=body,
            team_heading=page.team_heading,
            team_members=inline_formset(
                [{"id": link.pk, "member": link.member_id} for link in page.team_members.all()],
                initial=page.team_members.count(),
            ),
        )
    data.update(changes)
    return nested_form_data(data)


# --- The contact form ------------------------------------------------------------------------

SUPPORT = "support@enfuse.test"
CONTACT_URL = "/contact/"
THANKS_URL = "/contact/thanks/"


def form_data(age=60, **changes):
    """A valid contact form post, its token issued ``age`` seconds ago; ``changes`` applied
    (None removes a field)."""
    from studio.contact.forms import new_form_token

    data = {
        "name": "Jane Prospect",
        "email": "jane@example.com",
        "phone": "(860) 555-0123",
        "service": "",
        "message": "I would like to try Pilates for my back.\nWeekday mornings suit me.",
        "consent": "on",
        "source": "",
        "token": new_form_token(now=time.time() - age),
        "website": "",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def post_form(client, url=CONTACT_URL, data=None, meta=None, **changes):
    """Post the form (``data``, or form_data(**changes)) as a browser would, with ``meta``
    as request headers and environ. The email is queued when the submission's transaction
    commits; the test's own transaction never commits, so its on-commit callbacks run here."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        data = data if data is not None else form_data(**changes)
        return client.post(url, data, **(meta or {}))


def only_submission():
    from studio.models import ContactSubmission

    assert ContactSubmission.objects.count() == 1
    return ContactSubmission.objects.get()


def assert_unchanged(submission):
    """The stored row is exactly as it was."""
    model = type(submission)
    fresh = model.objects.get(pk=submission.pk)
    fields = [field.attname for field in model._meta.concrete_fields]
    assert {f: getattr(fresh, f) for f in fields} == {f: getattr(submission, f) for f in fields}


def outbox_to(address):
    return [message for message in mail.outbox if address in message.to]


def free_port():
    """A loopback port nothing listens on (also the way to get a closed port)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class PathRecorder:
    """An HTTP server on a free loopback port that answers 200 to any GET and notes each path
    asked for, in order (scripts/bench's wrk script is checked against it)."""

    def __init__(self):
        self.paths = []
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                recorder.paths.append(self.path)
                # One write: headers and body apart would wait on delayed acknowledgements.
                self.wfile.write(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")

            def log_message(self, *args):
                pass

        class Server(ThreadingHTTPServer):
            def handle_error(self, request, client_address):
                pass  # wrk closes its connections when it stops

        self.server = Server(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self):
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


def run_bench_paths_script(url, paths_file, mode, threads=2, connections=4, duration="10s"):
    """wrk with scripts/bench-paths.lua, as scripts/bench runs it; its closing summary line as
    numbers: requests, req/s, p50 ms, p99 ms, errors, threads that used up their paths,
    seconds until the first of them did (0: none)."""
    run = subprocess.run(
        [
            "wrk",
            f"-t{threads}",
            f"-c{connections}",
            f"-d{duration}",
            "-s",
            str(ROOT / "scripts" / "bench-paths.lua"),
            url,
            "--",
            str(paths_file),
            mode,
            str(threads),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    fields = run.stdout.strip().splitlines()[-1].split()
    assert fields[0] == "paths", run.stdout
    return [float(value) for value in fields[1:]]


class Recorder:
    """aiosmtpd handler: keeps every message; can refuse recipients with a given reply."""

    def __init__(self):
        self.messages = []
        self.refuse_rcpt = None

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse_rcpt:
            return self.refuse_rcpt
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        parsed = email.message_from_bytes(envelope.content, policy=email.policy.default)
        self.messages.append(
            {"from": envelope.mail_from, "to": list(envelope.rcpt_tos), "message": parsed}
        )
        return "250 Message accepted for delivery"

    def to(self, address):
        return [item["message"] for item in self.messages if address in item["to"]]


class SMTPServer:
    """An SMTP server on a free loopback port that a test can stop and start again."""

    def __init__(self):
        self.port = free_port()
        self.handler = Recorder()
        self.controller = None

    def start(self):
        from aiosmtpd.controller import Controller

        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    @property
    def mailer(self):
        return {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": self.port, "timeout": 3},
        }


# --- Outside programs: docker-compose, settings in a subprocess ------------------------------


def run_compose(tmp_path, *args, env_file=True):
    """docker-compose on a copy of the repository's file, with .env.example as the .env."""
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    if env_file:
        shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    else:
        (tmp_path / ".env").write_text("")
    return subprocess.run(
        ["docker-compose", *args], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )


def compose_service_block(config_text, name):
    """One service's block of `docker-compose config` output, as text."""
    return re.split(r"\n  (?=\S)", config_text.split(f"\n  {name}:\n", 1)[1])[0]


def run_with_production_settings(code, **env):
    """Python ``code`` run with the production settings and ``env``, as gunicorn loads them."""
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL"))
    }
    environment.update(DJANGO_SETTINGS_MODULE="enfuse.settings.production", **env)
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


PRODUCTION_BASE_ENV = {
    "DJANGO_SECRET_KEY": "k" * 20 + "s" * 20 + "x" * 20,
    "DJANGO_ALLOWED_HOSTS": "a.com",
}


def production_value(code, **env):
    """The JSON value of ``code`` (e.g. "s.CACHES") under the production settings."""
    result = run_with_production_settings(
        f"import json; from django.conf import settings as s; print(json.dumps({code}))",
        **{**PRODUCTION_BASE_ENV, **env},
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def load_loadtest_script():
    """scripts/loadtest.py as a module (it is a script, not part of a package)."""
    spec = importlib.util.spec_from_file_location("loadtest", ROOT / "scripts" / "loadtest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


# --- The browser -----------------------------------------------------------------------------

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
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def assert_no_axe_violations(page):
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}})
    violations = results.response["violations"]
    assert violations == [], "\n".join(
        f"{v['id']}: {v['help']} at {[n['target'] for n in v['nodes']][:3]}" for v in violations
    )


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

    def main_menu(self):
        """The main navigation, after opening the menu button where there is one (a phone)."""
        toggle = self.page.locator("summary.site-menu__button")
        if toggle.is_visible() and not self.page.locator("details.site-menu[open]").count():
            toggle.click()
        return self.page.get_by_role("navigation", name="Main")

    def scrolls_sideways(self):
        """Whether the page is wider than the window, once its stylesheet has applied: after
        a click, the new page's DOM can be read before its CSS has loaded."""
        self.page.wait_for_load_state("load")
        return self.page.evaluate(
            "() => document.documentElement.scrollWidth > document.documentElement.clientWidth"
        )

    def broken_images(self):
        """Images that failed to load, after making lazy ones load too."""
        # Right after a click the new document may still be parsing: images parsed after the
        # switch to eager would stay lazy, and an off-screen lazy image never completes (a CI
        # failure on the phone layout). So the switch is made on the whole document, and again
        # on every check.
        self.page.wait_for_load_state("load")
        make_eager = (
            "document.querySelectorAll('img[loading=lazy]')"
            ".forEach(img => { img.loading = 'eager'; });"
        )
        self.page.evaluate(f"() => {{ {make_eager} }}")
        self.page.wait_for_load_state("networkidle")
        # Lazy images switched to eager may not have started loading before the network went
        # idle: wait until each has finished (loaded or failed), not merely for quiet.
        self.page.wait_for_function(
            f"() => {{ {make_eager} "
            "return Array.from(document.images).every(img => img.complete); }",
            timeout=15000,
        )
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


def sign_in_with_browser(tab, user, password=PASSWORD):
    """Fill in the admin's sign-in form as staff do; leaves the tab wherever it lands."""
    tab.goto("/admin/login/")
    tab.page.fill("#id_username", user.get_username())
    tab.page.fill("#id_password", password)
    with tab.page.expect_navigation():
        tab.page.click("form.login-form button[type=submit]")


# --- The production harness: real servers on loopback ------------------------------------

HOST = "enfuse.test"
SECRET_KEY = "production-tests-only-not-a-secret-" + "0123456789abcdef" * 2
ADMIN_USER = "prodadmin"
ADMIN_PASSWORD = "production-tests-password-1"
# The test admins' authenticator key (two-factor sign-in is required for superusers).
ADMIN_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
# Admin accounts the site is made with (prodadmin, prodadmin2...). A server takes each TOTP code
# once per account (tests/test_admin_two_factor.py proves it), so every fresh sign-in uses an
# account no earlier one used: no sign-in waits for the next 30-second step.
ADMIN_USERS = [ADMIN_USER, *(f"{ADMIN_USER}{number}" for number in range(2, 13))]
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
    # The other admins copy the first one's password hash (hashing it again costs a second each).
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model\n"
        "from studio.staff.two_factor.models import StaffTwoFactor\n"
        f"first = get_user_model().objects.get(username={ADMIN_USER!r})\n"
        f"for name in {ADMIN_USERS!r}:\n"
        "    user = first if name == first.username else get_user_model().objects.create(\n"
        "        username=name, email=f'{name}@example.com', password=first.password,\n"
        "        is_staff=True, is_superuser=True)\n"
        f"    StaffTwoFactor.start(user, {ADMIN_TOTP_SECRET!r}).confirm()",
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

        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://{self.host}",
            "Referer": f"https://{self.host}{referer_path or target}",
            **kwargs.pop("headers", {}),
        }
        return self.request("POST", target, headers=headers, body=urlencode(fields), **kwargs)

    def login_admin(self, next_url=None):
        """Log in to the Wagtail admin as a test admin (password, then the two-factor code),
        its forms' CSRF tokens scraped as a browser sends them; returns the final response.

        The admin's session on a server is kept and reused by later calls while it is still
        signed in (unless ``next_url`` asks for a fresh sign-in that goes there); a fresh
        sign-in uses an admin account no earlier one used (see ADMIN_USERS).
        """
        from urllib.parse import quote

        key = (self.port, self.host)
        if key in _ADMIN_SESSIONS and not next_url:
            self.cookies.update(_ADMIN_SESSIONS[key])
            response = self.get("/admin/")
            if response.status == 200:
                return response
        query = "?next=" + quote(next_url, safe="") if next_url else ""
        page = self.get("/admin/login/" + query)
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
        fields = {
            "csrfmiddlewaretoken": token.decode(),
            "username": _unused_admin(),
            "password": ADMIN_PASSWORD,
        }
        if next_url:
            fields["next"] = next_url
        response = self.post_form("/admin/login/", fields)
        assert response.status == 302, response.status
        page = self.get("/admin/two-factor/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body).group(1)
        response = self.post_form(
            "/admin/two-factor/",
            {
                "csrfmiddlewaretoken": token.decode(),
                "code": totp_code(ADMIN_TOTP_SECRET),
                "next": next_url or "/admin/",
            },
        )
        assert response.status == 302, f"the admin's two-factor code was refused: {response.status}"
        _ADMIN_SESSIONS[key] = dict(self.cookies)
        return response


# The test admins' sessions by server, and the accounts no sign-in has used yet (any server).
_ADMIN_SESSIONS = {}
_UNUSED_ADMINS = iter(ADMIN_USERS)


def _unused_admin():
    """The username of an admin account that has not signed in yet, on any server."""
    username = next(_UNUSED_ADMINS, None)
    assert username is not None, f"all {len(ADMIN_USERS)} ADMIN_USERS have signed in: add more"
    return username


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


NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"


def wait_until_answering(port, process, log_path=None, tries=150):
    """Poll /healthz on ``port`` until it answers; fail with the log if the process exits."""
    for _ in range(tries):
        if process.poll() is not None:
            log = Path(log_path).read_text(errors="replace")[-3000:] if log_path else ""
            raise AssertionError(f"the server exited: {log}")
        try:
            Client(port).get("/healthz", timeout=2)
            return
        except OSError:
            time.sleep(0.1)
    raise AssertionError(f"nothing answered on port {port}")


def stop_process_group(process, timeout=20):
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


class Nginx:
    """deploy/nginx/default.conf run in Debian's nginx, passing pages to ``upstream_port``
    (Varnish in production) and serving ``media`` as the media volume."""

    def __init__(self, upstream_port, media, workdir=None):
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="enfuse-nginx-"))
        self.upstream_port = upstream_port
        self.media = Path(media)
        self.port = free_port()
        self.process = None

    def start(self):
        site = (ROOT / "deploy" / "nginx" / "default.conf").read_text()
        assert "server varnish:80;" in site
        site = site.replace("server varnish:80;", f"server 127.0.0.1:{self.upstream_port};")
        site = site.replace(
            "listen 80 default_server;", f"listen 127.0.0.1:{self.port} default_server;"
        )
        site = site.replace("alias /srv/media/;", f"alias {self.media}/;")
        workdir = self.workdir
        (workdir / "default.conf").write_text(site)
        user = "user root;\n" if os.geteuid() == 0 else ""
        (workdir / "nginx.conf").write_text(
            f"""{user}worker_processes 1;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 64; }}
http {{
    include /etc/nginx/mime.types;
    access_log {workdir}/access.log;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    include {workdir}/default.conf;
}}
"""
        )
        command = [NGINX, "-p", str(workdir), "-c", str(workdir / "nginx.conf")]
        check = subprocess.run([*command, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, check.stderr
        self.process = subprocess.Popen(
            command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True
        )
        wait_until_answering(self.port, self.process, workdir / "error.log")
        return self

    def stop(self):
        stop_process_group(self.process, timeout=10)
        shutil.rmtree(self.workdir, ignore_errors=True)


class Varnish:
    """deploy/varnish/default.vcl run in Debian's varnishd in front of ``backend_port``."""

    def __init__(self, backend_port, port=None):
        self.backend_port = backend_port
        self.port = port or free_port()
        self.process = None
        # varnishd drops its privileges: its own users must be able to read the VCL and the
        # working directory, which pytest's private temporary folders do not allow.
        self.workdir = Path(tempfile.mkdtemp(prefix="enfuse-varnish-"))
        self.workdir.chmod(0o755)

    def start(self):
        vcl = (ROOT / "deploy" / "varnish" / "default.vcl").read_text()
        assert '.host = "web";' in vcl and '.port = "8000";' in vcl
        vcl = vcl.replace('.host = "web";', '.host = "127.0.0.1";')
        vcl = vcl.replace('.port = "8000";', f'.port = "{self.backend_port}";')
        (self.workdir / "default.vcl").write_text(vcl)
        (self.workdir / "default.vcl").chmod(0o644)
        log_path = self.workdir / "varnishd.log"
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                [
                    VARNISHD,
                    "-F",
                    "-a",
                    f"127.0.0.1:{self.port}",
                    "-f",
                    str(self.workdir / "default.vcl"),
                    "-s",
                    "malloc,32m",
                    "-n",
                    str(self.workdir / "state"),
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until_answering(self.port, self.process, log_path)
        return self

    def stop(self):
        stop_process_group(self.process)
        shutil.rmtree(self.workdir, ignore_errors=True)


def redis_answers():
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False
