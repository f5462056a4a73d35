"""An editor's day without a developer: help on every field, the promote tab with a social
image, alt text wherever an image is shown, and previews of every page type."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import reverse
from wagtail import blocks
from wagtail.admin.panels import get_edit_handler
from wagtail.images.blocks import ImageBlock
from wagtail.models import Page

from articles.blocks import ArticleBodyBlock
from studio.blocks import StudioStreamBlock
from studio.models import StudioSettings
from tests.support import (
    DemoPageTests,
    article_form_data,
    edit_url,
    make_editor,
    make_image,
    make_moderator,
)

# Wagtail's own machinery in every page form: comment threads, and notification switches.
NOT_EDITOR_FIELDS = {"comment_notifications", "text", "contentpath", "position", "resolved"}


def our_page_models():
    return [
        model
        for model in apps.get_models()
        if issubclass(model, Page) and model._meta.app_label in {"articles", "studio"}
    ]


def our_other_edited_models():
    """Snippets and settings staff edit in the admin (the models with panels of their own)."""
    return [
        model
        for model in apps.get_models()
        if model._meta.app_label in {"articles", "studio"}
        and not issubclass(model, Page)
        and (hasattr(model, "panels") or hasattr(model, "edit_handler"))
        and not getattr(model, "sort_order_field", None)  # inline rows: checked via formsets
    ]


def fields_without_help(form, where):
    missing = []
    for name, field in form.fields.items():
        if field.widget.is_hidden or name in NOT_EDITOR_FIELDS or name in {"id", "ORDER", "DELETE"}:
            continue
        if not (field.help_text or "").strip():
            missing.append(f"{where}.{name}")
    for formset_name, formset in getattr(form, "formsets", {}).items():
        if formset_name == "comments":
            continue
        missing += fields_without_help(formset.empty_form, f"{where}[{formset_name}]")
    return missing


@pytest.mark.django_db
def test_every_editor_facing_field_has_help_text():
    user = get_user_model().objects.create_superuser("owner", "owner@example.com", "x" * 16)
    missing = []
    for model in our_page_models():
        form_class = model.get_edit_handler().get_form_class()
        form = form_class(instance=model(), parent_page=None, for_user=user)
        missing += fields_without_help(form, model.__name__)
    for model in our_other_edited_models():
        form_class = get_edit_handler(model).get_form_class()
        form = form_class(instance=model(), for_user=user)
        missing += fields_without_help(form, model.__name__)

    assert missing == []
    assert StudioSettings in our_other_edited_models()


def blocks_without_help(block, path):
    missing = []
    for name, child in getattr(block, "child_blocks", {}).items():
        where = f"{path}.{name}"
        if isinstance(child, ImageBlock):
            # Wagtail's image + alt text + decorative trio: the help is on the block itself.
            if not child.meta.help_text:
                missing.append(where)
        elif isinstance(child, blocks.StructBlock | blocks.StreamBlock):
            missing += blocks_without_help(child, where)
        elif not (getattr(child, "field", None) is not None and child.field.help_text):
            missing.append(where)
    return missing


def test_every_block_field_has_help_text():
    missing = blocks_without_help(ArticleBodyBlock(), "article body")
    missing += blocks_without_help(StudioStreamBlock(), "studio page body")

    assert missing == []


def test_the_help_speaks_the_studios_words(db):
    from articles.models import ArticlePage

    summary = ArticlePage._meta.get_field("summary").help_text
    alt = ArticlePage._meta.get_field("hero_image_alt").help_text
    social_alt = ArticlePage._meta.get_field("social_image_alt").help_text

    assert "make someone want to read on" in summary
    assert "someone who cannot see it" in alt
    assert "someone who cannot see it" in social_alt


def test_the_promote_tab_guides_search_and_sharing(client, demo_site):
    client.force_login(make_editor())

    page = client.get(edit_url(demo_site["article"])).content.decode()

    assert "For search engines" in page
    assert "up to about 155 characters" in page  # the search description's guidance
    assert "When shared on social media" in page
    assert 'name="social_image"' in page
    assert 'name="social_image_alt"' in page
    assert "cropped to a wide 1200×630" in page
    # Scheduling, in the status panel, explained too.
    assert "goes live by itself" in page


def test_a_social_image_is_shared_before_the_hero_photo(client, demo_site):
    moderator = Client_for(make_moderator())
    article = demo_site["article"]
    hero = make_image("Hero", "A woman walking in a park")
    social = make_image("Card", "Three clients laughing after a class")
    data = article_form_data(
        title=article.title,
        slug=article.slug,
        image=hero,
        social_image=social.pk,
        social_image_alt="Three clients laughing after a class",
    )
    data["action-publish"] = "Publish"

    response = moderator.post(edit_url(article), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    page = client.get(article.url).content.decode()
    assert 'property="og:image:alt" content="Three clients laughing after a class"' in page


def test_a_social_image_needs_its_alt_text(demo_site):
    moderator = Client_for(make_moderator())
    article = demo_site["article"]
    data = article_form_data(
        title=article.title, slug=article.slug, social_image=make_image().pk, social_image_alt=""
    )
    data["action-publish"] = "Publish"

    response = moderator.post(edit_url(article), data)

    assert response.status_code == 200
    assert "Describe the image for visitors who cannot see it." in response.content.decode()
    article.refresh_from_db()
    assert article.social_image is None


def Client_for(user):  # noqa: N802 - reads like a class at the call site
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db  # a new Page() looks up its content type (cached only once read)
def test_every_page_type_offers_mobile_and_desktop_previews():
    for model in our_page_models():
        sizes = {size["name"]: size["device_width"] for size in model().preview_sizes}
        assert {"mobile", "desktop"} <= sizes.keys(), model
        assert sizes["mobile"] < 500 < sizes["desktop"]


class TestPreviews(DemoPageTests):
    """Each page type previews from its own edit form, as an editor's preview button does."""

    def test_every_page_type_in_the_demo_site_previews(self):
        """StreamFields are drawn by JavaScript, so their pages' form data is built here."""
        from tests.support import page_form_data

        def article_data(page):
            return article_form_data(title=page.title, slug=page.slug)

        builders = {
            "HomePage": page_form_data,
            "ServiceIndexPage": None,  # read from the edit form
            "ServicePage": page_form_data,
            "AboutPage": page_form_data,
            "PrivacyPage": None,
            "ContactPage": None,
            "LearningIndexPage": None,
            "CategoryPage": None,
            "ArticlePage": article_data,
        }
        # A new page type must be added here, so its preview is tested too.
        assert {model.__name__ for model in our_page_models()} == builders.keys()
        for model in our_page_models():
            page = model.objects.get(pk=model.objects.order_by("pk").first().pk)
            build = builders[model.__name__]
            with self.subTest(page_type=model.__name__):
                self.assertPageIsPreviewable(page, post_data=build(page) if build else None)

    def test_an_editors_preview_of_an_unsaved_article_shows_it(self):
        editor = make_editor()
        self.client.force_login(editor)
        category = Page.objects.get(slug="health-wellness")
        url = reverse(
            "wagtailadmin_pages:preview_on_add", args=("articles", "articlepage", category.pk)
        )

        response = self.client.post(url, article_form_data(title="Previewed, not saved"))
        assert response.json()["is_valid"]
        page = self.client.get(url).content.decode()

        assert "Previewed, not saved" in page
        assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in page
