"""Rewrite every article's search entry (PostgreSQL), e.g. after article rows were written
with raw SQL. Publishing keeps the entries up to date by itself."""

from django.core.management.base import BaseCommand
from django.db import connection, transaction
from wagtail.models import Page

from articles import search_index


class Command(BaseCommand):
    help = (
        "Rewrite the site search's entry of every article (PostgreSQL only; on other "
        "databases Wagtail's backend searches and `update_index` rebuilds it)."
    )

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Not PostgreSQL: nothing to do (Wagtail's index serves search).")
            return
        root = Page.get_first_root_node()
        with transaction.atomic():
            count = search_index.index_articles_below(root)
        self.stdout.write(f"Wrote the search entries of {count} articles.")
