"""iCalendar (RFC 5545) feeds of the timetable, written by hand.

One VEVENT per class: its first date and times in America/New_York (with that zone's
VTIMEZONE, so Google, Apple and Outlook agree across daylight saving changes), a weekly RRULE
(with UNTIL for a class that ends), EXDATE for its cancelled dates and the studio's closures,
and a UID that stays the same for the life of the class, so a subscribed calendar updates the
event instead of adding another. Lines end with CRLF and are folded at 75 octets.

Written here rather than with a library: the output is a few fixed properties, and the one
library that writes iCalendar (``icalendar``) is then only a test dependency that parses it.
"""

import datetime

from studio.hours import STUDIO_TIME_ZONE, at

from .recurrence import ONE_DAY, closures

PRODUCT_ID = "-//EnFuse Fitness//Class timetable//EN"
TZID = "America/New_York"
# The zone's rules since 2007 (second Sunday of March, first Sunday of November, at 2 am).
VTIMEZONE = [
    "BEGIN:VTIMEZONE",
    f"TZID:{TZID}",
    f"X-LIC-LOCATION:{TZID}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:-0500",
    "TZOFFSETTO:-0400",
    "TZNAME:EDT",
    "DTSTART:20070311T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:-0400",
    "TZOFFSETTO:-0500",
    "TZNAME:EST",
    "DTSTART:20071104T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]
RRULE_DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
# Closures are listed as EXDATEs this far ahead of today for classes without a last date.
CLOSURE_HORIZON_DAYS = 400


def escape_text(value):
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon, comma and newlines escaped."""
    value = str(value).replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    value = value.replace("\r\n", "\\n").replace("\r", "\\n").replace("\n", "\\n")
    # Other control characters are not allowed in TEXT.
    return "".join(ch for ch in value if ch == "\t" or ord(ch) >= 32 and ord(ch) != 127)


def fold(line):
    """The line split into CRLF-joined pieces of at most 75 octets, continuations starting
    with a space; never inside a UTF-8 character."""
    pieces, current, size, limit = [], [], 0, 75
    for ch in line:
        width = len(ch.encode("utf-8"))
        if size + width > limit:
            pieces.append("".join(current))
            current, size, limit = [], 0, 74
        current.append(ch)
        size += width
    pieces.append("".join(current))
    return "\r\n ".join(pieces)


def local_text(moment):
    return moment.strftime("%Y%m%dT%H%M%S")


def utc_text(moment):
    return moment.astimezone(datetime.UTC).strftime("%Y%m%dT%H%M%SZ")


def first_occurrence(timetable_class):
    """The series' first date: its first date, else the first matching day on or after the
    day it was added (fixed, so DTSTART does not move from one download to the next)."""
    start = timetable_class.first_date
    if start is None:
        created = timetable_class.created_at or datetime.datetime.now(datetime.UTC)
        start = created.astimezone(STUDIO_TIME_ZONE).date()
    return start + datetime.timedelta(days=(timetable_class.weekday - start.weekday()) % 7)


def excluded_dates(timetable_class, first, last, special_days):
    """Dates of the series that do not run: its cancellations and the studio's closures."""
    dates = {row.date for row in timetable_class.cancellations.all()}
    dates |= set(closures(special_days, first, last))
    return sorted(day for day in dates if first <= day <= last and timetable_class.runs_on(day))


def event_lines(timetable_class, *, uid_domain, url, location, special_days, today):
    first = first_occurrence(timetable_class)
    if timetable_class.last_date is not None and timetable_class.last_date < first:
        return []  # A series with no date at all: nothing to subscribe to.
    last = timetable_class.last_date or today + CLOSURE_HORIZON_DAYS * ONE_DAY
    start = at(first, timetable_class.start_time)
    end = at(first, timetable_class.end_time)
    rrule = f"RRULE:FREQ=WEEKLY;BYDAY={RRULE_DAYS[timetable_class.weekday]}"
    if timetable_class.last_date is not None:
        rrule += f";UNTIL={utc_text(at(timetable_class.last_date, timetable_class.start_time))}"
    stamp = timetable_class.updated_at or datetime.datetime.now(datetime.UTC)
    summary = timetable_class.name
    if timetable_class.service is not None:
        summary = f"{summary} ({timetable_class.service.title})"
    description = [f"Level: {timetable_class.level_name}"]
    if timetable_class.trainer is not None:
        description.append(f"With {timetable_class.trainer.name}")
    if timetable_class.note:
        description.append(timetable_class.note)
    description.append(f"Ask for a spot: {url}")
    lines = [
        "BEGIN:VEVENT",
        f"UID:timetable-class-{timetable_class.pk}@{uid_domain}",
        f"DTSTAMP:{utc_text(stamp)}",
        f"LAST-MODIFIED:{utc_text(stamp)}",
        f"DTSTART;TZID={TZID}:{local_text(start)}",
        f"DTEND;TZID={TZID}:{local_text(end)}",
        rrule,
    ]
    for day in excluded_dates(timetable_class, first, last, special_days):
        lines.append(f"EXDATE;TZID={TZID}:{local_text(at(day, timetable_class.start_time))}")
    place = ", ".join(part for part in (timetable_class.place, location) if part)
    lines += [
        f"SUMMARY:{escape_text(summary)}",
        f"DESCRIPTION:{escape_text(chr(10).join(description))}",
        f"LOCATION:{escape_text(place)}",
        f"URL:{url}",
        "STATUS:CONFIRMED",
        "TRANSP:OPAQUE",
        "END:VEVENT",
    ]
    return lines


def calendar(classes, *, name, uid_domain, url_of, location, special_days, today):
    """The feed as text: ``url_of(timetable_class)`` gives each class's page address."""
    special_days = list(special_days)
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODUCT_ID}",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(name)}",
        f"X-WR-TIMEZONE:{TZID}",
        # Calendar apps refresh a subscription about this often (Outlook and Apple read it).
        "REFRESH-INTERVAL;VALUE=DURATION:PT12H",
        "X-PUBLISHED-TTL:PT12H",
        *VTIMEZONE,
    ]
    for timetable_class in classes:
        lines += event_lines(
            timetable_class,
            uid_domain=uid_domain,
            url=url_of(timetable_class),
            location=location,
            special_days=special_days,
            today=today,
        )
    lines.append("END:VCALENDAR")
    return "".join(fold(line) + "\r\n" for line in lines)
