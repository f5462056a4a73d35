"""The demo content's example timetable: a few weekly classes, each marked as an example
(``is_example``, shown in the admin's list) for the studio to replace. Added only while the
timetable is empty, so staff's own classes are never touched; a new deployment that does not
load the demo content starts with an empty timetable."""

import datetime

from .models import ALL_LEVELS, BEGINNER, INTERMEDIATE, TimetableClass

# (service slug, name, weekday, start, end, level, place, note)
EXAMPLE_CLASSES = [
    ("pilates", "Mat Pilates", 1, (18, 0), (19, 0), ALL_LEVELS, "Main studio floor", "Bring a mat"),
    ("pilates", "Pilates for beginners", 5, (9, 0), (9, 45), BEGINNER, "Main studio floor", ""),
    ("yoga", "Gentle yoga", 0, (7, 0), (8, 0), ALL_LEVELS, "Main studio floor", "Mats provided"),
    ("yoga", "Flow yoga", 3, (18, 30), (19, 30), INTERMEDIATE, "Main studio floor", ""),
]


def build_timetable(services, trainer=None):
    """The example classes, for the services that exist; nothing if any class exists."""
    if TimetableClass.objects.exists():
        return []
    made = []
    for slug, name, weekday, start, end, level, place, note in EXAMPLE_CLASSES:
        service = services.get(slug)
        if service is None:
            continue
        made.append(
            TimetableClass.objects.create(
                name=name,
                service=service,
                trainer=trainer,
                weekday=weekday,
                start_time=datetime.time(*start),
                end_time=datetime.time(*end),
                level=level,
                place=place,
                note=note,
                is_example=True,
            )
        )
    return made
