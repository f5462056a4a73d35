"""Times as staff read them: in the studio's time zone (TIME_ZONE, America/New_York), with
the zone stated, in US format ("November 29, 2026, 11:05 a.m. EST").

Django converts times to the studio's zone in templates, but not values formatted in Python
or passed through filters that do not expect local times (Wagtail's inspect view uses
``|localize``), and spreadsheets get no zone at all; those go through here.
"""

import datetime

from django.utils import timezone
from django.utils.dateformat import format as date_format

STAFF_FORMAT = "F j, Y, g:i a T"
# Spreadsheets: what a US spreadsheet reads as a date and time; the heading names the zone.
SPREADSHEET_FORMAT = "%m/%d/%Y %I:%M %p"


def zone_name():
    return timezone.get_default_timezone_name()


def local(value):
    """An aware datetime in the studio's zone (a naive one is taken to be in it already)."""
    if timezone.is_naive(value):
        return value
    return timezone.localtime(value, timezone.get_default_timezone())


def staff_datetime(value):
    if value is None:
        return "-"
    return date_format(local(value), STAFF_FORMAT)


def spreadsheet_datetime(value):
    """For a CSV cell: the studio's local time, without the zone (named in the heading)."""
    return local(value).strftime(SPREADSHEET_FORMAT)


def naive_local(value):
    """For an XLSX cell (Excel has no time zones): the studio's wall-clock time."""
    return timezone.make_naive(value, timezone.get_default_timezone())


def is_datetime(value):
    return isinstance(value, datetime.datetime)
