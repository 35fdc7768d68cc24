"""The questionnaires' scenario of `make bench` (issue 20): a questionnaire of 40 questions
with 100,000 submitted answers, built once in bulk and kept; its results page and its
exports.

- `survey_with_answers()` builds it (bench/prepare.py calls it, so that the results page is
  among the pages measured over HTTP, warm, with the coordinator's session).
- `python bench/surveys.py` (run by bench/run.py after the pages at 100,000, or alone with
  the bench's DATABASE_URL) measures in this process, with Django's test client and the
  bench's settings: the results page with an empty cache (PostgreSQL aggregates the
  100,000 answers) and warm; the CSV and XLSX exports: time to the first byte, total time,
  size, and how much the process's resident memory grew while streaming them (sampled at
  every chunk), with its peak. Flat memory means that growth does not depend on the number
  of answers (`--answers N` builds a second questionnaire of N answers to compare).

    DATABASE_URL=postgres://root@127.0.0.1:5432/conect_bench .venv/bin/python bench/surveys.py
"""

import argparse
import json
import os
import random
import resource
import sys
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUESTIONS = 40
ANSWERS = 100_000
TITLE = "Bench: chestionar de 40 de întrebări cu {n:,} de răspunsuri"
BATCH = 5_000


def _question_specs():
    """40 questions of every type but the file: what a real questionnaire mixes."""
    from surveys.models import Question

    K = Question.Kind
    kinds = [
        K.SINGLE, K.MULTIPLE, K.SCALE, K.YES_NO, K.MATRIX_SINGLE, K.SHORT_TEXT, K.LONG_TEXT,
        K.NUMBER, K.DATE, K.RANKING,
    ]  # fmt: skip
    for n in range(QUESTIONS):
        kind = kinds[n % len(kinds)]
        yield n, kind


def _choices(count):
    return [
        {"key": f"c{i}", "label": {"ro": f"Varianta {i}", "en": f"Choice {i}"}}
        for i in range(count)
    ]


def _answer(question, rng):
    from surveys.models import Question

    K = Question.Kind
    kind = question.kind
    keys = [c["key"] for c in question.choices]
    if kind == K.SINGLE:
        return rng.choice(keys)
    if kind == K.MULTIPLE:
        return rng.sample(keys, rng.randint(1, 3))
    if kind == K.SCALE:
        return rng.randint(1, 5)
    if kind == K.YES_NO:
        return rng.choice(("yes", "no"))
    if kind == K.MATRIX_SINGLE:
        return {row["key"]: rng.choice(keys) for row in question.rows}
    if kind == K.SHORT_TEXT:
        return f"Răspuns scurt {rng.randint(1, 1000)}"
    if kind == K.LONG_TEXT:
        return "Consultarea a fost utilă, dar termenul a fost prea scurt pentru o analiză. " * 2
    if kind == K.NUMBER:
        return rng.randint(0, 500)
    if kind == K.DATE:
        return f"2026-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    order = keys[:]
    rng.shuffle(order)
    return order


def survey_with_answers(answers: int = ANSWERS, log=print):
    """The questionnaire of 40 questions with `answers` submitted answers (made once, in
    bulk, and kept between runs)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from registry.models import County
    from surveys.models import Question, Response, Survey

    title = TITLE.format(n=answers)
    survey = Survey.objects.filter(title__ro=title).first()
    if survey is not None:
        return survey
    started = time.monotonic()
    now = timezone.now()
    rng = random.Random(20)
    author = bench_coordinator()
    counties = list(County.objects.values_list("pk", flat=True))
    with transaction.atomic():
        survey = Survey.objects.create(
            title={
                "ro": title,
                "en": f"Bench: a questionnaire of 40 questions, {answers:,} answers",
            },
            audience=Survey.Audience.PUBLIC,
            status=Survey.Status.OPEN,
            deadline=now + timedelta(days=30),
            created_by=author,
            opened_at=now,
            first_answer_at=now,
            results_public=True,
        )
        questions = Question.objects.bulk_create(
            [
                Question(
                    survey=survey,
                    position=n + 1,
                    kind=kind,
                    text={"ro": f"Întrebarea {n + 1}", "en": f"Question {n + 1}"},
                    choices=_choices(5)
                    if kind not in ("short_text", "long_text", "number", "date", "scale", "yes_no")
                    else [],
                    rows=_choices(4) if kind == "matrix_single" else [],
                    max_value=5 if kind == "scale" else None,
                )
                for n, kind in _question_specs()
            ]
        )
        for start in range(0, answers, BATCH):
            Response.objects.bulk_create(
                [
                    Response(
                        survey=survey,
                        status=Response.Status.SUBMITTED,
                        answers={q.key: _answer(q, rng) for q in questions if rng.random() < 0.9},
                        county_id=rng.choice(counties),
                        submitted_at=now - timedelta(minutes=n),
                    )
                    for n in range(start, min(start + BATCH, answers))
                ]
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE surveys_response")
    elapsed = time.monotonic() - started
    log(f"questionnaire of 40 questions with {answers:,} answers in {elapsed:.1f} s")
    return survey


def bench_coordinator():
    """The bench's coordinator (bench/prepare.py's), with the authenticator app every
    coordinator must have."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    from conect.accounts.models import User

    coordinator, _created = User.objects.get_or_create(
        email="coordonator@bench.conect.demo",
        defaults={"name": "Coordonator Bench", "is_coordinator": True, "preferred_language": "ro"},
    )
    if not Authenticator.objects.filter(user=coordinator, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(coordinator, generate_totp_secret())
    return coordinator


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_now_mb() -> float:
    """The process's resident memory now (Linux), in MB."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * resource.getpagesize() / 1024 / 1024


def _stream(client, path):
    """(status, time to first byte, total time, size, growth of resident memory in MB) of
    a download read to its end. The memory is sampled at every chunk (tracemalloc would
    slow the export several times over)."""
    before = _rss_now_mb()
    peak = before
    started = time.perf_counter()
    response = client.get(path)
    first = None
    size = 0
    for chunk in response.streaming_content:
        if first is None:
            first = time.perf_counter() - started
        size += len(chunk)
        peak = max(peak, _rss_now_mb())
    total = time.perf_counter() - started
    return response.status_code, first, total, size, peak - before


def measure(answers: int = ANSWERS) -> list[dict]:
    from django.core.cache import cache
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    coordinator = bench_coordinator()
    survey = survey_with_answers(answers)
    # The bench's settings allow only 127.0.0.1 and localhost as hosts.
    client = Client(HTTP_HOST="127.0.0.1")
    rows = []
    results = f"/surveys/{survey.pk}/results/"
    cache.clear()
    client.force_login(coordinator)
    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        status = client.get(results).status_code
        cold = time.perf_counter() - started
    rows.append(
        {
            "name": "results page, empty cache",
            "status": status,
            "total_s": cold,
            "queries": len(ctx.captured_queries),
        }
    )
    timings = []
    for _ in range(10):
        started = time.perf_counter()
        client.get(results)
        timings.append(time.perf_counter() - started)
    timings.sort()
    rows.append(
        {
            "name": "results page, warm (median of 10)",
            "status": status,
            "total_s": timings[len(timings) // 2],
        }
    )
    reset_queries()
    for name, suffix in (("CSV export", "export.csv"), ("XLSX export", "export.xlsx")):
        status, first, total, size, peak = _stream(client, f"/surveys/{survey.pk}/{suffix}")
        rows.append(
            {
                "name": name,
                "status": status,
                "ttfb_s": first,
                "total_s": total,
                "size_mb": size / 1024 / 1024,
                "rss_growth_mb": peak,
                "process_peak_rss_mb": _rss_mb(),
            }
        )
    return rows


def print_rows(rows, answers):
    print(f"\n# questionnaire: 40 questions, {answers:,} answers (in-process, bench settings)")
    columns = ("status", "first byte", "total", "size", "+rss", "rss max")
    widths = (6, 10, 9, 8, 8, 8)
    print(f"{'measure':<36} " + " ".join(f"{c:>{w}}" for c, w in zip(columns, widths, strict=True)))
    for row in rows:
        ttfb = f"{row['ttfb_s'] * 1000:.0f} ms" if "ttfb_s" in row else "-"
        size = f"{row['size_mb']:.0f} MB" if "size_mb" in row else "-"
        peak = f"{row['rss_growth_mb']:.0f} MB" if "rss_growth_mb" in row else "-"
        rss = f"{row['process_peak_rss_mb']:.0f} MB" if "process_peak_rss_mb" in row else "-"
        total = f"{row['total_s'] * 1000:.0f} ms"
        queries = f"  ({row['queries']} queries)" if "queries" in row else ""
        print(
            f"{row['name']:<36} {row['status']:>6} {ttfb:>10} {total:>9} {size:>8} {peak:>8} "
            f"{rss:>8}{queries}",
            flush=True,
        )


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--answers", type=int, default=ANSWERS)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()
    from django.db import connection

    if connection.vendor != "postgresql":
        sys.exit("make bench needs PostgreSQL: set DATABASE_URL=postgres://...")
    rows = measure(args.answers)
    print_rows(rows, args.answers)
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / "surveys-latest.json").write_text(
        json.dumps({"answers": args.answers, "rows": rows}, indent=2)
    )


if __name__ == "__main__":
    main()
