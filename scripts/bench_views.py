"""In-process measurements behind scripts/bench's first-view and after-edit modes (the script
seeds the database and sets the environment; this prints tab-separated rows it reads).

  paths OUT_DIR             the articles, shuffled, split into the in-process set (first 200),
                            a few to warm the workers with, and the rest for wrk; plus the pages
                            measured after an edit. Moves the content version on first, so no
                            page or fragment kept by an earlier run is found again.
  first-view PATHS WARM     median ms and queries of views of articles never rendered before,
                            the furniture warm (each asked for once, page cache off)
  after-edit PAGES REPEAT   median ms and queries per page, each view just after a change: the
                            content version moved in a transaction (as any site-wide change
                            does), or for the article, another article's revision published
  edit-loop INTERVAL OUT    moves the content version every INTERVAL seconds until stopped
                            (SIGTERM), then writes how many times and its CPU seconds to OUT
                            (which holds "starting" once it has begun)
  bakerydemo REPEAT         bakerydemo's home, blog index and blog posts (run in its venv, with
                            its production settings: every view renders)

Times are wall-clock around Django's test Client, in this one process; queries are counted with
CaptureQueriesContext. Each figure is the median of its views.
"""

import os
import random
import statistics
import sys
import time
from pathlib import Path

IN_PROCESS_ARTICLES = 200
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
    first_view = urls[IN_PROCESS_ARTICLES + WARM_ARTICLES :]
    (out / "in-process-paths.txt").write_text("".join(f"{url}\n" for url in in_process))
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


def after_edit(pages_file, repeat):
    from django.db import transaction

    from articles.models import ArticlePage
    from enfuse.caching import version

    def site_wide_change():
        with transaction.atomic():
            version.bump()

    measured = ArticlePage.objects.get(slug__startswith="walking-to")
    other = ArticlePage.objects.live().exclude(pk=measured.pk).order_by("pk").first()

    def publish_another_article():
        page = other.get_latest_revision_as_object()
        page.summary = f"{page.summary.split(' [')[0]} [{time.time_ns()}]"
        page.save_revision().publish()

    client = https_client()
    for line in Path(pages_file).read_text().splitlines():
        name, url = line.split("\t")
        client.get(url)
        client.get(url)
        if name != "article":
            samples = [measure(client, url, before=site_wide_change) for _ in range(repeat)]
            emit(name, "site-wide change", summary(samples))
            continue
        # In turns, so a change in the machine's load weighs on both alike.
        site_wide, published = [], []
        for _ in range(repeat):
            site_wide.append(measure(client, url, before=site_wide_change))
            published.append(measure(client, url, before=publish_another_article))
        emit(name, "site-wide change", summary(site_wide))
        emit(name, "another published", summary(published))


def edit_loop(interval, out):
    import resource
    import signal

    from django.db import transaction

    from enfuse.caching import version

    changes = 0

    def stop(*_):
        usage = resource.getrusage(resource.RUSAGE_SELF)
        Path(out).write_text(f"{changes}\t{usage.ru_utime + usage.ru_stime:.1f}\n")
        raise SystemExit(0)

    signal.signal(signal.SIGTERM, stop)
    Path(out).write_text("starting\n")
    while True:
        with transaction.atomic():
            version.bump()
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
        after_edit(args[0], int(args[1]))
    elif command == "edit-loop":
        edit_loop(float(args[0]), args[1])
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main()
