"""Privacy: contact messages older than CONTACT_RETENTION_DAYS are deleted by a command."""

import datetime

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from studio.models import ContactSubmission

pytestmark = pytest.mark.django_db


def aged(contact_site, days, **fields):
    return ContactSubmission.objects.create(
        name=f"{days} days old",
        email="old@example.com",
        message="Hello",
        page=contact_site["contact"],
        delivery_state=fields.pop("delivery_state", ContactSubmission.SENT),
        submitted_at=timezone.now() - datetime.timedelta(days=days),
        **fields,
    )


def names():
    return set(ContactSubmission.objects.values_list("name", flat=True))


def test_messages_older_than_the_retention_period_are_deleted(contact_site, capsys):
    for days in (1, 364, 366, 800):
        aged(contact_site, days)
    aged(contact_site, 400, delivery_state=ContactSubmission.FAILED, is_spam=True)
    call_command("purge_contact_submissions")
    assert names() == {"1 days old", "364 days old"}
    assert "Deleted 3 contact message(s) older than 365 days." in capsys.readouterr().out


def test_the_period_is_a_setting(contact_site, settings):
    settings.CONTACT_RETENTION_DAYS = 30
    aged(contact_site, 10)
    aged(contact_site, 31)
    call_command("purge_contact_submissions", verbosity=0)
    assert names() == {"10 days old"}


def test_days_and_dry_run_options(contact_site, capsys):
    aged(contact_site, 10)
    aged(contact_site, 31)
    call_command("purge_contact_submissions", "--days", "7", "--dry-run")
    assert "2 contact message(s) older than 7 days." in capsys.readouterr().out
    assert len(names()) == 2
    call_command("purge_contact_submissions", "--days", "20")
    assert names() == {"10 days old"}


def test_zero_keeps_everything(contact_site, settings):
    settings.CONTACT_RETENTION_DAYS = 0
    aged(contact_site, 5000)
    call_command("purge_contact_submissions", verbosity=0)
    assert names() == {"5000 days old"}


def test_a_message_still_waiting_to_be_emailed_is_kept(contact_site):
    aged(contact_site, 400, delivery_state=ContactSubmission.PENDING)
    call_command("purge_contact_submissions", verbosity=0)
    assert names() == {"400 days old"}


def test_negative_days_are_refused(contact_site):
    with pytest.raises(CommandError):
        call_command("purge_contact_submissions", "--days", "-1")
