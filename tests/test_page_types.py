"""The Institute's page tree: where each page type may be created, and that each one serves."""

from wagtail.models import Page
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from articles.models import ArticlePage, CategoryPage, LearningIndexPage
from studio.models import HomePage
from tests.support import ARTICLE_URL, DemoPageTests


class TestPageTree(DemoPageTests):
    def test_index_lives_only_under_the_home_page(self):
        self.assertAllowedParentPageTypes(LearningIndexPage, {HomePage})
        self.assertAllowedSubpageTypes(LearningIndexPage, {CategoryPage})

    def test_categories_live_only_in_the_index(self):
        self.assertAllowedParentPageTypes(CategoryPage, {LearningIndexPage})
        self.assertAllowedSubpageTypes(CategoryPage, {ArticlePage})

    def test_articles_live_only_in_categories_and_have_no_children(self):
        self.assertAllowedParentPageTypes(ArticlePage, {CategoryPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())

    def test_cannot_create_an_article_directly_under_the_index_or_home(self):
        self.assertCanNotCreateAt(LearningIndexPage, ArticlePage)
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        self.assertCanNotCreateAt(Page, LearningIndexPage)

    def test_only_one_index_per_home_page(self):
        home = HomePage.objects.get()
        self.assertFalse(LearningIndexPage.can_create_at(home))

    def test_every_page_type_is_routable_and_renderable(self):
        pages = [
            LearningIndexPage.objects.get(),
            CategoryPage.objects.get(slug="health-wellness"),
            ArticlePage.objects.get(),
        ]
        for page in pages:
            with self.subTest(page=page.title):
                self.assertPageIsRoutable(page)
                self.assertPageIsRenderable(page)

    def test_every_page_type_is_previewable(self):
        self.login()
        self.assertPageIsPreviewable(LearningIndexPage.objects.get())
        self.assertPageIsPreviewable(CategoryPage.objects.get(slug="health-wellness"))
        article = ArticlePage.objects.get()
        draft = nested_form_data(
            {
                "title": "A draft about stretching",
                "slug": "a-draft-about-stretching",
                "summary": "Why a short stretch helps.",
                "published_date": "2026-01-05",
                "hero_image_alt": "",
                "tags": "stretching",
                "body": streamfield(
                    [
                        ("heading", {"text": "Start slowly", "level": "h2"}),
                        ("paragraph", rich_text("<p>Stretch before you walk.</p>")),
                    ]
                ),
                "related_articles": inline_formset([]),
            }
        )
        self.assertPageIsPreviewable(article, post_data=draft)

    def test_routable_feed_routes(self):
        self.assertPageIsRoutable(LearningIndexPage.objects.get(), "feed/")
        self.assertPageIsRoutable(CategoryPage.objects.get(slug="health-wellness"), "feed/")

    def test_the_demo_urls(self):
        for url in [
            "/institute-for-learning/",
            "/institute-for-learning/health-wellness/",
            ARTICLE_URL,
        ]:
            with self.subTest(url=url):
                self.assertEqual(self.client.get(url).status_code, 200)
