"""Header and footer on every page, built from the studio settings: change a fact once in the
settings and every page type follows."""

import datetime
import html
import re
from unittest import mock
from zoneinfo import ZoneInfo

from studio.models import ContactPage, OpeningHours, SocialLink, SpecialDay, StudioSettings
from tests.support import DemoPageTests

NEW_YORK = ZoneInfo("America/New_York")


class SiteFurnitureTests(DemoPageTests):
    def setUp(self):
        super().setUp()
        self.urls = {
            name: self.pages[name].url
            for name in ("home", "services", "pilates", "about", "learning", "category", "article")
        }
        self.urls["medical disclaimer"] = "/medical-disclaimer/"
        self.urls["search"] = "/search/?q=walking"

    def get_text(self, url, status=200):
        response = self.client.get(url)
        self.assertEqual(response.status_code, status, url)
        return html.unescape(response.content.decode())

    def every_page(self):
        for name, url in self.urls.items():
            with self.subTest(page=name):
                yield name, self.get_text(url)
        with self.subTest(page="not found"):
            yield "not found", self.get_text("/no-such-page/", status=404)

    def test_header_and_footer_carry_the_studio_facts_on_every_page(self):
        year = datetime.datetime.now(NEW_YORK).year
        for _, content in self.every_page():
            self.assertIn('alt="EnFuse Fitness" width="168" height="32"></a>', content)
            self.assertIn(
                '<a class="call-button" href="tel:+18602539111">Call<span class="visually-hidden">'
                " EnFuse Fitness at (860) 253-9111</span></a>",
                content,
            )
            self.assertIn('href="mailto:support@EnFuseFitness.com"', content)
            self.assertIn("786 Enfield St<br>", content)
            self.assertIn("Enfield, CT 06082<br>", content)
            self.assertIn(
                'href="https://www.openstreetmap.org/?mlat=41.9837&mlon=-72.592'
                '#map=17/41.9837/-72.592"',
                content,
            )
            self.assertIn(
                "Proudly serving residents of western Massachusetts and northern Connecticut "
                "since 2010.",
                content,
            )
            self.assertIn(f"Copyright © {year} EnFuse Fitness. All rights reserved.", content)
            self.assertIn('<a href="/medical-disclaimer/">Medical disclaimer</a>', content)
            # The full week, each day named once in the hours table.
            table = content[content.index('<table class="hours-table">') :]
            table = table[: table.index("</table>")]
            for day in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Sunday"):
                self.assertEqual(table.count(f'<th scope="row">{day}'), 1)
            self.assertIn("(today)", table)
            # No third-party origin: no map embed, script, frame, image or font from elsewhere.
            loads = re.findall(r'<(?:script|iframe|img|source|link rel="style)[^>]*>', content)
            self.assertEqual([tag for tag in loads if re.search(r'(src|href)="https?:', tag)], [])

    def test_navigation_in_tree_order_ending_with_the_contact_page(self):
        content = self.get_text(self.urls["pilates"])
        nav = content[content.index('<nav class="main-nav"') :]
        nav = nav[: nav.index("</nav>")]
        self.assertEqual(
            re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', nav),
            [
                ("/", "Home"),
                ("/services/", "Services"),
                ("/institute-for-learning/", "EnFuse Institute for Learning"),
                ("/about/", "About"),
                ("/contact/", "Contact"),
            ],
        )
        self.assertIn('<a href="/services/" aria-current="page">Services</a>', nav)
        self.assertNotIn('<a href="#contact">Contact</a>', nav)

    def test_without_a_contact_page_the_menu_leads_to_the_footer_details(self):
        for page in ContactPage.objects.all():
            page.delete()
        content = self.get_text("/")
        nav = content[content.index('<nav class="main-nav"') :]
        nav = nav[: nav.index("</nav>")]
        self.assertIn('<a href="#contact">Contact</a>', nav)
        self.assertNotIn("/contact/", nav)
        self.assertIn('id="contact"', content)

    def test_a_phone_number_change_shows_on_every_page(self):
        studio = StudioSettings.objects.get()
        studio.phone = "(413) 555-0142"
        studio.full_clean()
        studio.save()
        for _, content in self.every_page():
            self.assertIn(
                '<a class="call-button" href="tel:+14135550142">Call<span class="visually-hidden">'
                " EnFuse Fitness at (413) 555-0142</span></a>",
                content,
            )
            self.assertNotIn("253-9111", content)
            self.assertNotIn("+18602539111", content)

    def test_an_opening_hours_change_shows_on_every_page(self):
        monday = OpeningHours.objects.get(weekday=0)
        monday.opens = datetime.time(5, 30)
        monday.closes = datetime.time(21, 15)
        monday.save()
        for _, content in self.every_page():
            self.assertRegex(
                content,
                r'<th scope="row">Monday[^<]*(<span[^>]*>[^<]*</span>)?</th>\s*<td><time '
                r'datetime="05:30">5:30 am</time> – <time datetime="21:15">9:15 pm</time></td>',
            )

    def test_studio_name_address_and_areas_follow_the_settings(self):
        studio = StudioSettings.objects.get()
        studio.name = "EnFuse Fitness & Wellness"
        studio.street_address = "1 Main St"
        studio.areas_served = "Hampden County\nHartford County"
        studio.year_founded = 2011
        studio.save()
        content = self.get_text(self.urls["about"])
        self.assertIn('alt="EnFuse Fitness & Wellness" width="168"', content)
        self.assertIn("1 Main St, Enfield, CT 06082", content)
        self.assertIn(
            "Proudly serving residents of Hampden County and Hartford County since 2011", content
        )

    def test_social_links_appear_in_the_footer_when_given(self):
        self.assertNotIn("Follow us", self.get_text("/"))
        SocialLink.objects.create(
            studio=StudioSettings.objects.get(), network="Facebook", url="https://facebook.com/x"
        )
        self.assertIn('<a href="https://facebook.com/x" rel="me">Facebook</a>', self.get_text("/"))

    def status_at(self, moment):
        with mock.patch("studio.hours.current_time", return_value=moment):
            content = self.get_text(self.urls["services"])
        header = content[content.index('<p class="open-status') :]
        # What a screen reader announces: the short visible word is hidden from it.
        header = re.sub(r'<span aria-hidden="true">[^<]*</span>', "", header)
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", header[: header.index("</p>")])).strip()

    def test_header_status_is_computed_in_new_york_time(self):
        # Tuesday 24 November 2026 (the demo's placeholder hours: 6 am to 8 pm).
        tuesday = datetime.datetime(2026, 11, 24, tzinfo=NEW_YORK)
        self.assertEqual(
            self.status_at(tuesday.replace(hour=10)),
            "Open now, until 8:00 pm: see opening hours",
        )
        self.assertEqual(
            self.status_at(tuesday.replace(hour=21)),
            "Closed, opens at 6:00 am tomorrow: see opening hours",
        )
        # 02:00 UTC on Wednesday is 9 pm on Tuesday in Enfield.
        self.assertEqual(
            self.status_at(datetime.datetime(2026, 11, 25, 2, 0, tzinfo=datetime.UTC)),
            "Closed, opens at 6:00 am tomorrow: see opening hours",
        )

    def test_header_status_follows_special_days(self):
        SpecialDay.objects.all().delete()
        SpecialDay.objects.create(
            studio=StudioSettings.objects.get(),
            label="Thanksgiving",
            start_date=datetime.date(2026, 11, 26),
            closed=True,
        )
        moment = datetime.datetime(2026, 11, 26, 10, 0, tzinfo=NEW_YORK)
        self.assertEqual(
            self.status_at(moment),
            "Closed today for Thanksgiving, opens at 6:00 am tomorrow: see opening hours",
        )
        with mock.patch("studio.hours.current_time", return_value=moment):
            content = self.get_text("/")
        self.assertIn("Today (Thanksgiving): Closed", content)
        self.assertIn("<strong>Thanksgiving</strong>, Thursday, November 26: Closed", content)
