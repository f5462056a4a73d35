"""URL wiring: admin, search, sitemap, media in development, then Wagtail's page tree."""

from django.conf import settings
from django.templatetags.static import static
from django.urls import include, path
from django.utils.functional import lazy
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.contrib.sitemaps.views import sitemap
from wagtail.documents import urls as wagtaildocs_urls

from enfuse.health import healthz
from studio.search import search
from studio.timetable import urls as timetable_urls
from studio.views import medical_disclaimer, robots_txt

urlpatterns = [
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("healthz", healthz, name="healthz"),
    path("search/", search, name="search"),
    path("medical-disclaimer/", medical_disclaimer, name="medical_disclaimer"),
    path("", include(timetable_urls)),
    path("sitemap.xml", sitemap, name="sitemap"),
    path("robots.txt", robots_txt, name="robots_txt"),
    # Pages name their icon (<link rel="icon">); crawlers and feed readers still ask for
    # /favicon.ico, which would otherwise be a 404 logged as an error in the browser's console.
    path(
        "favicon.ico",
        RedirectView.as_view(url=lazy(static, str)("images/enfuse-logo.svg"), permanent=False),
        name="favicon",
    ),
]

# Development and the browser tests serve uploads themselves; in production the proxy does.
if settings.DEBUG or getattr(settings, "SERVE_MEDIA_FILES", False):
    from django.conf.urls.static import static as serve_files

    urlpatterns += serve_files(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

# 503 with Retry-After while the database is unreachable, the plain 500 page otherwise.
handler500 = "enfuse.errors.server_error"
