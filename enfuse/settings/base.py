"""Settings shared by every environment.

Everything that differs between machines (secrets, addresses, services) is read from the
environment; see docs/operations.md and .env.example for the list.
"""

import os
import re
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

PROJECT_DIR = Path(__file__).resolve().parent.parent
BASE_DIR = PROJECT_DIR.parent


def env_bool(name, default=False):
    """Read a yes/no switch from the environment ("1", "true", "yes", "on" mean yes)."""
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    """Read a comma-separated list from the environment, dropping blanks."""
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_int(name, default):
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        return int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from error


RATE_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def env_rate(name, default):
    """A rate such as "5/10m" (5 per 10 minutes) as (5, 600); "0" means no limit (None)."""
    value = os.environ.get(name, "").strip() or default
    if value == "0":
        return None
    match = re.fullmatch(r"(\d+)\s*/\s*(\d*)\s*([smhd])", value)
    if not match or int(match[1]) == 0 or match[2] == "0":
        raise ImproperlyConfigured(
            f"{name} must look like '5/10m' (5 per 10 minutes; units s, m, h, d) or be 0 "
            f"for no limit, not {value!r}."
        )
    return int(match[1]), int(match[2] or 1) * RATE_UNITS[match[3]]


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "enfuse.apps.EnfuseConfig",
    "enfuse.caching.apps.CachingConfig",
    "articles",
    "studio",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.sitemaps",
    "wagtail.contrib.redirects",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "django_filters",
    "django_tasks",
    "django_tasks_db",
    "axes",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Wagtail's search index (SearchVectorField, GinIndex) needs it on PostgreSQL.
    "django.contrib.postgres",
]

MIDDLEWARE = [
    "enfuse.middleware.RequestIDMiddleware",
    # A bad Host or a NUL in the query string: 400 before anything reads them.
    "enfuse.middleware.UnreadableRequestMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous page views are answered here, before sessions and page routing.
    "enfuse.caching.page_cache.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    # The request's site from the site snapshot (enfuse/caching/snapshot.py): no query.
    "enfuse.caching.snapshot.SiteSnapshotMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # The admin's second sign-in step (TOTP), after the password.
    "studio.staff.two_factor.middleware.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "enfuse.middleware.SecurityHeadersMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
    # Last, as django-axes asks: turns a locked-out login attempt into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "enfuse.urls"

# Security headers. The public site runs no inline script or style and loads nothing from
# another origin, so its policy can be strict.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# The Wagtail admin uses inline styles and scripts and blob: images, and frames its own page
# previews; it gets this policy instead (enfuse.middleware.SecurityHeadersMiddleware).
ADMIN_PATH_PREFIX = "/admin/"
ADMIN_SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "style-src": [CSP.SELF, CSP.UNSAFE_INLINE],
    "img-src": [CSP.SELF, "data:", "blob:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "frame-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
# Only previews may be framed, and only by the site itself (the editor's preview panel): a
# preview keeps the public policy, an admin preview view (its error page) the admin's.
PREVIEW_SECURE_CSP = {**SECURE_CSP, "frame-ancestors": [CSP.SELF]}
ADMIN_PREVIEW_SECURE_CSP = {**ADMIN_SECURE_CSP, "frame-ancestors": [CSP.SELF]}
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
SECURE_CONTENT_TYPE_NOSNIFF = True
# No page may be framed; previews in the editor's panel get SAMEORIGIN from
# enfuse.middleware.SecurityHeadersMiddleware.
X_FRAME_OPTIONS = "DENY"
# Keep an X-Request-ID sent by the proxy in front (set to true only behind one that sets it).
TRUST_REQUEST_ID_HEADER = env_bool("DJANGO_TRUST_REQUEST_ID_HEADER")
# X-Forwarded-Host is ignored (a client could forge it) unless the proxy in front sets it and
# DJANGO_USE_X_FORWARDED_HOST=true says so; the Host header itself is checked against
# ALLOWED_HOSTS either way.
USE_X_FORWARDED_HOST = env_bool("DJANGO_USE_X_FORWARDED_HOST")
USE_X_FORWARDED_PORT = env_bool("DJANGO_USE_X_FORWARDED_PORT")

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
            ],
        },
    },
]

WSGI_APPLICATION = "enfuse.wsgi.application"

# DATABASE_URL, e.g. postgres://user:password@host:5432/name; a SQLite file by default.
# Connections are kept between requests and checked before reuse (CONN_HEALTH_CHECKS), so
# the first request after a database restart reconnects instead of failing.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=env_int("DATABASE_CONN_MAX_AGE", 60),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # While the database is unreachable, a request fails after this many seconds (with the
    # 503 page) instead of holding a worker until the operating system gives up.
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault(
        "connect_timeout", env_int("DATABASE_CONNECT_TIMEOUT", 3)
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# The cache (and the contact form's rate-limit counters) in Redis when REDIS_URL is set, so
# that every copy of the app shares them. When Redis does not answer, the cache degrades to
# "always empty" instead of failing the request (enfuse.caching.redis.ResilientRedisCache).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "enfuse.caching.redis.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "enfuse",
            "OPTIONS": {
                "socket_connect_timeout": 0.5,
                "socket_timeout": 0.5,
            },
        }
    }
    # Sessions are read from Redis and written through to the database, so a login survives
    # a Redis restart and any copy of the app can serve any visitor.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Whole-page cache for anonymous visitors (enfuse/caching/page_cache.py). Pages are never stale:
# a hit needs the content version read from the database; this is only the longest a page is kept.
# PAGE_CACHE_ALIAS is the cache pages and kept fragments go to (production: Redis's own database
# or instance, so a flood of pages never evicts sessions or the contact form's counters).
PAGE_CACHE_ALIAS = "default"
# Pages and kept fragments in a Redis of their own (REDIS_PAGE_CACHE_URL, e.g. the compose
# "redis-pages" service with allkeys-lru): however many pages it holds, it never evicts a session
# or a rate-limit counter from REDIS_URL's.
REDIS_PAGE_CACHE_URL = os.environ.get("REDIS_PAGE_CACHE_URL", "").strip()
if REDIS_PAGE_CACHE_URL:
    CACHES["pages"] = {
        "BACKEND": "enfuse.caching.redis.ResilientRedisCache",
        "LOCATION": REDIS_PAGE_CACHE_URL,
        "KEY_PREFIX": "enfuse",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
    PAGE_CACHE_ALIAS = "pages"
PAGE_CACHE_SECONDS = env_int("PAGE_CACHE_SECONDS", 3600)
PAGE_CACHE_EXCLUDED_PATHS = ("/admin/", "/search/", "/contact/", "/healthz", "/documents/")

# A front cache (Varnish, or nginx with a purge module) receiving PURGE and BAN requests, e.g.
# http://varnish:80. Purges are queued in the database with each change and sent by
# `manage.py send_front_cache_purges --loop` (enfuse/caching/purges.py); empty: none queued.
FRONTEND_CACHE_PURGE_URL = os.environ.get("FRONTEND_CACHE_PURGE_URL", "").strip()

# Wagtail enqueues its own work (search and reference index updates, image focal points)
# on the "default" backend. Running it inline keeps search results in step with edits
# without depending on a worker.
#
# "email" carries the contact form's emails (studio.contact.delivery). It runs inline here, so
# the form works with no worker; production puts it in the database for `db_worker --backend
# email`. Either way the submission row, not the task, holds the delivery state.
TASKS = {
    "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"},
    "email": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
    "renditions": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"},
}

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The studio's own time zone: opening hours and publication dates are read in it.
TIME_ZONE = "America/New_York"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))


def media_storage():
    """Where uploaded images and documents go: MEDIA_ROOT, or an S3-compatible bucket.

    Setting AWS_STORAGE_BUCKET_NAME switches to django-storages' S3 backend (Amazon S3,
    Backblaze B2, Cloudflare R2, MinIO...); the other AWS_* variables say where and how.
    """
    bucket = os.environ.get("AWS_STORAGE_BUCKET_NAME", "").strip()
    if not bucket:
        return {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    options = {
        "bucket_name": bucket,
        # Uploads never replace each other: a second "photo.jpg" gets a new name.
        "file_overwrite": False,
        # Objects are public-read through the bucket policy or the custom domain.
        "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", False),
    }
    for option, variable in [
        ("endpoint_url", "AWS_S3_ENDPOINT_URL"),
        ("region_name", "AWS_S3_REGION_NAME"),
        ("access_key", "AWS_ACCESS_KEY_ID"),
        ("secret_key", "AWS_SECRET_ACCESS_KEY"),
        ("custom_domain", "AWS_S3_CUSTOM_DOMAIN"),
        ("location", "AWS_LOCATION"),
    ]:
        value = os.environ.get(variable, "").strip()
        if value:
            options[option] = value
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}


STORAGES = {
    "default": media_storage(),
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# Wagtail's page editor can exceed Django's default of 1,000 fields.
DATA_UPLOAD_MAX_NUMBER_FIELDS = 10_000
# Form bodies (not uploaded files) larger than 1 MB are refused with a 400.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
# A refused CSRF check shows a page in the site's design, not Django's bare one.
CSRF_FAILURE_VIEW = "studio.views.csrf_failure"

# The contact form (studio.contact); see docs/architecture.md, "Contact form and email delivery".
# Send the prospect a short "we have your message" email once the studio has been notified.
CONTACT_SEND_ACKNOWLEDGEMENT = env_bool("CONTACT_SEND_ACKNOWLEDGEMENT", True)
# A form sent sooner than this after it was shown is a bot's: stored as spam, not emailed.
CONTACT_MIN_FILL_SECONDS = env_int("CONTACT_MIN_FILL_SECONDS", 3)
# A form older than this (its signed timestamp) is stale or replayed: stored as spam.
CONTACT_FORM_MAX_AGE_SECONDS = 2 * 24 * 3600
# Submissions per client IP address: (count, seconds), or None for no limit.
CONTACT_RATE_LIMIT = env_rate("CONTACT_RATE_LIMIT", "5/10m")
# Contact form posts larger than this are refused with a 413 before the form is read.
CONTACT_MAX_POST_BYTES = 64 * 1024
# Submissions older than this many days are deleted by `purge_contact_submissions` (0: never).
CONTACT_RETENTION_DAYS = env_int("CONTACT_RETENTION_DAYS", 365)
# The rate limit's client address comes from enfuse.middleware.client_ip, which trusts
# TRUSTED_PROXY_COUNT (DJANGO_TRUSTED_PROXY_COUNT, below) proxies' X-Forwarded-For entries.

# Outgoing mail through Django 6.1's MAILERS; the environment keeps the familiar EMAIL_* names.
SMTP_MAILER = {
    "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "OPTIONS": {
        "host": os.environ.get("EMAIL_HOST", "localhost"),
        "port": env_int("EMAIL_PORT", 25),
        "username": os.environ.get("EMAIL_HOST_USER", ""),
        "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
        "use_tls": env_bool("EMAIL_USE_TLS"),
        # Django's default waits for ever on a silent mail server.
        "timeout": env_int("EMAIL_TIMEOUT", 10),
    },
}
MAILERS = {"default": SMTP_MAILER}
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "EnFuse Fitness <noreply@enfusefitness.com>"
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

WAGTAIL_SITE_NAME = "EnFuse Fitness"
WAGTAILADMIN_BASE_URL = os.environ.get("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
# Wagtail's database backend: PostgreSQL's full-text search (the site search ranks articles
# from their own index, articles/search_index.py) or SQLite's FTS. A large site can move to
# Elasticsearch or OpenSearch by setting WAGTAILSEARCH_URL (docs/operations.md, "Search").
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}
if os.environ.get("WAGTAILSEARCH_URL", "").strip():
    WAGTAILSEARCH_BACKENDS["default"] = {
        "BACKEND": os.environ.get(
            "WAGTAILSEARCH_BACKEND", "wagtail.search.backends.elasticsearch8"
        ).strip(),
        "URLS": env_list("WAGTAILSEARCH_URL"),
        "INDEX": os.environ.get("WAGTAILSEARCH_INDEX", "enfuse").strip(),
        "TIMEOUT": env_int("WAGTAILSEARCH_TIMEOUT", 5),
    }
WAGTAILDOCS_EXTENSIONS = ["csv", "docx", "odt", "pdf", "pptx", "rtf", "txt", "xlsx"]
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"avif": "avif", "webp": "webp", "jpeg": "jpeg"}
# The site has no use for Wagtail's API or embeds from arbitrary providers.
WAGTAILEMBEDS_RESPONSIVE_HTML = True

# One line per event on stdout, each with the id of the request it belongs to.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "enfuse.middleware.RequestIDLogFilter"}},
    "formatters": {
        "line": {
            "()": "enfuse.middleware.OneLineFormatter",
            "format": "%(asctime)s %(levelname)s [%(request_id)s] %(name)s %(message)s",
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "line",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # One line per task state change is noise at INFO.
        "django_tasks": {"level": "WARNING"},
        "django.tasks": {"level": "WARNING"},
        # django-axes announces itself at every start; its failed sign-ins stay (WARNING).
        "axes.apps": {"level": "WARNING"},
    },
}


# --- Staff: sign-in protection and the admin's emails (README, "How staff work") ------------

# django-axes counts failed sign-ins (the Wagtail admin's login form goes through Django's
# authenticate(), hence through this backend first). Five failures for one username from one
# address lock that pair out for 30 minutes; another username, or the same one from elsewhere,
# is not affected. A superuser unlocks with `manage.py axes_reset_username <name>`.
# AxesBackend is axes' standalone check plus ModelBackend's get_user and permissions, so code
# that logs in with the first backend (Wagtail's test helpers) works; ModelBackend then checks
# the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "account_locked.html"
AXES_HTTP_RESPONSE_CODE = 429
# Behind the proxy every request comes from the proxy's address: the client's address is read
# from X-Forwarded-For, trusting as many hops as there are proxies (0: use REMOTE_ADDR).
TRUSTED_PROXY_COUNT = env_int("DJANGO_TRUSTED_PROXY_COUNT", 0)
AXES_CLIENT_IP_CALLABLE = "enfuse.middleware.client_ip"

# Two-factor sign-in (studio/staff/two_factor): a code from an authenticator app after the
# password, required for superusers and Moderators when on, offered to Editors either way.
STAFF_TWO_FACTOR_REQUIRED = env_bool("STAFF_TWO_FACTOR_REQUIRED", True)
# The key the TOTP secrets are encrypted with; SECRET_KEY when unset. Changing it (or
# SECRET_KEY while it is unset) makes stored secrets unreadable: staff then enrol again.
STAFF_TWO_FACTOR_KEY = os.environ.get("STAFF_TWO_FACTOR_KEY", "")

# Nothing in the admin comes from another origin: avatars are the initials or a picture the
# user uploads, never Gravatar's, and the admin does not ask wagtail.org for new releases.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Staff read every time in the studio's zone: the account page offers no other (its list of
# every zone also made the browser's console report names it does not know).
WAGTAIL_USER_TIME_ZONES = [TIME_ZONE]

# Wagtail's moderation emails ("submitted for moderation", "approved", "changes requested").
WAGTAILADMIN_NOTIFICATION_FROM_EMAIL = DEFAULT_FROM_EMAIL
WAGTAILADMIN_NOTIFICATION_USE_HTML = True
WAGTAILADMIN_NOTIFICATION_INCLUDE_SUPERUSERS = True
# Image descriptions double as default alt text: the upload form requires one.
WAGTAILIMAGES_IMAGE_FORM_BASE = "studio.staff.image_forms.ImageForm"
