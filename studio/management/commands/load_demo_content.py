"""Build the demo site from the client's content. Safe to run any number of times."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from articles.demo import add_synthetic_articles, build_learning_section
from enfuse.images import make_missing_renditions
from studio.demo import (
    build_about,
    build_contact,
    build_home,
    build_privacy,
    build_questions,
    build_services,
    build_studio_settings,
    build_team,
    build_testimonials,
)
from studio.staff.roles import setup_institute
from studio.timetable.demo import build_timetable


class Command(BaseCommand):
    help = (
        "Build the home page, the services, the about and contact pages, the studio details, "
        "testimonials, questions, an example class timetable and the EnFuse Institute for "
        "Learning with the client's article. Existing pages and edits are kept as they are; "
        "only what is missing is added."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--articles",
            type=int,
            default=0,
            help="Also make sure this many synthetic articles exist (for benchmarks and tests).",
        )

    def handle(self, *args, articles, **options):
        if articles < 0:
            raise CommandError("--articles must be zero or more.")
        with transaction.atomic():
            home, site = build_home()
            build_studio_settings(site)
            team = build_team()
            # The menu follows this order: Services, Institute for Learning, About, Contact.
            _, services = build_services(home)
            index, category, article = build_learning_section(home, team)
            # Editors write here; their articles wait for a moderator's approval.
            setup_institute(index)
            build_about(home, team)
            build_contact(home)
            build_privacy(home)
            build_testimonials(services)
            build_questions()
            build_timetable(services, team)
        created = add_synthetic_articles(index, articles, team) if articles else 0
        # Every rendition the templates use, so the first visitor never waits for one (images
        # made above have theirs made as they are saved; this finds any still missing).
        transaction.on_commit(make_missing_renditions)
        self.stdout.write(self.style.SUCCESS(f"Demo content ready: {article.full_url}"))
        self.stdout.write(f"Home page: {home.full_url}")
        if created:
            self.stdout.write(f"Added {created} synthetic articles.")
