"""Weigh the citizen form's first view and time its GET (DESIGN.md §8, form page).

Targets: at most 25 KB transferred in total for the first view (HTML + CSS + any JS, no web
fonts), and GET p50 at most 5 ms in-process.

    .venv/bin/python bench/form_bytes.py [--database-url URL] [--requests 500]

1. Serves SUARA on a loopback port (a scratch database: migrations, regions, demo data) and
   opens the form in headless Chromium on a 360-px phone with an empty cache. Every response
   the page loads is counted from Chromium's own network log (CDP Network.loadingFinished
   encodedDataLength: header and body bytes as received), the favicon the browser asks for
   on its own included. Twice: as SUARA serves it (gzip for text, survey/compression.py),
   and with SUARA_PROXY_COMPRESSES set, as nothing compresses it when no proxy does.
2. Times GET /s/<token> with Flask's test client, in-process, over --requests requests after
   a warm-up, with the Accept-Encoding Chromium sends, and prints p50 / p95 / p99 and the CPU
   per GET; then the CPU per GET of the same loop without compression.
"""

import argparse
import base64
import logging
import os
import sys
import tempfile
import time
from pathlib import Path

from _common import (CHROMIUM, CHROMIUM_ARGS, bench_app, open_point, percentile,
                     prepare_database, scratch_databases, served, server_url, verdict)

KB = 1024
ACCEPT_ENCODING = {"Accept-Encoding": "gzip, deflate, br, zstd"}  # Chromium's
TARGET_BYTES = 25 * KB
TARGET_P50_MS = 5.0
WARM_UP = 20


def first_view(base: str, path: str) -> list[dict]:
    """Load a page once in a fresh phone-sized Chromium; return each response's byte counts."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 360, "height": 740}, locale="id-ID")
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        requests, finished = {}, {}
        cdp.on("Network.responseReceived", lambda event: requests.__setitem__(
            event["requestId"], {"url": event["response"]["url"],
                                 "status": event["response"]["status"],
                                 "type": event["type"],
                                 "encoding": event["response"]["headers"].get(
                                     "Content-Encoding", "")}))
        cdp.on("Network.loadingFinished", lambda event: finished.__setitem__(
            event["requestId"], event["encodedDataLength"]))
        page.goto(base + path, wait_until="load")
        page.wait_for_timeout(500)  # anything late (there should be nothing)
        results = []
        for request_id, info in requests.items():
            body = cdp.send("Network.getResponseBody", {"requestId": request_id})
            raw = (base64.b64decode(body["body"]) if body["base64Encoded"]
                   else body["body"].encode())
            results.append({**info, "transferred": finished.get(request_id, 0),
                            "body": len(raw)})
        context.close()
        browser.close()
    return results


def get_timings(app, path: str, count: int) -> tuple[list[float], float]:
    """Time `count` in-process GETs of a path after a warm-up, with a browser's Accept-Encoding:
    wall ms each, mean CPU ms."""
    client = app.test_client()
    for _ in range(WARM_UP):
        assert client.get(path, headers=ACCEPT_ENCODING).status_code == 200
    timings = []
    cpu_started = time.process_time()
    for _ in range(count):
        started = time.perf_counter()
        response = client.get(path, headers=ACCEPT_ENCODING)
        timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200
    return timings, (time.process_time() - cpu_started) / count * 1000


def profiled(app, path: str, count: int) -> str:
    """Return pyinstrument's call tree of `count` in-process GETs (SUARA's frames only)."""
    from pyinstrument import Profiler

    client = app.test_client()
    profiler = Profiler(interval=0.0005)
    with profiler:
        for _ in range(count):
            client.get(path, headers=ACCEPT_ENCODING)
    return profiler.output_text(color=False, unicode=False)


def print_view(responses: list[dict], base: str) -> int:
    """Print each response of a first view, as received and decoded; return the total."""
    print(f"  {'response':<34} {'status':>6} {'encoding':>8} {'transferred':>11} {'body':>7}")
    for item in responses:
        name = item["url"].removeprefix(base)
        print(f"  {name:<34} {item['status']:>6} {item['encoding'] or '-':>8} "
              f"{item['transferred']:>11,} {item['body']:>7,}")
    total = sum(item["transferred"] for item in responses)
    bodies = sum(item["body"] for item in responses)
    print(f"  {'total (' + str(len(responses)) + ' responses)':<34} {'':>6} {'':>8} "
          f"{total:>11,} {bodies:>7,}")
    return total


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="",
                        help="PostgreSQL server to make a scratch database on (the named "
                        "database is never changed); default: $DATABASE_URL if it names a "
                        "PostgreSQL server, else a SQLite file")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--profile", action="store_true",
                        help="also profile the timed GETs with pyinstrument (pip install "
                        "pyinstrument) and print where the time goes")
    args = parser.parse_args(argv)
    args.database_url = server_url(args.database_url)
    logging.getLogger("werkzeug").setLevel(logging.ERROR)

    with tempfile.TemporaryDirectory() as tmp, \
            scratch_databases(args.database_url, Path(tmp)) as urls:
        url = urls["main"]
        prepare_database(url)
        token, _, _ = open_point(url)
        path = f"/s/{token}"
        app = bench_app(url)
        plain_app = bench_app(url, SUARA_PROXY_COMPRESSES=True)
        with served(app) as base:
            responses = first_view(base, path)
        with served(plain_app) as plain_base:
            plain = first_view(plain_base, path)
        timings, cpu = get_timings(app, path, args.requests)
        _, plain_cpu = get_timings(plain_app, path, args.requests)
        profile = profiled(app, path, args.requests) if args.profile else None
        for each in (app, plain_app):
            each.extensions["suara.db"].engine.dispose()

    database = "PostgreSQL" if url.startswith("postgresql") else "SQLite"
    print(f"Form page first view: {path} on a 360-px phone, headless Chromium, empty cache "
          f"({database})")
    total = print_view(responses, base)
    plain_total = sum(item["transferred"] for item in plain)
    print(f"Transferred in total: {total:,} B = {total / KB:.1f} KB "
          f"(target <= {TARGET_BYTES // KB} KB: {verdict(total <= TARGET_BYTES)}); "
          f"{plain_total:,} B = {plain_total / KB:.1f} KB uncompressed "
          f"(SUARA_PROXY_COMPRESSES=1, no proxy)")
    kinds = sorted({item["type"] for item in responses})
    print(f"  resource types: {', '.join(kinds)}; scripts: "
          f"{sum(item['type'] == 'Script' for item in responses)}, fonts: "
          f"{sum(item['type'] == 'Font' for item in responses)}")

    p50, p95, p99 = (percentile(timings, p) for p in (50, 95, 99))
    print(f"GET {path} in-process (Flask test client, {database}), {len(timings)} requests after "
          f"{WARM_UP} warm-up: p50 {p50:.2f} ms, p95 {p95:.2f} ms, p99 {p99:.2f} ms, "
          f"max {max(timings):.2f} ms")
    print(f"  p50 target <= {TARGET_P50_MS:g} ms: {verdict(p50 <= TARGET_P50_MS)}; CPU "
          f"{cpu:.2f} ms per GET (this process), {plain_cpu:.2f} ms without compression; "
          f"{os.cpu_count()} CPUs, load average now {os.getloadavg()[0]:.1f}")
    if profile:
        print(profile)
    return 0 if total <= TARGET_BYTES and p50 <= TARGET_P50_MS else 1


if __name__ == "__main__":
    sys.exit(main())
