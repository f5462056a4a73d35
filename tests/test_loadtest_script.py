"""scripts/loadtest's own pieces: the client that fills in the contact form as a browser does,
against the production site, and the table it prints. The load test itself is a script that
prints figures; nothing here is timed."""

import asyncio
import concurrent.futures

import pytest

from tests.support import HOST, Gunicorn, load_loadtest_script

loadtest = load_loadtest_script()


@pytest.fixture(scope="module")
def quick_form_site(production_site):
    """The production site, taking a form sent as soon as it is shown (as the load test sets
    CONTACT_MIN_FILL_SECONDS low), with its own rate-limit counters (its own cache folder)."""
    env = {
        **production_site.env,
        "CONTACT_MIN_FILL_SECONDS": "0",
        "DJANGO_CACHE_DIR": str(production_site.workdir / "cache-loadtest"),
    }
    server = Gunicorn(env, production_site.workdir / "gunicorn-loadtest.log", workers=1)
    server.start()
    yield server
    server.stop()


def run_in_own_loop(coroutine):
    """asyncio.run in a thread of its own: Playwright's sync API (the browser tests) may have
    left an event loop running in this one."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def test_the_client_sends_the_contact_form_as_a_browser_does(
    production_site, quick_form_site, monkeypatch
):
    monkeypatch.setattr(loadtest, "HOST", HOST)
    results = []
    browser = loadtest.Browser(quick_form_site.port, results)
    tag = "loadtest-smoke-w-0-0"
    posted = run_in_own_loop(browser.send_contact_form("/contact/", tag, min_fill=0))
    # GET the form (CSRF cookie and token, signed timestamp), POST it, follow the redirect.
    assert [(result.kind, result.status) for result in results] == [
        ("form", 200),
        ("post", 302),
        ("thanks", 200),
    ]
    assert loadtest.is_success(posted)
    stored = production_site.django(
        "from studio.models import ContactSubmission\n"
        f"rows = ContactSubmission.objects.filter(message__startswith={tag!r})\n"
        "print(list(rows.values_list('is_spam', flat=True)))"
    )
    assert stored.strip() == "[False]"


def test_a_refused_post_is_not_a_success():
    redirect_elsewhere = loadtest.Result("post", 0, 1, 302, {"location": ["/contact/"]})
    assert not loadtest.is_success(redirect_elsewhere)
    assert not loadtest.is_success(loadtest.Result("post", 0, 1, 503))
    assert not loadtest.is_success(loadtest.Result("post", 0, 1, 0))


def test_the_table_has_a_line_per_phase_and_a_verdict_per_target():
    results = [
        loadtest.Result("read", 0.0, 0.1, 200),
        loadtest.Result("read", 0.0, 0.3, 503),
        loadtest.Result("read", 0.0, 0.2, 0),
        loadtest.Result("read", 0.0, 0.2, 500),
    ]
    row = loadtest.Row("read", "50", 2.0, results, cpu=0.5)
    table = loadtest.render_table("Title", [row], [(True, "read: fine"), (False, "recovery: not")])
    lines = table.splitlines()
    assert lines[0] == "Title"
    assert lines[2].split()[:4] == ["phase", "clients", "s", "requests"]
    assert lines[4].split() == ["read", "50", "2", "4", "2", "200", "300", "300"] + [
        "2",  # 5xx
        "1",  # 500
        "1",  # 503
        "1",  # no answer
        "25%",  # the generator's CPU
    ]
    assert lines[-2:] == ["PASS  read: fine", "MISS  recovery: not"]


def test_recovery_is_the_first_second_from_which_p95_stays_normal():
    windows = {0: 900, 1: 400, 2: 90, 3: 300, 4: 80, 5: 95, 6: 70, 7: 60}
    assert loadtest.recovery_seconds(windows, normal=100, seconds=8) == 4
    # A second in which no request even started (clients all waiting) is not recovered.
    assert loadtest.recovery_seconds({0: 50, 2: 50, 3: 50, 4: 50}, 100, 5) == 2
    assert loadtest.recovery_seconds({0: 500, 1: 500}, 100, 2) is None


def test_p95_per_second_counts_requests_by_when_they_started():
    results = [
        loadtest.Result("read", 10 + i / 100, 10 + i / 100 + i / 1000, 200) for i in range(200)
    ]
    windows = loadtest.p95_by_second(results, start=10, seconds=2)
    assert sorted(windows) == [0, 1]
    assert windows[0] == pytest.approx(95)  # 100 requests of 0..99 ms
    assert windows[1] == pytest.approx(195)
