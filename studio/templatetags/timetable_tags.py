"""Template tags of the class timetable: "Next classes" on a service page, the next class on
the home page, and where "Ask for a spot" leads."""

import datetime

from django import template
from django.urls import reverse

from enfuse.caching.page_cache import limit_lifetime
from studio import hours
from studio.contact import links as contact
from studio.hours import STUDIO_TIME_ZONE, at
from studio.timetable import recurrence
from studio.timetable.listing import classes_of, live_classes
from studio.timetable.structured_data import events_script

from .studio_tags import studio_settings

register = template.Library()


def next_midnight(now):
    """The next midnight, studio time, when "today" and the 21 days looked at move on."""
    return at(now.astimezone(STUDIO_TIME_ZONE).date() + recurrence.ONE_DAY, datetime.time(0))


def upcoming_for(context, service=None, limit=3):
    """The next ``limit`` occurrences (of ``service``'s classes), computed once per request;
    the page is kept until the first of them starts (or midnight)."""
    request = context.get("request")
    studio = studio_settings(context)
    now = hours.current_time()
    classes = live_classes(request) if service is None else classes_of(request, service)
    shown = recurrence.upcoming(classes, now, studio.special_days.all(), limit=limit)
    limit_lifetime(request, recurrence.valid_until(shown, now, next_midnight(now)))
    return studio, shown


@register.inclusion_tag("includes/next_classes.html", takes_context=True)
def next_classes(context, service, limit=3):
    """The service's next classes, cancelled ones with their reason."""
    request = context.get("request")
    studio, shown = upcoming_for(context, service, limit)
    return {
        "request": request,
        "studio": studio,
        "service": service,
        "occurrences": shown,
        "schedule_url": reverse("schedule") + f"?service={service.slug}",
        "feed_url": reverse("schedule_service_feed", args=[service.slug]),
        "events_json_ld": events_script(shown, request, studio) if request else "",
    }


@register.inclusion_tag("includes/next_class.html", takes_context=True)
def next_class(context):
    """The very next class that runs, for the home page (nothing without a timetable)."""
    request = context.get("request")
    studio, shown = upcoming_for(context, None, limit=None)
    running = next((o for o in shown if not o.cancelled), None)
    return {"request": request, "studio": studio, "occurrence": running}


@register.simple_tag(takes_context=True)
def ask_for_spot_url(context, timetable_class):
    """The contact form with the class (and its service) chosen, or an email naming it."""
    return contact.contact_href(
        context.get("request"), studio_settings(context), timetable_class=timetable_class
    )
