"""Scheduled publishing: a moderator sets a go-live time, and the scheduler publishes the page
when it is due (Wagtail's publish_scheduled, run every minute by the compose stack's scheduler).
"""

import datetime
import shutil

import pytest
from django.core.management import call_command
from django.utils import timezone

from articles.models import ArticlePage
from tests.support import (
    add_article_url,
    article_form_data,
    compose_service_block,
    edit_url,
    run_compose,
)


def make_due(revision):
    """Move a scheduled revision's go-live time into the past, rather than wait for it."""
    past = timezone.now() - datetime.timedelta(minutes=1)
    revision.approved_go_live_at = past
    revision.content["go_live_at"] = past.isoformat()
    revision.save(update_fields=["approved_go_live_at", "content"])


def test_a_scheduled_article_goes_live_when_due_and_not_before(moderator_client, demo_site):
    data = article_form_data(slug="scheduled-article")
    go_live = timezone.localtime() + datetime.timedelta(hours=2)
    data["go_live_at"] = go_live.strftime("%Y-%m-%d %H:%M")
    data["action-publish"] = "Publish"

    response = moderator_client.post(add_article_url(demo_site["category"]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    article = ArticlePage.objects.get(slug="scheduled-article")
    assert not article.live
    revision = article.scheduled_revision
    assert revision is not None

    call_command("publish_scheduled", verbosity=0)
    article.refresh_from_db()
    assert not article.live  # not yet due

    make_due(revision)
    call_command("publish_scheduled", verbosity=0)
    article.refresh_from_db()
    assert article.live


def test_an_expiry_time_unpublishes_the_article_when_due(moderator_client, demo_site):
    article = demo_site["article"]
    expire = timezone.localtime() + datetime.timedelta(days=1)
    data = article_form_data(title=article.title, slug=article.slug)
    data["expire_at"] = expire.strftime("%Y-%m-%d %H:%M")
    data["action-publish"] = "Publish"
    assert moderator_client.post(edit_url(article), data).status_code == 302
    article.refresh_from_db()
    assert article.live and article.expire_at is not None

    call_command("publish_scheduled", verbosity=0)
    article.refresh_from_db()
    assert article.live

    ArticlePage.objects.filter(pk=article.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    call_command("publish_scheduled", verbosity=0)
    article.refresh_from_db()
    assert not article.live and article.expired


@pytest.mark.skipif(shutil.which("docker-compose") is None, reason="docker-compose is missing")
def test_the_compose_stack_runs_the_scheduler_every_minute(tmp_path):
    result = run_compose(tmp_path, "config", "--services")
    assert result.returncode == 0, result.stderr
    assert "scheduler" in result.stdout.split()

    scheduler = compose_service_block(run_compose(tmp_path, "config").stdout, "scheduler")
    assert "while true; do python manage.py publish_scheduled; sleep 60; done" in scheduler
    assert "DJANGO_SETTINGS_MODULE: enfuse.settings.production" in scheduler
    assert "service_completed_successfully" in scheduler
