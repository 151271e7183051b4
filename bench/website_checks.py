#!/usr/bin/env python
"""The website check over 150 agencies against local servers serving realistic pages and feeds.

    .venv/bin/python bench/website_checks.py [--agencies 150] [--hosts 8] [--workers 4] [--slow 3]

A child process serves every agency's site on the loopback range (127.0.0.1 … 127.0.0.N, one werkzeug
server per address, so "one request at a time per host" means what it says): a ~60 KB Persian home page
with Jalali news dates and a header date widget, then for a third of the agencies an RSS feed of 20
items, for a third an Atom feed, for a sixth a 400-address sitemap, and for the rest the page alone; a
few answer 500, a few are slower than the read timeout (--slow), one sends 50 MB. The checker runs in
this process, with the production bounds except the allowed network (127.0.0.0/8), against a throw-away
SQLite database, and writes one row per site as the command does.

Printed: the run's total time, the per-site median and p95 of the home page's response time, the
outcomes, and memory — the process's resident set before the run and at its peak (ru_maxrss, which
includes Python, Django and lxml), and the peak of Python's own allocations during the run (tracemalloc).
"""

import argparse
import datetime
import multiprocessing
import os
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def site_kind(index, agencies, slow):
    if index < slow:
        return "slow"
    if index in (slow, slow + 1):
        return "error"
    if index == slow + 2:
        return "huge"
    return ("rss", "atom", "rss", "atom", "sitemap", "page")[index % 6]


def serve(hosts, agencies, slow, ready):
    """The child process: one threaded server per loopback address; the sites spread over them."""
    import random

    from werkzeug import Request, Response
    from werkzeug.serving import make_server

    from tests.monitoring import pages

    today = datetime.date.today()
    now = datetime.datetime.now(datetime.UTC)
    rng = random.Random(150)

    def site(index):
        kind = site_kind(index, agencies, slow)
        age = rng.choice([0, 1, 2, 5, 12, 40, 95])
        news = [
            (rng.choice(pages.HEADLINES), pages.jalali_words(today - datetime.timedelta(days=age + n * 3)))
            for n in range(25)
        ]
        home = pages.html_page(f"دستگاه {index}", news, today_widget=pages.jalali_words(today), filler=350)
        base = f"http://{host_of(index)}"
        items = [
            (rng.choice(pages.HEADLINES), f"/s{index}/n/{n}", now - datetime.timedelta(days=age + n * 2))
            for n in range(20)
        ]
        return {
            "kind": kind,
            "home": home,
            "rss": pages.rss(base, items),
            "atom": pages.atom(base, items),
            "sitemap": pages.sitemap(
                base, [(f"/s{index}/p/{n}", today - datetime.timedelta(days=n)) for n in range(400)]
            ),
        }

    def host_of(index):
        return f"127.0.0.{index % hosts + 1}:{ports[index % hosts]}"

    ports = []
    servers = []
    for number in range(hosts):
        server = make_server(f"127.0.0.{number + 1}", 0, lambda environ, start: app(environ, start), threaded=True)
        servers.append(server)
        ports.append(server.port)
    ready["ports"] = ports
    sites = {index: site(index) for index in range(agencies)}

    @Request.application
    def app(request):
        parts = request.path.strip("/").split("/")
        index = int(parts[0][1:]) if parts and parts[0].startswith("s") and parts[0][1:].isdigit() else -1
        data = sites.get(index)
        if data is None:
            return Response("not found", status=404)
        rest = "/".join(parts[1:])
        if rest == "":
            if data["kind"] == "slow":
                time.sleep(15)
            if data["kind"] == "error":
                return Response("خطا", status=500)
            if data["kind"] == "huge":
                chunk = b"<p>" + b"x" * 65_530 + b"</p>"
                return Response(
                    (chunk for _ in range(800)),
                    content_type="text/html",
                    headers={"Content-Length": str(len(chunk) * 800)},
                )
            return Response(data["home"], content_type="text/html; charset=utf-8")
        if rest == "feed.xml":
            return Response(data["rss"], content_type="application/rss+xml")
        if rest == "feed.atom":
            return Response(data["atom"], content_type="application/atom+xml")
        if rest == "sitemap.xml":
            return Response(data["sitemap"], content_type="application/xml")
        return Response("not found", status=404)

    import threading

    for server in servers:
        threading.Thread(target=server.serve_forever, daemon=True).start()
    ready["up"] = True
    while True:
        time.sleep(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--agencies", type=int, default=150)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--slow", type=int, default=3, help="sites slower than the read timeout")
    args = parser.parse_args()

    manager = multiprocessing.Manager()
    ready = manager.dict()
    child = multiprocessing.Process(target=serve, args=(args.hosts, args.agencies, args.slow, ready), daemon=True)
    child.start()
    while not ready.get("up"):
        time.sleep(0.1)
    ports = list(ready["ports"])

    db = Path(tempfile.mkdtemp(prefix="bench-websites-")) / "db.sqlite3"
    os.environ["DJANGO_SETTINGS_MODULE"] = "prcouncil.settings.local"
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from agencies.models import Agency, County
    from monitoring.checker import run_checks
    from monitoring.models import WebsiteCheck, WebsiteSource

    settings.MONITORING_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    county = County.objects.create(name="بویراحمد")
    agencies = []
    for index in range(args.agencies):
        host = f"127.0.0.{index % args.hosts + 1}:{ports[index % args.hosts]}"
        agency = Agency.objects.create(
            name=f"دستگاه {index}",
            code=f"agency-{index}",
            county=county,
            category="services",
            website=f"http://{host}/s{index}/",
        )
        kind = site_kind(index, args.agencies, args.slow)
        if kind in ("rss", "atom", "sitemap"):
            WebsiteSource.objects.create(
                agency=agency,
                feed_urls={"rss": f"http://{host}/s{index}/feed.xml", "atom": f"http://{host}/s{index}/feed.atom"}.get(
                    kind, ""
                ),
                sitemap_url=f"http://{host}/s{index}/sitemap.xml" if kind == "sitemap" else "",
            )
        agencies.append(agency)

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    tracemalloc.start()
    started = time.monotonic()
    summary = run_checks(agencies, workers=args.workers)
    seconds = time.monotonic() - started
    _current, python_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    child.terminate()

    checks = list(WebsiteCheck.objects.all())
    times = sorted(check.response_ms for check in checks if check.response_ms is not None and not check.failure)
    outcomes = {}
    for check in checks:
        key = check.failure or f"ok ({check.newest_content_source or 'no date'})"
        outcomes[key] = outcomes.get(key, 0) + 1
    rows = [
        ("sites checked", f"{len(checks)}"),
        ("hosts / workers", f"{args.hosts} / {args.workers}"),
        (
            "bounds",
            f"connect {settings.MONITORING_CONNECT_TIMEOUT:g} s, read {settings.MONITORING_READ_TIMEOUT:g} s, "
            f"{settings.MONITORING_MAX_BYTES // 1024 // 1024} MB, budget {settings.MONITORING_RUN_BUDGET} s",
        ),
        ("total time", f"{seconds:.1f} s"),
        (
            "home page, median / p95",
            f"{statistics.median(times):.0f} / {times[int(len(times) * 0.95) - 1]:.0f} ms" if times else "-",
        ),
        ("peak RSS (before run)", f"{peak:.0f} MB ({before:.0f} MB)"),
        ("peak Python allocations", f"{python_peak / 1024 / 1024:.1f} MB"),
        *((f"  {name}", str(count)) for name, count in sorted(outcomes.items())),
    ]
    width = max(len(name) for name, _value in rows)
    print(f"\nWebsite check of {args.agencies} agencies against local servers ({datetime.date.today()})\n")
    print(f"| {'measure'.ljust(width)} | value |")
    print(f"| {'-' * width} | ----- |")
    for name, value in rows:
        print(f"| {name.ljust(width)} | {value} |")
    assert len(summary.checks) == args.agencies


if __name__ == "__main__":
    main()
