"""Background tasks of the studio: emailing contact form submissions.

They run on the "email" task backend (settings.TASKS): inline in development and tests, in
the database for `python manage.py db_worker --backend email` in production. A task only says
"look at submission N now"; the row decides whether anything is sent (studio.delivery).
"""

import logging

from django.tasks import task
from django.utils import timezone

from . import delivery
from .models import ContactSubmission

logger = logging.getLogger(__name__)


@task(backend="email")
def deliver_contact_submission(submission_id):
    """Email one contact form submission, if it is still due. Returns its delivery state."""
    return delivery.deliver(submission_id)


def queue_delivery(submission_id, now=None):
    """Queue the task for one submission. If the queue is unavailable, the row stays due and
    the sweeper queues it later."""
    ContactSubmission.objects.filter(pk=submission_id).update(queued_at=now or timezone.now())
    try:
        deliver_contact_submission.enqueue(submission_id)
    except Exception:
        logger.exception("Contact submission %s not queued; the sweeper will retry", submission_id)
        ContactSubmission.objects.filter(pk=submission_id).update(queued_at=None)
