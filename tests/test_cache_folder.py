"""The cache folder of a production site without Redis (enfuse/caching/folder.py): counted once
every few writes, not before each, and still kept near its MAX_ENTRIES."""

import os

from enfuse.caching import folder
from enfuse.caching.folder import FolderCache


def test_the_folder_is_counted_once_every_few_writes_and_still_culled(tmp_path, monkeypatch):
    monkeypatch.setattr(folder, "CHECK_EVERY", 5)
    cache = FolderCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    countings = []
    list_files = FolderCache._list_cache_files
    monkeypatch.setattr(
        FolderCache, "_list_cache_files", lambda self: countings.append(1) or list_files(self)
    )
    for number in range(40):
        cache.set(f"key-{number}", number)
        # Never more than a few writes past the limit before the next count culls it.
        assert len(os.listdir(tmp_path)) <= 10 + 5
    assert len(countings) == 8  # writes 1, 6, 11, ... 36 (Django: all 40)
    assert cache.get("key-39") == 39  # the latest survive a cull long enough to be read
