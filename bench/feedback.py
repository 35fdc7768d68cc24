"""The feedback on public services in `make bench` (issue 21): 1,000,000 answers across
3,000 institutions, the pages that read them, and 200 answers posted at the same moment.

- `seed()` (run by prepare.py, once: kept between runs) writes three services for each
  of 3,000 institutions and 1,000,000 answers over the last 12 months with SQL
  (generate_series), then the monthly sums from them, as the services would have kept
  them.
- `pages(page)` lists the pages to time: the map's feedback layer, an institution's page
  in the registry (with its services' index), its feedback page, the national index, the
  coordinators' dashboard (which has the feedback section) and the API's index.
- `submissions(port, database_url)` (run by run.py while gunicorn serves) posts 200
  answers to one service from 20 threads at once, and counts them in the database: none
  may be lost, every one answered with the redirect to the thanks page.
"""

import http.client
import re
import statistics
import threading
import time

ANSWERS = 1_000_000
INSTITUTIONS = 3_000
SERVICES_PER_INSTITUTION = 3
SUBMISSIONS = 200
THREADS = 20
SERVICE_NAMES = (
    "Eliberarea certificatului de urbanism",
    "Înregistrarea unei cereri la registratură",
    "Eliberarea unei adeverințe",
)


def seed(log) -> None:
    """Services and answers, once (the numbers of rows are checked, not their content)."""
    from django.db import connection, transaction

    from surveys.feedback.models import Answer, MonthlyIndex, Service

    if Answer.objects.count() >= ANSWERS:
        return
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        MonthlyIndex.objects.all().delete()
        Answer.objects.all().delete()
        Service.objects.all().delete()
        # Three services for each of the first 3,000 institutions, in their county.
        for n, name in enumerate(SERVICE_NAMES):
            cursor.execute(
                """
                INSERT INTO feedback_service (institution_id, code, name, description, channel,
                    county_id, locality, responsible, poster_language, is_active, created_at)
                SELECT i.id, 'b' || lpad(to_hex(i.id * 3 + %s), 6, '0'), %s, '', 'counter',
                    i.county_id, '', '', '', true, now()
                FROM (SELECT id, county_id FROM registry_institution ORDER BY id LIMIT %s) i
                """,
                [n, name, INSTITUTIONS],
            )
        # A million answers spread over the services and the last 365 days; one in
        # twenty with a comment (published), one in fifty with an e-mail address.
        cursor.execute(
            """
            WITH s AS (
                SELECT id, (row_number() OVER (ORDER BY id)) - 1 AS rn FROM feedback_service
            )
            INSERT INTO feedback_answer (service_id, created_at, language, satisfaction,
                access, clarity, courtesy, timeliness, solved, comment, comment_status,
                public_comment, moderation_reason, email)
            SELECT s.id,
                now() - (random() * interval '364 days'),
                CASE WHEN g %% 10 = 0 THEN 'hu' ELSE 'ro' END,
                1 + (g * 7 + s.id) %% 5,
                CASE WHEN g %% 3 = 0 THEN NULL ELSE 1 + (g * 3 + s.id) %% 5 END,
                1 + (g * 11) %% 5,
                1 + (g * 13 + s.id) %% 5,
                CASE WHEN g %% 4 = 0 THEN NULL ELSE 1 + (g * 17) %% 5 END,
                (ARRAY['yes', 'partly', 'no', ''])[1 + g %% 4],
                CASE WHEN g %% 20 = 0 THEN 'Am așteptat, dar am fost ajutat.' ELSE '' END,
                CASE WHEN g %% 20 = 0 THEN 'published' ELSE 'none' END,
                CASE WHEN g %% 20 = 0 THEN 'Am așteptat, dar am fost ajutat.' ELSE '' END,
                '',
                CASE WHEN g %% 50 = 0 THEN 'persoana' || g || '@example.org' ELSE '' END
            FROM generate_series(0, %s - 1) g
            JOIN s ON s.rn = g %% (SELECT count(*) FROM feedback_service)
            """,
            [ANSWERS],
        )
        # The monthly sums, as answer_submit keeps them (months in local time).
        cursor.execute(
            """
            INSERT INTO feedback_monthlyindex (service_id, institution_id, county_id,
                region_id, month, answers, satisfied, satisfaction_sum, access_sum, access_n,
                clarity_sum, clarity_n, courtesy_sum, courtesy_n, timeliness_sum,
                timeliness_n, solved_yes, solved_n)
            SELECT a.service_id, s.institution_id, s.county_id, c.region_id,
                date_trunc('month', a.created_at AT TIME ZONE 'Europe/Bucharest')::date,
                count(*), count(*) FILTER (WHERE a.satisfaction >= 4), sum(a.satisfaction),
                coalesce(sum(a.access), 0), count(a.access),
                coalesce(sum(a.clarity), 0), count(a.clarity),
                coalesce(sum(a.courtesy), 0), count(a.courtesy),
                coalesce(sum(a.timeliness), 0), count(a.timeliness),
                count(*) FILTER (WHERE a.solved = 'yes'), count(*) FILTER (WHERE a.solved <> '')
            FROM feedback_answer a
            JOIN feedback_service s ON s.id = a.service_id
            LEFT JOIN registry_county c ON c.id = s.county_id
            GROUP BY 1, 2, 3, 4, 5
            """
        )
    with connection.cursor() as cursor:
        for table in ("feedback_service", "feedback_answer", "feedback_monthlyindex"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    log(f"feedback: {ANSWERS:,} answers seeded in {time.monotonic() - started:.0f} s")


def pages(page, coordinator_cookie) -> list[dict]:
    """The pages that read the answers, within the bench's page target (50 ms)."""
    from django.db.models import Sum

    from surveys.feedback.models import MonthlyIndex, Service

    busiest = (
        MonthlyIndex.objects.values("institution_id")
        .annotate(n=Sum("answers"))
        .order_by("-n", "institution_id")
        .first()
    )
    institution_id = busiest["institution_id"]
    service = Service.objects.filter(institution_id=institution_id).order_by("pk").first()
    county = service.county.code if service.county_id else "RO113"
    return [
        page("feedback: map, feedback layer", "/map/?layer=feedback"),
        page("feedback: map data.json (every layer)", "/map/data.json"),
        page("feedback: institution page (registry)", f"/registry/institutions/{institution_id}/"),
        page("feedback: institution's services", f"/feedback/institutions/{institution_id}/"),
        page("feedback: service page", f"/feedback/services/{service.code}/"),
        page("feedback: national index", "/feedback/"),
        page("feedback: county index", f"/feedback/?county={county}"),
        page("feedback: the form", f"/s/{service.code}/"),
        page("feedback: api index", "/api/v1/feedback/index/"),
        page("feedback: api services, 100", "/api/v1/feedback/services/?page_size=100"),
        page("feedback: coordinator dashboard", "/dashboard/", cookie=coordinator_cookie),
    ]


_TOKEN = re.compile(rb'name="csrfmiddlewaretoken" value="([^"]+)"')


def _post_answers(port, path, count, results, lock):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", path, headers={"Host": "127.0.0.1", "Accept-Language": "ro"})
    response = conn.getresponse()
    body = response.read()
    cookie = next(
        (
            value.split(";", 1)[0]
            for name, value in response.getheaders()
            if name.lower() == "set-cookie" and value.startswith("csrftoken=")
        ),
        "",
    )
    token = _TOKEN.search(body).group(1).decode()
    for i in range(count):
        data = f"csrfmiddlewaretoken={token}&satisfaction={1 + i % 5}&access=4&lang=ro"
        started = time.perf_counter()
        try:
            conn.request(
                "POST",
                path,
                body=data,
                headers={
                    "Host": "127.0.0.1",
                    "Cookie": cookie,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
            )
            response = conn.getresponse()
            response.read()
            status = response.status
        except OSError:
            status = 0
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        with lock:
            results.append((status, (time.perf_counter() - started) * 1000))
    conn.close()


def submissions(port, database_url) -> dict:
    """200 answers to one service posted by 20 threads at once; a row for the bench's
    table: ok when every answer got its redirect and the database holds all 200 more
    answers and monthly counts."""
    import psycopg

    with psycopg.connect(database_url) as db:
        code, service_id = db.execute(
            "SELECT code, id FROM feedback_service ORDER BY id LIMIT 1"
        ).fetchone()
        count_sql = "SELECT count(*) FROM feedback_answer WHERE service_id = %s"
        sums_sql = (
            "SELECT coalesce(sum(answers), 0) FROM feedback_monthlyindex WHERE service_id = %s"
        )
        before = db.execute(count_sql, [service_id]).fetchone()[0]
        before_sums = db.execute(sums_sql, [service_id]).fetchone()[0]
    path = f"/s/{code}/"
    results, lock = [], threading.Lock()
    per_thread = SUBMISSIONS // THREADS
    threads = [
        threading.Thread(target=_post_answers, args=(port, path, per_thread, results, lock))
        for _i in range(THREADS)
    ]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    with psycopg.connect(database_url) as db:
        added = db.execute(count_sql, [service_id]).fetchone()[0] - before
        counted = db.execute(sums_sql, [service_id]).fetchone()[0] - before_sums
    times = [ms for _status, ms in results]
    errors = sum(1 for status, _ms in results if status != 302)
    return {
        "name": f"feedback: {SUBMISSIONS} concurrent submissions ({THREADS} clients)",
        "path": path,
        "target_ms": None,
        "throughput": False,
        "cookie": False,
        "status": 302 if not errors else 500,
        "median_ms": statistics.median(times) if times else 0.0,
        "p95_ms": sorted(times)[max(0, int(len(times) * 0.95) - 1)] if times else 0.0,
        "latency_errors": errors,
        "hello_ms": None,
        "rps": len(results) / elapsed if elapsed else 0.0,
        "submitted": len(results),
        "recorded": added,
        "counted_in_index": counted,
        "ok": errors == 0 and added == SUBMISSIONS and counted == SUBMISSIONS,
    }
