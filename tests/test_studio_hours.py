"""Open now / closed, opens at …: computed in America/New_York, with special days.

Each test passes the moment to the function, so nothing depends on the clock or the server's
time zone. The week used: Mon–Fri 6 am–8 pm, Sat 8 am–2 pm, Sun closed (the demo's placeholders).
"""

import datetime
from zoneinfo import ZoneInfo

import pytest

from studio import hours
from studio.models import OpeningHours, SpecialDay

NEW_YORK = ZoneInfo("America/New_York")
UTC = datetime.UTC


def week():
    rows = [
        OpeningHours(weekday=day, opens=datetime.time(6), closes=datetime.time(20))
        for day in range(5)
    ]
    rows.append(OpeningHours(weekday=5, opens=datetime.time(8), closes=datetime.time(14)))
    rows.append(OpeningHours(weekday=6, closed=True))
    return rows


def ny(*args):
    return datetime.datetime(*args, tzinfo=NEW_YORK)


def closed_day(label, start, end=None):
    return SpecialDay(label=label, start_date=start, end_date=end, closed=True)


def status(now, rows=None, special_days=()):
    return hours.opening_status(now, week() if rows is None else rows, special_days)


# Tuesday 24 November 2026 and the days around it.


def test_open_during_the_day_says_until_when():
    result = status(ny(2026, 11, 24, 10, 15))
    assert result.is_open
    assert result.text == "Open now, until 8:00 pm"


def test_before_opening_says_it_opens_today():
    result = status(ny(2026, 11, 24, 5, 30))
    assert not result.is_open
    assert result.text == "Closed, opens at 6:00 am today"


def test_closing_time_itself_is_closed():
    result = status(ny(2026, 11, 24, 20, 0))
    assert not result.is_open
    assert result.text == "Closed, opens at 6:00 am tomorrow"


def test_saturday_evening_skips_the_closed_sunday():
    result = status(ny(2026, 11, 28, 15, 0))
    assert result.next_opening == ny(2026, 11, 30, 6, 0)
    assert result.text == "Closed, opens at 6:00 am on Monday"


def test_read_in_new_york_not_utc():
    # 00:30 UTC on Wednesday is 7:30 pm on Tuesday in Enfield: open for another half hour.
    result = status(datetime.datetime(2026, 11, 25, 0, 30, tzinfo=UTC))
    assert result.is_open
    assert result.text == "Open now, until 8:00 pm"
    assert result.today.date == datetime.date(2026, 11, 24)


@pytest.mark.parametrize(
    ("utc_moment", "is_open"),
    [
        # Summer: New York is UTC-4. 23:30 UTC is 7:30 pm, 00:30 UTC is 8:30 pm.
        (datetime.datetime(2026, 7, 7, 23, 30, tzinfo=UTC), True),
        (datetime.datetime(2026, 7, 8, 0, 30, tzinfo=UTC), False),
        # Winter: New York is UTC-5. 00:30 UTC is 7:30 pm, 01:30 UTC is 8:30 pm.
        (datetime.datetime(2026, 1, 7, 0, 30, tzinfo=UTC), True),
        (datetime.datetime(2026, 1, 7, 1, 30, tzinfo=UTC), False),
    ],
)
def test_daylight_saving_time_is_followed(utc_moment, is_open):
    assert status(utc_moment).is_open is is_open


def test_a_closed_special_day_overrides_the_week():
    thanksgiving = closed_day("Thanksgiving", datetime.date(2026, 11, 26))
    result = status(ny(2026, 11, 26, 10, 0), special_days=[thanksgiving])
    assert not result.is_open
    assert result.today.special is thanksgiving
    assert result.text == "Closed today for Thanksgiving, opens at 6:00 am tomorrow"


def test_the_day_before_a_closed_special_day_looks_past_it():
    thanksgiving = closed_day("Thanksgiving", datetime.date(2026, 11, 26))
    result = status(ny(2026, 11, 25, 21, 0), special_days=[thanksgiving])
    assert result.next_opening == ny(2026, 11, 27, 6, 0)
    assert result.text == "Closed, opens at 6:00 am on Friday"


def test_changed_hours_on_a_special_day():
    christmas_eve = SpecialDay(
        label="Christmas Eve",
        start_date=datetime.date(2026, 12, 24),
        closed=False,
        opens=datetime.time(8),
        closes=datetime.time(12),
    )
    christmas = closed_day("Christmas Day", datetime.date(2026, 12, 25))
    specials = [christmas_eve, christmas]
    assert status(ny(2026, 12, 24, 7, 0), special_days=specials).text == (
        "Closed, opens at 8:00 am today"
    )
    assert status(ny(2026, 12, 24, 11, 0), special_days=specials).text == (
        "Open now, until 12:00 pm"
    )
    after = status(ny(2026, 12, 24, 13, 0), special_days=specials)
    assert not after.is_open
    # Christmas Day (Friday) is closed: the next opening is Saturday's 8 am.
    assert after.text == "Closed, opens at 8:00 am on Saturday"


def test_a_long_closure_names_the_reopening_date():
    renovation = closed_day("Renovation", datetime.date(2026, 12, 28), datetime.date(2027, 1, 10))
    result = status(ny(2026, 12, 28, 9, 0), special_days=[renovation])
    assert result.next_opening == ny(2027, 1, 11, 6, 0)
    assert result.text == "Closed today for Renovation, opens at 6:00 am on Monday, January 11"


def test_first_listed_special_day_wins_when_two_cover_a_date():
    first = closed_day("Staff training", datetime.date(2026, 11, 24))
    second = SpecialDay(
        label="Late opening",
        start_date=datetime.date(2026, 11, 23),
        end_date=datetime.date(2026, 11, 27),
        closed=False,
        opens=datetime.time(10),
        closes=datetime.time(18),
    )
    assert not status(ny(2026, 11, 24, 12, 0), special_days=[first, second]).is_open
    assert status(ny(2026, 11, 24, 12, 0), special_days=[second, first]).is_open


def test_a_day_with_a_break():
    rows = [
        OpeningHours(weekday=0, opens=datetime.time(6), closes=datetime.time(12)),
        OpeningHours(weekday=0, opens=datetime.time(16), closes=datetime.time(20)),
    ]
    assert status(ny(2026, 11, 23, 13, 0), rows).text == "Closed, opens at 4:00 pm today"
    assert status(ny(2026, 11, 23, 17, 0), rows).text == "Open now, until 8:00 pm"


def test_touching_rows_read_as_one_opening():
    rows = [
        OpeningHours(weekday=0, opens=datetime.time(6), closes=datetime.time(12)),
        OpeningHours(weekday=0, opens=datetime.time(12), closes=datetime.time(20)),
    ]
    assert status(ny(2026, 11, 23, 11, 0), rows).text == "Open now, until 8:00 pm"


def test_no_hours_at_all_asks_visitors_to_call():
    result = status(ny(2026, 11, 24, 10, 0), rows=[])
    assert not result.is_open
    assert result.text == "Closed: please call us for opening times"


def test_week_listing_marks_today_and_lists_upcoming_special_days():
    specials = [
        closed_day("Last year", datetime.date(2025, 12, 25)),
        closed_day("Christmas Day", datetime.date(2026, 12, 25)),
        closed_day("Thanksgiving", datetime.date(2026, 11, 26)),
        closed_day("Far away", datetime.date(2027, 7, 4)),
    ]
    # 02:00 UTC on Wednesday is still Tuesday in New York.
    result = hours.studio_hours(datetime.datetime(2026, 11, 25, 2, 0, tzinfo=UTC), week(), specials)
    assert [day.name for day in result.week][:2] == ["Monday", "Tuesday"]
    assert [day.name for day in result.week if day.is_today] == ["Tuesday"]
    assert result.week[1].text == "6:00 am – 8:00 pm"
    assert result.week[5].text == "8:00 am – 2:00 pm"
    assert result.week[6].text == "Closed"
    assert [special.label for special in result.upcoming_special_days] == [
        "Thanksgiving",
        "Christmas Day",
    ]


def test_times_read_the_way_clients_read_them():
    assert hours.format_time(datetime.time(0, 0)) == "12:00 am"
    assert hours.format_time(datetime.time(6, 5)) == "6:05 am"
    assert hours.format_time(datetime.time(12, 0)) == "12:00 pm"
    assert hours.format_time(datetime.time(20, 30)) == "8:30 pm"
