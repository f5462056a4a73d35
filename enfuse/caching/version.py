"""The content version: read once per request from the database, moved in the change's
transaction, at most once per transaction.

Everything derived from content (cached pages, the site snapshot, kept fragments, renditions)
is stored under the token read here; a change moves the token with an UPDATE in the same
transaction, so a request either sees the old rows and the old token or the new rows and the
new token. Nothing here touches Redis or any other cache.
"""

import contextvars
import logging
import secrets

from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from .models import ContentVersion

logger = logging.getLogger(__name__)

# The request being served (set by the site snapshot middleware), so that code deep in a render
# uses the version its request read instead of asking the database again.
serving = contextvars.ContextVar("caching_serving_request", default=None)


def new_token():
    return secrets.randbits(62) + 1


def _select_token():
    """Plain SQL: this runs on every request, and the ORM's queryset machinery would cost about
    as much as the query itself on a page-cache hit.

    It is also the request's first query, so it stands in for Django's connection health check
    (CONN_HEALTH_CHECKS, a `SELECT 1` round trip of its own before it): if the kept connection
    turns out to be dead, it is closed and the query tried once more on a new one.
    """
    retry = (
        connection.connection is not None
        and connection.health_check_enabled
        and not connection.health_check_done
        and not connection.in_atomic_block
    )
    if retry:
        connection.health_check_done = True
    try:
        return _fetch_token()
    except (OperationalError, InterfaceError):
        if not retry:
            raise
        connection.close()
        return _fetch_token()


def _fetch_token():
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT token FROM {ContentVersion._meta.db_table} WHERE id = 1")
        row = cursor.fetchone()
    return row[0] if row else None


def read():
    """The current token: one primary-key query (the row is recreated if a test flushed it)."""
    token = _select_token()
    if token is None:
        ContentVersion.objects.bulk_create(
            [ContentVersion(pk=1, token=new_token(), changed_at=timezone.now())],
            ignore_conflicts=True,
        )
        token = _select_token()
    return token


def read_or_none():
    """The current token, or None when the database cannot be read (nothing is then cached)."""
    try:
        return read()
    except DatabaseError:
        logger.warning("Content version unreadable: serving without caches", exc_info=True)
        return None


def for_request(request):
    """The token ``request`` works under, read once per request.

    A database that cannot be reached raises (the request then gets the 503 page at once,
    enfuse/errors.py): nothing cached can be vouched for without it.
    """
    if request is None:
        return read_or_none()
    token = getattr(request, "_content_version", None)
    if token is None:
        token = request._content_version = read()
    return token


def in_real_transaction():
    """True inside a transaction that may still roll back (the test suite's own do not count)."""
    return any(not getattr(atomic, "_from_testcase", False) for atomic in connection.atomic_blocks)


class TransactionMarks:
    """What a transaction has already done for the caches (moved the version, queued purges).

    Registered as a do-nothing on-commit callback: Django drops it when the transaction (or
    the savepoint it was made in) rolls back, and runs then forgets it on commit, so its
    presence in ``connection.run_on_commit`` says "this transaction, still open".
    """

    def __init__(self, key):
        self.key = key
        self.bumped = False
        self.queued = set()

    def __call__(self):
        forget_for_current_request()


def transaction_marks():
    """The marks of the open transaction, or None in autocommit (each save is its own)."""
    if not connection.in_atomic_block:
        return None
    real = [
        index
        for index, atomic in enumerate(connection.atomic_blocks)
        if not getattr(atomic, "_from_testcase", False)
    ]
    if not real:
        return None
    index = real[0]
    # The outermost real block: the transaction itself, or the savepoint a test wraps it in.
    key = "transaction" if index == 0 else connection.savepoint_ids[index - 1]
    if key is None:
        return None
    for _sids, callback, _robust in connection.run_on_commit:
        if isinstance(callback, TransactionMarks) and callback.key == key:
            return callback
    marks = TransactionMarks(key)
    transaction.on_commit(marks)
    return marks


def bump():
    """Move the content version on, in the current transaction (once per transaction)."""
    marks = transaction_marks()
    if marks is not None and marks.bumped:
        return
    token, now = new_token(), timezone.now()
    if not ContentVersion.objects.filter(pk=1).update(token=token, changed_at=now):
        ContentVersion.objects.bulk_create(
            [ContentVersion(pk=1, token=token, changed_at=now)], ignore_conflicts=True
        )
        ContentVersion.objects.filter(pk=1).update(token=token, changed_at=now)
    if marks is not None:
        marks.bumped = True
    # The request making the change reads the new version from here on.
    forget_for_current_request()


def forget_for_current_request():
    request = serving.get()
    if request is not None:
        request._site_snapshot = None
        request._content_version = None
