"""Classes shown on a page as schema.org Events (one per dated occurrence), at the studio.

A cancelled occurrence stays in the list with ``eventStatus`` EventCancelled, as schema.org
asks, rather than disappearing. Written with the helpers of enfuse/structured_data.py.
"""

from django.urls import reverse

from enfuse import structured_data


def place(studio):
    return {
        "@type": "Place",
        "name": studio.name,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": studio.street_address,
            "addressLocality": studio.city,
            "addressRegion": studio.state,
            "postalCode": studio.postcode,
            "addressCountry": studio.country,
        },
    }


def event(occurrence, request, studio):
    timetable_class = occurrence.timetable_class
    url = structured_data.absolute_url(
        request, reverse("timetable_class", args=[timetable_class.pk])
    )
    data = {
        "@type": "Event",
        "name": timetable_class.name,
        "startDate": occurrence.starts.isoformat(),
        "endDate": occurrence.ends.isoformat(),
        "eventStatus": "https://schema.org/"
        + ("EventCancelled" if occurrence.cancelled else "EventScheduled"),
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "location": place(studio),
        "organizer": {"@id": structured_data.site_root_url(request) + "#studio"},
        "url": url,
    }
    description = [f"{timetable_class.level_name} class"]
    if timetable_class.service is not None:
        description[0] += f" ({timetable_class.service.title})"
    if timetable_class.note:
        description.append(timetable_class.note)
    if occurrence.cancelled:
        description.append(f"Cancelled: {occurrence.cancelled_reason}")
    data["description"] = ". ".join(description) + "."
    if timetable_class.trainer is not None:
        data["performer"] = {"@type": "Person", "name": timetable_class.trainer.name}
    return data


def events_data(occurrences, request, studio):
    """A JSON-LD document of the occurrences' Events, or None when there are none."""
    if not occurrences:
        return None
    return {
        "@context": "https://schema.org",
        "@graph": [event(occurrence, request, studio) for occurrence in occurrences],
    }


def events_script(occurrences, request, studio):
    data = events_data(occurrences, request, studio)
    return structured_data.json_ld_script(data) if data else ""
