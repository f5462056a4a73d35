"""Queue the contact form emails that are due: new, retries whose time has come, and sends
whose worker died. Run it every minute or so (`--loop 30` does so itself); see README.md."""

import signal
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections

from studio.contact import delivery


class Command(BaseCommand):
    help = (
        "Queue every contact form submission whose email is due (first sends, retries, and "
        "sends stuck for more than a few minutes). --requeue also puts failed ones back in "
        "the queue and makes every pending one due now. --loop SECONDS repeats for ever."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--requeue",
            "--requeue-failed",
            action="store_true",
            dest="requeue",
            help="First make failed and pending submissions due now, with a fresh three-day "
            "retry schedule (e.g. after fixing the mail settings).",
        )
        parser.add_argument(
            "--loop",
            type=float,
            metavar="SECONDS",
            help="Sweep again every SECONDS until stopped (for the worker container).",
        )

    def handle(self, *args, requeue, loop, verbosity, **options):
        if loop is not None and loop <= 0:
            raise CommandError("--loop must be a positive number of seconds.")
        self.stopping = False
        self.sweeps = 0
        if not loop:
            self.sweep(requeue, verbosity)
            return
        previous = {sig: signal.signal(sig, self.stop) for sig in (signal.SIGTERM, signal.SIGINT)}
        try:
            while not self.stopping:
                self.sweep(requeue, verbosity)
                requeue = False
                close_old_connections()
                deadline = time.monotonic() + loop
                while not self.stopping and time.monotonic() < deadline:
                    time.sleep(min(0.5, loop))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def sweep(self, requeue, verbosity):
        queued = delivery.sweep(requeue=requeue)
        self.sweeps += 1
        if verbosity > 1 or (queued and verbosity > 0):
            self.stdout.write(f"Queued {queued} contact message(s) for delivery.")

    def stop(self, signum, frame):
        self.stopping = True
