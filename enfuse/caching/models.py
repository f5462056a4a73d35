"""The database rows the caches are checked against: the content version and the purge outbox."""

import secrets

from django.db import models


def new_token():
    return secrets.randbits(62) + 1


class ContentVersion(models.Model):
    """The single row (pk 1, made by the migration) whose tokens name the current content.

    ``token`` moves with every change visitors can see; ``site_token`` with every one but those
    only articles show (see version.py): the site snapshot and the furniture every page repeats
    are kept under it, so publishing an article does not make them again; ``media_token`` with
    every change to an image or document (image renditions are kept under it).

    Random tokens rather than counters: a rolled-back change or a restored backup can never
    bring back a token that cached work made from other content was stored under.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.BigIntegerField()
    site_token = models.BigIntegerField(default=new_token)
    media_token = models.BigIntegerField(default=new_token)
    changed_at = models.DateTimeField()

    def __str__(self):
        return f"content version {self.token:x}"


class FrontCachePurge(models.Model):
    """One request the front cache must accept: PURGE a page (with its feed and query-string
    variants) or BAN everything under a path ("/" is the whole site)."""

    PURGE = "PURGE"
    BAN = "BAN"
    METHODS = [(PURGE, "Purge a page"), (BAN, "Ban a path and everything below it")]

    method = models.CharField(max_length=5, choices=METHODS)
    path = models.CharField(max_length=2048)
    created_at = models.DateTimeField(auto_now_add=True)
    due_at = models.DateTimeField(db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    class Meta:
        indexes = [models.Index(fields=["sent_at", "due_at"], name="caching_purge_pending")]

    def __str__(self):
        return f"{self.method} {self.path}"
