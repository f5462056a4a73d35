"""The cache folder production uses without Redis (enfuse/caching/folder.py): culled as Django's
file-based cache is, but its files are counted once per so many writes, not before each."""

import pytest

from enfuse.caching import folder
from enfuse.caching.folder import FolderCache


@pytest.fixture
def small_folder(tmp_path, monkeypatch):
    monkeypatch.setattr(folder, "COUNT_EVERY", 5)
    cache = FolderCache(str(tmp_path), {"OPTIONS": {"MAX_ENTRIES": 10, "CULL_FREQUENCY": 2}})
    counts = []
    listing = cache._list_cache_files
    monkeypatch.setattr(cache, "_list_cache_files", lambda: counts.append(1) or listing())
    return cache, counts


def test_the_folder_is_counted_once_per_so_many_writes(small_folder):
    cache, counts = small_folder
    for number in range(11):
        cache.set(f"key-{number}", number)
    assert len(counts) == 3  # the 1st, 6th and 11th writes
    assert cache.get("key-10") == 10


def test_a_full_folder_is_still_culled(small_folder):
    cache, _counts = small_folder
    for number in range(16):
        cache.set(f"key-{number}", number)
    # Counted before the 1st, 6th, 11th and 16th writes; at the 11th and the 16th, 10 files
    # (MAX_ENTRIES) were there, and half of them were culled before the write.
    assert len(cache._list_cache_files()) == 6
