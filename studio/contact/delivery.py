"""Emailing contact form submissions: claim a due row, send, record the outcome.

The submission row is the source of truth, never the task queue:

1. ``deliver(pk)`` claims the row with one UPDATE (pending, due, and not claimed by a send that
   started less than STUCK_AFTER ago), so two workers never send it at once.
2. It sends the notification to the studio (and, once that has gone, the acknowledgement to
   the prospect), then marks the row sent.
3. A passing failure (server down, refused connection, timeout, 4xx) records the error and the
   next attempt's time (1 min, 5 min, 30 min, 2 h, then every 6 h); past three days, or on a
   permanent refusal (5xx), the row is marked failed for staff to see.

``deliver_contact_submission`` is the task that runs ``deliver`` on the "email" task backend
(settings.TASKS); it only says "look at row N now". ``sweep()`` queues what is due again,
including sends whose worker died mid-way: at worst twice, never zero times (same Message-ID).
"""

import email.utils
import logging
import smtplib
import unicodedata

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import models
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from wagtail.models import Site

from studio.models.settings import StudioSettings

from .models import GIVE_UP_AFTER, RETRY_DELAYS, RETRY_EVERY, STUCK_AFTER, ContactSubmission

logger = logging.getLogger(__name__)

ADMIN_INSPECT_URL_NAME = "contact_messages:inspect"


def one_line(text, limit=200):
    """Text safe for an email header: line breaks and control characters become spaces."""
    cleaned = "".join(" " if unicodedata.category(ch) in ("Cc", "Zl", "Zp") else ch for ch in text)
    return " ".join(cleaned.split())[:limit]


def retry_delay(attempts):
    """The wait after the ``attempts``-th failed attempt (1-based)."""
    if attempts <= len(RETRY_DELAYS):
        return RETRY_DELAYS[max(attempts, 1) - 1]
    return RETRY_EVERY


def is_permanent(error):
    """True for an SMTP refusal that retrying cannot fix (a 5xx reply about this message).

    Authentication failures (535) are left to the retry schedule: they are a setting to fix,
    after which the waiting messages go out by themselves.
    """
    if isinstance(error, smtplib.SMTPAuthenticationError):
        return False
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def text_of(message):
    return message.decode(errors="replace") if isinstance(message, bytes) else str(message)


def timed_out(error):
    """True when the error is, or was raised while handling, a socket timeout."""
    seen = set()
    while error is not None and id(error) not in seen:
        if isinstance(error, TimeoutError):
            return True
        seen.add(id(error))
        error = error.__cause__ or error.__context__
    return False


def describe(error):
    """A line for staff: what went wrong, with the server's code and words."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        details = "; ".join(
            f"{address}: {code} {text_of(message)}"
            for address, (code, message) in error.recipients.items()
        )
        text = f"Recipient refused ({details})"
    elif isinstance(error, smtplib.SMTPResponseException):
        text = f"{type(error).__name__}: {error.smtp_code} {text_of(error.smtp_error)}"
    elif timed_out(error):
        text = f"The mail server did not answer in time (EMAIL_TIMEOUT): {error}"
    else:
        text = f"{type(error).__name__}: {error}"
    return text[:1000]


def studio_for(submission):
    site = None
    if submission.page_id:
        site = submission.page.get_site()
    site = site or Site.objects.filter(is_default_site=True).first()
    return StudioSettings.for_site(site)


def admin_url(submission):
    try:
        path = reverse(ADMIN_INSPECT_URL_NAME, args=[submission.pk])
    except NoReverseMatch:
        return ""
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def message_id(submission):
    """The same Message-ID for every copy, so a rare second copy is recognisably the same."""
    stamp = int(submission.submitted_at.timestamp())
    domain = one_line(settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip("> ")) or "localhost"
    return f"<contact-{submission.pk}-{stamp}@{domain}>"


def notification(submission, studio):
    """The email to the studio: Reply-To the prospect, subject naming service (or the class
    they ask for a spot in) and prospect."""
    name = one_line(submission.name, 100)
    about = f" about {submission.service_title}" if submission.service_title else ""
    if submission.timetable_class_title:
        about = f": a spot in {submission.timetable_class_title}"
    subject = one_line(f"Contact form: {name}{about}")
    context = {"submission": submission, "studio": studio, "admin_url": admin_url(submission)}
    return EmailMessage(
        subject=subject,
        body=render_to_string("email/contact_notification.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[studio.support_email],
        reply_to=[email.utils.formataddr((name, submission.email))],
        headers={"Message-ID": message_id(submission)},
    )


def acknowledgement(submission, studio):
    """The short receipt to the prospect. It repeats nothing they typed (not even their name),
    so the form cannot be used to send someone else a message of a bot's choosing."""
    return EmailMessage(
        subject=one_line(f"{studio.name}: we have your message"),
        body=render_to_string(
            "email/contact_acknowledgement.txt", {"submission": submission, "studio": studio}
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[submission.email],
        reply_to=[studio.support_email],
    )


def claim(pk, now):
    """Take the row for this send: one UPDATE, so only one worker wins."""
    stale = now - STUCK_AFTER
    return (
        ContactSubmission.objects.filter(
            models.Q(sending_started_at__isnull=True) | models.Q(sending_started_at__lt=stale),
            pk=pk,
            delivery_state=ContactSubmission.PENDING,
            is_spam=False,
            next_attempt_at__lte=now,
        ).update(sending_started_at=now, attempts=models.F("attempts") + 1)
        == 1
    )


def deliver(pk, now=None):
    """Send one submission if it is due and nobody else is sending it. Returns the new state,
    or None when there was nothing to do."""
    now = now or timezone.now()
    if not claim(pk, now):
        return None
    submission = ContactSubmission.objects.select_related("page").get(pk=pk)
    try:
        studio = studio_for(submission)
        with mailers.default as connection:
            if connection.send_messages([notification(submission, studio)]) != 1:
                raise smtplib.SMTPException("The mail backend reported no message sent.")
            ContactSubmission.objects.filter(pk=pk).update(
                delivery_state=ContactSubmission.SENT,
                sent_at=timezone.now(),
                sending_started_at=None,
                next_attempt_at=None,
                last_error="",
            )
            logger.info("Contact submission %s emailed to %s", pk, studio.support_email)
            send_acknowledgement(submission, studio, connection)
    except Exception as error:
        return record_failure(submission, error, now)
    return ContactSubmission.SENT


def send_acknowledgement(submission, studio, connection):
    """One try, after the studio has its copy; a failure is logged, never retried."""
    if not settings.CONTACT_SEND_ACKNOWLEDGEMENT or submission.acknowledgement_sent_at:
        return
    try:
        connection.send_messages([acknowledgement(submission, studio)])
    except Exception as error:
        logger.warning("Contact submission %s: acknowledgement not sent: %s", submission.pk, error)
        ContactSubmission.objects.filter(pk=submission.pk).update(
            last_error=f"Acknowledgement to the prospect not sent: {describe(error)}"
        )
        return
    ContactSubmission.objects.filter(pk=submission.pk).update(
        acknowledgement_sent_at=timezone.now()
    )


def record_failure(submission, error, now):
    """Schedule the next attempt, or mark the row failed (permanent refusal, or past the end
    of the retry schedule)."""
    if ContactSubmission.objects.filter(
        pk=submission.pk, delivery_state=ContactSubmission.SENT
    ).exists():
        # The studio has its copy; only closing the connection went wrong.
        return ContactSubmission.SENT
    attempts = submission.attempts
    text = describe(error)
    next_attempt = now + retry_delay(attempts)
    give_up_at = submission.give_up_at or submission.submitted_at + GIVE_UP_AFTER
    if is_permanent(error) or next_attempt > give_up_at:
        state, next_attempt = ContactSubmission.FAILED, None
        logger.error("Contact submission %s not delivered, giving up: %s", submission.pk, text)
    else:
        state = ContactSubmission.PENDING
        logger.warning(
            "Contact submission %s not delivered (attempt %s): %s; next attempt at %s",
            submission.pk,
            attempts,
            text,
            next_attempt.isoformat(),
        )
    ContactSubmission.objects.filter(pk=submission.pk).update(
        delivery_state=state,
        last_error=text,
        next_attempt_at=next_attempt,
        sending_started_at=None,
    )
    return state


def sweep(now=None, requeue=False):
    """Queue every due submission; with ``requeue``, first make failed and pending ones due
    now with a fresh retry schedule. Returns the number queued."""
    now = now or timezone.now()
    if requeue:
        for submission in ContactSubmission.objects.filter(
            delivery_state__in=[ContactSubmission.PENDING, ContactSubmission.FAILED],
            is_spam=False,
        ):
            submission.queue_for_delivery(now)
    pks = list(
        ContactSubmission.objects.due(now).order_by("next_attempt_at").values_list("pk", flat=True)
    )
    for pk in pks:
        queue_delivery(pk, now=now)
    return len(pks)


@task(backend="email")
def deliver_contact_submission(submission_id):
    """Email one contact form submission, if it is still due. Returns its delivery state."""
    return deliver(submission_id)


def queue_delivery(submission_id, now=None):
    """Queue the task for one submission. If the queue is unavailable, the row stays due and
    the sweeper queues it later."""
    ContactSubmission.objects.filter(pk=submission_id).update(queued_at=now or timezone.now())
    try:
        deliver_contact_submission.enqueue(submission_id)
    except Exception:
        logger.exception("Contact submission %s not queued; the sweeper will retry", submission_id)
        ContactSubmission.objects.filter(pk=submission_id).update(queued_at=None)


def queue_stored_submission(sender, submission_id, **kwargs):
    """Receiver of ``signals.submission_stored`` (connected in StudioConfig.ready)."""
    queue_delivery(submission_id)
