"""An editor's article goes live only after a moderator approves it, through the admin's views."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from wagtail.models import Page, TaskState, WorkflowState
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from articles.models import ArticlePage, Series
from studio.staff.roles import WORKFLOW_NAME
from tests.support import (
    add_article_url,
    article_form_data,
    edit_url,
    make_editor,
    make_image,
    make_moderator,
)


@pytest.fixture
def staff(demo_site):
    editor, moderator = make_editor(), make_moderator()
    editor_client, moderator_client = Client(), Client()
    editor_client.force_login(editor)
    moderator_client.force_login(moderator)
    return {
        "editor": editor,
        "moderator": moderator,
        "editor_client": editor_client,
        "moderator_client": moderator_client,
        "category": demo_site["category"],
        "index": demo_site["index"],
    }


def submit_new_article(staff, **changes):
    """The editor writes an article with a figure and presses 'Submit for moderation'."""
    data = article_form_data(image=make_image(), **changes)
    data["action-submit"] = "Submit to Moderator approval"
    response = staff["editor_client"].post(add_article_url(staff["category"]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return ArticlePage.objects.get(slug=data["slug"])


def current_task_state(page):
    return TaskState.objects.get(
        workflow_state__object_id=str(page.pk), status=TaskState.STATUS_IN_PROGRESS
    )


def approve(staff, page, comment="Lovely, thank you"):
    task_state = current_task_state(page)
    url = reverse("wagtailadmin_pages:workflow_action", args=(page.pk, "approve", task_state.pk))
    return staff["moderator_client"].post(url, {"comment": comment})


def test_the_institute_uses_the_moderator_approval_workflow(staff):
    workflow = staff["index"].get_workflow()

    assert workflow is not None and workflow.name == WORKFLOW_NAME
    assert [task.name for task in workflow.tasks] == [WORKFLOW_NAME]
    assert [g.name for g in workflow.tasks[0].specific.groups.all()] == ["Moderators"]


def test_a_submitted_article_waits_for_a_moderator_who_is_told(staff):
    mail.outbox.clear()

    article = submit_new_article(staff)

    article.refresh_from_db()
    assert not article.live
    assert article.workflow_in_progress
    assert article.owner == staff["editor"]
    # The figure (with its alt text) was saved in the draft: the block names are real.
    body = article.get_latest_revision_as_object().body
    assert [block.block_type for block in body] == ["heading", "paragraph", "figure"]
    # Visitors cannot see it.
    assert Client().get(staff["category"].url + article.slug + "/").status_code == 404
    assert not Page.objects.live().filter(pk=article.pk).exists()
    # Wagtail's notification went to the moderator.
    to_moderator = [m for m in mail.outbox if staff["moderator"].email in m.to]
    assert len(to_moderator) == 1
    assert "Stretching after a walk" in to_moderator[0].subject
    assert to_moderator[0].from_email == "EnFuse Fitness <noreply@enfusefitness.com>"


def test_an_editor_cannot_publish_even_by_posting_the_publish_action(staff):
    data = article_form_data(slug="published-by-an-editor")
    data["action-publish"] = "Publish"

    response = staff["editor_client"].post(add_article_url(staff["category"]), data)

    assert response.status_code in (302, 403)
    article = ArticlePage.objects.filter(slug="published-by-an-editor").first()
    assert article is None or not article.live

    # Nor on an existing live article (the client's article) through its edit view.
    live = ArticlePage.objects.live().first()
    live_revision, title = live.live_revision_id, live.title
    data = article_form_data(title="Changed by an editor", slug=live.slug)
    data["action-publish"] = "Publish"
    staff["editor_client"].post(edit_url(live), data)
    live.refresh_from_db()
    assert (live.live_revision_id, live.title) == (live_revision, title)


def test_an_editor_does_not_see_the_publish_button(staff):
    response = staff["editor_client"].get(add_article_url(staff["category"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="action-submit"' in page
    assert 'name="action-publish"' not in page


def test_the_moderator_approves_and_the_article_goes_live_and_the_editor_is_told(staff):
    article = submit_new_article(staff)
    mail.outbox.clear()

    response = approve(staff, article)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.live
    assert not article.has_unpublished_changes
    assert article.live_revision.user == staff["editor"]
    assert staff["editor_client"].get(article.url).status_code == 200
    to_editor = [m for m in mail.outbox if staff["editor"].email in m.to]
    assert len(to_editor) == 1
    assert "approved" in to_editor[0].subject.lower()
    # The editor's dashboard shows the decision and the moderator's comment.
    dashboard = staff["editor_client"].get(reverse("wagtailadmin_home")).content.decode()
    assert "Stretching after a walk" in dashboard
    assert "Lovely, thank you" in dashboard


def test_the_moderator_asks_for_changes_and_the_editor_sees_why(staff):
    article = submit_new_article(staff)
    mail.outbox.clear()
    task_state = current_task_state(article)
    url = reverse("wagtailadmin_pages:workflow_action", args=(article.pk, "reject", task_state.pk))

    staff["moderator_client"].post(url, {"comment": "Please add a source for the stretch."})

    article.refresh_from_db()
    assert not article.live
    state = WorkflowState.objects.get(object_id=str(article.pk))
    assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
    to_editor = [m for m in mail.outbox if staff["editor"].email in m.to]
    assert len(to_editor) == 1
    dashboard = staff["editor_client"].get(reverse("wagtailadmin_home")).content.decode()
    assert "Please add a source for the stretch." in dashboard


def test_an_editor_writes_the_announced_part_of_a_series_and_it_shows_once_live(staff):
    """The demo series announces part 2; the editor writes it and links it in the series."""
    article = submit_new_article(staff, title="Walking for bone health", slug="bone-health")
    series = Series.objects.get(title="Walking for health")
    first, planned = series.parts.order_by("sort_order")
    url = reverse("wagtailsnippets_articles_series:edit", args=(series.pk,))
    data = nested_form_data(
        {
            "title": series.title,
            "description": series.description,
            "parts": inline_formset(
                [
                    {"id": first.pk, "article": first.article_id, "planned_title": ""},
                    {
                        "id": planned.pk,
                        "article": article.pk,
                        "planned_title": planned.planned_title,
                    },
                ],
                initial=2,
            ),
        }
    )

    response = staff["editor_client"].post(url, data)

    assert response.status_code == 302, response.content.decode()[:2000]
    planned.refresh_from_db()
    assert planned.article == article
    # Not live yet: the first part still announces it without a link.
    assert not planned.is_available

    approve(staff, article)
    article.refresh_from_db()
    page = staff["editor_client"].get(article.url).content.decode()
    assert "Part 2 of 2" in page
    first_page = staff["editor_client"].get(first.article.url).content.decode()
    assert f'href="{article.url}"' in first_page


def test_a_moderator_publishes_a_service_page_directly(staff, demo_site):
    from studio.models import ServicePage
    from tests.support import page_form_data

    service = ServicePage.objects.get(slug="pilates")
    data = page_form_data(service, summary="Pilates, now with morning classes.")
    data["action-publish"] = "Publish"

    response = staff["moderator_client"].post(edit_url(service), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    service.refresh_from_db()
    assert service.summary == "Pilates, now with morning classes."
    assert service.live and not service.has_unpublished_changes
