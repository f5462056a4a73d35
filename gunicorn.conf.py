"""gunicorn's settings file, read by gunicorn from the project folder on its own; the command
line (docker-compose.yml, the Dockerfile) gives the rest."""

import logging
import os
import sys


def worker_exit(server, worker):
    """A worker that is done (it reached --max-requests, or was told to stop) leaves at once.

    Python's normal exit tears the interpreter down object by object: about a second for a
    worker holding Django and Wagtail (measured with scripts/loadtest), during which the
    master has not yet replaced it, so the other worker takes all the traffic. There is
    nothing left to do but close the database connections and flush the logs. A worker that
    failed, and the master (gunicorn calls this hook there too for a worker found already
    gone), take the normal path, so their exit status still says what happened.
    """
    if os.getpid() != worker.pid or not worker.booted or worker.alive:
        return
    from django.db import connections

    connections.close_all()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(0)
