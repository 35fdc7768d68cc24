"""`make bench`: CONECT's speed as a person meets it, over HTTP, on PostgreSQL.

For each scale (100,000 organisations; 1,000,000 with SCALE=1m or SCALE=all), this:
1. gets its database ready in its own process (bench/prepare.py: create, migrate, seed
   once and keep, sign the bench's people in);
2. starts gunicorn (2 sync workers, like the Docker image) on 127.0.0.1 with the production
   settings (bench/settings.py: DEBUG off, cached templates, persistent connections);
3. measures each page with one client (median, p95) and, where the target asks for it,
   with 8 concurrent clients for 10 s (requests/s, errors);
4. stops gunicorn (also on Ctrl-C or an error) and prints the table.

The results go to bench/results/ as JSON. The exit code is 0 when targets are missed:
this is a report, read it. See bench/README.md.

Usage: DATABASE_URL=postgres://root@127.0.0.1:5432/conect_bench python bench/run.py
       [--scale 100k|1m|all] [--only SUBSTRING] [--requests 30] [--seconds 10]
"""

import argparse
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import feedback, load  # noqa: E402

PYTHON = sys.executable
DEFAULT_DATABASE_URL = "postgres://root@127.0.0.1:5432/conect_bench"
# BENCH_REDIS_URL: another Redis database, when several people bench on one machine.
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
SCALES = {"100k": 100_000, "1m": 1_000_000}
THROUGHPUT_TARGET = 50  # requests/s with 8 clients, at 100,000 organisations
WORKERS = 2


def database_url(base: str, scale: str) -> str:
    """The 100k database is DATABASE_URL's; the 1M one has `_1m` after its name."""
    if scale == "100k":
        return base
    parts = urllib.parse.urlsplit(base)
    return urllib.parse.urlunsplit(parts._replace(path=parts.path.rstrip("/") + "_1m"))


def ensure_database(url: str) -> None:
    """CREATE DATABASE when it does not exist (connected to the server's `postgres`)."""
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urllib.parse.urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return
        conn.execute(f'CREATE DATABASE "{name}"')
        print(f"  created the database {name}", flush=True)


def environment(url: str) -> dict:
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "60",
        "DJANGO_SECRET_KEY": "bench-" + secrets.token_urlsafe(48),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_HSTS_SECONDS": "0",
        "REDIS_URL": REDIS_URL,
        "PYTHONPATH": str(ROOT),
    }


def flush_cache() -> None:
    """Empty the bench's Redis database: the two scales must not share cached pages."""
    import redis

    redis.Redis.from_url(REDIS_URL).flushdb()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn with WORKERS sync workers on 127.0.0.1, stopped on exit."""

    def __init__(self, env: dict):
        self.env = env
        self.port = free_port()
        self.process = None

    def __enter__(self):
        command = [
            PYTHON, "-m", "gunicorn", "conect.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", str(WORKERS),
            "--timeout", "60", "--log-level", "warning",
        ]  # fmt: skip
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("gunicorn stopped while starting: see its output above")
            try:
                if load.get(self.port, "/bench/hello/")[0] == 200:
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        raise RuntimeError("gunicorn did not answer within 60 s")

    def __exit__(self, *exc):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # the master stops its workers
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(5)
        return False


def measure(server: Server, spec: dict, args) -> dict:
    row = {**spec, "cookie": bool(spec["cookie"])}
    # The floor, taken again just before each page: on a shared machine the load changes
    # during a run, and the ratio should compare times taken under the same load.
    row["hello_ms"] = load.latency(server.port, "/bench/hello/", requests=10, warmup=1)["median_ms"]
    row.update(
        load.latency(
            server.port,
            spec["path"],
            cookie=spec["cookie"],
            requests=args.requests,
            posts=spec.get("posts"),
        )
    )
    if spec["throughput"] and args.seconds:
        row.update(
            load.throughput(server.port, spec["path"], cookie=spec["cookie"], seconds=args.seconds)
        )
        row["rps_target"] = THROUGHPUT_TARGET
    ok = row["latency_errors"] == 0
    if spec["target_ms"] is not None:
        ok = ok and row["median_ms"] <= spec["target_ms"]
    if "rps" in row:
        ok = ok and row["rps"] >= THROUGHPUT_TARGET and row["errors"] == 0
    row["ok"] = ok
    return row


HEADER = (
    f"{'page':<52} {'median':>7} {'p95':>7} {'target':>6} {'req/s':>7} {'err':>4} {'x hello':>7}  "
)


def print_row(row: dict) -> None:
    target = f"{row['target_ms']}" if row["target_ms"] is not None else "-"
    rps = f"{row['rps']:.0f}" if "rps" in row else "-"
    errors = row.get("errors", 0) + row["latency_errors"]
    if row["path"] == "/bench/hello/":
        row["hello_ms"] = row["median_ms"]  # the floor is its own reference
    ratio = row["median_ms"] / row["hello_ms"] if row["hello_ms"] else None
    row["ratio_to_hello"] = round(ratio, 1) if ratio else None
    verdict = "ok" if row["ok"] else "MISSED"
    if row["status"] >= 400:
        verdict += f" (HTTP {row['status']})"
    ratio_text = f"{ratio:.1f}" if ratio else "-"
    print(
        f"{row['name'][:52]:<52} {row['median_ms']:7.1f} {row['p95_ms']:7.1f} {target:>6} "
        f"{rps:>7} {errors:>4} {ratio_text:>7}  {verdict}",
        flush=True,
    )


def run_scale(scale: str, args) -> list[dict]:
    url = database_url(args.database_url, scale)
    organisations = SCALES[scale]
    print(
        f"\n# {organisations:,} organisations ({urllib.parse.urlsplit(url).path[1:]})", flush=True
    )
    ensure_database(url)
    env = environment(url)
    flush_cache()
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        command = [PYTHON, str(ROOT / "bench" / "prepare.py"), "--organisations",
                   str(organisations), "--out", out.name]  # fmt: skip
        subprocess.run(command, cwd=ROOT, env=env, check=True)
        pages = json.loads(Path(out.name).read_text())["pages"]
    if args.only:
        pages = [p for p in pages if p["path"] == "/bench/hello/" or args.only in p["name"]]
    rows = []
    with Server(env) as server:
        print(HEADER, flush=True)
        for spec in pages:
            row = measure(server, spec, args)
            print_row(row)
            row["scale"] = scale
            rows.append(row)
        if any(p["name"].startswith("feedback:") for p in pages):
            row = feedback.submissions(server.port, url)
            row["hello_ms"] = row["median_ms"]  # no floor for a POST; the ratio is 1
            print_row(row)
            print(
                f"  submitted {row['submitted']}, recorded {row['recorded']}, counted in the "
                f"index {row['counted_in_index']}",
                flush=True,
            )
            row["scale"] = scale
            rows.append(row)
    return rows


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--scale", choices=["100k", "1m", "all"], default=os.environ.get("SCALE") or "100k"
    )
    parser.add_argument("--only", help="measure only the pages whose name contains this")
    parser.add_argument(
        "--requests", type=int, default=30, help="timed requests per page, one client"
    )
    parser.add_argument(
        "--seconds", type=int, default=10, help="duration of the 8-client load (0: skip)"
    )
    parser.add_argument(
        "--database-url", default=os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL
    )
    args = parser.parse_args()
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        sys.exit("make bench needs PostgreSQL: DATABASE_URL=postgres://...")
    # A SIGTERM (a CI timeout, kill) unwinds like Ctrl-C, so that gunicorn is stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))

    started = time.monotonic()
    scales = ["100k", "1m"] if args.scale == "all" else [args.scale]
    rows = []
    for scale in scales:
        rows += run_scale(scale, args)
        if scale == "100k" and not args.only:
            # Questionnaires (issue 20): the exports' first byte, total time and memory,
            # measured in-process on the same database (bench/surveys.py).
            env = environment(database_url(args.database_url, scale))
            subprocess.run([PYTHON, str(ROOT / "bench" / "surveys.py")], cwd=ROOT, env=env)

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    body = json.dumps({"when": stamp, "scales": scales, "pages": rows}, indent=2)
    (out / f"{stamp}-{args.scale}.json").write_text(body)
    (out / "latest.json").write_text(body)
    measured = [r for r in rows if r["target_ms"] is not None or "rps" in r]
    missed = [r for r in measured if not r["ok"]]
    print(f"\n{len(measured)} measured, {len(missed)} missed ({time.monotonic() - started:.0f} s)")
    for row in missed:
        print(f"  missed: [{row['scale']}] {row['name']}")
    print(f"results: bench/results/{stamp}-{args.scale}.json")


if __name__ == "__main__":
    main()
