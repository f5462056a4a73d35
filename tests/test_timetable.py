"""The class timetable: its dates (across daylight saving changes, closures and cancelled
dates), /schedule/ and a class's page, the admin for staff, and query counts."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from enfuse.caching.version import bump
from studio.models import SpecialDay, TimetableClass
from studio.timetable import recurrence
from studio.timetable.models import ClassCancellation
from tests.support import json_ld_blocks, logged_in, make_editor, make_moderator, make_staff

NEW_YORK = ZoneInfo("America/New_York")
UTC = datetime.UTC


def weekly(weekday=1, start=(18, 0), end=(19, 0), cancelled=(), **fields):
    """An unsaved class (with its cancelled dates) for the pure recurrence functions."""
    timetable_class = TimetableClass(
        pk=fields.pop("pk", 1),
        name=fields.pop("name", "Mat Pilates"),
        weekday=weekday,
        start_time=datetime.time(*start),
        end_time=datetime.time(*end),
        **fields,
    )
    timetable_class.cancellations = [
        ClassCancellation(date=date, reason=reason) for date, reason in cancelled
    ]
    return timetable_class


def events_of(html):
    """The schema.org Events in a page's JSON-LD (the timetable lists them in an @graph)."""
    return [
        item
        for block in json_ld_blocks(html)
        for item in block.get("@graph", [block])
        if item.get("@type") == "Event"
    ]


def closed_on(start, label="Thanksgiving", end=None):
    return SpecialDay(label=label, start_date=start, end_date=end, closed=True)


# --- Recurrence ------------------------------------------------------------------------------


def test_a_weekly_class_keeps_its_wall_clock_time_across_the_autumn_change():
    # Daylight saving time ends on Sunday, November 1, 2026.
    found = recurrence.occurrences(
        [weekly(weekday=1)], datetime.date(2026, 10, 26), datetime.date(2026, 11, 8)
    )
    assert [o.date for o in found] == [datetime.date(2026, 10, 27), datetime.date(2026, 11, 3)]
    assert [o.starts.astimezone(NEW_YORK).time() for o in found] == [datetime.time(18)] * 2
    assert [o.starts.astimezone(UTC).hour for o in found] == [22, 23]
    assert [(o.ends - o.starts) for o in found] == [datetime.timedelta(hours=1)] * 2


def test_a_weekly_class_keeps_its_wall_clock_time_across_the_spring_change():
    # Daylight saving time starts on Sunday, March 8, 2026, at 2 am.
    found = recurrence.occurrences(
        [weekly(weekday=0, start=(7, 0), end=(8, 0))],
        datetime.date(2026, 3, 1),
        datetime.date(2026, 3, 16),
    )
    assert [o.starts.astimezone(UTC).hour for o in found] == [12, 11, 11]


def test_a_closed_special_day_cancels_that_days_classes_with_its_reason():
    classes = [weekly(weekday=3, pk=1), weekly(weekday=3, pk=2, name="Flow yoga")]
    thanksgiving = datetime.date(2026, 11, 26)
    found = recurrence.occurrences(
        classes, thanksgiving, thanksgiving, [closed_on(thanksgiving, "Thanksgiving")]
    )
    assert len(found) == 2
    assert all(o.cancelled_reason == "Studio closed: Thanksgiving" for o in found)


def test_a_closure_over_several_days_and_changed_hours():
    changed = SpecialDay(
        label="Short day",
        start_date=datetime.date(2026, 12, 1),
        closed=False,
        opens=datetime.time(8),
        closes=datetime.time(12),
    )
    closure = closed_on(datetime.date(2026, 12, 7), "Renovation", end=datetime.date(2026, 12, 9))
    found = recurrence.occurrences(
        [weekly(weekday=1)],
        datetime.date(2026, 11, 30),
        datetime.date(2026, 12, 16),
        [changed, closure],
    )
    assert [(o.date.day, o.cancelled_reason) for o in found] == [
        (1, None),
        (8, "Studio closed: Renovation"),
        (15, None),
    ]


def test_cancelled_dates_and_first_and_last_dates():
    timetable_class = weekly(
        weekday=1,
        first_date=datetime.date(2026, 12, 8),
        last_date=datetime.date(2026, 12, 29),
        cancelled=[
            (datetime.date(2026, 12, 22), "Trainer away"),
            (datetime.date(2026, 12, 29), ""),
        ],
    )
    found = recurrence.occurrences(
        [timetable_class], datetime.date(2026, 12, 1), datetime.date(2027, 1, 31)
    )
    assert [(o.date.day, o.cancelled_reason) for o in found] == [
        (8, None),
        (15, None),
        (22, "Trainer away"),
        (29, "Cancelled"),
    ]


def test_upcoming_skips_started_classes_and_next_running_skips_cancelled_ones():
    classes = [weekly(weekday=1, cancelled=[(datetime.date(2026, 12, 8), "Away")])]
    now = datetime.datetime(2026, 12, 1, 18, 30, tzinfo=NEW_YORK)
    shown = recurrence.upcoming(classes, now, limit=2)
    assert [o.date.day for o in shown] == [8, 15]
    assert shown[0].cancelled
    assert recurrence.next_running(classes, now).date.day == 15
    assert recurrence.valid_until(shown, now, now + datetime.timedelta(days=30)) == shown[0].starts


# --- The schedule page -----------------------------------------------------------------------

# Tuesday, December 1, 2026, 10 am in Enfield.
NOW = datetime.datetime(2026, 12, 1, 10, 0, tzinfo=NEW_YORK)


@pytest.fixture
def studio_now(monkeypatch):
    monkeypatch.setattr("studio.hours.current_time", lambda: NOW)
    return NOW


def test_schedule_lists_the_week_by_day_and_is_not_cached(client, demo_site, studio_now):
    response = client.get("/schedule/")
    assert response.status_code == 200
    html = response.content.decode().split("<main", 1)[1]
    assert 'Tuesday, December 1 <span class="schedule-day__today">(today)' in html
    assert "Mat Pilates" in html and "Gentle yoga" in html
    assert html.index("Monday, November 30") < html.index("Gentle yoga")
    assert html.index("Gentle yoga") < html.index("Tuesday, December 1")
    assert "Week of November 30, 2026" in html
    assert "6:00 pm – 7:00 pm" in html
    assert "no-cache" in response["Cache-Control"] and "private" in response["Cache-Control"]
    events = events_of(response.content.decode())
    assert len(events) == html.count('<li class="class-item') == 4
    assert events[0]["location"]["address"]["addressLocality"] == "Enfield"


def test_schedule_next_week_and_filters_are_plain_links(client, demo_site, studio_now):
    html = client.get("/schedule/?week=next&service=yoga").content.decode()
    assert "Week of December 7, 2026" in html
    assert "Gentle yoga" in html and "Mat Pilates" not in html
    assert 'href="/schedule/?week=next&amp;service=pilates"' in html
    html = client.get("/schedule/?level=beginner").content.decode()
    assert "Pilates for beginners" in html and "Gentle yoga" not in html


@pytest.mark.parametrize(
    "query", ["week=someday", "service=nope", "level=expert", "service=nope&level=x"]
)
def test_schedule_bad_filters_say_so_and_show_everything(client, demo_site, studio_now, query):
    response = client.get(f"/schedule/?{query}")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="filter-note" role="status"' in html
    assert "Mat Pilates" in html and "Gentle yoga" in html


def test_a_closure_shows_on_the_schedule_with_its_reason(client, demo_site, studio_now):
    SpecialDay.objects.create(
        studio=demo_site["studio"], label="Staff training", start_date=datetime.date(2026, 12, 3)
    )
    html = client.get("/schedule/").content.decode()
    assert "Cancelled: Studio closed: Staff training" in html
    assert html.count('class="class-item__status"') == 1  # Thursday's Flow yoga only


def test_an_empty_timetable_asks_to_call_or_write(client, demo_site, studio_now):
    TimetableClass.objects.all().delete()
    html = client.get("/schedule/").content.decode()
    assert "for times" in html and demo_site["studio"].phone in html
    assert 'class="class-list"' not in html


def test_a_class_page_lists_its_next_dates_and_how_to_join(client, demo_site, studio_now):
    mat = TimetableClass.objects.get(name="Mat Pilates")
    ClassCancellation.objects.create(
        timetable_class=mat, date=datetime.date(2026, 12, 8), reason="Trainer away"
    )
    response = client.get(f"/schedule/classes/{mat.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tuesday, December 1, 2026" in html
    assert "cancelled (Trainer away)" in html
    assert f"/contact/?service=pilates&amp;class={mat.pk}" in html
    assert f'href="/schedule/classes/{mat.pk}.ics"' in html
    events = events_of(html)
    statuses = [event["eventStatus"] for event in events]
    assert "https://schema.org/EventCancelled" in statuses
    assert events[0]["startDate"] == "2026-12-01T18:00:00-05:00"


@pytest.mark.parametrize("path", ["999999/", "99999999999999999999999999/", "abc/"])
def test_an_unknown_class_is_not_found(client, demo_site, path):
    assert client.get(f"/schedule/classes/{path}").status_code == 404


def test_service_page_shows_its_next_classes(client, demo_site, studio_now):
    html = client.get(demo_site["pilates"].url).content.decode()
    assert "Next Pilates classes" in html
    assert html.index("Mat Pilates") < html.index("Pilates for beginners")
    assert "Gentle yoga" not in html
    assert "/schedule/services/pilates.ics" in html


def test_home_page_shows_the_next_class(client, demo_site, studio_now):
    html = client.get("/").content.decode()
    # At 10 am on Tuesday, December 1, the next class is that evening's Mat Pilates.
    assert 'id="next-class-heading"' in html
    section = html[html.index('id="next-class-heading"') :]
    assert "Mat Pilates" in section[:600] and "Tuesday, December 1, 2026" in section[:600]


def test_the_next_class_moves_on_once_it_starts(client, demo_site, monkeypatch):
    later = datetime.datetime(2026, 12, 1, 18, 5, tzinfo=NEW_YORK)
    monkeypatch.setattr("studio.hours.current_time", lambda: later)
    section = client.get("/").content.decode().split('id="next-class-heading"')[1][:600]
    assert "Flow yoga" in section and "Thursday, December 3, 2026" in section


def test_the_page_cache_keeps_a_service_page_only_until_its_next_class(rf, demo_site, studio_now):
    from django.contrib.auth.models import AnonymousUser
    from django.template.response import TemplateResponse

    request = rf.get(demo_site["pilates"].url)
    request.user = AnonymousUser()
    response = demo_site["pilates"].serve(request)
    if isinstance(response, TemplateResponse):
        response.render()
    assert request.content_valid_until <= datetime.datetime(2026, 12, 1, 18, tzinfo=NEW_YORK)


def add_classes(service, count):
    TimetableClass.objects.bulk_create(
        TimetableClass(
            name=f"Extra {number}",
            service=service,
            weekday=number % 7,
            start_time=datetime.time(6 + number % 12),
            end_time=datetime.time(7 + number % 12),
        )
        for number in range(count)
    )
    for timetable_class in TimetableClass.objects.filter(name__startswith="Extra"):
        ClassCancellation.objects.create(
            timetable_class=timetable_class, date=datetime.date(2026, 12, 2)
        )


def queries_after_a_change(client, path):
    """The queries of the first view after content changed (nothing kept from before)."""
    client.get(path)  # what is made once per process (URL resolvers, the site's root)
    bump()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "path", ["/schedule/", "/schedule/?week=next&level=all", "/schedule/calendar.ics", "/"]
)
def test_query_counts_do_not_grow_with_the_number_of_classes(client, demo_site, studio_now, path):
    before = queries_after_a_change(client, path)
    add_classes(demo_site["pilates"], 30)
    assert queries_after_a_change(client, path) == before


def test_service_page_query_count_does_not_grow(client, demo_site, studio_now):
    path = demo_site["pilates"].url
    before = queries_after_a_change(client, path)
    add_classes(demo_site["pilates"], 30)
    assert queries_after_a_change(client, path) == before


# --- The admin -------------------------------------------------------------------------------

ADD_URL = "/admin/snippets/studio/timetableclass/add/"


def class_form_data(service_page, **changes):
    data = {
        "name": "Evening stretch",
        "service": service_page.pk,
        "trainer": "",
        "weekday": "2",
        "start_time": "19:00",
        "end_time": "19:45",
        "level": "all",
        "place": "Main studio floor",
        "note": "Bring water",
        "first_date": "",
        "last_date": "",
        "cancellations-TOTAL_FORMS": "1",
        "cancellations-INITIAL_FORMS": "0",
        "cancellations-MIN_NUM_FORMS": "0",
        "cancellations-MAX_NUM_FORMS": "1000",
        "cancellations-0-date": "2026-12-23",
        "cancellations-0-reason": "Holiday week",
        "cancellations-0-ORDER": "1",
        "cancellations-0-id": "",
        "cancellations-0-DELETE": "",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("make_user", [make_editor, make_moderator])
def test_staff_add_a_class_with_a_cancelled_date(client, demo_site, make_user):
    logged_in(client, make_user())
    assert client.get("/admin/snippets/studio/timetableclass/").status_code == 200
    response = client.post(ADD_URL, class_form_data(demo_site["pilates"]))
    assert response.status_code == 302, response.content.decode()[:3000]
    made = TimetableClass.objects.get(name="Evening stretch")
    assert made.weekday == 2 and made.end_time == datetime.time(19, 45)
    assert [(c.date, c.reason) for c in made.cancellations.all()] == [
        (datetime.date(2026, 12, 23), "Holiday week")
    ]


def test_the_admin_says_what_is_wrong(client, demo_site):
    logged_in(client, make_editor())
    response = client.post(
        ADD_URL, class_form_data(demo_site["pilates"], end_time="18:00", service="")
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "The class must end after it starts (7:00 pm)." in html
    assert not TimetableClass.objects.filter(name="Evening stretch").exists()


def test_the_admin_list_marks_the_demo_examples(client, demo_site):
    logged_in(client, make_editor())
    html = client.get("/admin/snippets/studio/timetableclass/").content.decode()
    assert "Example (replace)" in html
    assert TimetableClass.objects.filter(is_example=True).count() == 4


def test_staff_without_the_permission_cannot_edit_the_timetable(client, demo_site):
    logged_in(client, make_staff("visitor", None))
    assert client.get(ADD_URL).status_code in (302, 403)
    client.logout()
    response = client.get(ADD_URL)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_new_deployment_starts_with_an_empty_timetable(client, contact_site):
    assert not TimetableClass.objects.exists()
    html = client.get("/schedule/").content.decode()
    assert "Our class times are not online yet: call" in html and "for times" in html
    assert "Next class" not in client.get("/").content.decode()


def test_demo_classes_say_they_are_examples(client, demo_site, studio_now):
    assert "example times: call to confirm" in client.get("/schedule/").content.decode()
    mat = TimetableClass.objects.get(name="Mat Pilates")
    assert "An example class: call" in client.get(f"/schedule/classes/{mat.pk}/").content.decode()
    for timetable_class in TimetableClass.objects.all():
        timetable_class.is_example = False
        timetable_class.save()  # as the admin does: the content version moves on
    assert "example times" not in client.get("/schedule/").content.decode()


def test_a_cancelled_date_must_be_a_day_the_class_runs(client, demo_site):
    logged_in(client, make_editor())
    # December 24, 2026 is a Thursday; the class runs on Wednesdays.
    data = class_form_data(demo_site["pilates"], **{"cancellations-0-date": "2026-12-24"})
    response = client.post(ADD_URL, data)
    assert response.status_code == 200
    assert "Thursday, December 24, 2026 is not a Wednesday" in response.content.decode()
    assert not TimetableClass.objects.filter(name="Evening stretch").exists()
