"""The classes the site shows, read from the database once per content version.

Any save of a class or a cancelled date (both in the ``studio`` app) moves the content version
on, so the kept list is never stale; pages that show the timetable then compute dates from it
in Python, with no query on a warm page, however many classes there are.
"""

from enfuse.caching.fragments import kept_per_version

from .models import TimetableClass


def live_classes(request):
    """Every class of a live service, with its service, trainer and cancelled dates."""
    return kept_per_version(
        request, "timetable-classes", lambda: list(TimetableClass.objects.for_schedule())
    )


def classes_of(request, service):
    return [c for c in live_classes(request) if c.service_id == service.pk]
