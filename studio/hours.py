"""Opening hours: which periods apply on a date, and whether the studio is open at a moment.

Pure functions over the rows staff enter in the studio settings (weekly rows with a weekday,
opening and closing times or "closed"; special days with a date range, a label and either
"closed" or changed hours). They take the moment as an argument, so callers (and tests) decide
what "now" is; the studio's own time zone is used whatever the server's is.
"""

import datetime
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from django.utils import timezone

# The studio is in Enfield, Connecticut: hours are wall-clock times there.
STUDIO_TIME_ZONE = ZoneInfo("America/New_York")

WEEKDAYS = [
    (0, "Monday"),
    (1, "Tuesday"),
    (2, "Wednesday"),
    (3, "Thursday"),
    (4, "Friday"),
    (5, "Saturday"),
    (6, "Sunday"),
]
WEEKDAY_NAMES = dict(WEEKDAYS)
# How far ahead to look for the next opening (a long closure for renovation still resolves).
SEARCH_DAYS = 400
# Special days shown in the hours listing when they start within this many days.
UPCOMING_DAYS = 60


def current_time():
    """The moment to compute the status for; a function so tests can replace it."""
    return timezone.now()


def format_time(value):
    """'6:00 am', '12:30 pm': the way the studio's clients read times."""
    hour = value.hour % 12 or 12
    return f"{hour}:{value.minute:02d} {'am' if value.hour < 12 else 'pm'}"


def format_moment(value):
    """'November 29, 2026, 2:30 pm': the one date-and-time style of the site, emails and admin."""
    return f"{value:%B} {value.day}, {value.year}, {format_time(value)}"


def format_date(value):
    """'Thursday, November 26'."""
    return f"{WEEKDAY_NAMES[value.weekday()]}, {value:%B} {value.day}"


@dataclass(frozen=True)
class Period:
    """One stretch of opening on one day, e.g. 6:00 am to 12:00 pm."""

    opens: datetime.time
    closes: datetime.time

    def __str__(self):
        return f"{format_time(self.opens)} – {format_time(self.closes)}"


def periods_text(periods):
    return ", ".join(str(period) for period in periods) if periods else "Closed"


def weekly_periods(rows):
    """{weekday: [Period, ...]} from the weekly rows; a day with no open row is closed."""
    week = {day: [] for day, _ in WEEKDAYS}
    for row in rows:
        if row.closed or row.opens is None or row.closes is None:
            continue
        week[row.weekday].append(Period(row.opens, row.closes))
    return {day: merged(periods) for day, periods in week.items()}


def merged(periods):
    """Periods sorted by opening time, with touching or overlapping ones joined into one."""
    result = []
    for period in sorted(periods, key=lambda period: period.opens):
        if result and period.opens <= result[-1].closes:
            last = result.pop()
            period = Period(last.opens, max(last.closes, period.closes))
        result.append(period)
    return result


def special_day_for(day, special_days):
    """The first special day (in the order staff listed them) covering ``day``, or None."""
    for special in special_days:
        end = special.end_date or special.start_date
        if special.start_date <= day <= end:
            return special
    return None


def special_periods(special):
    if special.closed or special.opens is None or special.closes is None:
        return []
    return [Period(special.opens, special.closes)]


@dataclass
class DaySchedule:
    """The periods that apply on one date, and the special day that changed them, if any."""

    date: datetime.date
    periods: list
    special: object = None

    @property
    def text(self):
        return periods_text(self.periods)


def schedule_for(day, week, special_days):
    special = special_day_for(day, special_days)
    if special is not None:
        return DaySchedule(day, special_periods(special), special)
    return DaySchedule(day, week[day.weekday()])


def at(day, time):
    """A wall-clock time on a date in the studio's time zone, as an aware datetime."""
    return datetime.datetime.combine(day, time, tzinfo=STUDIO_TIME_ZONE)


@dataclass
class OpeningStatus:
    """Whether the studio is open at a moment, and when it closes or next opens."""

    now: datetime.datetime
    today: DaySchedule
    is_open: bool = False
    closes_at: datetime.datetime | None = None
    next_opening: datetime.datetime | None = None
    has_hours: bool = True

    @property
    def valid_until(self):
        """When what is shown for ``now`` next changes: opening, closing, or local midnight
        (when 'today' and 'tomorrow' move on). Pages showing the status may be cached until then.
        """
        midnight = at(self.now.date() + datetime.timedelta(days=1), datetime.time(0, 0))
        change = at(self.now.date(), self.closes_at) if self.is_open else self.next_opening
        return min(midnight, change) if change is not None and change > self.now else midnight

    @property
    def short_text(self):
        """'Open now' or 'Closed': the header's word, with ``text`` for screen readers."""
        return "Open now" if self.is_open else "Closed"

    @property
    def text(self):
        """'Open now, until 8:00 pm' or 'Closed, opens at 6:00 am tomorrow'."""
        if self.is_open:
            return f"Open now, until {format_time(self.closes_at)}"
        if not self.has_hours:
            return "Closed: please call us for opening times"
        closed = "Closed"
        special = self.today.special
        if special is not None and not self.today.periods:
            closed = f"Closed today for {special.label}" if special.label else "Closed today"
        if self.next_opening is None:
            return f"{closed}: please call us for opening times"
        return f"{closed}, opens at {format_time(self.next_opening)} {self.when_text()}"

    def when_text(self):
        day = self.next_opening.date()
        today = self.now.date()
        if day == today:
            return "today"
        if day == today + datetime.timedelta(days=1):
            return "tomorrow"
        if day < today + datetime.timedelta(days=7):
            return f"on {WEEKDAY_NAMES[day.weekday()]}"
        return f"on {format_date(day)}"


def opening_status(now, rows, special_days):
    """The studio's status at ``now`` (any aware datetime), read in the studio's time zone."""
    now = now.astimezone(STUDIO_TIME_ZONE)
    week = weekly_periods(rows)
    special_days = list(special_days)
    today = schedule_for(now.date(), week, special_days)
    status = OpeningStatus(now=now, today=today)
    if not any(week.values()) and not any(special_periods(s) for s in special_days):
        status.has_hours = False
        return status
    for period in today.periods:
        if at(now.date(), period.opens) <= now < at(now.date(), period.closes):
            status.is_open = True
            status.closes_at = period.closes
            return status
    for offset in range(SEARCH_DAYS):
        day = now.date() + datetime.timedelta(days=offset)
        schedule = today if offset == 0 else schedule_for(day, week, special_days)
        for period in schedule.periods:
            opening = at(day, period.opens)
            if opening > now:
                status.next_opening = opening
                return status
    return status


@dataclass
class WeekdayHours:
    """One row of the regular week's table."""

    weekday: int
    name: str
    periods: list
    is_today: bool = False

    @property
    def text(self):
        return periods_text(self.periods)


@dataclass
class StudioHours:
    """Everything the header, footer and home page show about opening hours, for one moment."""

    status: OpeningStatus
    week: list = field(default_factory=list)
    upcoming_special_days: list = field(default_factory=list)

    @property
    def today(self):
        return self.status.today


def studio_hours(now, rows, special_days):
    rows = list(rows)
    special_days = list(special_days)
    status = opening_status(now, rows, special_days)
    today = status.now.date()
    week = weekly_periods(rows)
    horizon = today + datetime.timedelta(days=UPCOMING_DAYS)
    upcoming = sorted(
        (
            special
            for special in special_days
            if (special.end_date or special.start_date) >= today and special.start_date <= horizon
        ),
        key=lambda special: special.start_date,
    )
    return StudioHours(
        status=status,
        week=[
            WeekdayHours(day, name, week[day], is_today=day == today.weekday())
            for day, name in WEEKDAYS
        ],
        upcoming_special_days=upcoming,
    )
