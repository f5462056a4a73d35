"""The cache folder used in production without Redis (settings/production.py).

Django's FileBasedCache lists the whole folder before every write, to decide whether to cull
it: measured here, 6.3 ms per write at 3,500 entries (0.4 ms at 450), and a page rendered after
an edit keeps about fifteen values, so a folder near its MAX_ENTRIES (5,000) added about 100 ms
to that page. FolderCache counts the folder on its first write and then once every
CHECK_EVERY writes of the process; between two counts the folder can exceed MAX_ENTRIES by at
most CHECK_EVERY entries per process, which the next count culls as Django would.
"""

import threading

from django.core.cache.backends.filebased import FileBasedCache

CHECK_EVERY = 64


class FolderCache(FileBasedCache):
    def __init__(self, dir, params):
        super().__init__(dir, params)
        self._writes_before_count = 0  # the first write counts
        self._count_lock = threading.Lock()

    def _cull(self):
        with self._count_lock:
            due = self._writes_before_count <= 0
            if due:
                self._writes_before_count = CHECK_EVERY
            self._writes_before_count -= 1
        if due:
            super()._cull()
