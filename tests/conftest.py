"""Shared fixtures: the demo site built by the real command, and builders for more articles."""

import datetime

import pytest
from django.core.management import call_command
from wagtail.rich_text import RichText

from articles.models import ArticlePage, CategoryPage, LearningIndexPage

pytest_plugins = ["tests.browser", "tests.production", "tests.contact_fixtures"]

ARTICLE_URL = (
    "/institute-for-learning/health-wellness/"
    "walking-to-improve-the-health-of-your-lower-back-and-joints/"
)


@pytest.fixture(autouse=True)
def fresh_content_version():
    """Each test starts with empty caches: a rolled-back test leaves its content version token
    behind for the next, so what was kept under it for that test's content must go."""
    from django.core.cache import caches

    from enfuse.caching import snapshot

    snapshot.forget_process_memory()
    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture
def demo_site(db):
    """The site as `load_demo_content` builds it: home, index, category, the client's article."""
    call_command("load_demo_content", verbosity=0)
    index = LearningIndexPage.objects.get()
    category = CategoryPage.objects.get(slug="health-wellness")
    article = ArticlePage.objects.get(url_path__endswith="lower-back-and-joints/")
    return {"index": index, "category": category, "article": article}


def add_article(category, title, *, published=None, tags=(), author=None, hero_image=None):
    """Create one live article in ``category`` (saved live directly: faster than a revision)."""
    page = ArticlePage(
        live=True,
        title=title,
        summary=f"Summary of {title}.",
        body=[("paragraph", RichText(f"<p>Body text of {title}.</p>"))],
        published_date=published or datetime.date(2024, 1, 1),
        author=author,
        hero_image=hero_image,
        hero_image_alt="A stand-in photo" if hero_image else "",
    )
    for tag in tags:
        page.tags.add(tag)
    category.add_child(instance=page)
    return page


@pytest.fixture
def make_articles():
    """Add ``count`` dated articles to a category, newest last, returning them in order."""

    def make(category, count, start=datetime.date(2024, 1, 1), **kwargs):
        return [
            add_article(
                category,
                f"Article {number}",
                published=start + datetime.timedelta(days=number),
                **kwargs,
            )
            for number in range(count)
        ]

    return make
