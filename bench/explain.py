"""The queries of one page, with the plan of the slow ones: where a page's time goes.

    DATABASE_URL=postgres://root@127.0.0.1:5432/conect_bench_1m \\
        .venv/bin/python bench/explain.py "/registry/organisations/?q=educatie"
    ... bench/explain.py --as coordinator /registry/organisations/verification/

The page is requested in-process (Django's test client, the bench's settings) on the
bench database; each query is printed with its time, and the ones over --slow ms with
EXPLAIN (ANALYZE, BUFFERS). Run `make bench` once first: it seeds the database.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.run import DEFAULT_DATABASE_URL, environment  # noqa: E402

os.environ.update(
    {
        k: v
        for k, v in environment(os.environ.get("DATABASE_URL") or DEFAULT_DATABASE_URL).items()
        if k not in os.environ or k == "DJANGO_SETTINGS_MODULE"
    }
)

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from conect.accounts.models import User  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("url")
    parser.add_argument("--as", dest="who", choices=["anonymous", "coordinator", "ngo_admin"])
    parser.add_argument("--slow", type=float, default=5.0, help="explain queries over this (ms)")
    args = parser.parse_args()
    client = Client(HTTP_ACCEPT_LANGUAGE="ro", HTTP_HOST="127.0.0.1")
    if args.who == "coordinator":
        client.force_login(User.objects.filter(is_coordinator=True).order_by("pk").first())
    elif args.who == "ngo_admin":
        from registry.models import OrganisationMembership

        admin = OrganisationMembership.objects.filter(role="admin").order_by("pk").first()
        client.force_login(admin.user)
    client.get(args.url)  # warm up: the first request loads templates and caches
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.get(args.url)
        elapsed = (time.perf_counter() - started) * 1000
    print(f"{args.url}: HTTP {response.status_code}, {elapsed:.1f} ms in-process")
    total = sum(float(q["time"]) for q in ctx.captured_queries) * 1000
    print(f"{len(ctx.captured_queries)} queries, {total:.1f} ms in the database\n")
    for query in ctx.captured_queries:
        ms = float(query["time"]) * 1000
        sql = query["sql"]
        print(f"--- {ms:.1f} ms\n{sql[:2000]}\n")
        if ms >= args.slow and sql.lstrip().upper().startswith("SELECT"):
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
                print("\n".join(row[0] for row in cursor.fetchall()), "\n")


if __name__ == "__main__":
    main()
