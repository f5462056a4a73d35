"""Delivery of contact form messages through a real SMTP server on loopback: the whole path,
an outage and the retry that follows, permanent refusals, stuck sends and the schedule."""

import datetime
import smtplib
import socket
import threading

import pytest
from django.core.management import call_command
from django.utils import timezone

from studio.contact import delivery
from studio.contact.models import GIVE_UP_AFTER, STUCK_AFTER
from studio.models import ContactSubmission
from tests.support import (
    SUPPORT,
    free_port,
    only_submission,
    post_form,
)

pytestmark = pytest.mark.django_db


def make_due(submission, minutes=1):
    """Move the clock past the next attempt: the row's times move back instead (the task
    was queued before the attempt it was queued for)."""
    earlier = timezone.now() - datetime.timedelta(minutes=minutes)
    ContactSubmission.objects.filter(pk=submission.pk).update(
        next_attempt_at=earlier, queued_at=earlier - datetime.timedelta(seconds=1)
    )


def sweep():
    call_command("sweep_contact_deliveries", verbosity=0)


def test_the_whole_path_through_a_real_smtp_server(contact_site, client, smtp_server):
    pilates = contact_site["pilates"]
    response = post_form(client, service=pilates.pk, source=pilates.pk, name="Jane Prospect")
    assert response.status_code == 302

    [notification] = smtp_server.handler.to(SUPPORT)
    assert notification["To"] == SUPPORT
    assert notification["Reply-To"] == "Jane Prospect <jane@example.com>"
    assert notification["Subject"] == "Contact form: Jane Prospect about Pilates"
    assert notification["From"] == "EnFuse Fitness <noreply@enfusefitness.com>"
    assert notification["Message-ID"].startswith("<contact-")
    assert notification.get_content_type() == "text/plain"
    body = notification.get_content().replace("\r\n", "\n")
    assert "Name:     Jane Prospect" in body
    assert "Email:    jane@example.com" in body
    assert "Service:  Pilates" in body
    assert "I would like to try Pilates for my back.\nWeekday mornings suit me." in body
    assert "Came from: Pilates" in body

    [receipt] = smtp_server.handler.to("jane@example.com")
    assert receipt["Reply-To"] == SUPPORT

    submission = only_submission()
    assert submission.delivery_state == ContactSubmission.SENT
    assert submission.attempts == 1
    assert submission.last_error == ""
    assert submission.sent_at and submission.acknowledgement_sent_at


def test_an_outage_keeps_the_message_then_the_retry_delivers_it_once(
    contact_site, client, smtp_server
):
    smtp_server.stop()
    before = timezone.now()
    response = post_form(client)
    assert response.status_code == 302  # the visitor never sees the outage

    submission = only_submission()
    assert submission.delivery_state == ContactSubmission.PENDING
    assert submission.attempts == 1
    assert "ConnectionRefusedError" in submission.last_error
    # First retry a minute later.
    assert submission.next_attempt_at - before >= datetime.timedelta(seconds=59)
    assert submission.next_attempt_at - before <= datetime.timedelta(seconds=70)
    assert submission.sending_started_at is None

    # Not due yet: the sweeper leaves it alone.
    sweep()
    assert ContactSubmission.objects.get().attempts == 1

    smtp_server.start()
    make_due(submission)
    sweep()
    sweep()  # a second sweep finds nothing left to do
    submission.refresh_from_db()
    assert submission.delivery_state == ContactSubmission.SENT
    assert submission.attempts == 2
    assert submission.last_error == ""
    assert len(smtp_server.handler.to(SUPPORT)) == 1
    assert len(smtp_server.handler.to("jane@example.com")) == 1


def test_retries_wait_longer_each_time_then_every_six_hours(contact_site, client, smtp_server):
    smtp_server.stop()
    post_form(client)
    submission = only_submission()
    waits = [round((submission.next_attempt_at - submission.submitted_at).total_seconds() / 60)]
    for _ in range(6):
        make_due(submission, minutes=0)
        now = timezone.now()
        assert delivery.deliver(submission.pk, now=now) == ContactSubmission.PENDING
        submission.refresh_from_db()
        waits.append(round((submission.next_attempt_at - now).total_seconds() / 60))
    assert waits == [1, 5, 30, 120, 360, 360, 360]
    assert submission.attempts == 7


def test_three_days_of_failures_mark_it_failed(contact_site, client, smtp_server):
    smtp_server.stop()
    post_form(client)
    submission = only_submission()
    # Nearly three days later, the next wait would pass the end of the schedule.
    later = submission.submitted_at + GIVE_UP_AFTER - datetime.timedelta(hours=1)
    ContactSubmission.objects.filter(pk=submission.pk).update(attempts=12, next_attempt_at=later)
    assert delivery.deliver(submission.pk, now=later) == ContactSubmission.FAILED
    submission.refresh_from_db()
    assert submission.delivery_state == ContactSubmission.FAILED
    assert submission.next_attempt_at is None
    assert "ConnectionRefusedError" in submission.last_error
    # Failed messages are not swept again by themselves...
    make_due(submission)
    sweep()
    assert ContactSubmission.objects.get().attempts == 13


def test_requeue_command_sends_failed_messages_once_the_server_is_back(
    contact_site, client, smtp_server
):
    smtp_server.stop()
    post_form(client)
    ContactSubmission.objects.update(delivery_state=ContactSubmission.FAILED, next_attempt_at=None)
    smtp_server.start()
    call_command("sweep_contact_deliveries", "--requeue-failed", verbosity=0)
    submission = only_submission()
    assert submission.delivery_state == ContactSubmission.SENT
    assert submission.attempts == 1  # a fresh schedule
    assert len(smtp_server.handler.to(SUPPORT)) == 1


def test_a_permanent_refusal_fails_at_once(contact_site, client, smtp_server):
    smtp_server.handler.refuse_rcpt = "550 5.1.1 No such mailbox"
    post_form(client)
    submission = only_submission()
    assert submission.delivery_state == ContactSubmission.FAILED
    assert submission.attempts == 1
    assert "550" in submission.last_error and "No such mailbox" in submission.last_error
    assert smtp_server.handler.messages == []


def test_a_temporary_refusal_is_retried(contact_site, client, smtp_server):
    smtp_server.handler.refuse_rcpt = "451 4.3.0 Try again later"
    post_form(client)
    submission = only_submission()
    assert submission.delivery_state == ContactSubmission.PENDING
    assert "451" in submission.last_error
    smtp_server.handler.refuse_rcpt = None
    make_due(submission)
    sweep()
    assert only_submission().delivery_state == ContactSubmission.SENT


@pytest.mark.parametrize(
    "error, permanent",
    [
        (smtplib.SMTPRecipientsRefused({"a@b.c": (550, b"no")}), True),
        (smtplib.SMTPRecipientsRefused({"a@b.c": (550, b"no"), "d@e.f": (451, b"later")}), False),
        (smtplib.SMTPSenderRefused(553, b"sender not allowed", "x@y.z"), True),
        (smtplib.SMTPDataError(554, b"rejected as spam"), True),
        (smtplib.SMTPDataError(452, b"mailbox full for now"), False),
        (smtplib.SMTPAuthenticationError(535, b"bad password"), False),
        (smtplib.SMTPServerDisconnected("gone"), False),
        (ConnectionRefusedError(111, "refused"), False),
        (TimeoutError("timed out"), False),
    ],
)
def test_which_errors_are_permanent(error, permanent):
    assert delivery.is_permanent(error) is permanent


def test_a_silent_server_times_out_and_is_retried(contact_site, client, settings):
    """A server that accepts the connection but never answers: EMAIL_TIMEOUT ends the wait."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    port = listener.getsockname()[1]
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 1},
        }
    }
    try:
        post_form(client)
    finally:
        listener.close()
    submission = only_submission()
    assert submission.delivery_state == ContactSubmission.PENDING
    assert "did not answer in time" in submission.last_error


def test_a_send_stuck_mid_way_is_sent_again_by_the_sweeper(contact_site, client, smtp_server):
    smtp_server.stop()
    post_form(client)
    submission = only_submission()
    smtp_server.start()
    # A worker claimed it, then died: the claim is older than the limit.
    stuck_since = timezone.now() - STUCK_AFTER - datetime.timedelta(seconds=5)
    ContactSubmission.objects.filter(pk=submission.pk).update(
        sending_started_at=stuck_since, next_attempt_at=stuck_since, queued_at=stuck_since
    )
    sweep()
    submission.refresh_from_db()
    assert submission.delivery_state == ContactSubmission.SENT
    assert submission.sending_started_at is None
    assert len(smtp_server.handler.to(SUPPORT)) == 1


def test_a_recent_claim_is_left_to_its_worker(contact_site, client, smtp_server):
    smtp_server.stop()
    post_form(client)
    submission = only_submission()
    smtp_server.start()
    now = timezone.now()
    ContactSubmission.objects.filter(pk=submission.pk).update(
        sending_started_at=now - datetime.timedelta(seconds=30),
        next_attempt_at=now - datetime.timedelta(minutes=1),
    )
    sweep()
    assert delivery.deliver(submission.pk) is None
    assert only_submission().delivery_state == ContactSubmission.PENDING
    assert smtp_server.handler.messages == []


def test_only_one_of_two_simultaneous_workers_sends(contact_site, client, smtp_server):
    smtp_server.stop()
    post_form(client)
    submission = only_submission()
    smtp_server.start()
    make_due(submission)
    now = timezone.now()
    assert delivery.claim(submission.pk, now) is True
    assert delivery.claim(submission.pk, now) is False


def test_spam_and_sent_messages_are_never_swept(contact_site, client, smtp_server):
    post_form(client)  # sent
    post_form(client, website="http://spam.example")  # spam
    assert ContactSubmission.objects.filter(is_spam=True).count() == 1
    ContactSubmission.objects.update(next_attempt_at=timezone.now() - datetime.timedelta(days=1))
    sweep()
    assert len(smtp_server.handler.to(SUPPORT)) == 1


def test_the_sweeper_does_not_queue_a_message_twice(contact_site, client, settings):
    """In production a queued task waits for the worker: sweeping again must not add more."""
    settings.TASKS = {
        **settings.TASKS,
        "email": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"},
    }
    post_form(client)
    submission = only_submission()
    assert submission.queued_at is not None
    assert delivery.sweep() == 0
    # Once the task is lost for longer than the limit, it is queued again.
    stale = timezone.now() - STUCK_AFTER - datetime.timedelta(seconds=1)
    ContactSubmission.objects.filter(pk=submission.pk).update(queued_at=stale)
    assert delivery.sweep() == 1
    assert delivery.sweep() == 0


def test_the_studio_address_is_read_when_sending(contact_site, client, smtp_server):
    smtp_server.stop()
    post_form(client)
    studio = contact_site["studio"]
    studio.support_email = "new-inbox@enfuse.test"
    studio.save()
    smtp_server.start()
    make_due(only_submission())
    sweep()
    assert len(smtp_server.handler.to("new-inbox@enfuse.test")) == 1


@pytest.fixture
def connections_kept_open(monkeypatch):
    """Worker loops call close_old_connections() between runs. Inside a test's transaction
    Django would close the connection (autocommit is off there, unlike in a real worker) and
    end the test's transaction on PostgreSQL, so the loops keep it open here."""
    import django_tasks_db.management.commands.db_worker as db_worker

    import studio.contact.management.commands.sweep_contact_deliveries as sweeper

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
    monkeypatch.setattr(sweeper, "close_old_connections", lambda: None)


def test_the_database_queue_and_its_worker_deliver(
    contact_site, client, smtp_server, settings, connections_kept_open
):
    """Production's path: the task waits in the database until `db_worker` runs it."""
    from django_tasks_db.models import DBTaskResult

    settings.TASKS = {**settings.TASKS, "email": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    post_form(client)
    submission = only_submission()
    assert submission.delivery_state == ContactSubmission.PENDING
    assert smtp_server.handler.messages == []
    assert DBTaskResult.objects.filter(backend_name="email").count() == 1

    call_command("db_worker", "--backend", "email", "--batch", "--no-startup-delay", verbosity=0)
    assert only_submission().delivery_state == ContactSubmission.SENT
    assert len(smtp_server.handler.to(SUPPORT)) == 1


def test_the_sweeper_loop_stops_cleanly(contact_site, settings, connections_kept_open):
    from studio.contact.management.commands.sweep_contact_deliveries import Command

    command = Command()
    timer = threading.Timer(0.5, lambda: setattr(command, "stopping", True))
    timer.start()
    call_command(command, "--loop", "0.1", verbosity=0)
    timer.cancel()
    assert command.sweeps >= 2


def test_an_unreachable_host_is_a_passing_failure(contact_site, client, settings):
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": free_port(), "timeout": 1},
        }
    }
    post_form(client)
    assert only_submission().delivery_state == ContactSubmission.PENDING
