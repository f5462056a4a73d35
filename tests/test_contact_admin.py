"""Contact messages for staff: the listing with search and filters, the detail view, exports,
resending, the dashboard panel, and who may see any of it."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from studio.models import ContactSubmission
from tests.support import SUPPORT, outbox_to, post_form

pytestmark = pytest.mark.django_db

INDEX = "/admin/contact-messages/"


def add_submission(contact_site, **fields):
    values = {
        "name": "Jane Prospect",
        "email": "jane@example.com",
        "message": "Hello",
        "consent": True,
        "page": contact_site["contact"],
        "delivery_state": ContactSubmission.SENT,
    }
    values.update(fields)
    return ContactSubmission.objects.create(**values)


@pytest.fixture
def messages(contact_site):
    now = timezone.now()
    return {
        "sent": add_submission(
            contact_site,
            name="Sally Sent",
            email="sally@example.com",
            service=contact_site["pilates"],
            service_title="Pilates",
            message="Pilates on Mondays?",
            submitted_at=now - datetime.timedelta(days=2),
        ),
        "failed": add_submission(
            contact_site,
            name="Fred Failed",
            email="fred@example.com",
            message="My address bounced",
            delivery_state=ContactSubmission.FAILED,
            last_error="Recipient refused (support@enfuse.test: 550 No such mailbox)",
            attempts=1,
        ),
        "spam": add_submission(
            contact_site,
            name="Spammy Bot",
            email="bot@spam.example",
            message='=HYPERLINK("http://spam.example","Click")',
            is_spam=True,
            spam_reason="filled in the hidden field",
            delivery_state=ContactSubmission.NOT_SENT,
        ),
        "hostile": add_submission(
            contact_site,
            name="<b>Eve</b>",
            email="eve@example.com",
            message='<script>alert("admin")</script>',
            submitted_at=now - datetime.timedelta(days=40),
        ),
    }


@pytest.fixture
def staff(client, django_user_model):
    """An editor: may use the admin, has no permission on contact messages."""
    user = django_user_model.objects.create_user("editor", "editor@example.com", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


def grant(user, *codenames):
    for codename in codenames:
        user.user_permissions.add(
            Permission.objects.get(content_type__app_label="studio", codename=codename)
        )


def listed_names(response):
    html = response.content.decode()
    names = ["Sally Sent", "Fred Failed", "Spammy Bot", "&lt;b&gt;Eve&lt;/b&gt;"]
    return {name for name in names if name in html}


def test_superusers_see_every_message_newest_first(messages, admin_client):
    response = admin_client.get(INDEX)
    assert response.status_code == 200
    html = response.content.decode()
    assert listed_names(response) == {
        "Sally Sent",
        "Fred Failed",
        "Spammy Bot",
        "&lt;b&gt;Eve&lt;/b&gt;",
    }
    assert html.index("Fred Failed") < html.index("Sally Sent") < html.index("&lt;b&gt;Eve")
    assert "<b>Eve</b>" not in html
    assert "Contact messages" in html


def test_search_finds_name_email_and_message(messages, admin_client):
    assert listed_names(admin_client.get(INDEX, {"q": "fred@example"})) == {"Fred Failed"}
    assert listed_names(admin_client.get(INDEX, {"q": "Mondays"})) == {"Sally Sent"}


@pytest.mark.parametrize(
    "params, expected",
    [
        ({"delivery_state": "failed"}, {"Fred Failed"}),
        ({"is_spam": "true"}, {"Spammy Bot"}),
        ({"is_spam": "false", "delivery_state": "sent"}, {"Sally Sent", "&lt;b&gt;Eve&lt;/b&gt;"}),
        ({"status": "new", "is_spam": "true"}, {"Spammy Bot"}),
    ],
)
def test_filters(messages, admin_client, params, expected):
    assert listed_names(admin_client.get(INDEX, params)) == expected


def test_filter_by_service(messages, admin_client, contact_site):
    response = admin_client.get(INDEX, {"service": contact_site["pilates"].pk})
    assert listed_names(response) == {"Sally Sent"}


def test_filter_by_date(messages, admin_client):
    since = (timezone.localdate() - datetime.timedelta(days=10)).isoformat()
    response = admin_client.get(INDEX, {"submitted_at_from": since})
    assert listed_names(response) == {"Sally Sent", "Fred Failed", "Spammy Bot"}


def test_the_detail_view_shows_the_message_escaped(messages, admin_client):
    url = reverse("contact_messages:inspect", args=[messages["hostile"].pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "&lt;script&gt;alert(&quot;admin&quot;)&lt;/script&gt;" in html
    assert '<script>alert("admin")' not in html
    assert reverse("contact_messages:resend", args=[messages["hostile"].pk]) in html


def test_the_detail_view_shows_the_delivery_error(messages, admin_client):
    url = reverse("contact_messages:inspect", args=[messages["failed"].pk])
    html = admin_client.get(url).content.decode()
    assert "550 No such mailbox" in html
    assert "Failed" in html


def test_staff_record_follow_up_but_cannot_rewrite_the_message(messages, admin_client):
    submission = messages["sent"]
    url = reverse("contact_messages:edit", args=[submission.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(
        url,
        {
            "status": "contacted",
            "notes": "Called back on Tuesday.",
            "name": "Rewritten",
            "message": "Rewritten",
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == ContactSubmission.CONTACTED
    assert submission.notes == "Called back on Tuesday."
    assert (submission.name, submission.message) == ("Sally Sent", "Pilates on Mondays?")


def test_nobody_adds_messages_in_the_admin(messages, admin_client):
    assert admin_client.get(INDEX + "new/").status_code in (302, 403)
    assert reverse("contact_messages:add") not in admin_client.get(INDEX).content.decode()


def test_csv_export(messages, admin_client):
    response = admin_client.get(INDEX, {"export": "csv", "is_spam": "false"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="contact-messages.csv"'
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row["Name"] for row in rows] == ["Fred Failed", "Sally Sent", "<b>Eve</b>"]
    sally = rows[1]
    assert sally["Email"] == "sally@example.com"
    assert sally["Service"] == "Pilates"
    assert sally["Message"] == "Pilates on Mondays?"
    assert sally["Email to the studio"] == "Sent"
    assert sally["Follow-up"] == "New"
    assert rows[0]["Last error"].startswith("Recipient refused")


def test_csv_export_cannot_smuggle_a_formula_into_a_spreadsheet(messages, admin_client):
    response = admin_client.get(INDEX, {"export": "csv", "is_spam": "true"})
    [row] = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert row["Message"] == '\'=HYPERLINK("http://spam.example","Click")'


def test_xlsx_export(messages, admin_client):
    response = admin_client.get(INDEX, {"export": "xlsx"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[0][:3] == ("Sent (America/New_York time)", "Name", "Email")
    assert len(rows) == 5
    spam_row = next(row for row in rows if row[1] == "Spammy Bot")
    assert spam_row[5] == '=HYPERLINK("http://spam.example","Click")'  # text, not a formula


def test_times_are_the_studios_with_the_zone_stated(contact_site, admin_client):
    """11:05 a.m. in Enfield is 16:05 UTC: staff never see the UTC time."""
    message = add_submission(
        contact_site,
        submitted_at=datetime.datetime(2026, 11, 24, 16, 5, tzinfo=datetime.UTC),
        sent_at=datetime.datetime(2026, 7, 4, 13, 0, tzinfo=datetime.UTC),
    )
    detail = admin_client.get(reverse("contact_messages:inspect", args=[message.pk]))
    page = detail.content.decode()
    assert "November 24, 2026, 11:05 a.m. EST" in page
    assert "July 4, 2026, 9:00 a.m. EDT" in page
    assert "16:05" not in page and "4:05 p.m." not in page

    response = admin_client.get(INDEX, {"export": "csv"})
    [row] = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert row["Sent (America/New_York time)"] == "11/24/2026 11:05 AM"
    assert row["Sent at (America/New_York time)"] == "07/04/2026 09:00 AM"

    response = admin_client.get(INDEX, {"export": "xlsx"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.values)
    assert rows[1][0] == datetime.datetime(2026, 11, 24, 11, 5)


def test_the_studio_email_links_to_the_message_in_the_admin(contact_site, client):
    post_form(client)
    submission = ContactSubmission.objects.get()
    url = "http://127.0.0.1:8000" + reverse("contact_messages:inspect", args=[submission.pk])
    assert f"Follow-up status and notes: {url}" in outbox_to(SUPPORT)[0].body


def test_resend_asks_first_then_sends_again(messages, admin_client):
    failed = messages["failed"]
    url = reverse("contact_messages:resend", args=[failed.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert SUPPORT in page.content.decode()
    assert mail.outbox == []  # asking sends nothing

    response = admin_client.post(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("contact_messages:inspect", args=[failed.pk])
    failed.refresh_from_db()
    assert failed.delivery_state == ContactSubmission.SENT
    assert failed.attempts == 1 and failed.last_error == ""
    assert len(outbox_to(SUPPORT)) == 1


def test_resending_spam_marks_it_as_not_spam(messages, admin_client):
    spam = messages["spam"]
    admin_client.post(reverse("contact_messages:resend", args=[spam.pk]))
    spam.refresh_from_db()
    assert not spam.is_spam and spam.delivery_state == ContactSubmission.SENT


def test_resend_is_in_the_listing_menu(messages, admin_client):
    html = admin_client.get(INDEX).content.decode()
    assert reverse("contact_messages:resend", args=[messages["failed"].pk]) in html


def test_resend_refuses_get_side_effects_and_unknown_ids(messages, admin_client):
    assert admin_client.get(reverse("contact_messages:resend", args=[999999])).status_code == 404


# --- Permissions ------------------------------------------------------------------------------


def assert_refused(response):
    """Wagtail answers a refused admin view with a redirect to the dashboard, or a 403."""
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response["Location"] == reverse("wagtailadmin_home")


def test_editors_see_nothing_unless_granted(messages, client, staff):
    sent = messages["sent"]
    for url in [
        INDEX,
        INDEX + "?export=csv",
        reverse("contact_messages:inspect", args=[sent.pk]),
        reverse("contact_messages:edit", args=[sent.pk]),
        reverse("contact_messages:resend", args=[sent.pk]),
    ]:
        assert_refused(client.get(url))
    assert_refused(client.post(reverse("contact_messages:resend", args=[sent.pk])))
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Contact messages" not in home  # neither the menu item nor the dashboard panel
    assert mail.outbox == []


def test_visitors_are_sent_to_the_login_page(messages, client):
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("wagtailadmin_login"))


def test_view_permission_reads_but_does_not_resend(messages, client, staff):
    grant(staff, "view_contactsubmission")
    assert client.get(INDEX).status_code == 200
    inspect = client.get(reverse("contact_messages:inspect", args=[messages["sent"].pk]))
    assert inspect.status_code == 200
    assert "/resend/" not in inspect.content.decode()
    assert_refused(client.post(reverse("contact_messages:resend", args=[messages["sent"].pk])))
    assert "Contact messages" in client.get(reverse("wagtailadmin_home")).content.decode()


def test_change_permission_can_resend(messages, client, staff):
    grant(staff, "view_contactsubmission", "change_contactsubmission")
    response = client.post(reverse("contact_messages:resend", args=[messages["failed"].pk]))
    assert response.status_code == 302
    messages["failed"].refresh_from_db()
    assert messages["failed"].delivery_state == ContactSubmission.SENT


def test_the_add_permission_is_not_offered_to_groups(admin_client):
    html = admin_client.get(reverse("wagtailusers_groups:add")).content.decode()
    assert "add_contactsubmission" not in html
    assert "view_contactsubmission" in html or "contact message" in html.lower()


# --- Dashboard --------------------------------------------------------------------------------


def test_the_dashboard_panel_shows_latest_and_failed(messages, admin_client):
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    panel = html[html.index('id="contact-messages-heading"') :]
    panel = panel[: panel.index("</section>")]
    assert "1 message could not be emailed to the studio" in panel
    assert "Fred Failed" in panel
    assert "Sally Sent" in panel
    assert "Spammy Bot" not in panel  # spam is not news
    assert "&lt;b&gt;Eve&lt;/b&gt;" in panel and "<b>Eve</b>" not in panel


def test_the_dashboard_mentions_messages_waiting_for_a_retry(contact_site, admin_client):
    add_submission(
        contact_site, delivery_state=ContactSubmission.PENDING, attempts=2, last_error="down"
    )
    html = admin_client.get(reverse("wagtailadmin_home")).content.decode()
    assert "1 message waiting for the mail server" in html
