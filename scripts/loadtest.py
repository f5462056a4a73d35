"""The load test behind scripts/loadtest (which seeds the database and sets the environment).

Four phases against the production settings, each printed as rows of one table:

1. read: 50 clients for 60 s over home, the learning index, its categories, 20 articles and
   the services;
2. write: 10 clients posting valid contact forms for 60 s as a browser does (GET the form for
   its CSRF cookie and token and the signed timestamp, wait the minimum fill time, POST,
   follow the redirect); then rows stored = success responses = mails the SMTP sink received;
3. overload then recovery: 200 clients for 30 s, then 10 for 30 s; HTTP 500s, 503s, and the
   time until the p95 of each 1-s window is back to the read phase's p95;
4. a database restart: 90 s of reads and contact posts against a throwaway PostgreSQL cluster
   that is stopped at 30 s and started again about 10 s later; 5xx outside the outage (plus
   5 s) and contact posts answered with success but missing from the database.

The load generator is one asyncio process sending raw HTTP/1.1: the lightest client in
Python (no parsing beyond the status line and the headers it needs). gunicorn's sync workers
close every connection after its response, so there is no keep-alive to reuse; each request
opens a new loopback connection, as a visitor behind a proxy without keep-alive would. The
generator's own CPU use is printed with each phase.
"""

import argparse
import asyncio
import html
import os
import re
import resource
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
HOST = "localhost"
COMPOSE_FILE = ROOT / "docker-compose.yml"
# The email worker and the sweeper, as docker-compose.yml runs them.
WORKER_COMMAND = ["db_worker", "--backend", "email", "--interval", "1", "--no-reload"]
SWEEPER_COMMAND = ["sweep_contact_deliveries", "--loop", "30"]
MIN_FILL_SECONDS = 1
TAG_PATTERN = re.compile(rb"loadtest-[0-9a-z]+-[0-9a-z]+-\d+-\d+")
HIDDEN_FIELD = re.compile(r'name="(csrfmiddlewaretoken|token)" value="([^"]*)"')
DRAIN_LIMIT = 120


# --- HTTP -------------------------------------------------------------------------------------


@dataclass
class Result:
    """One request: when it started and ended (monotonic), its status (0: no answer)."""

    kind: str
    start: float
    end: float
    status: int
    headers: dict = field(default_factory=dict)
    body: bytes = b""

    @property
    def latency(self):
        return self.end - self.start


async def fetch(port, method, target, *, headers=None, body=b"", timeout=60, kind="read"):
    """One request over a new connection, as the TLS-ending proxy would pass it on."""
    lines = [
        f"{method} {target} HTTP/1.1",
        f"Host: {HOST}",
        "X-Forwarded-Proto: https",
        "Connection: close",
        "User-Agent: enfuse-loadtest",
    ]
    lines += [f"{name}: {value}" for name, value in (headers or {}).items()]
    if body:
        lines.append(f"Content-Length: {len(body)}")
    request = ("\r\n".join(lines) + "\r\n\r\n").encode() + body
    start = time.monotonic()
    writer = None
    try:
        async with asyncio.timeout(timeout):
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
            writer.write(request)
            data = await reader.read(-1)  # the server closes the connection after its answer
    except (OSError, TimeoutError, asyncio.IncompleteReadError):
        return Result(kind, start, time.monotonic(), 0)
    finally:
        if writer is not None:
            writer.close()
    end = time.monotonic()
    head, _, payload = data.partition(b"\r\n\r\n")
    head_lines = head.decode("latin-1").split("\r\n")
    try:
        status = int(head_lines[0].split(" ", 2)[1])
    except (IndexError, ValueError):
        return Result(kind, start, end, 0)
    parsed = {}
    for line in head_lines[1:]:
        name, _, value = line.partition(":")
        parsed.setdefault(name.strip().lower(), []).append(value.strip())
    return Result(kind, start, end, status, parsed, payload)


class Browser:
    """A visitor's cookie jar, and the contact form filled in as a browser would."""

    def __init__(self, port, results):
        self.port = port
        self.results = results
        self.cookies = {}

    async def request(self, method, target, kind, **kwargs):
        headers = kwargs.pop("headers", {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        result = await fetch(self.port, method, target, headers=headers, kind=kind, **kwargs)
        for line in result.headers.get("set-cookie", []):
            name, _, rest = line.partition("=")
            self.cookies[name.strip()] = rest.split(";", 1)[0]
        self.results.append(result)
        return result

    async def send_contact_form(self, contact_url, tag, min_fill=MIN_FILL_SECONDS):
        """GET the form, wait the minimum fill time, POST it, follow the redirect.

        Returns the POST's Result (or the failed GET's, whose kind is "form").
        """
        form = await self.request("GET", contact_url, "form")
        if form.status != 200:
            return form
        fields = dict(HIDDEN_FIELD.findall(form.body.decode("utf-8", "replace")))
        await asyncio.sleep(min_fill)
        body = urlencode(
            {
                "csrfmiddlewaretoken": html.unescape(fields.get("csrfmiddlewaretoken", "")),
                "token": html.unescape(fields.get("token", "")),
                "name": "Load Test",
                "email": "load.test@example.com",
                "phone": "",
                "service": "",
                "message": f"{tag}\nA message sent by scripts/loadtest.",
                "consent": "on",
                "source": "",
                "website": "",
            }
        ).encode()
        posted = await self.request(
            "POST",
            contact_url,
            "post",
            body=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://{HOST}",
                "Referer": f"https://{HOST}{contact_url}",
            },
        )
        if is_success(posted):
            location = posted.headers["location"][0]
            await self.request("GET", location.removeprefix(f"https://{HOST}"), "thanks")
        return posted


def is_success(result):
    """PRG: the contact form answers a stored message with a redirect to its thank-you page."""
    return result.status in (302, 303) and result.headers.get("location", [""])[0].endswith(
        "/thanks/"
    )


# --- Figures ----------------------------------------------------------------------------------


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


@dataclass
class Row:
    phase: str
    clients: str
    seconds: float
    results: list
    cpu: float  # the generator's CPU seconds during the phase

    def answered(self):
        return [r for r in self.results if r.status]

    def cells(self):
        latencies = [r.latency * 1000 for r in self.answered()]
        statuses = [r.status for r in self.results]
        return [
            self.phase,
            self.clients,
            f"{self.seconds:.0f}",
            str(len(self.results)),
            f"{len(self.results) / self.seconds:.0f}" if self.seconds else "-",
            f"{percentile(latencies, 0.50):.0f}",
            f"{percentile(latencies, 0.95):.0f}",
            f"{percentile(latencies, 0.99):.0f}",
            str(sum(s >= 500 for s in statuses)),
            str(statuses.count(500)),
            str(statuses.count(503)),
            str(statuses.count(0)),
            f"{100 * self.cpu / self.seconds:.0f}%" if self.seconds else "-",
        ]


HEADINGS = [
    "phase",
    "clients",
    "s",
    "requests",
    "req/s",
    "p50 ms",
    "p95 ms",
    "p99 ms",
    "5xx",
    "500",
    "503",
    "no answer",
    "load gen CPU",
]


def render_table(title, rows, checks):
    """The table: one line per phase, then one line per target with PASS or MISS (or INFO:
    a figure without a target)."""
    cells = [HEADINGS] + [row.cells() for row in rows]
    widths = [max(len(line[i]) for line in cells) for i in range(len(HEADINGS))]
    out = [title, ""]
    for number, line in enumerate(cells):
        out.append(
            "  ".join(
                cell.ljust(width) if i < 2 else cell.rjust(width)
                for i, (cell, width) in enumerate(zip(line, widths, strict=True))
            )
        )
        if number == 0:
            out.append("  ".join("-" * width for width in widths))
    out.append("")
    for ok, text in checks:
        out.append(f"{'INFO' if ok is None else 'PASS' if ok else 'MISS'}  {text}")
    return "\n".join(out)


def p95_by_second(results, start, seconds):
    """{second: p95 ms} of the requests started in each 1-s window after ``start``."""
    windows = {}
    for result in results:
        if result.status:
            second = int(result.start - start)
            if 0 <= second < seconds:
                windows.setdefault(second, []).append(result.latency * 1000)
    return {second: percentile(values, 0.95) for second, values in sorted(windows.items())}


def first_windows(windows, count):
    """The p95 of the first ``count`` seconds; "-" for a second in which no request started."""
    return " ".join(
        f"{windows[second]:.0f}" if second in windows else "-" for second in range(count)
    )


def recovery_seconds(windows, normal, seconds, steady=3):
    """Seconds until the p95 of ``steady`` consecutive windows is at or below ``normal``."""
    for second in range(seconds):
        run = [windows.get(s) for s in range(second, min(second + steady, seconds))]
        if run and all(value is not None and value <= normal for value in run):
            return second
    return None


# --- Processes --------------------------------------------------------------------------------


class Process:
    """A long-running command with its log; restarted when it exits while ``keep_up`` is set,
    as docker-compose's ``restart: unless-stopped`` would."""

    def __init__(self, name, args, env, logdir, keep_up=False):
        self.name = name
        self.args = args
        self.env = env
        self.log_path = Path(logdir) / f"{name}.log"
        self.keep_up = keep_up
        self.restarts = 0
        self.process = None
        self.stopping = False
        self.watcher = None

    def start(self):
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                self.args,
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        if self.keep_up and self.watcher is None:
            self.watcher = threading.Thread(target=self.watch, daemon=True)
            self.watcher.start()
        return self

    def watch(self):
        while not self.stopping:
            if self.process.poll() is not None and not self.stopping:
                time.sleep(1)
                if not self.stopping:
                    self.restarts += 1
                    self.start()
            time.sleep(0.5)

    def stop(self):
        self.stopping = True
        if self.process is None or self.process.poll() is not None:
            return
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)


def gunicorn_options(workers):
    """gunicorn's options as docker-compose.yml runs the web service, minus its address; or
    LOADTEST_GUNICORN_OPTIONS (to compare settings)."""
    override = os.environ.get("LOADTEST_GUNICORN_OPTIONS")
    if override is not None:
        return [f"--workers={workers}", *shlex.split(override)]
    import yaml

    command = yaml.safe_load(COMPOSE_FILE.read_text())["services"]["web"]["command"]
    command = re.sub(r"\$\{WEB_CONCURRENCY:-\d+\}", str(workers), command)
    words = shlex.split(command)
    assert words[:2] == ["gunicorn", "enfuse.wsgi"], words
    options, skip = [], False
    for word in words[2:]:
        if skip:
            skip = False
        elif word == "--bind":
            skip = True
        else:
            options.append(word)
    return options


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Stack:
    """gunicorn, the email worker and the sweeper on one database, mail to the SMTP sink."""

    def __init__(self, env, logdir, label):
        self.env = env
        self.port = free_port()
        python = sys.executable
        self.processes = [
            Process(
                f"gunicorn-{label}",
                [
                    python,
                    "-m",
                    "gunicorn",
                    "enfuse.wsgi",
                    f"--bind=127.0.0.1:{self.port}",
                    *gunicorn_options(env.get("WEB_CONCURRENCY", "2")),
                ],
                env,
                logdir,
            ),
            Process(f"worker-{label}", [python, "manage.py", *WORKER_COMMAND], env, logdir, True),
            Process(f"sweeper-{label}", [python, "manage.py", *SWEEPER_COMMAND], env, logdir, True),
        ]

    def start(self):
        for process in self.processes:
            process.start()
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            result = asyncio.run(fetch(self.port, "GET", "/healthz", timeout=5))
            if result.status == 200:
                return self
            time.sleep(0.5)
        self.stop()
        raise SystemExit(f"gunicorn did not become healthy; see {self.processes[0].log_path}")

    def restarts(self):
        return sum(process.restarts for process in self.processes)

    def stop(self):
        for process in self.processes:
            process.stop()


def run_smtp_sink(port, record_path):
    """An SMTP server on loopback that accepts every message and appends one line per message
    to ``record_path``: its Message-ID and the load test tag it carries (notifications only)."""
    from aiosmtpd.controller import Controller

    out = open(record_path, "a", buffering=1)  # noqa: SIM115 - open for the server's life

    class Sink:
        async def handle_DATA(self, server, session, envelope):
            content = envelope.content
            message_id = re.search(rb"(?im)^Message-ID:\s*(\S+)", content)
            tag = TAG_PATTERN.search(content)
            out.write(
                f"{message_id[1].decode() if message_id else '-'}\t"
                f"{tag[0].decode() if tag else '-'}\n"
            )
            return "250 Message accepted for delivery"

    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    controller.stop()


def delivered_tags(record_path):
    """Tags of the notifications the sink received (one entry per message, duplicates kept)."""
    tags = []
    for line in Path(record_path).read_text().splitlines():
        _, _, tag = line.partition("\t")
        if tag != "-":
            tags.append(tag)
    return tags


# --- Database ---------------------------------------------------------------------------------


def stored(database_url, prefix):
    """{tag: (is_spam, delivery_state)} and the number of rows, for messages tagged ``prefix``."""
    import psycopg

    with psycopg.connect(database_url, connect_timeout=10) as conn:
        rows = conn.execute(
            "SELECT message, is_spam, delivery_state FROM studio_contactsubmission "
            "WHERE message LIKE %s",
            (prefix + "%",),
        ).fetchall()
    tags = {}
    for message, is_spam, state in rows:
        tags.setdefault(message.split("\n", 1)[0], []).append((is_spam, state))
    return tags, len(rows)


def wait_for_delivery(database_url, prefix, sink_path, limit=DRAIN_LIMIT):
    """Let the worker drain: until no row of ``prefix`` is pending and the sink has a mail for
    each, or ``limit`` seconds. Returns the seconds it took (None: not within the limit)."""
    start = time.monotonic()
    while time.monotonic() - start < limit:
        tags, count = stored(database_url, prefix)
        pending = sum(state == "pending" for rows in tags.values() for _, state in rows)
        mails = sum(tag.startswith(prefix) for tag in delivered_tags(sink_path))
        if not pending and mails >= count:
            return time.monotonic() - start
        time.sleep(1)
    return None


class Cluster:
    """A throwaway PostgreSQL cluster on its own port (never the shared server on 5432).
    tests/test_production_database_restart.py uses it too."""

    def __init__(self):
        versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), reverse=True)
        found = versions[0].parent if versions else None
        if found is None and shutil.which("initdb"):
            found = Path(shutil.which("initdb")).parent
        if found is None:
            raise SystemExit("PostgreSQL's server programs (initdb, pg_ctl) are not installed")
        self.bindir = found
        self.port = free_port()
        self.dir = Path(tempfile.mkdtemp(prefix="enfuse-loadtest-pg-"))
        self.as_postgres = []
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root
            shutil.chown(self.dir, "postgres", "postgres")
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    def run(self, *args):
        subprocess.run(
            [*self.as_postgres, str(self.bindir / args[0]), *args[1:]],
            check=True,
            capture_output=True,
            cwd="/",
            timeout=120,
        )

    def init(self):
        data = str(self.dir / "data")
        self.run("initdb", "-D", data, "-U", "postgres", "--auth=trust", "-E", "UTF8")
        return self

    def start(self):
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={self.dir}"
        )
        self.run(
            "pg_ctl",
            "-D",
            str(self.dir / "data"),
            "-l",
            str(self.dir / "log"),
            "-o",
            options,
            "-w",
            "start",
        )

    def stop(self, mode="fast"):
        self.run("pg_ctl", "-D", str(self.dir / "data"), "-m", mode, "-w", "stop")

    def url(self, name):
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"

    def destroy(self):
        subprocess.run(
            [*self.as_postgres, str(self.bindir / "pg_ctl"), "-D", str(self.dir / "data")]
            + ["-m", "immediate", "stop"],
            capture_output=True,
            cwd="/",
            timeout=60,
        )
        shutil.rmtree(self.dir, ignore_errors=True)


# --- Phases -----------------------------------------------------------------------------------


class Generator:
    """Clients of each kind, each a coroutine looping until its deadline."""

    def __init__(self, port, run_id):
        self.port = port
        self.run_id = run_id
        self.posts = []  # (tag, Result) of every contact POST

    async def reader(self, urls, results, until, offset):
        browser = Browser(self.port, results)
        index = offset
        while time.monotonic() < until:
            result = await browser.request("GET", urls[index % len(urls)], "read")
            index += 1
            if not result.status:
                await asyncio.sleep(0.2)  # no answer at all: do not spin

    async def poster(self, contact_url, phase, number, results, until):
        count = 0
        while time.monotonic() < until:
            browser = Browser(self.port, results)  # each message from a fresh visitor
            tag = f"loadtest-{self.run_id}-{phase}-{number}-{count}"
            count += 1
            result = await browser.send_contact_form(contact_url, tag)
            if result.kind == "post":
                self.posts.append((tag, result))
            elif result.status != 200:
                await asyncio.sleep(0.5)  # the form did not load; a visitor would retry


def cpu_seconds():
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


async def run_clients(coroutines):
    await asyncio.gather(*coroutines)


def phase_read(gen, urls, clients, seconds):
    results = []
    cpu, start = cpu_seconds(), time.monotonic()
    until = start + seconds
    asyncio.run(run_clients(gen.reader(urls, results, until, i * 7) for i in range(clients)))
    elapsed = time.monotonic() - start
    return Row("read", str(clients), elapsed, results, cpu_seconds() - cpu)


def phase_write(gen, contact_url, clients, seconds):
    results = []
    cpu, start = cpu_seconds(), time.monotonic()
    until = start + seconds
    asyncio.run(
        run_clients(gen.poster(contact_url, "w", i, results, until) for i in range(clients))
    )
    elapsed = time.monotonic() - start
    return Row("write: contact form", str(clients), elapsed, results, cpu_seconds() - cpu)


def phase_overload(gen, urls, heavy, light, heavy_seconds, light_seconds):
    heavy_results, light_results = [], []

    async def both():
        start = time.monotonic()
        switch = start + heavy_seconds
        heavy_clients = [gen.reader(urls, heavy_results, switch, i * 3) for i in range(heavy)]

        async def light_clients():
            await asyncio.sleep(max(0, switch - time.monotonic()))
            end = switch + light_seconds
            await run_clients(gen.reader(urls, light_results, end, i * 5) for i in range(light))

        await asyncio.gather(run_clients(heavy_clients), light_clients())
        return start, switch

    cpu = cpu_seconds()
    start, switch = asyncio.run(both())
    total_cpu = cpu_seconds() - cpu
    heavy_time = switch - start
    light_time = time.monotonic() - switch
    share = heavy_time / (heavy_time + light_time)
    return (
        Row("overload", str(heavy), heavy_time, heavy_results, total_cpu * share),
        Row("recovery", str(light), light_time, light_results, total_cpu * (1 - share)),
        switch,
    )


def phase_restart(gen, cluster, urls, contact_url, readers, posters, seconds, stop_at, down_for):
    results = []
    outage = {}

    async def mixed():
        start = time.monotonic()
        until = start + seconds

        async def restart():
            await asyncio.sleep(stop_at)
            outage["start"] = time.monotonic()
            await asyncio.to_thread(cluster.stop)
            outage["stopped"] = time.monotonic()
            await asyncio.sleep(max(0, outage["start"] + down_for - time.monotonic()))
            await asyncio.to_thread(cluster.start)
            outage["end"] = time.monotonic()

        await asyncio.gather(
            restart(),
            *(gen.reader(urls, results, until, i * 11) for i in range(readers)),
            *(gen.poster(contact_url, "r", i, results, until) for i in range(posters)),
        )
        return start

    cpu = cpu_seconds()
    start = asyncio.run(mixed())
    elapsed = time.monotonic() - start
    row = Row("db restart: mixed", f"{readers}+{posters}", elapsed, results, cpu_seconds() - cpu)
    return row, start, outage


# --- The run ----------------------------------------------------------------------------------


def page_urls(env):
    """Home, the learning index, its categories, 20 articles, the services; and the contact
    page's address."""
    code = """
import json
from articles.models import LearningIndexPage, ArticlePage, CategoryPage
from studio.models import ContactPage, HomePage, ServiceIndexPage, ServicePage
live = lambda model: model.objects.live().public().order_by("path")
urls = [p.url for p in live(HomePage)[:1]]
urls += [p.url for p in live(LearningIndexPage)[:1]]
urls += [p.url for p in live(CategoryPage)]
urls += [p.url for p in live(ArticlePage)[:20]]
urls += [p.url for p in live(ServiceIndexPage)[:1]]
urls += [p.url for p in live(ServicePage)]
print(json.dumps({"pages": urls, "contact": live(ContactPage).first().url}))
"""
    import json

    out = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = json.loads(out.strip().splitlines()[-1])
    return found["pages"], found["contact"]


@dataclass
class Run:
    """What every phase shares: the environment, the pages, the SMTP sink's record."""

    env: dict
    workdir: Path
    sink_path: Path
    run_id: str
    scale: float
    urls: list = field(default_factory=list)
    contact_url: str = ""

    def seconds(self, value):
        return max(3, round(value * self.scale))

    def flush_cache(self):
        subprocess.run(
            ["redis-cli", "-u", self.env["REDIS_URL"], "flushdb"], check=True, capture_output=True
        )

    def start_stack(self, env, label):
        """The stack, with the page cache warm as a live site's would be (one visit a page)."""
        self.flush_cache()
        stack = Stack(env, self.workdir, label).start()
        asyncio.run(run_clients(fetch(stack.port, "GET", url) for url in self.urls))
        return stack


def measure_on_shared_server(run):
    """Read, write, overload and recovery against the database on the shared server."""
    database_url = run.env["DATABASE_URL"]
    stack = run.start_stack(run.env, "main")
    try:
        gen = Generator(stack.port, run.run_id)
        rows, checks = [], []
        print("read load...", flush=True)
        read = phase_read(gen, run.urls, 50, run.seconds(60))
        rows.append(read)
        normal_p95 = percentile([r.latency * 1000 for r in read.answered()], 0.95)
        read_5xx = sum(r.status >= 500 for r in read.results)
        checks.append((read_5xx == 0, f"read: 5xx {read_5xx} (target 0)"))

        print("write load...", flush=True)
        rows.append(phase_write(gen, run.contact_url, 10, run.seconds(60)))
        prefix = f"loadtest-{run.run_id}-w-"
        drained = wait_for_delivery(database_url, prefix, run.sink_path)
        checks.append(write_check(gen.posts, prefix, database_url, run.sink_path, drained))

        print("overload then recovery...", flush=True)
        heavy, light, switch = phase_overload(
            gen, run.urls, 200, 10, run.seconds(30), run.seconds(30)
        )
        rows += [heavy, light]
        windows = p95_by_second(light.results, switch, int(light.seconds))
        recovered = recovery_seconds(windows, normal_p95, int(light.seconds))
        shown = min(12, int(light.seconds))
        status = [r.status for r in heavy.results + light.results]
        checks.append(
            (
                status.count(500) == 0,
                f"overload: HTTP 500 {status.count(500)} (target 0); 503 {status.count(503)}; "
                f"no answer {status.count(0)}",
            )
        )
        checks.append(
            (
                recovered is not None and recovered <= 10,
                f"recovery: p95 per 1-s window back to the read phase's {normal_p95:.0f} ms "
                f"after {'never' if recovered is None else f'{recovered} s'} (target 10 s); "
                f"p95 of seconds 0-{shown - 1}: {first_windows(windows, shown)} ms",
            )
        )
        return rows, checks
    finally:
        stack.stop()


def measure_database_restart(run):
    """Mixed load against a copy of the database on a throwaway cluster, restarted at 30 s."""
    print("database restart under mixed load (throwaway cluster)...", flush=True)
    cluster = Cluster().init()
    stack = None
    try:
        cluster.start()
        cluster_url = cluster.url("enfuse")
        subprocess.run(
            [str(cluster.bindir / "createdb"), "-h", "127.0.0.1", "-p", str(cluster.port)]
            + ["-U", "postgres", "enfuse"],
            check=True,
        )
        dump = subprocess.run(
            ["pg_dump", "--format=custom", "--dbname", run.env["DATABASE_URL"]],
            check=True,
            capture_output=True,
        ).stdout
        subprocess.run(
            ["pg_restore", "--no-owner", "--dbname", cluster_url], input=dump, check=True
        )
        stack = run.start_stack({**run.env, "DATABASE_URL": cluster_url}, "restart")
        gen = Generator(stack.port, run.run_id)
        total = run.seconds(90)
        row, start, outage = phase_restart(
            gen, cluster, run.urls, run.contact_url, 20, 5, total, total / 3, max(3, total / 9)
        )
        checks = restart_checks(gen.posts, row, start, outage, cluster_url, run.sink_path)
        checks.append(
            (
                None,
                f"worker/sweeper restarts after exiting (compose's restart policy): "
                f"{stack.restarts()}",
            )
        )
        return [row], checks
    finally:
        if stack is not None:
            stack.stop()
        cluster.destroy()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="LOADTEST_SCALE=0.1: a smoke run")
    parser.add_argument("--smtp-sink", nargs=2, metavar=("PORT", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.smtp_sink:
        run_smtp_sink(int(args.smtp_sink[0]), args.smtp_sink[1])
        return
    scale = 0.1 if args.quick else float(os.environ.get("LOADTEST_SCALE", "1"))
    workdir = Path(tempfile.mkdtemp(prefix="enfuse-loadtest-"))
    sink_port = free_port()
    env = {
        **os.environ,
        "REDIS_URL": os.environ.get("LOADTEST_REDIS_URL", "redis://127.0.0.1:6379/11"),
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(sink_port),
        "EMAIL_USE_TLS": "false",
        "EMAIL_HOST_USER": "",
        "EMAIL_HOST_PASSWORD": "",
        # One visitor address (127.0.0.1) sends every message: raise its limit far above the
        # test's rate. The form still checks the signed timestamp: 1 s, which clients wait.
        "CONTACT_RATE_LIMIT": "1000000/h",
        "CONTACT_MIN_FILL_SECONDS": str(MIN_FILL_SECONDS),
        "PYTHONUNBUFFERED": "1",
    }
    run = Run(env, workdir, workdir / "smtp-sink.tsv", format(int(time.time()), "x"), scale)
    run.sink_path.touch()
    sink = Process(
        "smtp-sink",
        [sys.executable, __file__, "--smtp-sink", str(sink_port), str(run.sink_path)],
        env,
        workdir,
    ).start()
    try:
        run.urls, run.contact_url = page_urls(env)
        print(f"{len(run.urls)} pages, contact form at {run.contact_url}; logs in {workdir}")
        rows, checks = measure_on_shared_server(run)
        restart_rows, more_checks = measure_database_restart(run)
    finally:
        sink.stop()
    rows += restart_rows
    checks += more_checks

    workers = env.get("WEB_CONCURRENCY", "2")
    load = os.getloadavg()
    title = (
        f"EnFuse load test: production settings, gunicorn {workers} sync workers, PostgreSQL, "
        f"Redis page cache, email worker + SMTP sink; {len(run.urls)} pages; scale {scale}; "
        f"{os.cpu_count()} CPUs; load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}"
    )
    print()
    print(render_table(title, rows, checks))
    print(f"gunicorn {' '.join(gunicorn_options(workers))}")
    print()
    print(
        f"Contact posts wait {MIN_FILL_SECONDS} s between GET and POST "
        f"(CONTACT_MIN_FILL_SECONDS={MIN_FILL_SECONDS}); CONTACT_RATE_LIMIT raised to "
        f"1000000/h. Latencies include connecting; logs in {workdir}"
    )
    sys.exit(1 if any(ok is False for ok, _ in checks) else 0)


def write_check(posts, prefix, database_url, sink_path, drained):
    successes = {tag for tag, result in posts if is_success(result)}
    others = [result.status for _, result in posts if not is_success(result)]
    tags, count = stored(database_url, prefix)
    not_spam = {tag for tag, rows in tags.items() if not any(spam for spam, _ in rows)}
    mails = [tag for tag in delivered_tags(sink_path) if tag.startswith(prefix)]
    duplicate_rows = count - len(tags)
    duplicate_mails = len(mails) - len(set(mails))
    ok = (
        len(successes) == len(not_spam) == len(set(mails)) == count
        and successes == set(tags)
        and not duplicate_rows
        and not duplicate_mails
        and drained is not None
    )
    return (
        ok,
        f"write: success responses {len(successes)} = rows stored {count} "
        f"(not spam {len(not_spam)}) = mails delivered {len(set(mails))}; duplicates "
        f"{duplicate_rows} rows, {duplicate_mails} mails; other answers {len(others)} "
        f"{sorted(set(others))}; drained "
        + (f"in {drained:.0f} s" if drained is not None else f"NOT within {DRAIN_LIMIT} s"),
    )


def restart_checks(posts, row, start, outage, cluster_url, sink_path):
    window_start, window_end = outage["start"], outage["end"] + 5
    outside = [
        r for r in row.results if r.status >= 500 and (r.end < window_start or r.start > window_end)
    ]
    inside = [r for r in row.results if r.status >= 500 and r not in outside]
    no_answer = [r for r in row.results if r.status == 0]
    prefix = posts[0][0].rsplit("-", 2)[0] + "-" if posts else "loadtest-none-"
    successes = {tag for tag, result in posts if is_success(result)}
    drained = wait_for_delivery(cluster_url, prefix, sink_path)
    tags, count = stored(cluster_url, prefix)
    lost = successes - set(tags)
    mails = {tag for tag in delivered_tags(sink_path) if tag.startswith(prefix)}
    during = [
        result
        for _, result in posts
        if is_success(result) and outage["stopped"] <= result.start and result.end <= outage["end"]
    ]
    return [
        (
            not outside,
            f"restart: database down {outage['start'] - start:.1f}-{outage['end'] - start:.1f} s "
            f"(stop took {outage['stopped'] - outage['start']:.1f} s); 5xx outside it + 5 s: "
            f"{len(outside)} (target 0); inside: {len(inside)} "
            f"({', '.join(f'{s} x{n}' for s, n in count_statuses(inside))}); "
            f"no answer {len(no_answer)}",
        ),
        (
            not lost and not during,
            f"restart: contact posts answered with success {len(successes)}, in the database "
            f"{len(successes) - len(lost)}, lost {len(lost)} (target 0); success while the "
            f"database was down {len(during)}; rows {count}; mails delivered {len(mails)} "
            + (f"after {drained:.0f} s" if drained is not None else "(not drained)"),
        ),
    ]


def count_statuses(results):
    counts = {}
    for result in results:
        counts[result.status] = counts.get(result.status, 0) + 1
    return sorted(counts.items())


if __name__ == "__main__":
    main()
