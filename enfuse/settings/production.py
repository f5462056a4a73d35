"""Production: DEBUG off, secrets required, HTTPS ended at a reverse proxy.

The proxy in front of gunicorn terminates TLS, redirects plain HTTP to HTTPS and sets
``X-Forwarded-Proto: https``; SECURE_PROXY_SSL_HEADER trusts that header.
"""

import hashlib
import os
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import (
    ALLOWED_HOSTS,
    CACHES,
    DATABASES,
    REDIS_URL,
    SECRET_KEY,
    TASKS,
    env_bool,
    env_int,
    media_storage,
)

DEBUG = False

if not SECRET_KEY:
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is not set. Production refuses to start without a secret key: "
        "set it to a long random string (see docs/operations.md, 'Configuration')."
    )
if len(SECRET_KEY) < 50 or SECRET_KEY.startswith(("change-me", "django-insecure")):
    raise ImproperlyConfigured(
        "DJANGO_SECRET_KEY is too short or is the example's placeholder: set it to a long random "
        "string of at least 50 characters, e.g. the output of "
        'python -c "import secrets; print(secrets.token_urlsafe(50))".'
    )
if not ALLOWED_HOSTS:
    raise ImproperlyConfigured(
        "DJANGO_ALLOWED_HOSTS is not set. Production refuses to start without the host names "
        "it serves, comma-separated, e.g. 'enfusefitness.com,www.enfusefitness.com'."
    )

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("DJANGO_SECURE_HSTS_SECONDS", 31_536_000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # security.W021 asks for HSTS preloading. Joining the browsers' preload list is hard to
    # undo and binds every subdomain of the studio's domain, so it is the domain owner's
    # decision: set DJANGO_SECURE_HSTS_PRELOAD=true once they have made it.
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SESSION_COOKIE_SECURE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SECURE = True
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"

# Static files: WhiteNoise serves the collected, hashed, pre-compressed (gzip and Brotli
# when installed) copies; hashed names are cached for ten years ("immutable"), other files
# (robots.txt-like, unhashed) for WHITENOISE_MAX_AGE seconds.
STORAGES = {
    "default": media_storage(),
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
WHITENOISE_MAX_AGE = env_int("DJANGO_STATIC_MAX_AGE", 3600)

# The contact form's emails wait in the database for the worker (`python manage.py db_worker
# --backend email`), so a slow or unreachable mail server never holds up a visitor; an uploaded
# image's renditions wait for theirs (`--backend renditions`), so the editor does not wait.
TASKS = {
    **TASKS,
    "email": {"BACKEND": "django_tasks_db.DatabaseBackend"},
    "renditions": {"BACKEND": "django_tasks_db.DatabaseBackend"},
}

# Without Redis, gunicorn's worker processes still share one cache, so a page rendered by one is
# a hit in the others (whether it is current is read from the database, enfuse/caching), and the
# contact form's rate limit counts across workers. A folder on this machine does that (several
# machines need Redis). Its default name follows the database, so two sites on one machine
# never share pages. FolderCache is Django's file cache counting its folder less often
# (enfuse/caching/folder.py).
if not REDIS_URL:
    _database_key = hashlib.sha256(repr(sorted(DATABASES["default"].items())).encode())
    CACHES = {
        **CACHES,
        "default": {
            "BACKEND": "enfuse.caching.folder.FolderCache",
            "LOCATION": os.environ.get("DJANGO_CACHE_DIR", "").strip()
            or str(Path(tempfile.gettempdir()) / f"enfuse-cache-{_database_key.hexdigest()[:12]}"),
            "OPTIONS": {"MAX_ENTRIES": env_int("DJANGO_CACHE_MAX_ENTRIES", 5000)},
        },
    }

# Image renditions in a cache of their own (Wagtail reads CACHES["renditions"]): a page finds
# its images' renditions without a query. Each process keeps the ones it has used in memory for
# the current content version (enfuse.caching.renditions.KeptRenditionsCache), in front of a store
# shared by every copy of the app: with Redis, a prefix of its own, so they are neither pushed
# out by the page cache's many entries nor dropped with it; without it, the shared folder.
if REDIS_URL:
    CACHES["renditions-shared"] = {
        **CACHES["default"],
        "KEY_PREFIX": "enfuse-renditions",
        "TIMEOUT": env_int("RENDITIONS_CACHE_SECONDS", 7 * 24 * 3600),
    }
CACHES["renditions"] = {
    "BACKEND": "enfuse.caching.renditions.KeptRenditionsCache",
    "OPTIONS": {"SHARED": "renditions-shared" if REDIS_URL else "default"},
}
