"""The studio's page types: where they may be created, and that each routes, renders, previews
and saves through the admin."""

from django.core.exceptions import ValidationError
from django.urls import reverse
from wagtail.models import Page

from articles.models import ArticlePage, CategoryPage, LearningIndexPage
from studio.models import AboutPage, HomePage, PrivacyPage, ServiceIndexPage, ServicePage
from tests.support import DemoPageTests, page_form_data


class StudioPageTypeTests(DemoPageTests):
    def test_home_page_rules(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertAllowedParentPageTypes(HomePage, {Page})
        for child in (ServiceIndexPage, AboutPage, LearningIndexPage):
            self.assertCanCreateAt(HomePage, child)
        self.assertCanNotCreateAt(HomePage, ServicePage)
        # There is only one home page, and it already exists.
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))

    def test_service_index_rules(self):
        self.assertAllowedParentPageTypes(ServiceIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(ServiceIndexPage, {ServicePage})
        # Only one services section.
        self.assertFalse(ServiceIndexPage.can_create_at(self.pages["home"]))

    def test_service_page_rules(self):
        self.assertAllowedParentPageTypes(ServicePage, {ServiceIndexPage})
        self.assertAllowedSubpageTypes(ServicePage, set())
        self.assertCanCreateAt(ServiceIndexPage, ServicePage)
        self.assertCanNotCreateAt(HomePage, ServicePage)
        self.assertCanNotCreateAt(CategoryPage, ServicePage)

    def test_about_page_rules(self):
        self.assertAllowedParentPageTypes(AboutPage, {HomePage})
        self.assertAllowedSubpageTypes(AboutPage, set())
        self.assertFalse(AboutPage.can_create_at(self.pages["home"]))
        self.assertCanNotCreateAt(ServiceIndexPage, AboutPage)
        self.assertCanNotCreateAt(ArticlePage, AboutPage)

    def test_privacy_page_rules(self):
        self.assertAllowedParentPageTypes(PrivacyPage, {HomePage})
        self.assertAllowedSubpageTypes(PrivacyPage, set())
        # One per site, and the demo made it.
        self.assertFalse(PrivacyPage.can_create_at(self.pages["home"]))
        self.assertCanNotCreateAt(ServiceIndexPage, PrivacyPage)

    def test_the_privacy_page_states_the_facts_from_the_site(self):
        with self.settings(CONTACT_RETENTION_DAYS=90):
            content = self.client.get("/privacy/").content.decode()
        self.assertIn("We delete messages 90 days after they are sent.", content)
        self.assertIn('href="mailto:support@EnFuseFitness.com"', content)
        self.assertIn("your name, your email address and your message", content)
        # Linked from every page's footer and from the contact form's consent text.
        home = self.client.get("/").content.decode()
        self.assertIn('<a href="/privacy/">Privacy policy</a>', home)
        contact = self.client.get("/contact/").content.decode()
        self.assertIn('Read our <a href="/privacy/">privacy policy</a>.', contact)

    def test_every_studio_page_routes_renders_and_previews(self):
        for name in ("home", "services", "pilates", "about"):
            page = self.pages[name].specific
            with self.subTest(page=name):
                self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)
                self.assertPageIsPreviewable(page, post_data=page_form_data(page))

    def test_every_studio_page_saves_and_publishes_through_the_admin_editor(self):
        self.login()
        for name in ("home", "services", "pilates", "about"):
            page = self.pages[name].specific
            with self.subTest(page=name):
                data = page_form_data(page, title=f"{page.title} (edited)")
                data["action-publish"] = "action-publish"
                response = self.client.post(
                    reverse("wagtailadmin_pages:edit", args=[page.pk]), data
                )
                self.assertEqual(response.status_code, 302, response.content[:2000])
                page.refresh_from_db()
                self.assertTrue(page.title.endswith("(edited)"))
                self.assertEqual(self.client.get(page.url).status_code, 200)

    def test_the_edited_service_shows_its_new_details(self):
        self.login()
        page = self.pages["pilates"]
        data = page_form_data(page)
        data["action-publish"] = "action-publish"
        self.client.post(reverse("wagtailadmin_pages:edit", args=[page.pk]), data)
        html = self.client.get(page.url).content.decode()
        self.assertInHTML("<div><dt>Price</dt><dd>$60 per session</dd></div>", html)
        self.assertInHTML("<h2>What to expect</h2>", html)

    def test_urls_of_the_demo_site(self):
        urls = {name: self.pages[name].url for name in ("home", "services", "pilates", "about")}
        self.assertEqual(
            urls,
            {
                "home": "/",
                "services": "/services/",
                "pilates": "/services/pilates/",
                "about": "/about/",
            },
        )
        self.assertEqual(
            [page.url for page in ServicePage.objects.live().order_by("path")],
            [
                "/services/pilates/",
                "/services/yoga/",
                "/services/deep-tissue-sports-massage/",
                "/services/meal-prep/",
                "/services/nutritional-counseling/",
                "/services/personal-training/",
            ],
        )

    def test_service_image_needs_alt_text(self):
        page = ServicePage.objects.get(slug="yoga")
        page.image_alt = "  "
        with self.assertRaises(ValidationError) as raised:
            page.full_clean()
        self.assertIn("image_alt", raised.exception.message_dict)

    def test_block_previews_render_for_editors(self):
        self.login()
        blocks = ServicePage.body.field.stream_block.child_blocks
        for name in ("heading", "paragraph", "call_to_action"):
            with self.subTest(block=name):
                response = self.client.get(
                    reverse("wagtailadmin_block_preview"), {"id": blocks[name].definition_prefix}
                )
                self.assertEqual(response.status_code, 200)
        self.assertContains(response, "Ready for your first session?")
        # With no page or address chosen, the button opens the contact page.
        self.assertContains(response, 'href="/contact/"')
