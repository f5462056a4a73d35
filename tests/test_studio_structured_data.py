"""JSON-LD: the studio as a schema.org HealthClub on every page, and the FAQ as an FAQPage.

Each block is parsed with json.loads, so a value that broke the JSON (or ended the script
early) would fail the test.
"""

import datetime
import re

from enfuse.structured_data import json_ld_script
from studio.models import FrequentlyAskedQuestion, SocialLink, SpecialDay, StudioSettings
from tests.support import DemoPageTests, json_ld_blocks, json_ld_of_type

NASTY = 'Fit "Studio" </script><script>alert("x")</script> & <b>Co</b>'


class StructuredDataTests(DemoPageTests):
    def setUp(self):
        super().setUp()
        self.urls = [
            self.pages[name].url
            for name in ("home", "services", "pilates", "about", "learning", "category", "article")
        ] + ["/medical-disclaimer/"]

    def studio_data(self, url="/"):
        return json_ld_of_type(self.client.get(url).content.decode(), "HealthClub")

    def test_every_page_describes_the_studio_from_the_settings(self):
        for url in self.urls:
            with self.subTest(url=url):
                data = self.studio_data(url)
                self.assertEqual(data["@context"], "https://schema.org")
                self.assertEqual(data["name"], "EnFuse Fitness")
                self.assertEqual(data["telephone"], "+18602539111")
                self.assertEqual(data["email"], "support@EnFuseFitness.com")

    def test_the_studio_facts(self):
        data = self.studio_data()
        self.assertEqual(data["url"], "http://127.0.0.1:8000/")
        self.assertEqual(
            data["address"],
            {
                "@type": "PostalAddress",
                "streetAddress": "786 Enfield St",
                "addressLocality": "Enfield",
                "addressRegion": "CT",
                "postalCode": "06082",
                "addressCountry": "US",
            },
        )
        self.assertEqual(
            data["geo"], {"@type": "GeoCoordinates", "latitude": 41.9837, "longitude": -72.592}
        )
        self.assertEqual(
            [area["name"] for area in data["areaServed"]],
            ["western Massachusetts", "northern Connecticut"],
        )
        self.assertEqual(data["foundingDate"], "2010")
        self.assertTrue(data["description"].startswith("EnFuse Fitness, located in Enfield"))
        self.assertRegex(data["image"], r"^http://127\.0\.0\.1:8000/media/original_images/.+\.jpg$")
        self.assertTrue(data["hasMap"].startswith("https://www.openstreetmap.org/?mlat=41.9837"))

    def test_opening_hours_specification_groups_days_with_the_same_hours(self):
        data = self.studio_data()
        week = "https://schema.org/"
        self.assertEqual(
            data["openingHoursSpecification"],
            [
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": [
                        f"{week}{day}" for day in ("Monday", "Tuesday", "Wednesday", "Thursday")
                    ]
                    + [f"{week}Friday"],
                    "opens": "06:00",
                    "closes": "20:00",
                },
                {
                    "@type": "OpeningHoursSpecification",
                    "dayOfWeek": [f"{week}Saturday"],
                    "opens": "08:00",
                    "closes": "14:00",
                },
            ],
        )

    def test_special_opening_hours_from_today_on(self):
        studio = StudioSettings.objects.get()
        SpecialDay.objects.all().delete()
        today = datetime.date.today()
        SpecialDay.objects.create(studio=studio, label="Past", start_date=today.replace(year=2001))
        SpecialDay.objects.create(
            studio=studio,
            label="Holiday week",
            start_date=today + datetime.timedelta(days=3),
            end_date=today + datetime.timedelta(days=9),
        )
        SpecialDay.objects.create(
            studio=studio,
            label="Short day",
            start_date=today + datetime.timedelta(days=20),
            closed=False,
            opens=datetime.time(9),
            closes=datetime.time(12, 30),
        )
        special = self.studio_data()["specialOpeningHoursSpecification"]
        self.assertEqual(
            special,
            [
                {
                    "@type": "OpeningHoursSpecification",
                    "name": "Holiday week",
                    "validFrom": (today + datetime.timedelta(days=3)).isoformat(),
                    "validThrough": (today + datetime.timedelta(days=9)).isoformat(),
                    "opens": "00:00",
                    "closes": "00:00",
                },
                {
                    "@type": "OpeningHoursSpecification",
                    "name": "Short day",
                    "validFrom": (today + datetime.timedelta(days=20)).isoformat(),
                    "validThrough": (today + datetime.timedelta(days=20)).isoformat(),
                    "opens": "09:00",
                    "closes": "12:30",
                },
            ],
        )

    def test_quotes_and_closing_script_tags_stay_inside_the_json(self):
        studio = StudioSettings.objects.get()
        studio.name = NASTY
        studio.about = "Line one\nLine </SCRIPT > two & 'three' \u2028 four"
        studio.save()
        SocialLink.objects.create(
            studio=studio, network="Facebook", url="https://facebook.com/enfuse?a=1&b=</script>"
        )
        content = self.client.get(self.pages["pilates"].url).content.decode()
        data = json_ld_of_type(content, "HealthClub")
        self.assertEqual(data["name"], NASTY)
        self.assertEqual(data["description"], studio.about)
        self.assertEqual(data["sameAs"], ["https://facebook.com/enfuse?a=1&b=</script>"])
        # The only way out of the JSON-LD script is its own closing tag.
        head = content[: content.index("</head>")]
        self.assertNotIn("<script>alert", head)
        # One closing tag per script opened (studio and breadcrumbs), none from the values.
        opened = re.findall(r"<script\b", head, flags=re.IGNORECASE)
        self.assertEqual(len(re.findall(r"</script", head, flags=re.IGNORECASE)), len(opened))

    def test_faq_page_on_the_home_page(self):
        content = self.client.get("/").content.decode()
        faq = json_ld_of_type(content, "FAQPage")
        questions = list(FrequentlyAskedQuestion.objects.all())
        self.assertEqual(
            [entry["name"] for entry in faq["mainEntity"]], [q.question for q in questions]
        )
        first = faq["mainEntity"][0]
        self.assertEqual(first["name"], "What should I bring to my first session?")
        self.assertEqual(first["@type"], "Question")
        self.assertEqual(first["acceptedAnswer"]["@type"], "Answer")
        self.assertIn("water bottle", first["acceptedAnswer"]["text"])
        # Shown to visitors too, not only to search engines.
        self.assertIn("<summary>What should I bring to my first session?</summary>", content)

    def test_faq_with_awkward_text_stays_valid(self):
        FrequentlyAskedQuestion.objects.create(question=NASTY, answer="<p>Say “hi” </script></p>")
        faq = json_ld_of_type(self.client.get("/").content.decode(), "FAQPage")
        self.assertEqual(faq["mainEntity"][-1]["name"], NASTY)

    def test_no_faq_markup_without_questions(self):
        FrequentlyAskedQuestion.objects.all().delete()
        content = self.client.get("/").content.decode()
        self.assertEqual([b["@type"] for b in json_ld_blocks(content)], ["HealthClub"])
        self.assertNotIn('class="section faq"', content)

    def test_faq_markup_only_where_the_questions_are_shown(self):
        content = self.client.get(self.pages["about"].url).content.decode()
        self.assertEqual(
            [b["@type"] for b in json_ld_blocks(content)], ["HealthClub", "BreadcrumbList"]
        )


def test_json_ld_script_escapes_markup_characters():
    html = json_ld_script({"a": "</script><!-- & -->"})
    assert html == (
        '<script type="application/ld+json">'
        '{"a": "\\u003C/script\\u003E\\u003C!-- \\u0026 --\\u003E"}</script>'
    )
