# ruff: noqa: S603 -- a manual command: it runs psql and gunicorn with its own constants.
"""The public bulletin page under concurrent anonymous load (a manual command, never on the CI path).

    .venv/bin/python bench/public_bulletin.py --db postgres --clients 200 --requests 4000
    .venv/bin/python bench/public_bulletin.py --db sqlite --clients 50 --requests 1000

It prepares a database (PostgreSQL bench_issue14 on 127.0.0.1:5432, user postgres, created with psql;
or /tmp/bench_issue14.sqlite3), migrates it and loads the demo, which publishes the summer 1405
bulletin (33 agencies, 20 goals, website freshness). Then it starts gunicorn on 127.0.0.1 (gthread
workers, local settings with DEBUG off) and sends --requests GETs of /bulletins/latest/'s bulletin from
--clients threads at once, each an anonymous httpx client with keep-alive. It prints the latency
(p50, p95, max), requests per second and the error count, for plain GETs and for conditional ones
(If-Modified-Since, answered 304). Goal (issue 14): p95 ≤ 100 ms from the cache, 0 errors.
"""

import argparse
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench._shared import database_url, start_gunicorn  # noqa: E402 -- after the path is set

NAME = "bench_issue14"


def environment(url):
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "prcouncil.settings.local",
        "DJANGO_DEBUG": "0",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DEMO_PASSWORD": os.environ.get("DEMO_PASSWORD", "council-1405"),
    }


def prepare(env):
    python = str(ROOT / ".venv" / "bin" / "python")
    subprocess.run([python, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    subprocess.run([python, "manage.py", "seed_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL)


def latest_bulletin(base):
    """The latest bulletin's address, once /bulletins/latest/ redirects to it."""
    response = httpx.get(f"{base}/bulletins/latest/", timeout=2)
    if response.status_code != 302:
        raise SystemExit(f"/bulletins/latest/ answered {response.status_code}: is a bulletin published?")
    return base + response.headers["location"]


def load(url, clients, total, headers=None):
    """`total` GETs of `url` from `clients` threads started together; (latencies in s, errors, wall time)."""
    per_client = [total // clients + (1 if n < total % clients else 0) for n in range(clients)]
    latencies, errors = [], []
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    expected = 304 if headers else 200

    def client(count):
        mine, failed = [], 0
        with httpx.Client(timeout=30, headers=headers or {}) as session:
            start.wait()
            for _n in range(count):
                began = time.perf_counter()
                try:
                    response = session.get(url)
                    ok = response.status_code == expected
                except httpx.HTTPError:
                    ok = False
                mine.append(time.perf_counter() - began)
                failed += not ok
        with lock:
            latencies.extend(mine)
            errors.append(failed)

    threads = [threading.Thread(target=client, args=(count,)) for count in per_client]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return latencies, sum(errors), time.perf_counter() - began


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", choices=["postgres", "sqlite"], default="postgres")
    parser.add_argument("--clients", type=int, default=200)
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--port", type=int, default=8714)
    args = parser.parse_args()
    env = environment(database_url(args.db, NAME))
    prepare(env)
    server, url = start_gunicorn(env, args.port, args.workers, args.threads, latest_bulletin, ("--backlog", "2048"))
    try:
        first = httpx.get(url, timeout=10)
        last_modified = first.headers.get("last-modified", "")
        load(url, min(args.clients, 20), 200)  # warm every worker's cache
        rows = []
        for label, headers in (("GET", None), ("GET If-Modified-Since (304)", {"If-Modified-Since": last_modified})):
            latencies, errors, wall = load(url, args.clients, args.requests, headers)
            rows.append(
                (
                    label,
                    len(latencies),
                    errors,
                    statistics.median(latencies) * 1000,
                    percentile(latencies, 0.95) * 1000,
                    max(latencies) * 1000,
                    len(latencies) / wall,
                )
            )
    finally:
        server.terminate()
        server.wait(timeout=30)
    print(
        f"\nPublic bulletin {url} ({len(first.content) // 1024} KB), {args.db}, gunicorn {args.workers} workers × "
        f"{args.threads} threads, {args.clients} concurrent anonymous clients, {os.cpu_count()} CPUs\n"
    )
    print(f"| {'request':<28} | requests | errors | p50 ms | p95 ms | max ms |  req/s |")
    print(f"|{'-' * 30}|----------|--------|--------|--------|--------|--------|")
    for label, count, errors, p50, p95, worst, rate in rows:
        print(f"| {label:<28} | {count:>8} | {errors:>6} | {p50:>6.1f} | {p95:>6.1f} | {worst:>6.0f} | {rate:>6.0f} |")


if __name__ == "__main__":
    main()
