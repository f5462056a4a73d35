"""Studio details (Settings > Studio details): what staff type is checked, with clear messages.

The admin tests load the real edit form as a superuser, change one value and post it back.
"""

import datetime
import html

import pytest
from django.core.exceptions import ValidationError
from wagtail.models import Site
from wagtail.test.utils.form_data import querydict_from_html

from studio.contact.validators import phone_e164, validate_phone
from studio.demo import build_studio_settings
from studio.models import OpeningHours, SpecialDay, StudioSettings
from tests.support import settings_edit_url


@pytest.fixture
def studio(db):
    """Studio details with the demo's weekly hours and holidays, on the default site."""
    return build_studio_settings(
        Site.objects.get(is_default_site=True), today=datetime.date(2026, 11, 1)
    )


def edit_form_data(admin_client, studio):
    """What a browser would send back for the edit form, unchanged."""
    response = admin_client.get(settings_edit_url(studio.site))
    assert response.status_code == 200
    data = querydict_from_html(response.content.decode(), form_id="w-editor-form").copy()
    for name, value in list(data.items()):
        if value == "" and name.endswith("closed"):
            data[name] = "on"  # a ticked checkbox without a value attribute, as browsers send it
        elif value.startswith("\n"):
            data[name] = value[1:]  # browsers drop the newline that opens a <textarea>
    return data


def post(admin_client, studio, data):
    response = admin_client.post(settings_edit_url(studio.site), data)
    return response, html.unescape(response.content.decode())


def row_index(data, prefix, field, value):
    """The index of the inline row whose ``field`` has ``value``, e.g. Monday's hours."""
    total = int(data[f"{prefix}-TOTAL_FORMS"])
    return next(i for i in range(total) if data.get(f"{prefix}-{i}-{field}") == value)


def test_edit_view_shows_every_group_of_fields(admin_client, studio):
    response = admin_client.get(settings_edit_url(studio.site))
    content = response.content.decode()
    for label in (
        "Contact and location",
        "Opening hours",
        "About the studio",
        "Medical disclaimer",
    ):
        assert label in content
    assert "PLACEHOLDERS" in content  # the demo hours are flagged for staff to replace


def test_a_valid_edit_is_saved(admin_client, studio):
    data = edit_form_data(admin_client, studio)
    data["phone"] = "(413) 555-0142"
    monday = row_index(data, "opening_hours", "weekday", "0")
    data[f"opening_hours-{monday}-opens"] = "07:30"
    response, _ = post(admin_client, studio, data)
    assert response.status_code == 302
    studio = StudioSettings.objects.get(pk=studio.pk)
    assert studio.phone == "(413) 555-0142"
    assert studio.phone_href == "tel:+14135550142"
    assert studio.opening_hours.get(weekday=0).opens == datetime.time(7, 30)
    # Nothing else was lost on the way.
    assert studio.opening_hours.count() == 7
    assert studio.special_days.count() == 3


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", "call the front desk", "Enter a phone number that can be dialed"),
        ("phone", "253-9111", "A US phone number has 10 digits"),
        ("phone", "(060) 253-9111", "US area codes never start with 0 or 1"),
        ("phone", "+1 2", "Enter a phone number that can be dialed"),
        ("support_email", "support at enfuse", "Enter a valid email address."),
        ("latitude", "91", "Latitude must be between -90 and 90."),
        ("latitude", "-90.5", "Latitude must be between -90 and 90."),
        ("longitude", "-180.01", "Longitude must be between -180 and 180."),
        ("longitude", "200", "Longitude must be between -180 and 180."),
        ("country", "us", "Use the two-letter country code in capitals, e.g. US."),
        ("year_founded", str(datetime.date.today().year + 1), "cannot be in the future"),
    ],
)
def test_bad_values_are_refused_with_a_clear_message(admin_client, studio, field, value, message):
    data = edit_form_data(admin_client, studio)
    before = data[field]
    data[field] = value
    response, content = post(admin_client, studio, data)
    assert response.status_code == 200  # the form again, not a redirect
    assert "could not be saved due to errors" in content
    assert message in content
    assert str(getattr(StudioSettings.objects.get(pk=studio.pk), field)) == before


def test_latitude_without_longitude_is_refused(admin_client, studio):
    data = edit_form_data(admin_client, studio)
    data["longitude"] = ""
    _, content = post(admin_client, studio, data)
    assert "Give both latitude and longitude, or neither." in content


def test_closing_before_opening_is_refused(admin_client, studio):
    data = edit_form_data(admin_client, studio)
    friday = row_index(data, "opening_hours", "weekday", "4")
    data[f"opening_hours-{friday}-opens"] = "20:00"
    data[f"opening_hours-{friday}-closes"] = "06:00"
    response, content = post(admin_client, studio, data)
    assert response.status_code == 200
    assert "The closing time (6:00 am) must be after the opening time (8:00 pm)." in content
    assert studio.opening_hours.get(weekday=4).opens == datetime.time(6)


def test_an_open_day_needs_both_times(admin_client, studio):
    data = edit_form_data(admin_client, studio)
    friday = row_index(data, "opening_hours", "weekday", "4")
    data[f"opening_hours-{friday}-closes"] = ""
    _, content = post(admin_client, studio, data)
    assert "Give the closing time, or tick Closed." in content


def test_overlapping_rows_of_one_day_are_refused(admin_client, studio):
    data = edit_form_data(admin_client, studio)
    total = int(data["opening_hours-TOTAL_FORMS"])
    data.update(
        {
            f"opening_hours-{total}-weekday": "0",
            f"opening_hours-{total}-opens": "19:00",
            f"opening_hours-{total}-closes": "21:00",
            f"opening_hours-{total}-ORDER": str(total),
            f"opening_hours-{total}-DELETE": "",
            "opening_hours-TOTAL_FORMS": str(total + 1),
        }
    )
    _, content = post(admin_client, studio, data)
    assert "These hours overlap Monday's other row (6:00 am – 8:00 pm)." in content
    assert studio.opening_hours.count() == 7


def test_a_day_both_closed_and_open_is_refused(admin_client, studio):
    data = edit_form_data(admin_client, studio)
    total = int(data["opening_hours-TOTAL_FORMS"])
    data.update(
        {
            f"opening_hours-{total}-weekday": "6",
            f"opening_hours-{total}-opens": "09:00",
            f"opening_hours-{total}-closes": "12:00",
            f"opening_hours-{total}-ORDER": str(total),
            f"opening_hours-{total}-DELETE": "",
            "opening_hours-TOTAL_FORMS": str(total + 1),
        }
    )
    _, content = post(admin_client, studio, data)
    assert "Sunday also has opening times in another row" in content


def test_a_special_day_ending_before_it_starts_is_refused(admin_client, studio):
    data = edit_form_data(admin_client, studio)
    first = row_index(data, "special_days", "label", "Thanksgiving")
    data[f"special_days-{first}-end_date"] = "2026-11-20"
    _, content = post(admin_client, studio, data)
    assert "The last day must be on or after the first day." in content


def test_special_day_with_changed_hours_is_saved(admin_client, studio):
    data = edit_form_data(admin_client, studio)
    first = row_index(data, "special_days", "label", "Christmas Day")
    data[f"special_days-{first}-label"] = "Christmas Eve"
    data[f"special_days-{first}-start_date"] = "2026-12-24"
    data.pop(f"special_days-{first}-closed", None)  # untick "Closed"
    data[f"special_days-{first}-opens"] = "08:00"
    data[f"special_days-{first}-closes"] = "12:00"
    response, _ = post(admin_client, studio, data)
    assert response.status_code == 302
    eve = studio.special_days.get(label="Christmas Eve")
    assert (eve.closed, eve.opens, eve.closes) == (False, datetime.time(8), datetime.time(12))


# The same rules hold outside the admin (model validation).


def test_model_validation_of_hours_rows():
    with pytest.raises(ValidationError) as raised:
        OpeningHours(weekday=0, opens=datetime.time(9), closes=datetime.time(9)).clean()
    assert "closes" in raised.value.message_dict
    with pytest.raises(ValidationError) as raised:
        OpeningHours(weekday=0, closed=True, opens=datetime.time(9)).clean()
    assert raised.value.message_dict["closed"] == [
        "A closed day has no opening times: clear them, or untick Closed."
    ]
    OpeningHours(weekday=0, closed=True).clean()
    with pytest.raises(ValidationError) as raised:
        SpecialDay(
            label="Oops",
            start_date=datetime.date(2026, 12, 2),
            end_date=datetime.date(2026, 12, 1),
        ).clean()
    assert "end_date" in raised.value.message_dict


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("(860) 253-9111", "tel:+18602539111"),
        ("860.253.9111", "tel:+18602539111"),
        ("1-860-253-9111", "tel:+18602539111"),
        ("+1 860 253 9111", "tel:+18602539111"),
        ("+44 20 7946 0958", "tel:+442079460958"),
    ],
)
def test_diallable_numbers_are_accepted_and_linked(phone, href):
    validate_phone(phone)
    assert f"tel:{phone_e164(phone)}" == href
    assert StudioSettings(phone=phone).phone_href == href


@pytest.mark.parametrize(
    "phone", ["", "253-9111", "860-253-91111", "(860) 253-9111 ext 2", "0860 253 9111", "+12", "+"]
)
def test_numbers_that_cannot_be_dialled_are_refused(phone):
    with pytest.raises(ValidationError):
        validate_phone(phone)


def test_map_link_is_a_plain_openstreetmap_link():
    studio = StudioSettings()
    assert studio.map_url == (
        "https://www.openstreetmap.org/?mlat=41.9837&mlon=-72.592#map=17/41.9837/-72.592"
    )
    studio.latitude = studio.longitude = None
    assert studio.map_url.startswith("https://www.openstreetmap.org/search?query=786+Enfield+St")


def test_serving_line_is_built_from_areas_and_year():
    studio = StudioSettings()
    assert studio.serving_line == (
        "Proudly serving residents of western Massachusetts and northern Connecticut since 2010"
    )
    studio.areas_served = "Hampden County\nHartford County\nTolland County"
    studio.year_founded = 2011
    assert studio.serving_line == (
        "Proudly serving residents of Hampden County, Hartford County and Tolland County since 2011"
    )
