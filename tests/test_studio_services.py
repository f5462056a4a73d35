"""Services: the cards, each service's page, its testimonials, and the call to action that
carries the service to the contact page (or, until there is one, to an email)."""

import html
import re
from urllib.parse import parse_qs, urlsplit

from wagtail.models import Page

from studio import models as studio_models
from studio.models import ServicePage
from tests.support import DemoPageTests

SERVICE_SLUGS = [
    "pilates",
    "yoga",
    "deep-tissue-sports-massage",
    "meal-prep",
    "nutritional-counseling",
    "personal-training",
]


def buttons(content):
    """(href, label) of every button on a page."""
    return [
        (html.unescape(href), html.unescape(label))
        for href, label in re.findall(r'<a class="button" href="([^"]*)">([^<]*)</a>', content)
    ]


class ServiceTests(DemoPageTests):
    def get(self, url):
        response = self.client.get(url)
        self.assertEqual(response.status_code, 200, url)
        return response.content.decode()

    def without_contact_page(self):
        """The site as it was before the contact form: no contact page at all."""
        for page in studio_models.ContactPage.objects.all():
            page.delete()

    def test_each_service_asks_about_itself_by_email_until_there_is_a_contact_page(self):
        self.without_contact_page()
        for service in ServicePage.objects.all():
            with self.subTest(service=service.slug):
                href, label = buttons(self.get(service.url))[0]
                self.assertEqual(label, f"Ask about {service.title}")
                url = urlsplit(href)
                self.assertEqual((url.scheme, url.path), ("mailto", "support@EnFuseFitness.com"))
                self.assertEqual(
                    parse_qs(url.query)["subject"], [f"Question about {service.title}"]
                )

    def test_the_call_to_action_carries_the_service_to_the_contact_page(self):
        for slug in SERVICE_SLUGS:
            with self.subTest(service=slug):
                service = ServicePage.objects.get(slug=slug)
                links = buttons(self.get(f"/services/{slug}/"))
                self.assertIn(
                    f"/contact/?service={slug}&from={service.pk}", [href for href, _ in links]
                )
        massage = ServicePage.objects.get(slug="deep-tissue-sports-massage")
        self.assertEqual(
            buttons(self.get(massage.url))[0],
            (
                f"/contact/?service=deep-tissue-sports-massage&from={massage.pk}",
                "Ask about Deep tissue & sports massage",
            ),
        )

    def test_a_page_with_the_contact_slug_is_the_contact_page(self):
        """Before the ContactPage type, staff could make a plain page at /contact/."""
        self.without_contact_page()
        contact = Page(title="Contact", slug="contact", show_in_menus=True)
        self.pages["home"].add_child(instance=contact)
        contact.save_revision().publish()
        href, _ = buttons(self.get("/services/yoga/"))[0]
        self.assertTrue(href.startswith("/contact/?service=yoga"))

    def test_a_draft_contact_page_is_not_linked(self):
        studio_models.ContactPage.objects.get().unpublish()
        href, _ = buttons(self.get("/services/yoga/"))[0]
        self.assertTrue(href.startswith("mailto:support@EnFuseFitness.com?subject="))

    def test_home_and_index_calls_to_action_go_to_the_contact_page(self):
        self.assertIn(("/contact/", "Contact us to get started"), buttons(self.get("/")))
        self.assertIn(("/contact/", "Contact our team"), buttons(self.get("/services/")))

    def test_staff_can_word_the_call_to_action(self):
        page = ServicePage.objects.get(slug="meal-prep")
        page.cta_label = "Plan my meals"
        page.save_revision().publish()
        self.assertEqual(buttons(self.get(page.url))[0][1], "Plan my meals")

    def test_service_cards_on_home_and_index_in_tree_order(self):
        for url in ("/", "/services/"):
            with self.subTest(url=url):
                content = self.get(url)
                cards = re.findall(
                    r'<h3 class="card__title"><a href="/services/([^/]+)/">', content
                )
                self.assertEqual(cards, SERVICE_SLUGS)
                self.assertIn('alt="Illustration of a person lying on their back', content)

    def test_an_unpublished_service_disappears_from_the_cards(self):
        ServicePage.objects.get(slug="yoga").unpublish()
        for url in ("/", "/services/"):
            self.assertNotIn('href="/services/yoga/"', self.get(url))

    def test_the_demo_shows_no_testimonials_until_staff_publish_real_ones(self):
        self.assertTrue(studio_models.Testimonial.objects.exists())
        for url in ("/", "/services/pilates/"):
            content = self.get(url)
            self.assertNotIn('class="testimonial"', content)
            self.assertNotIn("What clients say", content)
            self.assertNotIn("Sample", content)

    def test_the_service_page_shows_its_details_and_only_its_testimonials(self):
        studio_models.Testimonial.objects.update(published=True)
        content = html.unescape(self.get("/services/pilates/"))
        self.assertEqual(
            re.findall(r"<dt>([^<]+)</dt><dd>([^<]+)</dd>", content),
            [
                ("Price", "Ask us for current rates"),
                ("Duration", "60 minutes"),
                ("Format", "One-on-one or small group"),
            ],
        )
        self.assertIn("Pilates sessions fixed the back ache", content)
        self.assertNotIn("sports massage before my race", content)
        self.assertIn("<figcaption>Sample client, Pilates</figcaption>", content)

    def test_home_shows_the_first_three_testimonials_chosen_for_it(self):
        studio_models.Testimonial.objects.update(published=True)
        studio_models.Testimonial.objects.create(
            quote="Not for the home page.", first_name="Ann", show_on_home=False, published=True
        )
        studio_models.Testimonial.objects.create(
            quote="The fourth one.", first_name="Bo", published=True
        )
        studio_models.Testimonial.objects.create(quote="Not published.", first_name="Cy")
        content = self.get("/")
        self.assertEqual(content.count('<figure class="testimonial">'), 3)
        self.assertNotIn("Not for the home page.", content)
        self.assertNotIn("The fourth one.", content)

    def test_about_page_shows_the_team_and_how_to_reach_them(self):
        member = self.pages["about"].team_members.first().member
        member.qualifications = "NASM Certified Personal Trainer\n\nCPR and First Aid"
        member.save()
        content = html.unescape(self.get("/about/"))
        self.assertIn("<h1>Veteran and family-owned since 2010</h1>", content)
        self.assertIn("<h3>Team EnFuse</h3>", content)
        self.assertIn(
            "<ul><li>NASM Certified Personal Trainer</li><li>CPR and First Aid</li></ul>", content
        )
        self.assertIn('alt="Illustration of three people of different heights', content)
        self.assertIn('<h2 id="contact-team-heading">Contact our team</h2>', content)
