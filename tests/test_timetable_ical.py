"""The timetable's iCalendar feeds, read back with a real parser (``icalendar``) the way a
calendar app subscribes to them: weekly events in America/New_York that keep their time across
daylight saving changes, cancellations and closures as EXDATEs, stable UIDs, CRLF and folding."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from dateutil.rrule import rrulestr
from icalendar import Calendar
from wagtail.models import Site

from studio.models import SpecialDay, TimetableClass
from studio.timetable import ical
from studio.timetable.models import ClassCancellation

NEW_YORK = ZoneInfo("America/New_York")


def feed(client, path):
    response = client.get(path)
    assert response.status_code == 200, path
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return response


def events(response):
    calendar = Calendar.from_ical(response.content)
    return calendar, {str(event["SUMMARY"]): event for event in calendar.walk("VEVENT")}


def exdates(event):
    values = event.get("EXDATE", [])
    values = values if isinstance(values, list) else [values]
    return sorted(dt.dt for value in values for dt in value.dts)


def expand(event, until):
    """The event's dates up to ``until`` as a calendar app computes them."""
    start = event.decoded("DTSTART")
    rule = rrulestr(event["RRULE"].to_ical().decode(), dtstart=start)
    skipped = set(exdates(event))
    return [moment for moment in rule.between(start, until, inc=True) if moment not in skipped]


@pytest.fixture
def mat_pilates(demo_site):
    """Mat Pilates (Tuesdays, 6 to 7 pm) from October 20, 2026, so the dates are known."""
    timetable_class = TimetableClass.objects.get(name="Mat Pilates")
    timetable_class.first_date = datetime.date(2026, 10, 20)
    timetable_class.save()
    return timetable_class


def test_the_feed_is_valid_icalendar_with_the_new_york_time_zone(client, demo_site):
    calendar, found = events(feed(client, "/schedule/calendar.ics"))
    assert str(calendar["VERSION"]) == "2.0" and calendar["PRODID"]
    zones = calendar.walk("VTIMEZONE")
    assert [str(zone["TZID"]) for zone in zones] == ["America/New_York"]
    assert {sub.name for sub in zones[0].subcomponents} == {"DAYLIGHT", "STANDARD"}
    assert set(found) == {
        "Mat Pilates (Pilates)",
        "Pilates for beginners (Pilates)",
        "Gentle yoga (Yoga)",
        "Flow yoga (Yoga)",
    }
    for event in found.values():
        assert event["RRULE"]["FREQ"] == ["WEEKLY"]
        assert event.decoded("DTSTART").tzinfo is not None
        assert event["DTSTART"].params["TZID"] == "America/New_York"
        assert "786 Enfield St" in str(event["LOCATION"])
    assert found["Mat Pilates (Pilates)"]["RRULE"]["BYDAY"] == ["TU"]


def test_lines_end_with_crlf_and_are_folded_at_75_octets(client, demo_site):
    mat = TimetableClass.objects.get(name="Mat Pilates")
    mat.note = "Bring a mat, water; and a towel — " + "é" * 120
    mat.name = "Mat Pilates, stretch; and breathe"
    mat.save()
    raw = feed(client, "/schedule/calendar.ics").content
    assert raw.endswith(b"\r\n")
    lines = raw.split(b"\r\n")[:-1]
    assert b"\n" not in b"".join(lines) and b"\r" not in b"".join(lines)
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long note was folded
    _, found = events(feed(client, "/schedule/calendar.ics"))
    event = found["Mat Pilates, stretch; and breathe (Pilates)"]
    assert mat.note in str(event["DESCRIPTION"])


def test_a_weekly_class_stays_at_6_pm_across_the_end_of_daylight_saving(client, mat_pilates):
    _, found = events(feed(client, "/schedule/calendar.ics"))
    dates = expand(found["Mat Pilates (Pilates)"], datetime.datetime(2026, 11, 11, tzinfo=NEW_YORK))
    assert [d.astimezone(NEW_YORK).strftime("%b %d %H:%M") for d in dates] == [
        "Oct 20 18:00",
        "Oct 27 18:00",
        "Nov 03 18:00",
        "Nov 10 18:00",
    ]
    # Daylight saving time ended on November 1: the same wall-clock time is an hour later in UTC.
    assert [d.astimezone(datetime.UTC).hour for d in dates] == [22, 22, 23, 23]


def test_cancelled_dates_and_closures_are_exdates(client, demo_site, mat_pilates):
    ClassCancellation.objects.create(
        timetable_class=mat_pilates, date=datetime.date(2026, 10, 27), reason="Trainer away"
    )
    SpecialDay.objects.create(
        studio=demo_site["studio"],
        label="Election day",
        start_date=datetime.date(2026, 11, 3),
        closed=True,
    )
    _, found = events(feed(client, "/schedule/calendar.ics"))
    event = found["Mat Pilates (Pilates)"]
    assert [d.astimezone(NEW_YORK).date().isoformat() for d in exdates(event)][:2] == [
        "2026-10-27",
        "2026-11-03",
    ]
    dates = expand(event, datetime.datetime(2026, 11, 11, tzinfo=NEW_YORK))
    assert [d.date().isoformat() for d in dates] == ["2026-10-20", "2026-11-10"]
    # The demo's Thursday class is not touched by a Tuesday closure.
    assert all(d.weekday() == 3 for d in exdates(found["Flow yoga (Yoga)"]))


def test_a_class_with_a_last_date_ends_there(client, mat_pilates):
    mat_pilates.last_date = datetime.date(2026, 11, 3)
    mat_pilates.save()
    _, found = events(feed(client, "/schedule/calendar.ics"))
    event = found["Mat Pilates (Pilates)"]
    until = event["RRULE"]["UNTIL"][0]
    assert until.tzinfo is not None  # RFC 5545: UNTIL in UTC with a TZID start
    dates = expand(event, datetime.datetime(2027, 1, 1, tzinfo=NEW_YORK))
    assert [d.date().isoformat() for d in dates] == ["2026-10-20", "2026-10-27", "2026-11-03"]


def test_uids_stay_the_same_when_a_class_is_edited(client, mat_pilates):
    _, before = events(feed(client, "/schedule/calendar.ics"))
    mat_pilates.start_time = datetime.time(18, 30)
    mat_pilates.end_time = datetime.time(19, 30)
    mat_pilates.save()
    _, after = events(feed(client, "/schedule/calendar.ics"))
    uid = str(before["Mat Pilates (Pilates)"]["UID"])
    assert uid == str(after["Mat Pilates (Pilates)"]["UID"])
    site = Site.objects.get(is_default_site=True)
    assert uid == f"timetable-class-{mat_pilates.pk}@{site.hostname}"
    assert len({str(event["UID"]) for event in after.values()}) == 4
    assert after["Mat Pilates (Pilates)"].decoded("DTSTART").time() == datetime.time(18, 30)


def test_one_feed_per_service_and_one_file_per_class(client, demo_site, mat_pilates):
    _, found = events(feed(client, "/schedule/services/yoga.ics"))
    assert set(found) == {"Gentle yoga (Yoga)", "Flow yoga (Yoga)"}
    response = feed(client, f"/schedule/classes/{mat_pilates.pk}.ics")
    assert response["Content-Disposition"] == f'attachment; filename="class-{mat_pilates.pk}.ics"'
    _, found = events(response)
    assert list(found) == ["Mat Pilates (Pilates)"]
    assert "private" in response["Cache-Control"] and "no-cache" in response["Cache-Control"]


@pytest.mark.parametrize(
    "path",
    ["/schedule/services/nope.ics", "/schedule/services/%00.ics", "/schedule/classes/999999.ics"],
)
def test_unknown_feeds_are_not_found(client, demo_site, path):
    assert client.get(path).status_code == 404


def test_an_empty_timetable_is_an_empty_valid_calendar(client, demo_site):
    TimetableClass.objects.all().delete()
    calendar, found = events(feed(client, "/schedule/calendar.ics"))
    assert found == {} and calendar.walk("VTIMEZONE")


def test_text_values_are_escaped_and_folding_keeps_characters_whole():
    assert ical.escape_text("a,b;c\\d\ne\x00") == "a\\,b\\;c\\\\d\\ne"
    folded = ical.fold("X:" + "é" * 80)
    assert all(len(line.encode()) <= 75 for line in folded.split("\r\n"))
    assert folded.replace("\r\n ", "") == "X:" + "é" * 80
