"""scripts/bench's wrk script (scripts/bench-paths.lua): the first-view mode asks for each
article once, so each view is a first view; nothing here is timed."""

import shutil
from collections import Counter

import pytest

from tests.support import PathRecorder, run_bench_paths_script

pytestmark = pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")


def test_once_asks_for_no_path_twice_and_stops_when_the_list_is_used_up(tmp_path):
    paths = [f"/articles/sample-{number}/" for number in range(60)]
    paths_file = tmp_path / "paths.txt"
    paths_file.write_text("".join(f"{path}\n" for path in paths))
    with PathRecorder() as server:
        requests, _, _, _, errors, exhausted, first_used_up = run_bench_paths_script(
            server.url, paths_file, "once", duration="3s"
        )
    asked = Counter(server.paths)
    # A connection that reopens after its thread's share is used up (a server closing each
    # connection, as gunicorn's sync workers do) asks for that share's last path once more:
    # at most one repeat per connection, and only of a share's last path.
    last_of_each_share = {paths[-2], paths[-1]}
    repeated = {path: count for path, count in asked.items() if count > 1}
    assert set(repeated) <= last_of_each_share
    assert sum(count - 1 for count in repeated.values()) <= 4
    assert set(asked) <= set(paths)
    # Both threads used up their share rather than starting it again;
    # a thread stopping may leave a request it sent unanswered, so wrk counts at most as many.
    assert exhausted == 2
    assert len(asked) >= len(paths) - 2
    assert requests <= len(server.paths)
    assert errors == 0
    # When the first share ran out (to the millisecond: 30 requests take more than one), which
    # scripts/bench shortens a round that ran out to.
    assert 0 < first_used_up < 3


def test_cycle_asks_for_each_path_again_and_nothing_else(tmp_path):
    paths = ["/blog/wild-yeast/", "/blog/bread-circuses/", "/blog/sliced-bread/", "/blog/"]
    paths_file = tmp_path / "paths.txt"
    paths_file.write_text("".join(f"{path}\n" for path in paths))
    with PathRecorder() as server:
        requests, *_, exhausted, first_used_up = run_bench_paths_script(
            server.url, paths_file, "cycle", duration="1s"
        )
    asked = Counter(server.paths)
    assert set(asked) == set(paths)
    assert min(asked.values()) > 1
    assert exhausted == first_used_up == 0
    assert requests > len(paths)
