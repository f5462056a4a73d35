"""Front-cache purges as a database outbox: queued in the change's transaction, sent by a worker.

A change queues what the front cache must drop (``FrontCachePurge`` rows, written in the same
transaction as the change, so a rolled-back change purges nothing and a committed one cannot
lose its purge). ``send_due()`` (the ``send_front_cache_purges`` command, run by the compose
``purger`` service) claims due rows with ``SELECT ... FOR UPDATE SKIP LOCKED``, sends each
distinct target once (a ban of the whole site covers every other row), and retries a refused or
unanswered one after 5, 15, 60, then every 300 seconds until the front cache accepts it. Sent
rows are kept ``KEEP_SENT_DAYS`` days for the record.

Bounded: a page change queues its address, the listings above it (whose purge also drops their
feeds and ?page=/?tag= variants, deploy/varnish/default.vcl) and the sitemap, at most
``MAX_PURGES_PER_CHANGE``; beyond that, or for a change shown on every page, one ban of "/".
Wagtail's own frontend-cache app (one inline request per URL, lost when the front cache is
down) is not installed.
"""

import datetime
import logging
import urllib.error
import urllib.request
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import FrontCachePurge
from .version import transaction_marks

logger = logging.getLogger(__name__)

MAX_PURGES_PER_CHANGE = 15
RETRY_AFTER = (5, 15, 60, 300)
KEEP_SENT_DAYS = 3
BATCH = 500
SEND_TIMEOUT = 5


def configured():
    return bool(getattr(settings, "FRONTEND_CACHE_PURGE_URL", ""))


def covered(method, path, queued):
    """True when a purge or ban already queued in this transaction covers this one."""
    if (method, path) in queued:
        return True
    return any(m == FrontCachePurge.BAN and path.startswith(p) for m, p in queued)


def queue(targets):
    """Queue ``(method, path)`` targets in this transaction (nothing without a front cache)."""
    if not configured():
        return
    marks = transaction_marks()
    queued = marks.queued if marks is not None else set()
    if len(targets) > MAX_PURGES_PER_CHANGE:
        targets = [(FrontCachePurge.BAN, "/")]
    # Bans first, so the purges they cover are dropped.
    targets = sorted(set(targets), key=lambda target: target[0] != FrontCachePurge.BAN)
    rows = []
    now = timezone.now()
    for method, path in targets:
        if covered(method, path, queued):
            continue
        queued.add((method, path))
        rows.append(FrontCachePurge(method=method, path=path, due_at=now))
    if rows:
        FrontCachePurge.objects.bulk_create(rows)


def listing_paths(path):
    """The addresses above ``path`` ("/a/b/c/" -> "/a/b/", "/a/", "/")."""
    parts = [part for part in path.split("/") if part]
    return ["/" + "".join(f"{part}/" for part in parts[:depth]) for depth in range(len(parts))]


def page_targets(path, *, subtree=False):
    """What a change to the page at ``path`` makes stale in the front cache."""
    own = (FrontCachePurge.BAN if subtree else FrontCachePurge.PURGE, path)
    return [
        own,
        *((FrontCachePurge.PURGE, listing) for listing in listing_paths(path)),
        (FrontCachePurge.PURGE, "/sitemap.xml"),
    ]


def queue_site():
    queue([(FrontCachePurge.BAN, "/")])


def send(method, path):
    """Send one request to the front cache; True when it accepted it (2xx)."""
    base = settings.FRONTEND_CACHE_PURGE_URL.rstrip("/")
    request = urllib.request.Request(base + path, method=method)
    request.add_header("Host", urlsplit(base).netloc)
    with urllib.request.urlopen(request, timeout=SEND_TIMEOUT) as response:  # noqa: S310
        return 200 <= response.status < 300


def retry_delay(attempts):
    return datetime.timedelta(seconds=RETRY_AFTER[min(attempts, len(RETRY_AFTER)) - 1])


def send_due(now=None):
    """Send the due purges once; returns (sent requests, failed requests)."""
    if not configured():
        return 0, 0
    now = now or timezone.now()
    sent = failed = 0
    with transaction.atomic():
        rows = list(
            FrontCachePurge.objects.select_for_update(skip_locked=True)
            .filter(sent_at=None, due_at__lte=now)
            .order_by("pk")[:BATCH]
        )
        targets = {}
        for row in rows:
            targets.setdefault((row.method, row.path), []).append(row)
        if (FrontCachePurge.BAN, "/") in targets:
            # The whole site is dropped: nothing else in this batch needs sending.
            targets = {(FrontCachePurge.BAN, "/"): rows}
        pending = list(targets.items())
        while pending:
            (method, path), group = pending.pop(0)
            try:
                accepted = send(method, path)
                error = "" if accepted else "refused"
            except (OSError, urllib.error.URLError) as exc:
                accepted, error = False, f"{type(exc).__name__}: {exc}"
            if accepted:
                ids = [row.pk for row in group]
                FrontCachePurge.objects.filter(pk__in=ids).update(sent_at=timezone.now())
                sent += 1
                continue
            # The front cache is down or refusing: the rest of the batch waits with this one
            # (one timeout per round, not one per purge).
            logger.warning("Front cache purge %s %s not accepted: %s", method, path, error)
            for _target, rows in [((method, path), group), *pending]:
                failed += 1
                attempts = max(row.attempts for row in rows) + 1
                FrontCachePurge.objects.filter(pk__in=[row.pk for row in rows]).update(
                    attempts=attempts,
                    due_at=timezone.now() + retry_delay(attempts),
                    last_error=error[:1000],
                )
            break
    FrontCachePurge.objects.filter(
        sent_at__lt=now - datetime.timedelta(days=KEEP_SENT_DAYS)
    ).delete()
    return sent, failed
