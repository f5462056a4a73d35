"""Which classes run on which dates: the weekly rows expanded into dated occurrences.

Pure functions over the rows (classes with their prefetched cancellations, and the studio's
special days), so they run no query and callers (and tests) choose the dates and the moment.
Times are wall-clock times in the studio's time zone: a 6:00 pm class stays at 6:00 pm across
the changes to and from daylight saving time, its UTC time moves.
A closed special day cancels every class of its dates, with its label as the reason; a special
day with changed hours cancels nothing (staff cancel a class that no longer fits by hand).
"""

import datetime
from dataclasses import dataclass

from studio.hours import STUDIO_TIME_ZONE, at, format_date

ONE_DAY = datetime.timedelta(days=1)
# "Next classes" look this far ahead (a closure week still leaves classes to show).
UPCOMING_DAYS = 21


@dataclass(frozen=True)
class Occurrence:
    """One class on one date; ``cancelled_reason`` is None when it runs."""

    timetable_class: object
    date: datetime.date
    starts: datetime.datetime
    ends: datetime.datetime
    cancelled_reason: str | None = None

    @property
    def cancelled(self):
        return self.cancelled_reason is not None

    @property
    def date_text(self):
        """'Tuesday, December 1, 2026'."""
        return f"{format_date(self.date)}, {self.date.year}"


def closures(special_days, first_day, last_day):
    """{date: label} for the studio's closed special days between the two dates."""
    closed = {}
    for special in special_days:
        if not special.closed:
            continue
        day = max(special.start_date, first_day)
        end = min(special.end_date or special.start_date, last_day)
        while day <= end:
            closed.setdefault(day, special.label)
            day += ONE_DAY
    return closed


def closure_reason(label):
    return f"Studio closed: {label}" if label else "Studio closed"


def cancellation_reason(timetable_class, day, closed):
    """Why the class does not run on ``day``, or None: its own cancellation, then a closure."""
    row = timetable_class.cancellation_on(day)
    if row is not None:
        return row.reason or "Cancelled"
    if day in closed:
        return closure_reason(closed[day])
    return None


def occurrences(classes, first_day, last_day, special_days=()):
    """Every occurrence from ``first_day`` to ``last_day`` (inclusive), cancelled ones
    included, in order of start time."""
    classes = list(classes)
    closed = closures(special_days, first_day, last_day)
    result = []
    day = first_day
    while day <= last_day:
        for timetable_class in classes:
            if timetable_class.runs_on(day):
                result.append(
                    Occurrence(
                        timetable_class,
                        day,
                        at(day, timetable_class.start_time),
                        at(day, timetable_class.end_time),
                        cancellation_reason(timetable_class, day, closed),
                    )
                )
        day += ONE_DAY
    result.sort(key=lambda o: (o.starts, o.timetable_class.name, o.timetable_class.pk or 0))
    return result


def week_start(day):
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())


@dataclass
class Day:
    date: datetime.date
    occurrences: list
    is_today: bool = False

    @property
    def text(self):
        return format_date(self.date)


def week(classes, monday, special_days=(), today=None):
    """The seven days from ``monday``, each with its occurrences (possibly none)."""
    found = occurrences(classes, monday, monday + 6 * ONE_DAY, special_days)
    return [
        Day(
            monday + offset * ONE_DAY,
            [o for o in found if o.date == monday + offset * ONE_DAY],
            is_today=monday + offset * ONE_DAY == today,
        )
        for offset in range(7)
    ]


def upcoming(classes, now, special_days=(), limit=3, days=UPCOMING_DAYS):
    """The next ``limit`` occurrences that have not started at ``now`` (cancelled ones too,
    so visitors see why a usual class is not on)."""
    today = now.astimezone(STUDIO_TIME_ZONE).date()
    found = occurrences(classes, today, today + days * ONE_DAY, special_days)
    return [o for o in found if o.starts > now][:limit]


def next_running(classes, now, special_days=(), days=UPCOMING_DAYS):
    """The next occurrence that runs (not cancelled) and has not started, or None."""
    return next(
        (o for o in upcoming(classes, now, special_days, None, days) if not o.cancelled), None
    )


def valid_until(shown, now, fallback):
    """When a list of upcoming occurrences (taken at ``now``) changes: the first one starts."""
    starts = [o.starts for o in shown if o.starts > now]
    return min([*starts, fallback]) if starts else fallback
