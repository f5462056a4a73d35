"""Send the queued front-cache purges (enfuse/caching/purges.py); with --loop, keep doing it."""

import time

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from enfuse.caching import purges


class Command(BaseCommand):
    help = "Send the front-cache purges that are due; --loop keeps sending them every second."

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            nargs="?",
            type=float,
            const=1.0,
            default=None,
            metavar="SECONDS",
            help="Keep running, looking for due purges every SECONDS (default 1).",
        )

    def handle(self, *args, loop=None, verbosity=1, **options):
        if not purges.configured():
            self.stderr.write("FRONTEND_CACHE_PURGE_URL is not set: there is nothing to purge.")
        while True:
            try:
                sent, failed = purges.send_due()
                if verbosity > 1 or (loop is None and verbosity > 0):
                    self.stdout.write(f"{sent} sent, {failed} to retry")
            except Exception:
                if loop is None:
                    raise
                # The database restarting: try again shortly, as the worker must keep running.
                self.stderr.write("Purges not sent this round (see the log); retrying")
            if loop is None:
                return
            close_old_connections()
            time.sleep(loop)
