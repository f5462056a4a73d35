"""The test suite: fast, isolated, no outside service unless a test starts one."""

import hashlib

from .base import *  # noqa: F403
from .base import BASE_DIR

DEBUG = False
SECRET_KEY = "test-only-secret-key"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
MEDIA_ROOT = BASE_DIR / "test-artifacts" / "media"
# Room for what a 1,000-article site keeps (locmem culls a third of its entries past 300).
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "OPTIONS": {"MAX_ENTRIES": 20000},
    }
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Serve static files straight from the apps and static/ (no collectstatic in tests).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
# The live server of the browser tests serves uploaded images itself.
SERVE_MEDIA_FILES = True
# Tests render pages for real (query counts, markup); the page cache tests switch it on.
PAGE_CACHE_SECONDS = 0
# Django's test client.login() authenticates without a request, which django-axes refuses;
# tests/test_admin_lockout.py switches it back on to test the lockout itself.
AXES_ENABLED = False
# Tests log staff in with force_login; tests/test_admin_two_factor.py switches this back on.
STAFF_TWO_FACTOR_REQUIRED = False

# Each checkout gets its own PostgreSQL test database, so two checkouts (a developer's and CI's,
# or two worktrees) can run the suite at the same time without dropping each other's database.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    _checkout = hashlib.sha1(str(BASE_DIR).encode()).hexdigest()[:8]
    DATABASES["default"]["TEST"] = {"NAME": f"test_enfuse_{_checkout}"}  # noqa: F405
