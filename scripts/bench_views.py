"""In-process measurements behind scripts/bench's first-view and after-edit modes (the script
seeds the database and sets the environment; this prints tab-separated rows it reads).

  paths OUT_DIR             the articles, shuffled, split into the in-process set (first 200),
                            a few to warm the workers with, the after-edit mode's (200) and
                            the rest for wrk; plus the pages measured after an edit. Moves the
                            content version on first, so no page or fragment kept by an earlier
                            run is found again.
  first-view PATHS WARM     median ms and queries of views of articles never rendered before,
                            the furniture warm (each asked for once, page cache off)
  after-edit PAGES PATHS REPEAT
                            median ms and queries of first views of articles (PATHS) just after
                            each kind of edit (an article published, a page published, the site
                            settings saved, a site-wide change whose snapshot the shared store
                            lost) in turns with first views after none; then of the other PAGES
                            each just after a page's publish
  new-content-version       moves the content token alone (as an article's publish does), so
                            no article's HTML kept so far is found again; the furniture stays
                            kept (each first-view round over HTTP starts with it)
  edit-loop INTERVAL OUT    a site-wide change every INTERVAL seconds until stopped
                            (SIGTERM), then writes how many times and its CPU seconds to OUT
                            (which holds "starting" once it has begun)
  bakerydemo REPEAT         bakerydemo's home, blog index and blog posts (run in its venv, with
                            its production settings: every view renders)

Times are wall-clock around Django's test Client, in this one process; queries are counted with
CaptureQueriesContext. Each figure is the median of its views.
"""

import gc
import os
import random
import statistics
import sys
import time
from pathlib import Path

IN_PROCESS_ARTICLES = 200
AFTER_EDIT_ARTICLES = 200
WARM_ARTICLES = 8
BAKERYDEMO_POSTS = [
    "/blog/wild-yeast/",
    "/blog/bread-circuses/",
    "/blog/desserts-benefits/",
    "/blog/icelandic-baking/",
    "/blog/joy-baking-soda/",
    "/blog/sliced-bread/",
]
BAKERYDEMO_PAGES = [("home", "/"), ("blog index", "/blog/")]


def setup_django(project_dir):
    sys.path.insert(0, str(project_dir))
    import django

    django.setup()
    from django.conf import settings

    # The test Client's host; the pages are the same for any allowed host.
    settings.ALLOWED_HOSTS = ["*"]


def measure(client, url, before=None):
    """(ms, queries) of one GET of ``url``; ``before()`` runs first, untimed."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if before is not None:
        before()
        # The change's garbage is the changing process's to collect, not the view's (another
        # worker serves it in production): otherwise a collection lands inside the timed view.
        gc.collect()
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(url)
        elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    return elapsed, len(queries)


def summary(samples):
    """'median ms<TAB>median queries<TAB>fewest-most queries<TAB>views'."""
    times = [ms for ms, _ in samples]
    counts = [count for _, count in samples]
    spread = f"{min(counts)}-{max(counts)}" if min(counts) != max(counts) else str(counts[0])
    return (
        f"{statistics.median(times):.1f}\t{statistics.median(counts):g}\t{spread}\t{len(samples)}"
    )


def emit(*fields):
    """One result row on stdout, marked: the site's own log lines may go to stdout too."""
    print("result", *fields, sep="\t", flush=True)


def https_client():
    from django.test import Client

    # As the proxy sends it in production (SECURE_PROXY_SSL_HEADER).
    return Client(HTTP_X_FORWARDED_PROTO="https")


def write_paths(out_dir):
    from django.db import transaction

    from articles.models import ArticlePage
    from enfuse.caching import version

    with transaction.atomic():
        version.bump()
    out = Path(out_dir)
    urls = [page.url for page in ArticlePage.objects.live().public().order_by("pk")]
    random.Random(16).shuffle(urls)
    in_process = urls[:IN_PROCESS_ARTICLES]
    warm = urls[IN_PROCESS_ARTICLES : IN_PROCESS_ARTICLES + WARM_ARTICLES]
    # The after-edit mode's own: its first views with no edit must be of articles nothing
    # else in the run has opened (the content version does not move between the modes).
    after_edit = urls[IN_PROCESS_ARTICLES + WARM_ARTICLES :][:AFTER_EDIT_ARTICLES]
    first_view = urls[IN_PROCESS_ARTICLES + WARM_ARTICLES + AFTER_EDIT_ARTICLES :]
    (out / "in-process-paths.txt").write_text("".join(f"{url}\n" for url in in_process))
    (out / "after-edit-paths.txt").write_text("".join(f"{url}\n" for url in after_edit))
    (out / "warm-paths.txt").write_text("".join(f"{url}\n" for url in warm))
    (out / "first-view-paths.txt").write_text("".join(f"{url}\n" for url in first_view))
    article = ArticlePage.objects.get(slug__startswith="walking-to")
    pages = {
        "article": article.url,
        "home": "/",
        "listing": "/institute-for-learning/",
        "category": "/institute-for-learning/health-wellness/",
    }
    (out / "after-edit.tsv").write_text("".join(f"{k}\t{v}\n" for k, v in pages.items()))
    emit(len(urls), len(first_view))


def new_content_version():
    from django.db import transaction

    from enfuse.caching import version

    with transaction.atomic():
        version.bump(site=False, media=False)


def warm_up(client, warm_paths):
    """Both the furniture (snapshot, header, footer, renditions) and the code paths."""
    for url in ["/", "/institute-for-learning/", *warm_paths]:
        for _ in range(3):
            client.get(url)


def first_view(paths_file, warm_file):
    client = https_client()
    warm_up(client, Path(warm_file).read_text().split())
    samples = [measure(client, url) for url in Path(paths_file).read_text().split()]
    emit(summary(samples))


def after_edit(pages_file, paths_file, repeat):
    """First views of articles with no edit for a while (the anchor, as the first-view mode
    measures them: the same process and minute), then right after each kind of edit; then the
    other pages after a page's publish. After an edit that moves the site token, this process
    goes back to the snapshot it held before, as any other worker would find itself: the
    change's own process (here) built and shared the new snapshot on commit; the last kind
    leaves nothing shared (the store lost it)."""
    from django.db import transaction

    from articles.models import ArticlePage
    from enfuse.caching import snapshot, version
    from studio.models import ServicePage, StudioSettings

    article = ArticlePage.objects.live().order_by("pk").first()
    service = ServicePage.objects.live().order_by("pk").first()

    def publish(page):
        page = page.get_latest_revision_as_object()
        page.summary = f"{page.summary.split(' [')[0]} [{time.time_ns()}]"
        page.save_revision().publish()

    def as_another_worker(change):
        """The change, then the next view served as another worker would: one that still
        holds the snapshot from before the change, with all it kept (not this process, which
        made the change and built the new snapshot on commit)."""

        def changed():
            before = snapshot._latest
            change()
            snapshot._latest = before

        return changed

    def save_settings():
        StudioSettings.objects.order_by("pk").first().save()

    def shared_snapshot_lost():
        with transaction.atomic():
            version.bump()  # both tokens, and nothing built or shared

    site_wide = {
        "a page published": as_another_worker(lambda: publish(service)),
        "site settings saved": as_another_worker(save_settings),
        "site-wide, snapshot lost": as_another_worker(shared_snapshot_lost),
    }
    client = https_client()
    pages = dict(line.split("\t") for line in Path(pages_file).read_text().splitlines())
    articles = Path(paths_file).read_text().split()
    warm_up(client, articles[-WARM_ARTICLES:])
    views = iter(articles * (1 + (len(site_wide) + 2) * repeat // len(articles)))
    # No edit, then an article's publish after each view: neither moves the site token, so
    # both start from what a site keeps while nothing else changes (an edit to anything but
    # an article moves it, and each such edit is then measured in turns).
    samples = {"no edit": [measure(client, next(views)) for _ in range(repeat)]}
    samples["an article published"] = [
        measure(client, next(views), before=lambda: publish(article)) for _ in range(repeat)
    ]
    samples.update((name, []) for name in site_wide)
    for _ in range(repeat):
        for name, change in site_wide.items():
            samples[name].append(measure(client, next(views), before=change))
    for name, measured in samples.items():
        emit("article", name, summary(measured))
    publish_a_page = site_wide["a page published"]
    for name, url in pages.items():
        if name == "article":
            continue
        client.get(url)
        measured = [measure(client, url, before=publish_a_page) for _ in range(repeat)]
        emit(name, "a page published", summary(measured))


def edit_loop(interval, out):
    import resource
    import signal

    from django.db import transaction

    from enfuse.caching import changes as site_changes

    changes = 0

    def stop(*_):
        usage = resource.getrusage(resource.RUSAGE_SELF)
        Path(out).write_text(f"{changes}\t{usage.ru_utime + usage.ru_stime:.1f}\n")
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    Path(out).write_text("starting\n")
    while True:
        # As a site-wide edit moves the version: both tokens, the snapshot shared on commit.
        with transaction.atomic():
            site_changes.moved()
        changes += 1
        time.sleep(interval)


def bakerydemo(repeat):
    client = https_client()
    for url in BAKERYDEMO_POSTS + [url for _, url in BAKERYDEMO_PAGES]:
        client.get(url)
    posts = [measure(client, BAKERYDEMO_POSTS[i % len(BAKERYDEMO_POSTS)]) for i in range(repeat)]
    emit("blog post", summary(posts))
    for name, url in BAKERYDEMO_PAGES:
        samples = [measure(client, url) for _ in range(max(repeat // 4, 10))]
        emit(name, summary(samples))


def main():
    command, *args = sys.argv[1:]
    if command == "bakerydemo":
        # Run from bakerydemo's folder with its environment (scripts/bakerydemo python).
        setup_django(os.getcwd())
        bakerydemo(int(args[0]))
        return
    setup_django(Path(__file__).resolve().parent.parent)
    if command == "paths":
        write_paths(*args)
    elif command == "first-view":
        first_view(*args)
    elif command == "after-edit":
        after_edit(args[0], args[1], int(args[2]))
    elif command == "new-content-version":
        new_content_version()
    elif command == "edit-loop":
        edit_loop(float(args[0]), args[1])
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
