"""New pages and autosave: an editor who abandons a new article and starts again is shown the
draft that holds the web address (open it or discard it), instead of a dead end."""

from django.urls import reverse
from wagtail.models import Page

from articles.models import ArticlePage
from tests.support import add_article_url, article_form_data, make_editor


def save_draft(client, category, **changes):
    return client.post(add_article_url(category), article_form_data(**changes))


def test_a_second_attempt_points_to_the_abandoned_draft(client, demo_site):
    client.force_login(make_editor())
    category = demo_site["category"]
    assert (
        save_draft(
            client, category, title="Walking in winter", slug="walking-in-winter"
        ).status_code
        == 302
    )
    draft = ArticlePage.objects.get(slug="walking-in-winter")
    assert not draft.live

    response = save_draft(client, category, title="Walking in winter", slug="walking-in-winter")

    assert response.status_code == 200
    page = response.content.decode()
    assert "An unpublished draft" in page
    assert f'href="{reverse("wagtailadmin_pages:edit", args=[draft.pk])}">Open that draft' in page
    assert f'href="{reverse("wagtailadmin_pages:delete", args=[draft.pk])}">discard it' in page
    assert "&lt;a href" not in page  # never shown as escaped markup
    # The editor may open and discard their own draft.
    assert client.get(reverse("wagtailadmin_pages:edit", args=[draft.pk])).status_code == 200
    client.post(reverse("wagtailadmin_pages:delete", args=[draft.pk]))
    assert not Page.objects.filter(pk=draft.pk).exists()
    assert (
        save_draft(
            client, category, title="Walking in winter", slug="walking-in-winter"
        ).status_code
        == 302
    )


def test_a_published_page_keeps_wagtails_own_message(admin_client, demo_site):
    article = demo_site["article"]
    response = admin_client.post(
        add_article_url(article.get_parent()), article_form_data(slug=article.slug)
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "is already in use within the parent page" in page
    assert "An unpublished draft" not in page
