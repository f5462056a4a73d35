"""Wagtail's renditions cache, kept per media token in each process (CACHES["renditions"]).

A page shows a handful of images, and Wagtail looks each one's renditions up in the cache on
every view (and writes them back). In this process's memory they cost no round trip; they are
kept for one media token only: any image or document saved or deleted moves it on (version.py,
changes.py), so no process keeps showing renditions of an old file, while edits to pages and
settings leave them kept. The shared store behind it (Redis or the cache folder) holds only what
Wagtail would cache anyway.
"""

import threading

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

from . import version
from .snapshot import KeptInProcess
from .version import in_real_transaction

# This process's renditions, for the media token they were kept under.
_kept = None
_kept_lock = threading.Lock()


def process_renditions():
    """This process's renditions for the current media token, or None when they may not be
    kept (inside a transaction that may roll back, or while the version cannot be read)."""
    global _kept
    if in_real_transaction():
        return None
    token = version.media_for_request(version.serving.get())
    if token is None:
        return None
    kept = _kept
    if kept is None or kept.token != token:
        with _kept_lock:
            if _kept is None or _kept.token != token:
                _kept = KeptInProcess(token)
            kept = _kept
    return kept


def forget_process_memory():
    global _kept
    _kept = None


class KeptRenditionsCache(BaseCache):
    """This process's memory in front of a shared store (OPTIONS["SHARED"], another alias)."""

    def __init__(self, location, params):
        super().__init__(params)
        self._shared_alias = params.get("OPTIONS", {}).get("SHARED", "default")

    @property
    def shared(self):
        return caches[self._shared_alias]

    def get_many(self, keys, version=None):
        found, missing = {}, []
        kept = process_renditions()
        for key in keys:
            value = kept.kept(key) if kept is not None else None
            if value is None:
                missing.append(key)
            else:
                found[key] = value
        if missing:
            from_shared = self.shared.get_many(missing, version=version)
            if kept is not None:
                for key, value in from_shared.items():
                    kept.keep(key, value)
            found.update(from_shared)
        return found

    def get(self, key, default=None, version=None):
        return self.get_many([key], version=version).get(key, default)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Wagtail writes every rendition back after each lookup; only new ones go further.
        kept = process_renditions()
        new = {}
        for key, value in data.items():
            if kept is None or not kept.has_kept(key):
                new[key] = value
                if kept is not None:
                    kept.keep(key, value)
        if new:
            self.shared.set_many(new, timeout=timeout, version=version)
        return []

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        self.set_many({key: value}, timeout=timeout, version=version)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self.shared.add(key, value, timeout=timeout, version=version)

    def delete(self, key, version=None):
        return self.shared.delete(key, version=version)

    def delete_many(self, keys, version=None):
        return self.shared.delete_many(keys, version=version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self.shared.touch(key, timeout=timeout, version=version)

    def has_key(self, key, version=None):
        return self.get(key, version=version) is not None

    def clear(self):
        forget_process_memory()
        return self.shared.clear()
