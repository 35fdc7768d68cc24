"""`make bench`: speed of CONECT with a realistic registry on PostgreSQL.

Each bench/bench_*.py module defines `run(bench)`; it calls `bench.page(...)` for a page or
endpoint (timed through Django's test client, beside the bare SQL it needs) or
`bench.timed(...)` for anything else. Results are printed and written to
bench/results/latest.json. Targets are checked and reported; the exit code is 1 when one
is missed, so a regression is visible.

Usage: DATABASE_URL=postgres://... python bench/run.py [--only NAME] [--organisations N]
"""

import argparse
import importlib.util
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "conect.settings.base")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection, reset_queries  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

FAST_PAGE_MS = 20
FAST_PAGE_REPEAT = 8  # 120 samples of a fast page and of its SQL, taken in turn


class Bench:
    def __init__(self, repeat: int):
        self.repeat = repeat
        self.results = []
        self.client = Client(HTTP_ACCEPT_LANGUAGE="ro")

    def _median_ms(self, fn, repeat=None) -> float:
        fn()  # warm up
        times = []
        for _ in range(repeat or self.repeat):
            start = time.perf_counter()
            fn()
            times.append((time.perf_counter() - start) * 1000)
        return statistics.median(times)

    def _sql_runner(self, sql, params=None):
        """A callable that runs the bare SQL: one statement with its parameters, or a list
        of statements one after the other (each its own round trip, as the page runs
        them), with their literal values inlined."""
        statements = [sql] if isinstance(sql, str) else list(sql)

        def run():
            with connection.cursor() as cursor:
                for statement in statements:
                    if isinstance(sql, str):
                        cursor.execute(statement, params or [])
                    else:
                        cursor.execute(statement)
                    if cursor.description is not None:
                        cursor.fetchall()

        return run

    def sql_ms(self, sql, params=None, repeat=None) -> float:
        """The median time of the bare SQL (see _sql_runner)."""
        return self._median_ms(self._sql_runner(sql, params), repeat)

    def _interleaved_ms(self, first, second, repeat=None) -> tuple[float, float]:
        """The median times of two callables run in turn (first, second, first, ...), so
        that a machine that speeds up or slows down during the measure changes both
        alike and the ratio between them stays true."""
        first()
        second()
        a, b = [], []
        for _ in range(repeat or self.repeat):
            start = time.perf_counter()
            first()
            a.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            second()
            b.append((time.perf_counter() - start) * 1000)
        return statistics.median(a), statistics.median(b)

    def page(
        self,
        name,
        url,
        *,
        sql=None,
        sql_params=None,
        target_ms=None,
        max_ratio=None,
        client=None,
        headers=None,
        repeat=None,
    ):
        """Time GET `url`; with `sql`, also the bare SQL the page needs, and the ratio."""
        client = client or self.client
        headers = headers or {}

        def get():
            response = client.get(url, **headers)
            assert response.status_code == 200, (url, response.status_code)
            return response

        with CaptureQueriesContext(connection) as ctx:
            get()
        queries = len(ctx.captured_queries)  # read now: later requests reset the log
        if repeat is None and _once(get) < FAST_PAGE_MS:
            # A page of a few milliseconds beside SQL of one: a tenth of a millisecond of
            # noise moves the ratio by a tenth, so take more samples (they cost little).
            repeat = self.repeat * FAST_PAGE_REPEAT
        if sql:
            page_ms, bare_ms = self._interleaved_ms(get, self._sql_runner(sql, sql_params), repeat)
        else:
            page_ms, bare_ms = self._median_ms(get, repeat), None
        self._record(name, page_ms, bare_ms, queries, target_ms, max_ratio)

    def timed(self, name, fn, *, target_ms=None, repeat=1, extra=None):
        """Time a callable (an import, a walk over the API...)."""
        page_ms = self._median_ms(fn, repeat) if repeat > 1 else _once(fn)
        self._record(name, page_ms, None, None, target_ms, None, extra)

    def _record(self, name, ms, bare_ms, queries, target_ms, max_ratio, extra=None):
        ratio = ms / bare_ms if bare_ms else None
        ok = (target_ms is None or ms <= target_ms) and (
            max_ratio is None or ratio is None or ratio <= max_ratio
        )
        row = {
            "name": name,
            "median_ms": round(ms, 1),
            "bare_sql_ms": round(bare_ms, 1) if bare_ms is not None else None,
            "ratio": round(ratio, 2) if ratio else None,
            "queries": queries,
            "target_ms": target_ms,
            "max_ratio": max_ratio,
            "ok": ok,
            **(extra or {}),
        }
        self.results.append(row)
        parts = [f"{name:<55} {ms:9.1f} ms"]
        if bare_ms is not None:
            parts.append(f"sql {bare_ms:7.1f} ms  x{ratio:5.2f}")
        if queries is not None:
            parts.append(f"{queries} queries")
        if target_ms:
            parts.append(f"target {target_ms} ms")
        if extra:
            parts.append(" ".join(f"{k}={v}" for k, v in extra.items()))
        parts.append("ok" if ok else "MISSED")
        print("  ".join(parts), flush=True)
        reset_queries()


def _once(fn) -> float:
    start = time.perf_counter()
    fn()
    return (time.perf_counter() - start) * 1000


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", help="run only bench/bench_<ONLY>.py")
    parser.add_argument("--organisations", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    if connection.vendor != "postgresql":
        sys.exit("make bench needs PostgreSQL: set DATABASE_URL=postgres://...")
    settings.DEBUG = False
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("seed_demo", organisations=args.organisations, verbosity=1)

    bench = Bench(args.repeat)
    modules = sorted((ROOT / "bench").glob("bench_*.py"))
    for path in modules:
        if args.only and path.stem != f"bench_{args.only}":
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        print(f"\n# {path.stem}", flush=True)
        module.run(bench)

    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "latest.json").write_text(json.dumps(bench.results, indent=2))
    missed = [r["name"] for r in bench.results if not r["ok"]]
    print(f"\n{len(bench.results)} measured, {len(missed)} missed target(s)")
    sys.exit(1 if missed else 0)


if __name__ == "__main__":
    main()
