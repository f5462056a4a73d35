"""The database rows the caches are checked against: the content version and the purge outbox."""

from django.db import models


class ContentVersion(models.Model):
    """The single row (pk 1, made by the migration) whose token names the current content.

    A random token rather than a counter: a rolled-back change or a restored backup can never
    bring back a token that cached work made from other content was stored under.
    """

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    token = models.BigIntegerField()
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
