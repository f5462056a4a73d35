"""The cache folder production uses without Redis (settings/production.py): Django's file-based
cache, made to count its files now and then rather than before every write."""

from django.core.cache.backends.filebased import FileBasedCache

# Writes between two counts of the folder's files (per process and thread).
COUNT_EVERY = 200


class FolderCache(FileBasedCache):
    """Django's FileBasedCache, but the folder is counted (to cull it) once per ``COUNT_EVERY``
    writes instead of before each one.

    Django lists every file of the folder before each write to see whether MAX_ENTRIES is
    reached: 12.8 ms a write at 5,000 files on this machine (11 ms for the whole write), and a
    first view of an article writes five kept fragments. The folder may now hold up to
    ``COUNT_EVERY`` entries per process more than MAX_ENTRIES before a third of it is culled.
    """

    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._writes_until_count = 0  # the first write of a process counts

    def _cull(self):
        if self._writes_until_count > 0:
            self._writes_until_count -= 1
            return
        self._writes_until_count = COUNT_EVERY - 1
        super()._cull()
