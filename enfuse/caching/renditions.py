"""Wagtail's renditions cache, kept per content version in each process (CACHES["renditions"]).

A page shows a handful of images, and Wagtail looks each one's renditions up in the cache on
every view (and writes them back). In this process's memory they cost no round trip; they are
kept with the site snapshot, so for one content version only: an image in use that is saved or
deleted moves the version on, and no process keeps showing renditions of the old file. The
shared store behind it (Redis or the cache folder) holds only what Wagtail would cache anyway.
"""

from django.core.cache import caches
from django.core.cache.backends.base import DEFAULT_TIMEOUT, BaseCache

from . import snapshot


class KeptRenditionsCache(BaseCache):
    """This process's memory in front of a shared store (OPTIONS["SHARED"], another alias)."""

    def __init__(self, location, params):
        super().__init__(params)
        self._shared_alias = params.get("OPTIONS", {}).get("SHARED", "default")

    @property
    def shared(self):
        return caches[self._shared_alias]

    @staticmethod
    def _snapshot():
        current = snapshot.current()
        return current if current.version is not None else None

    def get_many(self, keys, version=None):
        found, missing = {}, []
        snapshot = self._snapshot()
        for key in keys:
            value = snapshot.kept(("rendition", key)) if snapshot is not None else None
            if value is None:
                missing.append(key)
            else:
                found[key] = value
        if missing:
            from_shared = self.shared.get_many(missing, version=version)
            if snapshot is not None:
                for key, value in from_shared.items():
                    snapshot.keep(("rendition", key), value)
            found.update(from_shared)
        return found

    def get(self, key, default=None, version=None):
        return self.get_many([key], version=version).get(key, default)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        # Wagtail writes every rendition back after each lookup; only new ones go further.
        snapshot = self._snapshot()
        new = {}
        for key, value in data.items():
            if snapshot is None or not snapshot.has_kept(("rendition", key)):
                new[key] = value
                if snapshot is not None:
                    snapshot.keep(("rendition", key), value)
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
        return self.shared.clear()
