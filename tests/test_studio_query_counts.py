"""Performance: the studio settings are read once per content change (not once per request),
however many places show them, and the home page's query count does not grow with the number of
services or articles."""

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import ArticlePage
from enfuse.caching.version import bump
from studio.models import ServicePage
from tests.support import DemoPageTests, make_image


def queries_for(client, url):
    """The SQL of one request, after a first request has made any missing image renditions."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in context.captured_queries]


def reading(table, queries):
    return [sql for sql in queries if f'FROM "{table}"' in sql]


class SettingsReadOncePerRequestTests(DemoPageTests):
    def test_settings_and_their_rows_are_read_once_per_content_change_on_every_page(self):
        client = Client()
        urls = [
            self.pages[name].url
            for name in ("home", "services", "pilates", "about", "learning", "category", "article")
        ] + ["/medical-disclaimer/"]
        tables = (
            "studio_studiosettings",
            "studio_openinghours",
            "studio_specialday",
            "studio_sociallink",
        )
        for url in urls:
            with self.subTest(url=url):
                # After a change: header, footer, JSON-LD and page body all show the
                # settings; one read each.
                bump()
                with CaptureQueriesContext(connection) as context:
                    self.assertEqual(client.get(url).status_code, 200)
                queries = [query["sql"] for query in context.captured_queries]
                for table in tables:
                    self.assertEqual(len(reading(table, queries)), 1, table)
                # Until the next change, none (kept in the site snapshot, enfuse/caching).
                queries = queries_for(client, url)
                for table in tables:
                    self.assertEqual(len(reading(table, queries)), 0, table)


class HomePageQueryCountTests(DemoPageTests):
    def add_service(self, number):
        page = ServicePage(
            title=f"Service {number}",
            slug=f"service-{number}",
            summary=f"What service {number} is.",
            image=make_image(f"Service {number}"),
            image_alt=f"A photo of service {number}.",
        )
        self.pages["services"].add_child(instance=page)
        page.save_revision().publish()

    def add_article(self, number):
        page = ArticlePage(
            title=f"Article {number}",
            slug=f"article-{number}",
            summary=f"Summary of article {number}.",
            body=[("paragraph", f"<p>Body of article {number}.</p>")],
            published_date=datetime.date(2025, 1, 1) + datetime.timedelta(days=number),
            hero_image=make_image(f"Article {number}"),
            hero_image_alt=f"A photo for article {number}.",
        )
        self.pages["category"].add_child(instance=page)
        page.save_revision().publish()

    def test_home_page_query_count_is_fixed(self):
        # 2 services and 3 articles...
        for service in ServicePage.objects.exclude(slug__in=["pilates", "yoga"]):
            service.delete()
        for number in range(2):
            self.add_article(number)
        self.assertEqual(ServicePage.objects.live().count(), 2)
        self.assertEqual(ArticlePage.objects.live().count(), 3)
        client = Client()
        small = queries_for(client, "/")

        # ...then 8 services and 30 articles.
        for number in range(6):
            self.add_service(number)
        for number in range(2, 29):
            self.add_article(number)
        self.assertEqual(ServicePage.objects.live().count(), 8)
        self.assertEqual(ArticlePage.objects.live().count(), 30)
        large = queries_for(client, "/")
        content = client.get("/").content.decode()
        self.assertEqual(content.count('class="card service-card"'), 8)
        self.assertIn("Article 28", content)

        self.assertEqual(len(large), len(small), "\n".join(large))
        self.assertLessEqual(len(large), 30)
