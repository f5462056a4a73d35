"""/schedule/ (a week of classes by day), one class's page, and the iCalendar feeds.

Filters and the week come from the query string and are matched in Python against the classes
already loaded, so any value (a NUL byte included) is at worst "not found", never a query
error; the query count is the same however many classes there are.

These responses are marked uncacheable (private, no-cache): the front cache (Varnish) only
hears of Wagtail pages changing, so it would keep an old timetable, and "today" changes at
midnight. See docs/architecture.md ("Class timetable").
"""

import datetime
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe
from wagtail.models import Site

from enfuse import structured_data
from studio import hours
from studio.hours import STUDIO_TIME_ZONE
from studio.models import ServicePage, StudioSettings

from . import ical, recurrence
from .listing import classes_of, live_classes
from .models import LEVEL_NAMES
from .structured_data import events_script

WEEKS = {"": 0, "this": 0, "next": 1}
# A class page lists its dates this many weeks ahead.
CLASS_PAGE_WEEKS = 4


def uncacheable(response):
    patch_cache_control(response, private=True, no_cache=True)
    return response


def studio_today(now=None):
    return (now or hours.current_time()).astimezone(STUDIO_TIME_ZONE).date()


def one_value(request, name):
    """The query string's value for ``name`` (the last one given), or ""."""
    return request.GET.get(name, "")


def filter_links(request, name, options, current):
    """Plain links for one filter: ``options`` are (value, label) pairs, "" meaning all; the
    other filters in the address are kept."""
    links = []
    for value, label in options:
        query = {key: request.GET.get(key, "") for key in ("week", "service", "level")}
        query[name] = value
        kept = {key: text for key, text in query.items() if text}
        url = reverse("schedule") + (f"?{urlencode(kept)}" if kept else "")
        links.append({"label": label, "url": url, "current": value == current})
    return links


@require_safe
def schedule(request):
    """A week of classes, by day: this week (from Monday) or next week."""
    studio = StudioSettings.for_request(request)
    now = hours.current_time()
    today = studio_today(now)
    classes = live_classes(request)
    problems = []

    week_key = one_value(request, "week")
    if week_key not in WEEKS:
        problems.append("That week is not in the timetable: showing this week.")
        week_key = ""
    if week_key == "this":
        week_key = ""
    monday = recurrence.week_start(today) + datetime.timedelta(weeks=WEEKS[week_key])

    services = []
    for timetable_class in classes:
        if timetable_class.service not in services:
            services.append(timetable_class.service)
    services.sort(key=lambda service: service.path)
    service_slug = one_value(request, "service")
    service = next((s for s in services if s.slug == service_slug), None)
    if service_slug and service is None:
        problems.append("No classes of that service are in the timetable: showing all services.")
    levels = [
        (key, name) for key, name in LEVEL_NAMES.items() if any(c.level == key for c in classes)
    ]
    level = one_value(request, "level")
    if level and level not in dict(levels):
        problems.append("No classes of that level are in the timetable: showing all levels.")
        level = ""

    shown = [
        c
        for c in classes
        if (service is None or c.service_id == service.pk) and (not level or c.level == level)
    ]
    days = recurrence.week(shown, monday, studio.special_days.all(), today)
    context = {
        "studio": studio,
        "has_classes": bool(classes),
        "days": days,
        "this_week": week_key != "next",
        "monday": monday,
        "problems": problems,
        "week_links": filter_links(
            request, "week", [("", "This week"), ("next", "Next week")], week_key or ""
        ),
        "service_links": filter_links(
            request,
            "service",
            [("", "All services"), *((s.slug, s.title) for s in services)],
            service.slug if service else "",
        ),
        "level_links": filter_links(request, "level", [("", "All levels"), *levels], level),
        "events_json_ld": events_script(
            [o for day in days for o in day.occurrences], request, studio
        ),
    }
    return uncacheable(render(request, "studio/schedule.html", context))


def find_class(request, pk):
    """The live class with this id (matched in Python: any number is at worst not found)."""
    found = next((c for c in live_classes(request) if c.pk == pk), None)
    if found is None:
        raise Http404("No such class")
    return found


@require_safe
def class_page(request, pk):
    """One class: when it runs, its next dates (with cancellations), and how to join."""
    studio = StudioSettings.for_request(request)
    timetable_class = find_class(request, pk)
    today = studio_today()
    dates = recurrence.occurrences(
        [timetable_class],
        today,
        today + datetime.timedelta(weeks=CLASS_PAGE_WEEKS),
        studio.special_days.all(),
    )
    now = hours.current_time()
    dates = [o for o in dates if o.ends > now]
    context = {
        "studio": studio,
        "timetable_class": timetable_class,
        "dates": dates,
        "events_json_ld": events_script(dates, request, studio),
    }
    return uncacheable(render(request, "studio/timetable_class.html", context))


def class_url(request, timetable_class):
    return structured_data.absolute_url(
        request, reverse("timetable_class", args=[timetable_class.pk])
    )


def calendar_response(request, classes, name, filename=None):
    studio = StudioSettings.for_request(request)
    site = Site.find_for_request(request)
    text = ical.calendar(
        classes,
        name=name,
        uid_domain=site.hostname if site is not None else request.get_host().split(":")[0],
        url_of=lambda timetable_class: class_url(request, timetable_class),
        location=f"{studio.name}, {studio.address_line}",
        special_days=studio.special_days.all(),
        today=studio_today(),
    )
    response = HttpResponse(text.encode("utf-8"), content_type="text/calendar; charset=utf-8")
    if filename:
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return uncacheable(response)


@require_safe
def all_classes_feed(request):
    studio = StudioSettings.for_request(request)
    return calendar_response(request, live_classes(request), f"{studio.name} classes")


@require_safe
def service_feed(request, slug):
    studio = StudioSettings.for_request(request)
    # Matched in Python: any slug (a NUL byte too) is simply not found.
    service = next(
        (s for s in ServicePage.objects.live().public().only("title", "slug") if s.slug == slug),
        None,
    )
    if service is None:
        raise Http404("No such service")
    return calendar_response(
        request, classes_of(request, service), f"{studio.name}: {service.title} classes"
    )


@require_safe
def class_feed(request, pk):
    timetable_class = find_class(request, pk)
    return calendar_response(
        request, [timetable_class], timetable_class.name, filename=f"class-{timetable_class.pk}.ics"
    )
