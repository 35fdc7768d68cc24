"""The load generators of `make bench`, aimed at 127.0.0.1 only, bounded in requests and time.

- `latency`: one client, sequential requests (after a warm-up), timed one by one with
  http.client: the median and the 95th percentile.
- `throughput`: 8 concurrent clients for a fixed duration with wrk (Debian package `wrk`)
  when it is installed, else Python threads with http.client: requests per second and
  the number of errors (answers other than 2xx/3xx, and failed connections).
"""

import http.client
import itertools
import json
import math
import shutil
import statistics
import subprocess
import tempfile
import threading
import time

HOST = "127.0.0.1"
WRK = shutil.which("wrk")
WRK_SCRIPT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    "BENCH {\\"requests\\": %d, \\"duration_us\\": %d, \\"errors\\": %d, \\"p50_us\\": %d}\\n",
    summary.requests, summary.duration,
    e.connect + e.read + e.write + e.status + e.timeout, latency:percentile(50)))
end
"""


def _headers(cookie, accept):
    headers = {"Host": "127.0.0.1", "Accept-Language": "ro", "Accept": accept}
    if cookie:
        headers["Cookie"] = cookie
    return headers


def _accept(path):
    return "application/json" if path.startswith("/api/") or path.endswith(".json") else "text/html"


def get(port, path, cookie=None, connection=None, post=None):
    """GET `path` (or POST the form body `post`, with the CSRF token that the cookie
    carries); (status, body size). Reuses `connection` when the server keeps it."""
    conn = connection or http.client.HTTPConnection(HOST, port, timeout=60)
    headers = _headers(cookie, _accept(path))
    if post is None:
        conn.request("GET", path, headers=headers)
    else:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
        headers["X-CSRFToken"] = _csrf_token(cookie)
        conn.request("POST", path, body=post.encode(), headers=headers)
    response = conn.getresponse()
    body = response.read()
    if connection is None:
        conn.close()
    return response.status, len(body)


def _csrf_token(cookie):
    for part in (cookie or "").split(";"):
        name, _, value = part.strip().partition("=")
        if name == "csrftoken":
            return value
    return ""


def percentile(values, p):
    ordered = sorted(values)
    index = max(0, math.ceil(p / 100 * len(ordered)) - 1)
    return ordered[index]


def latency(port, path, *, cookie=None, requests=30, warmup=4, max_seconds=20.0, posts=None):
    """One client: `warmup` requests untimed (each worker loads its templates and opens
    its connection), then up to `requests` sequential requests, stopping early after
    `max_seconds` (at least 5 are timed). Times in ms. With `posts` (form bodies), each
    request POSTs the next body in turn (a vote cast, then changed)."""
    bodies = itertools.cycle(posts) if posts else None
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    statuses = []
    try:
        for _ in range(warmup):
            statuses.append(get(port, path, cookie, conn, next(bodies) if bodies else None)[0])
        times, size = [], 0
        deadline = time.monotonic() + max_seconds
        while len(times) < requests and (len(times) < 5 or time.monotonic() < deadline):
            start = time.perf_counter()
            status, size = get(port, path, cookie, conn, next(bodies) if bodies else None)
            times.append((time.perf_counter() - start) * 1000)
            statuses.append(status)
    finally:
        conn.close()
    errors = sum(1 for s in statuses if not 200 <= s < 400)
    return {
        "median_ms": round(statistics.median(times), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "samples": len(times),
        "status": statuses[-1],
        "bytes": size,
        "latency_errors": errors,
    }


def throughput(port, path, *, cookie=None, clients=8, seconds=10):
    """`clients` concurrent clients for `seconds`: requests/s and errors."""
    if WRK:
        return _wrk(port, path, cookie, clients, seconds)
    return _threads(port, path, cookie, clients, seconds)


def _wrk(port, path, cookie, clients, seconds):
    with tempfile.NamedTemporaryFile("w", suffix=".lua") as script:
        script.write(WRK_SCRIPT)
        script.flush()
        command = [
            WRK,
            "-t2",
            f"-c{clients}",
            f"-d{seconds}s",
            "--timeout",
            "30s",
            "-s",
            script.name,
        ]
        for name, value in _headers(cookie, _accept(path)).items():
            command += ["-H", f"{name}: {value}"]
        command.append(f"http://{HOST}:{port}{path}")
        done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60)
    line = next((line for line in done.stdout.splitlines() if line.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {done.stdout[-500:]} {done.stderr[-500:]}")
    result = json.loads(line[len("BENCH ") :])
    return {
        "rps": round(result["requests"] / (result["duration_us"] / 1e6), 1),
        "errors": result["errors"],
        "requests": result["requests"],
        "load_median_ms": round(result["p50_us"] / 1000, 1),
        "generator": "wrk",
    }


def _threads(port, path, cookie, clients, seconds):
    deadline = time.monotonic() + seconds
    counts = [0] * clients
    errors = [0] * clients

    def client(index):
        conn = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < deadline:
            try:
                status, _size = get(port, path, cookie, conn)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=30)
                status = 0
            counts[index] += 1
            if not 200 <= status < 400:
                errors[index] += 1
        conn.close()

    start = time.monotonic()
    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(seconds + 60)
    elapsed = time.monotonic() - start
    return {
        "rps": round(sum(counts) / elapsed, 1),
        "errors": sum(errors),
        "requests": sum(counts),
        "generator": "python threads",
    }
