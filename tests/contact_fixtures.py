"""Builders shared by the contact form tests (tests/test_contact_*.py): a small site with a
contact page, form data with a valid signed token, and a real SMTP server on loopback."""

import email
import email.policy
import socket
import time

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.test import TestCase
from wagtail.models import Page, Site

from studio.contact.forms import new_form_token
from studio.models import (
    ContactPage,
    ContactSubmission,
    HomePage,
    ServiceIndexPage,
    ServicePage,
    StudioSettings,
)

SUPPORT = "support@enfuse.test"
CONTACT_URL = "/contact/"
THANKS_URL = "/contact/thanks/"


@pytest.fixture
def contact_site(db):
    """Home, two services, a contact page and the studio details: enough for the form."""
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
    studio.support_email = SUPPORT
    studio.save()
    return {
        "site": site,
        "home": home,
        "contact": contact,
        "pilates": services["pilates"],
        "yoga": services["yoga"],
        "studio": studio,
    }


def form_data(age=60, **changes):
    """A valid contact form post, its token issued ``age`` seconds ago; ``changes`` applied
    (None removes a field)."""
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
    assert ContactSubmission.objects.count() == 1
    return ContactSubmission.objects.get()


@pytest.fixture
def existing_submission(contact_site):
    """A message already stored and sent, which no later request may change."""
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


def assert_unchanged(submission):
    """The stored row is exactly as it was."""
    fresh = ContactSubmission.objects.get(pk=submission.pk)
    fields = [field.attname for field in ContactSubmission._meta.concrete_fields]
    assert {f: getattr(fresh, f) for f in fields} == {f: getattr(submission, f) for f in fields}


def outbox_to(address):
    return [message for message in mail.outbox if address in message.to]


# --- A real SMTP server on loopback -----------------------------------------------------------


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


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


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server, with settings.MAILERS pointed at it."""
    server = SMTPServer()
    server.start()
    settings.MAILERS = {"default": server.mailer}
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each contact test starts with no rate-limit counters left by another test."""
    from django.core.cache import cache

    cache.clear()
