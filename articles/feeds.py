"""RSS feeds of the Institute's articles: one for all, one per category."""

import datetime

from django.contrib.syndication.views import Feed
from django.utils import timezone
from django.utils.feedgenerator import Rss201rev2Feed

FEED_LENGTH = 20


class ArticleFeed(Feed):
    """The latest articles below a page (the index or a category), newest first."""

    feed_type = Rss201rev2Feed

    def __init__(self, page):
        super().__init__()
        self.page = page

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return self.page

    def title(self, page):
        return f"{page.title} | EnFuse Fitness"

    def link(self, page):
        return page.get_full_url(self.request)

    def description(self, page):
        return f"Health articles from {page.title}, by the team at EnFuse Fitness."

    def items(self, page):
        return page.articles().prefetch_related("tags")[:FEED_LENGTH]

    def item_title(self, article):
        return article.title

    def item_description(self, article):
        return article.summary

    def item_link(self, article):
        return article.get_full_url(self.request)

    def item_author_name(self, article):
        return article.author.name if article.author else None

    def item_pubdate(self, article):
        if not article.show_date:
            return None
        published = datetime.datetime.combine(article.published_date, datetime.time(8, 0))
        return timezone.make_aware(published)

    def item_updateddate(self, article):
        return article.last_published_at

    def item_categories(self, article):
        return [tag.name for tag in article.tags.all()]
