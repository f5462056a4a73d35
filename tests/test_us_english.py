"""US English and US formats on every page of the demo site and in the contact emails: no
British spellings ("programme", "colour", "one-to-one", "working day", "Tick the box"...) and no
day-month dates ("29 November 2026"); dates read "November 29, 2026"."""

import datetime
import html
import re

import pytest
from django.utils import timezone
from wagtail.models import Page

from studio.contact import delivery
from studio.models import ContactSubmission
from tests.support import CONTACT_URL, post_form

BRITISH = [
    r"programme",
    r"colours?",
    r"organis(?:e|ed|es|ing|ation)",
    r"centre",
    r"centred",
    r"favourite",
    r"behaviour",
    r"neighbour",
    r"honour",
    r"labour",
    r"catalogue",
    r"travell(?:ed|ing|er)",
    r"cancell(?:ed|ing)",
    r"dialled",
    r"enrol(?:s|ment)?",
    r"licence",
    r"practise",
    r"judgement",
    r"analys(?:e|ed|ing)",
    r"(?:real|recogn|apolog|minim|maxim|personal|optim|special|custom)is(?:e|ed|es|ing)",
    r"one-to-one",
    r"working days?",
    r"tick the box",
    r"tick to",
    r"whilst",
    r"amongst",
    r"fulfil",
    r"storey",
    r"metres?",
    r"call us on",
    r"post ?code",
    r"at the weekend",
    r"fortnight",
]
BRITISH_WORDS = re.compile(r"\b(?:" + "|".join(BRITISH) + r")\b", re.IGNORECASE)
MONTHS = (
    "January|February|March|April|May|June|July|August|September|October|November|December"
    "|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
)
DAY_MONTH = re.compile(rf"\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?(?:{MONTHS})\b\.?")


def british_english(text, dates=True):
    """Every British spelling and day-month date in ``text``, with a little context.

    ``dates=False`` for a feed, whose dates are RFC 822's by the RSS standard."""
    text = html.unescape(text)
    found = []
    for pattern in (BRITISH_WORDS, DAY_MONTH) if dates else (BRITISH_WORDS,):
        for match in pattern.finditer(text):
            found.append(text[max(0, match.start() - 40) : match.end() + 20])
    return found


def test_the_checks_catch_what_they_are_for():
    for text in (
        "my programme",
        "One-to-one",
        "within one working day",
        "Tick the box to agree",
        "29 November 2026",
        "on 1 May",
        "a favourite colour",
        "organised",
        "call us on 860",
    ):
        assert british_english(text), text
    for text in ("programs", "one-on-one", "business day", "November 29, 2026", "May 1, 2020"):
        assert not british_english(text), text


def every_demo_page_url():
    return [page.url for page in Page.objects.live().public().filter(depth__gt=1).specific()]


def test_every_demo_page_is_in_us_english(demo_site, client):
    urls = every_demo_page_url()
    assert len(urls) >= 12
    urls += [
        "/contact/thanks/",
        "/medical-disclaimer/",
        "/no-such-page/",
        "/search/?q=pilates",
        "/search/?q=walking",
        "/search/?q=xylophone",
        "/institute-for-learning/feed/",
        "/robots.txt",
    ]
    problems = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        found = british_english(response.content.decode(), dates="feed" not in url)
        if found:
            problems[url] = found
    assert problems == {}


def test_the_contact_form_and_its_errors_are_in_us_english(demo_site, client):
    response = post_form(client, consent=None, phone="12", email="nope")
    content = response.content.decode()
    assert "Check the box to agree" in content
    assert british_english(content) == []


@pytest.mark.parametrize("build", [delivery.notification, delivery.acknowledgement])
def test_the_contact_emails_are_in_us_english(demo_site, build):
    submission = ContactSubmission.objects.create(
        name="Jane Prospect",
        email="jane@example.com",
        phone="(860) 555-0123",
        message="I would like to try Pilates.",
        consent=True,
        service=demo_site["pilates"],
        service_title="Pilates",
        page=demo_site["contact"],
        submitted_at=timezone.make_aware(datetime.datetime(2026, 11, 29, 14, 30)),
    )
    message = build(submission, demo_site["studio"])
    text = f"{message.subject}\n{message.body}"
    assert british_english(text) == []
    if build is delivery.notification:
        assert "November 29, 2026, 2:30 pm" in text


def test_staff_see_us_dates_in_the_contact_messages_list(demo_site, admin_client):
    post_form(admin_client, CONTACT_URL)
    submission = ContactSubmission.objects.get()
    assert re.search(r"\([A-Z][a-z]+ \d{1,2}, \d{4}, \d{1,2}:\d\d [ap]m\)$", str(submission))
