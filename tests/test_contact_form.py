"""The contact form as a visitor meets it: fields, preselected service, the page it came from,
errors kept in place, POST/redirect/GET, and the email to the studio."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core import mail
from django.core.management import call_command
from wagtail.models import Page
from wagtail.test.utils import WagtailTestUtils

from studio.models import ContactPage, ContactSubmission, HomePage, ServicePage
from tests.support import (
    ARTICLE_URL,
    CONTACT_URL,
    SUPPORT,
    THANKS_URL,
    only_submission,
    outbox_to,
    post_form,
)

pytestmark = pytest.mark.django_db


def main_html(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_the_form_has_labelled_fields_with_help(contact_site, client):
    response = client.get(CONTACT_URL)
    assert response.status_code == 200
    html = main_html(response)
    for field, label in [
        ("name", "Your name"),
        ("email", "Email address"),
        ("phone", "Phone number (optional)"),
        ("service", "What are you interested in? (optional)"),
        ("message", "Your message"),
        ("consent", "I agree that EnFuse Fitness may contact me about my message"),
    ]:
        assert f'<label for="id_{field}">{label}</label>' in html, field
    assert 'id="id_email_helptext"' in html
    assert 'aria-describedby="id_email_helptext"' in html
    assert 'autocomplete="email"' in html and 'type="tel"' in html
    assert "novalidate" in html  # errors come from the server, summarised at the top
    # The honeypot is in the HTML, hidden by the stylesheet; the token is signed.
    assert 'name="website"' in html and 'class="field field--trap"' in html
    assert re.search(r'name="token" value="[^"]+:[^"]+"', html)
    assert "<title>Contact | " in response.content.decode()
    assert response["Cache-Control"].startswith("max-age=0")


def test_only_live_services_are_offered(contact_site, client):
    contact_site["yoga"].unpublish()
    html = main_html(client.get(CONTACT_URL))
    assert ">Pilates</option>" in html
    assert ">Yoga</option>" not in html


def test_service_is_preselected_from_the_address(contact_site, client):
    html = main_html(client.get(CONTACT_URL + "?service=yoga"))
    assert f'<option value="{contact_site["yoga"].pk}" selected>Yoga</option>' in html


@pytest.mark.parametrize("slug", ["no-such-service", "", "x" * 300, "<script>", "' OR 1=1"])
def test_an_unknown_service_is_ignored(contact_site, client, slug):
    response = client.get(CONTACT_URL, {"service": slug})
    assert response.status_code == 200
    assert not re.search(r'<option value="\d+" selected>', main_html(response))


def test_a_valid_message_is_stored_then_redirected_to_thanks(contact_site, client):
    pilates = contact_site["pilates"]
    response = post_form(client, service=pilates.pk, source=pilates.pk)
    assert response.status_code == 302
    assert response["Location"] == THANKS_URL

    submission = only_submission()
    assert (submission.name, submission.email, submission.phone) == (
        "Jane Prospect",
        "jane@example.com",
        "(860) 555-0123",
    )
    assert submission.service == pilates and submission.service_title == "Pilates"
    assert submission.message.startswith("I would like to try Pilates")
    assert submission.consent is True
    assert submission.page == contact_site["contact"]
    assert submission.source_page.pk == pilates.pk
    assert submission.source_title == "Pilates"
    assert submission.source_url.endswith("/services/pilates/")
    assert submission.status == ContactSubmission.NEW
    assert not submission.is_spam
    # Development and tests send inline: the studio has its email already.
    assert submission.delivery_state == ContactSubmission.SENT
    assert submission.attempts == 1 and submission.sent_at is not None


def test_the_studio_gets_an_email_that_replies_to_the_prospect(contact_site, client):
    post_form(client, service=contact_site["pilates"].pk, name="O'Neil, Jane")
    [notification] = outbox_to(SUPPORT)
    assert notification.subject == "Contact form: O'Neil, Jane about Pilates"
    # The name is quoted, so its comma cannot split it into two addresses.
    assert notification.reply_to == ['"O\'Neil, Jane" <jane@example.com>']
    assert "Phone:    (860) 555-0123" in notification.body
    assert "Weekday mornings suit me." in notification.body


def test_the_prospect_gets_a_receipt_that_repeats_nothing_they_typed(contact_site, client):
    post_form(client, name="Visit spam.example now", message="Buy things at spam.example")
    [receipt] = outbox_to("jane@example.com")
    assert receipt.reply_to == [SUPPORT]
    assert "spam.example" not in receipt.subject + receipt.body
    assert only_submission().acknowledgement_sent_at is not None


def test_the_receipt_can_be_switched_off(contact_site, client, settings):
    settings.CONTACT_SEND_ACKNOWLEDGEMENT = False
    post_form(client)
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [SUPPORT]


def test_no_service_and_no_source_are_fine(contact_site, client):
    post_form(client)
    submission = only_submission()
    assert submission.service is None and submission.service_title == ""
    assert submission.source_page is None and submission.source_title == ""
    assert outbox_to(SUPPORT)[0].subject == "Contact form: Jane Prospect"


@pytest.mark.parametrize("source", ["abc", "-1", "999999", "1" * 40, "1.5"])
def test_a_bad_source_page_is_ignored(contact_site, client, source):
    response = post_form(client, source=source)
    assert response.status_code == 302
    assert only_submission().source_page is None


def test_a_draft_source_page_is_not_recorded(contact_site, client):
    yoga = contact_site["yoga"]
    yoga.unpublish()
    post_form(client, source=yoga.pk)
    assert only_submission().source_page is None


def test_the_source_is_carried_from_the_address_into_the_form(contact_site, client):
    pk = contact_site["pilates"].pk
    html = main_html(client.get(CONTACT_URL, {"from": pk}))
    assert f'name="source" value="{pk}"' in html


def test_the_thank_you_page_is_not_indexed_and_a_reload_sends_nothing(contact_site, client):
    response = post_form(client)
    thanks = client.get(response["Location"])
    assert thanks.status_code == 200
    html = thanks.content.decode()
    assert '<meta name="robots" content="noindex">' in html
    assert "Thank you: we have your message" in html
    client.get(THANKS_URL)
    assert ContactSubmission.objects.count() == 1
    assert len(outbox_to(SUPPORT)) == 1


def test_staff_word_the_intro_and_thanks(contact_site, client):
    page = contact_site["contact"]
    page.intro = "<p>We answer every message personally.</p>"
    page.thank_you_heading = "Message received!"
    page.save()
    assert "We answer every message personally." in main_html(client.get(CONTACT_URL))
    assert "Message received!" in main_html(client.get(THANKS_URL))


# --- Errors -----------------------------------------------------------------------------------


def test_errors_keep_every_value_and_are_summarised_first(contact_site, client):
    response = post_form(
        client,
        name="",
        email="not-an-address",
        phone="12",
        message="Keep this text & <these> characters",
        consent=None,
        service=contact_site["yoga"].pk,
    )
    assert response.status_code == 200
    assert ContactSubmission.objects.count() == 0
    assert mail.outbox == []
    html = response.content.decode()
    assert "<title>Error: Contact | " in html
    main = main_html(response)
    # The summary comes first in <main>, can take focus, and links to each field.
    assert main.index('id="error-summary"') < main.index("<h1>")
    summary = main[main.index('id="error-summary"') : main.index("</ul>")]
    assert 'role="alert" tabindex="-1"' in main
    for field, message in [
        ("name", "Enter your name."),
        ("email", "Enter an email address like name@example.com."),
        ("message", None),
        ("consent", "Check the box to agree that we may contact you."),
    ]:
        if message:
            assert f'<a href="#id_{field}">{message}</a>' in summary
    assert 'href="#id_phone"' in summary
    assert 'href="#id_message"' not in summary
    # Each field in error says so and points at its message.
    assert re.search(r'<input type="text" name="name"[^>]*aria-invalid="true"', main)
    assert 'aria-describedby="id_email_helptext id_email_error"' in main
    assert 'id="id_email_error"' in main
    assert 'aria-describedby="id_consent_helptext id_consent_error"' in main
    # Values are kept (escaped).
    assert 'value="not-an-address"' in main and 'value="12"' in main
    assert "Keep this text &amp; &lt;these&gt; characters</textarea>" in main
    assert f'<option value="{contact_site["yoga"].pk}" selected>' in main
    # The JavaScript that moves focus to the summary is a same-origin file.
    assert '<script src="/static/js/contact.js" defer></script>' in html


def test_the_form_token_survives_an_error(contact_site, client):
    first = post_form(client, name="")
    token = re.search(r'name="token" value="([^"]+)"', first.content.decode())[1]
    response = post_form(client, token=token)
    assert response.status_code == 302
    assert not only_submission().is_spam


def test_a_service_that_is_not_offered_is_a_field_error(contact_site, client):
    response = post_form(client, service="999999")
    assert response.status_code == 200
    assert "Choose one of the services in the list." in main_html(response)
    assert ContactSubmission.objects.count() == 0


def test_international_phone_numbers_are_accepted(contact_site, client):
    assert post_form(client, phone="+44 20 7946 0958").status_code == 302


# --- Calls to action lead here ----------------------------------------------------------------


class TestCallsToAction(WagtailTestUtils):
    @pytest.fixture(autouse=True)
    def demo(self, demo_site):
        self.pages = demo_site

    def test_demo_content_adds_the_contact_page_once_in_the_menu(self, client):
        call_command("load_demo_content", verbosity=0)
        page = ContactPage.objects.get()
        assert page.url == "/contact/" and page.live and page.show_in_menus
        assert page.get_parent().specific_class is HomePage
        nav = client.get("/").content.decode()
        assert '<a href="/contact/"' in nav and 'href="#contact"' not in nav

    def test_demo_content_keeps_staff_edits_to_the_contact_page(self):
        page = ContactPage.objects.get()
        page.title = "Get in touch"
        page.intro = "<p>Staff words.</p>"
        page.save_revision().publish()
        call_command("load_demo_content", verbosity=0)
        page = ContactPage.objects.get()
        assert (page.title, page.intro) == ("Get in touch", "<p>Staff words.</p>")

    def test_a_service_asks_about_itself_and_names_its_page(self, client):
        pilates = ServicePage.objects.get(slug="pilates")
        html = client.get(pilates.url).content.decode()
        href = re.search(r'<a class="button" href="([^"]+)">Ask about Pilates', html)[1]
        url = urlsplit(href.replace("&amp;", "&"))
        assert url.path == CONTACT_URL
        assert parse_qs(url.query) == {"service": ["pilates"], "from": [str(pilates.pk)]}

    def test_an_article_names_itself(self, client):
        html = client.get(ARTICLE_URL).content.decode()
        article = Page.objects.get(url_path__endswith="lower-back-and-joints/")
        assert f'href="/contact/?from={article.pk}">Contact our team</a>' in html

    def test_following_the_article_link_records_the_article(self, client):
        article = Page.objects.get(url_path__endswith="lower-back-and-joints/")
        form = client.get(f"{CONTACT_URL}?from={article.pk}").content.decode()
        assert f'name="source" value="{article.pk}"' in form
        post_form(client, source=article.pk)
        submission = only_submission()
        assert submission.source_title == article.title
        assert submission.source_url.endswith("lower-back-and-joints/")
        assert f"Came from: {article.title}" in mail.outbox[0].body

    def test_staff_cannot_add_a_second_contact_page(self):
        home = HomePage.objects.get()
        assert not ContactPage.can_create_at(home)
        assert ContactPage.allowed_parent_page_models() == [HomePage]
