# ruff: noqa: S603, S607, S608 -- manual commands: they run psql and gunicorn with their own constants.
"""What the benches share: their database (a SQLite file in /tmp, or a database on the local
PostgreSQL, user postgres, created on first use) and gunicorn on a loopback port."""

import subprocess
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]


def postgres_url(name, missing=None):
    """The URL of database `name` on 127.0.0.1:5432; created if absent, unless `missing` says what to do."""
    exists = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", f"SELECT 1 FROM pg_database WHERE datname='{name}'"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not exists:
        if missing:
            raise SystemExit(missing)
        subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-c", f"CREATE DATABASE {name}"], check=True)
    return f"postgres://postgres@127.0.0.1:5432/{name}"


def database_url(db, name):
    """A bench database by name: /tmp/<name>.sqlite3, or <name> on the local PostgreSQL."""
    return f"sqlite:////tmp/{name}.sqlite3" if db == "sqlite" else postgres_url(name)


def start_gunicorn(env, port, workers, threads, ready, options=()):
    """gunicorn (gthread) on 127.0.0.1:`port`; waits until `ready(base)` gives something other than None
    (it may raise SystemExit on a wrong answer) and returns (the process, what ready gave)."""
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "prcouncil.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--threads",
            str(threads),
            "--worker-class",
            "gthread",
            "--log-level",
            "warning",
            *options,
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    for _attempt in range(150):
        try:
            found = ready(base)
        except httpx.TransportError:
            found = None
        if found is not None:
            return server, found
        time.sleep(0.2)
    server.terminate()
    raise SystemExit("gunicorn did not start")
