"""gunicorn as production runs it: --preload, and gunicorn.conf.py's worker_exit hook, which
lets a worker replaced after --max-requests leave at once (scripts/loadtest measures the
difference). Replacing workers again and again loses no request, the hook raises nothing,
and the master, which gunicorn also calls the hook in, keeps running."""

import os
import signal
from pathlib import Path

from tests.support import Gunicorn


def test_workers_replaced_after_max_requests_lose_nothing(production_site, tmp_path):
    server = Gunicorn(
        production_site.env,
        tmp_path / "gunicorn.log",
        workers=1,
        options=["--preload", "--max-requests=3", "--max-requests-jitter=0"],
    ).start()
    try:
        client = server.client()
        # A generous limit: at nice 15 on a busy machine a first render can take long.
        urls = ["/", "/services/", "/healthz"] * 5
        statuses = [client.get(url, timeout=60).status for url in urls]
        assert statuses == [200] * 15
        assert server.process.poll() is None  # the master is still there
    finally:
        server.stop()
    log = server.log_tail(10**6)
    assert log.count("Autorestarting worker after current request") >= 4
    assert "Exception during worker exit" not in log
    assert "Traceback" not in log


def test_a_stopped_worker_is_replaced_and_the_master_survives(production_site, tmp_path):
    server = Gunicorn(
        production_site.env, tmp_path / "gunicorn.log", workers=1, options=["--preload"]
    ).start()
    try:
        client = server.client()
        assert client.get("/").status == 200
        master = server.process.pid
        workers = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        assert len(workers) == 1
        os.kill(int(workers[0]), signal.SIGTERM)  # the worker stops gracefully: the hook's path
        assert client.get("/", timeout=60).status == 200  # served by its replacement
        assert server.process.poll() is None
    finally:
        server.stop()
    assert "Exception during worker exit" not in server.log_tail(10**6)
