"""schema.org JSON-LD for the studio (HealthClub) and for questions and answers (FAQPage).

Built from the studio settings as plain Python data, then written into a
``<script type="application/ld+json">`` with ``<``, ``>`` and ``&`` escaped as JSON unicode
escapes, so a value holding quotes or ``</script>`` stays data and the JSON still parses.
"""

import json
from urllib.parse import urljoin

from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from studio import hours

JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}
SCHEMA_DAYS = {day: f"https://schema.org/{name}" for day, name in hours.WEEKDAYS}


def json_ld_script(data):
    """A <script type="application/ld+json"> holding ``data``, safe to put in any page."""
    text = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=None)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        # Safe: the only characters that could end the script or start markup are escaped.
        mark_safe(text.translate(JSON_SCRIPT_ESCAPES)),
    )


def time_text(value):
    return value.strftime("%H:%M")


def opening_hours_specification(rows):
    """Regular hours, days with the same periods grouped; closed days are simply left out."""
    week = hours.weekly_periods(rows)
    grouped = {}
    for day, periods in week.items():
        for period in periods:
            grouped.setdefault((period.opens, period.closes), []).append(SCHEMA_DAYS[day])
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": days,
            "opens": time_text(opens),
            "closes": time_text(closes),
        }
        for (opens, closes), days in sorted(grouped.items(), key=lambda item: item[1][0])
    ]


def special_opening_hours_specification(special_days, today):
    """Special days from today on; a closed day is opens = closes = 00:00, as schema.org says."""
    result = []
    for special in special_days:
        if special.last_date < today:
            continue
        periods = hours.special_periods(special)
        opens, closes = (
            (time_text(periods[0].opens), time_text(periods[0].closes))
            if periods
            else ("00:00", "00:00")
        )
        result.append(
            {
                "@type": "OpeningHoursSpecification",
                "name": special.label,
                "validFrom": special.start_date.isoformat(),
                "validThrough": special.last_date.isoformat(),
                "opens": opens,
                "closes": closes,
            }
        )
    return result


def site_root_url(request):
    site = Site.find_for_request(request)
    return site.root_url + "/" if site is not None else request.build_absolute_uri("/")


def absolute_url(request, path):
    """``path`` on the site's own address, as page URLs are (not the request's Host)."""
    return urljoin(site_root_url(request), path)


def studio_data(studio, request, today):
    """The studio as a schema.org HealthClub."""
    root = site_root_url(request)
    data = {
        "@context": "https://schema.org",
        "@type": "HealthClub",
        "@id": root + "#studio",
        "name": studio.name,
        "url": root,
        "telephone": studio.phone_e164,
        "email": studio.support_email,
        "address": {
            "@type": "PostalAddress",
            "streetAddress": studio.street_address,
            "addressLocality": studio.city,
            "addressRegion": studio.state,
            "postalCode": studio.postcode,
            "addressCountry": studio.country,
        },
        "openingHoursSpecification": opening_hours_specification(studio.opening_hours.all()),
        "specialOpeningHoursSpecification": special_opening_hours_specification(
            studio.special_days.all(), today
        ),
        "hasMap": studio.map_url,
    }
    if studio.latitude is not None and studio.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(studio.latitude),
            "longitude": float(studio.longitude),
        }
    if studio.areas_served_list:
        data["areaServed"] = [
            {"@type": "AdministrativeArea", "name": area} for area in studio.areas_served_list
        ]
    if studio.year_founded:
        data["foundingDate"] = str(studio.year_founded)
    if studio.about:
        data["description"] = studio.about
    if studio.image is not None:
        # The original file: a rendition would cost a query on every page.
        data["image"] = urljoin(root, studio.image.file.url)
    same_as = [link.url for link in studio.social_links.all()]
    if same_as:
        data["sameAs"] = same_as
    return data


def faq_data(questions):
    """Questions and answers as a schema.org FAQPage."""
    return {
        "@context": "https://schema.org",
        "@type": "FAQPage",
        "mainEntity": [
            {
                "@type": "Question",
                "name": question.question,
                "acceptedAnswer": {"@type": "Answer", "text": expand_db_html(question.answer)},
            }
            for question in questions
        ],
    }


def breadcrumb_data(trail, request):
    """A schema.org BreadcrumbList for pages below the home page: ``trail`` runs home → page."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": position,
                "name": "Home" if position == 1 else page.title,
                "item": page.get_full_url(request),
            }
            for position, page in enumerate(trail, start=1)
        ],
    }
