"""Which code made a cached value: a digest of the project's code, templates and static files.

Kept values, shared site snapshots and cached pages outlive a deploy in the shared store (Redis),
and the content version does not move with a deploy. The new code must never read what the old
one made: a kept value's shape may have changed (a crash, found by the benchmark when a kept list
changed from pairs to triples), and old HTML names old templates' markup and static files. Their
keys carry this digest, so a deploy's first requests make everything afresh. Read once per
process: about 20 ms for the project's 213 files.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings

# What the cached values are made by (the dependencies' versions are pinned with the code).
SOURCES = ("enfuse", "articles", "studio", "templates", "static", "pyproject.toml")


@functools.cache
def digest():
    found = hashlib.blake2b(digest_size=6)
    base = Path(settings.BASE_DIR)
    for source in SOURCES:
        root = base / source
        files = [root] if root.is_file() else sorted(root.rglob("*"))
        for path in files:
            if path.is_file() and "__pycache__" not in path.parts:
                found.update(str(path.relative_to(base)).encode() + b"\0")
                found.update(path.read_bytes())
    return found.hexdigest()
