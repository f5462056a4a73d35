"""load_demo_content builds the site from the client's page, word for word, and is idempotent."""

import re
from html import unescape

import pytest
from django.core.management import call_command
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from articles.demo import SOURCE_FILE, article_lines, medical_disclaimer_text
from articles.models import ArticlePage, CategoryPage, LearningIndexPage, Series
from studio.models import StudioSettings, TeamMember
from tests.support import ARTICLE_URL


def visible_text(html):
    """The text a reader sees, with tags removed and whitespace folded."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def snapshot():
    return {
        "pages": Page.objects.count(),
        "revisions": Revision.objects.count(),
        "images": get_image_model().objects.count(),
        "series": Series.objects.count(),
        "team": TeamMember.objects.count(),
        "settings": StudioSettings.objects.count(),
    }


@pytest.mark.django_db
def test_running_twice_adds_nothing_the_second_time():
    call_command("load_demo_content", verbosity=0)
    first = snapshot()
    call_command("load_demo_content", verbosity=0)
    assert snapshot() == first
    assert Site.objects.get(is_default_site=True).root_page.specific_class.__name__ == "HomePage"


@pytest.mark.django_db
def test_a_second_run_keeps_staff_edits():
    call_command("load_demo_content", verbosity=0)
    article = ArticlePage.objects.get()
    article.title = "Edited by staff"
    article.save_revision().publish()
    call_command("load_demo_content", verbosity=0)
    assert ArticlePage.objects.get().title == "Edited by staff"


def test_the_article_carries_every_sentence_of_the_client_page(demo_site, client):
    page_text = visible_text(client.get(ARTICLE_URL).content.decode())
    for line in article_lines():
        # A caption glued to its paragraph in the capture is split into figure + text.
        for caption in ("Lower Back Pain", "Typical Joint"):
            if line.startswith(caption + "Walking"):
                line = line[len(caption) :]
        assert " ".join(line.split()) in page_text, line


def test_the_article_structure_follows_the_original(demo_site):
    body = demo_site["article"].body
    headings = [(b.value["level"], b.value["text"]) for b in body if b.block_type == "heading"]
    assert headings == [
        ("h2", "Lower Back Pain"),
        ("h2", "Joint Health"),
        ("h2", "Proper Walking Form"),
        ("h3", "Head and Shoulders"),
        ("h3", "Abdominal muscles"),
        ("h3", "Arms and Hands"),
    ]
    figures = [b.value for b in body if b.block_type == "figure"]
    assert [f["caption"] for f in figures] == [
        "Proper Sitting Posture",
        "Lower Back Pain",
        "Typical Joint",
        "Proper Walking Form",
    ]
    for figure in figures:
        assert len(figure["image"].contextual_alt_text) > 40
        assert figure["image"].file.name.endswith(".jpg")
    resources = [b.value for b in body if b.block_type == "external_resource"]
    assert resources[0]["source"] == "Spine-Health.com"


def test_the_tree_the_series_and_the_disclaimer(demo_site):
    assert demo_site["index"].title == "EnFuse Institute for Learning"
    assert demo_site["category"].title == "Health & Wellness"
    article = demo_site["article"]
    assert article.author.name == "Team EnFuse"
    series = Series.objects.get(title="Walking for health")
    parts = list(series.parts.order_by("sort_order"))
    assert parts[0].article_id == article.pk
    assert parts[1].article is None
    assert "bone health, mood and cardiovascular health" in parts[1].title
    disclaimer = StudioSettings.objects.get().medical_disclaimer
    assert disclaimer == medical_disclaimer_text()
    assert disclaimer.startswith("THIS SITE DOES NOT PROVIDE MEDICAL ADVICE")
    assert disclaimer in SOURCE_FILE.read_text(encoding="utf-8")


@pytest.mark.django_db
def test_synthetic_articles_for_benchmarks():
    call_command("load_demo_content", articles=15, verbosity=0)
    assert ArticlePage.objects.filter(slug__startswith="sample-article-").count() == 15
    assert CategoryPage.objects.count() == 4
    call_command("load_demo_content", articles=15, verbosity=0)
    assert ArticlePage.objects.filter(slug__startswith="sample-article-").count() == 15
    assert LearningIndexPage.objects.count() == 1
