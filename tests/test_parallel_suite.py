"""The suite on several processes (pytest-xdist, as scripts/test runs it): each worker has a
database and a media folder of its own, and the tests that share session servers (production,
browser) are kept together and last, as tests/conftest.py orders them."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from tests.support import make_image

WORKER = os.environ.get("PYTEST_XDIST_WORKER")
needs_workers = pytest.mark.skipif(not WORKER, reason="one process: scripts/test runs workers")


@needs_workers
@pytest.mark.django_db
def test_each_worker_has_a_test_database_of_its_own():
    name = connection.settings_dict["NAME"]
    if connection.vendor == "postgresql":
        assert name.endswith(f"_{WORKER}"), name
    else:
        assert "mode=memory" in name, name  # an in-memory database lives in one process


@needs_workers
@pytest.mark.django_db
def test_each_worker_uploads_to_a_folder_of_its_own():
    assert Path(settings.MEDIA_ROOT).name == f"media-{WORKER}"
    image = make_image()
    assert Path(image.file.path).is_relative_to(settings.MEDIA_ROOT)


def test_production_and_browser_tests_are_grouped_and_run_last(request):
    """`--dist loadgroup` gives each xdist_group to one worker, so the production harness and
    the browser's live site start once; they run after the tests that need an empty database."""
    # Set in each worker under `--dist loadgroup`, which then names a test's group in its id.
    loadgroup = getattr(request.config.option, "loadgroup", False)
    ranks = []
    for item in request.session.items:
        groups = [mark.args[0] for mark in item.iter_markers("xdist_group")]
        if groups and loadgroup:
            assert item.nodeid.endswith(f"@{groups[0]}"), "xdist ignores the group: see pyproject"
        if item.get_closest_marker("browser"):
            assert groups == ["browser"], item.nodeid
            ranks.append(2)
        elif item.get_closest_marker("production"):
            assert groups == ["production"], item.nodeid
            ranks.append(1)
        else:
            assert groups == [], item.nodeid
            ranks.append(0)
    assert ranks == sorted(ranks)
