"""The content version: read once per request from the database, moved in the change's
transaction, at most once per transaction.

Everything derived from content (cached pages, the site snapshot, kept fragments, renditions)
is stored under a token read here; a change moves the token with an UPDATE in the same
transaction, so a request either sees the old rows and the old token or the new rows and the
new token. Nothing here touches Redis or any other cache.

Two tokens, read in the one query: the *content* token moves with every change visitors can
see, and keys every page and anything made from articles; the *site* token moves with every
change but those to pages left out of the site snapshot (articles: ``keep_in_site_snapshot =
False``), and keys the snapshot and the furniture made only from it (header, footer, the
studio's JSON-LD). So publishing an article, the commonest edit, leaves the furniture kept;
a change whose reach is not known moves both. A third, the *media* token, moves with every
change to an image or document and keys the image renditions each process keeps in memory.
"""

import contextvars
import logging
from typing import NamedTuple

from django.db import DatabaseError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone

from .models import ContentVersion, new_token

logger = logging.getLogger(__name__)

# The request being served (set by the site snapshot middleware), so that code deep in a render
# uses the version its request read instead of asking the database again.
serving = contextvars.ContextVar("caching_serving_request", default=None)


class Tokens(NamedTuple):
    content: int
    site: int
    media: int


def _select_tokens():
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
        return _fetch_tokens()
    except (OperationalError, InterfaceError):
        if not retry:
            raise
        connection.close()
        return _fetch_tokens()


def _fetch_tokens():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT token, site_token, media_token "
            f"FROM {ContentVersion._meta.db_table} WHERE id = 1"
        )
        row = cursor.fetchone()
    return Tokens(*row) if row else None


def read():
    """The current tokens: one primary-key query (the row is recreated if a test flushed it)."""
    tokens = _select_tokens()
    if tokens is None:
        ContentVersion.objects.bulk_create(
            [ContentVersion(pk=1, token=new_token(), changed_at=timezone.now())],
            ignore_conflicts=True,
        )
        tokens = _select_tokens()
    return tokens


def read_or_none():
    """The current tokens, or None when the database cannot be read (nothing is then cached)."""
    try:
        return read()
    except DatabaseError:
        logger.warning("Content version unreadable: serving without caches", exc_info=True)
        return None


def for_request(request):
    """The content token ``request`` works under, read once per request.

    A database that cannot be reached raises (the request then gets the 503 page at once,
    enfuse/errors.py): nothing cached can be vouched for without it.
    """
    return _token_for(request, "content")


def site_for_request(request):
    """The site token ``request`` works under, read with its content token."""
    return _token_for(request, "site")


def media_for_request(request):
    """The media token ``request`` works under, read with its content token."""
    return _token_for(request, "media")


# The request attribute each token is kept in.
_REQUEST_ATTRIBUTES = {
    "content": "_content_version",
    "site": "_site_version",
    "media": "_media_version",
}


def _token_for(request, name):
    if request is None:
        tokens = read_or_none()
        return getattr(tokens, name) if tokens is not None else None
    attribute = _REQUEST_ATTRIBUTES[name]
    if getattr(request, attribute, None) is None:
        # All in one query; one a request already holds (a test may set it) is kept.
        tokens = read()
        for each, kept_in in _REQUEST_ATTRIBUTES.items():
            if getattr(request, kept_in, None) is None:
                setattr(request, kept_in, getattr(tokens, each))
    return getattr(request, attribute)


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
        self.bumped_site = False
        self.bumped_media = False
        self.warm_queued = False
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


def bump(site=True, media=True):
    """Move the content version on, in the current transaction (once per transaction).

    ``site=False`` only for a change nothing kept under the site token is made from (a page
    left out of the site snapshot, i.e. an article): the content token alone moves.
    ``media=False`` for a change to no image or document (renditions are kept under the media
    token). The defaults, for a change of unknown reach, move all three.
    """
    marks = transaction_marks()
    if (
        marks is not None
        and marks.bumped
        and (marks.bumped_site or not site)
        and (marks.bumped_media or not media)
    ):
        return
    values = {"token": new_token(), "changed_at": timezone.now()}
    if site:
        values["site_token"] = new_token()
    if media:
        values["media_token"] = new_token()
    if not ContentVersion.objects.filter(pk=1).update(**values):
        ContentVersion.objects.bulk_create([ContentVersion(pk=1, **values)], ignore_conflicts=True)
        ContentVersion.objects.filter(pk=1).update(**values)
    if marks is not None:
        marks.bumped = True
        marks.bumped_site = marks.bumped_site or site
        marks.bumped_media = marks.bumped_media or media
    # The request making the change reads the new version from here on.
    forget_for_current_request()


def forget_for_current_request():
    request = serving.get()
    if request is not None:
        request._site_snapshot = None
        request._content_version = None
        request._site_version = None
        request._media_version = None
