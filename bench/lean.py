"""A lean worker: memory of each gunicorn worker, the cold first request, `suara --help`.

Targets: resident memory (RSS) of each worker ≤ 100 MB after start and after 1,000 mixed
requests; the first request answered within 1 s of gunicorn's start (DESIGN.md §8); `suara
--help` within 1 s (median of 5).

    .venv/bin/python bench/lean.py                  # SQLite (or $DATABASE_URL's server)
    .ci/with-postgres .venv/bin/python bench/lean.py --database-url "$DATABASE_URL"

What it does:
1. Compiles the code's bytecode (as `make run` does before serving), makes a scratch database
   with the regions and the demo data (as `make run`), plus --points service points spread
   over the demo's units (the mix's POSTs stay under a poster's hourly limit).
2. For each mode (default both: gunicorn's default, where every worker imports the app, and
   --preload, where the master imports it once and forks the workers, which then share its
   pages until they write to them): starts gunicorn (2 gthread workers × 4 threads, as `make
   run`), sends GET /s/<token> as soon as it listens and times process start → first 200.
3. Prints each worker's RSS, PSS and USS (/proc/<pid>/smaps_rollup) once the workers have
   settled; RSS counts every shared page in full, PSS divides each shared page among the
   processes that map it, USS is what the worker alone holds: PSS summed over the master and
   the workers (and the renderer) is what the machine spends.
4. Sends 1,000 requests from 4 client threads: citizen form GETs and POSTs (a form token signed
   for a view a minute old, as a phone sends it; each from an address of its own in
   X-Forwarded-For), the home page, a unit's public result page /hasil/<slug>, the JSON API,
   and as an administrator signed in: the national and a unit dashboard and a unit's report
   PDF (each POST changes the data version, so the PDF is rendered anew, not read from the
   cache; the workers hand it to the renderer process, survey/renderer.py, whose memory is
   printed and added to the total too). Then prints the memory again, and the answers by
   status.
5. Times `suara --help` five times and prints the median.
Exit status 0 when every target is met (RSS, not PSS: a worker's RSS is what the kernel's
out-of-memory accounting and most monitoring show).
"""

import argparse
import http.cookiejar
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

from _common import (ROOT, SECRET_KEY, add_points, free_port, is_postgres, prepare_database,
                     scratch_databases, server_url, verdict)
from submissions import PROFILE, csrf_field, log_digest

TARGET_MB = 100.0
TARGET_COLD_S = 1.0
TARGET_HELP_S = 1.0
BIN = Path(sys.executable).parent
UNIT = "puskesmas-ketabang"  # a demo unit with responses in every period (survey/demo.py)
EMAIL, PASSWORD = "admin@demo.suara.id", "demo-suara-2026"  # survey/demo_accounts.py
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')
# Of every 100 requests: what a day of a regency's service looks like, citizens first.
MIX = (("form", 30), ("post", 20), ("home", 15), ("result", 15), ("api", 8), ("dashboard", 5),
       ("unit_dashboard", 5), ("pdf", 2))


def children(pid: int) -> list[int]:
    """Return the ids of a process's children (gunicorn's workers), from /proc."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue  # ended meanwhile
        if int(text[text.rindex(")") + 2:].split()[1]) == pid:
            found.append(int(stat.parent.name))
    return sorted(found)


def renderers() -> list[int]:
    """Return the ids of the renderer processes of this checkout's instance folder (the
    workers hand report PDFs to one: survey/renderer.py)."""
    instance = os.fsencode(ROOT / "instance")
    found = []
    for entry in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = entry.read_bytes().split(b"\0")
        except OSError:
            continue
        if b"survey.render_server" in command and any(part.startswith(instance)
                                                       for part in command):
            found.append(int(entry.parent.name))
    return sorted(found)


def stop_renderers() -> None:
    """Send the renderers away (each leaves when its socket file is gone), so that every mode
    starts its own."""
    for path in (ROOT / "instance").glob("renderer-*.sock"):
        path.unlink(missing_ok=True)
    deadline = time.monotonic() + 15
    while renderers() and time.monotonic() < deadline:
        time.sleep(0.2)


def memory(pid: int) -> dict[str, float]:
    """Return RSS, PSS and USS of a process in MB (Linux smaps_rollup)."""
    fields = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, value = line.split(":", 1)
        fields[name] = int(value.split()[0]) / 1024
    return {"rss": fields["Rss"], "pss": fields["Pss"],
            "uss": fields["Private_Clean"] + fields["Private_Dirty"]}


def settle(pid: int, workers: int, timeout: float = 30.0) -> list[int]:
    """Wait until the master has its workers and their RSS stays put; return their ids."""
    deadline, last = time.monotonic() + timeout, None
    while time.monotonic() < deadline:
        time.sleep(0.5)
        found = children(pid)
        sizes = [round(memory(child)["rss"]) for child in found]
        if len(found) == workers and sizes == last:
            return found
        last = sizes
    raise SystemExit(f"gunicorn's {workers} workers did not settle in {timeout:g} s")


def get(url: str, opener=None, data: bytes | None = None, headers: dict | None = None):
    """Send a request without following redirects; return (status, body)."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *_args, **_kwargs):
            return None

    request = urllib.request.Request(url, data=data, headers=headers or {})
    opener = opener or urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(request, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, b""


def start(port: int, env: dict, log: Path, preload: bool, workers: int):
    """Start gunicorn as `make run` does; return (process, seconds to the first 200 of the
    citizen form)."""
    command = [str(BIN / "gunicorn"), "--workers", str(workers), "--threads", "4",
               "--worker-class", "gthread", "--bind", f"127.0.0.1:{port}",
               "--log-level", "warning", *(["--preload"] if preload else []), "wsgi:app"]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env},
                               stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/s/{env['BENCH_TOKEN']}"
    while time.monotonic() - started < 60:
        try:
            status, _ = get(url)
        except (urllib.error.URLError, ConnectionError):  # not listening yet
            time.sleep(0.01)
            continue
        if status == 200:
            return process, time.monotonic() - started
        raise SystemExit(f"the citizen form answered {status}:\n{log.read_text()[-3000:]}")
    process.terminate()
    raise SystemExit(f"gunicorn did not answer in 60 s:\n{log.read_text()[-3000:]}")


def signed_in(base: str):
    """Return an opener that carries the demo administrator's session cookie."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    _, page = get(f"{base}/masuk", opener)
    token = TOKEN.search(page.decode()).group(1)
    status, _ = get(f"{base}/masuk", opener, urlencode(
        {"email": EMAIL, "password": PASSWORD, "csrf_token": token}).encode())
    if status != 200:  # the opener follows the redirect to the dashboard
        raise SystemExit(f"signing in answered {status}")
    return opener


def one_request(kind: str, base: str, tokens: list[str], opener, n: int) -> int:
    """Send one request of the mix; return its status."""
    token = tokens[n % len(tokens)]
    if kind == "post":
        client_uuid = uuid.uuid4()
        answers = "&".join(f"U{k}={(n + k) % 4 + 1}" for k in range(1, 10))
        body = f"{csrf_field(token, client_uuid)}&{answers}&{PROFILE}&client_uuid={client_uuid}"
        address = f"10.{n // 62500 % 250}.{n // 250 % 250}.{n % 250 + 1}"
        return get(f"{base}/s/{token}", data=body.encode(),
                   headers={"X-Forwarded-For": address})[0]
    path = {"form": f"/s/{token}", "home": "/", "result": f"/hasil/{UNIT}",
            "api": f"/api/v1/units/{UNIT}/ikm", "dashboard": "/dasbor/",
            "unit_dashboard": f"/dasbor/unit/{UNIT}",
            "pdf": f"/dasbor/unit/{UNIT}/laporan.pdf"}[kind]
    signed = kind in ("dashboard", "unit_dashboard", "pdf")
    return get(base + path, opener if signed else None)[0]


def mixed(base: str, tokens: list[str], count: int, clients: int = 4) -> Counter:
    """Send `count` requests of the mix from `clients` threads; return {(kind, status): n}."""
    kinds = [kind for kind, share in MIX for _ in range(share)]
    plan = [kinds[n % len(kinds)] for n in range(count)]
    random.Random(7).shuffle(plan)
    opener, answers, lock = signed_in(base), Counter(), threading.Lock()

    def work(offset: int) -> None:
        for n in range(offset, count, clients):
            status = one_request(plan[n], base, tokens, opener, n)
            with lock:
                answers[plan[n], status] += 1

    threads = [threading.Thread(target=work, args=(offset,)) for offset in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


def measure(mode: str, url: str, tokens: list[str], tmp: Path, args) -> dict:
    """Serve SUARA in one mode; return its cold start, memory before and after, answers."""
    port = free_port()
    env = {"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, "SUARA_PROXIES": "1",
           "SUARA_BASE_URL": f"http://127.0.0.1:{port}", "CACHE_DIR": str(tmp / f"cache-{mode}"),
           "BENCH_TOKEN": tokens[0]}
    stop_renderers()
    process, cold = start(port, env, tmp / f"{mode}.log", mode == "preload", args.workers)
    try:
        workers = settle(process.pid, args.workers)
        before = {pid: memory(pid) for pid in [process.pid, *workers]}
        started = time.monotonic()
        answers = mixed(f"http://127.0.0.1:{port}", tokens, args.requests)
        seconds = time.monotonic() - started
        drawing = renderers()
        after = {pid: memory(pid) for pid in [process.pid, *children(process.pid), *drawing]}
    finally:
        process.terminate()
        process.wait(timeout=30)
        stop_renderers()
    return {"mode": mode, "cold": cold, "master": process.pid, "renderers": drawing,
            "workers": workers,
            "before": before, "after": after, "answers": answers, "seconds": seconds,
            "log": log_digest(tmp / f"{mode}.log", top=50)}


def help_seconds(times: int = 5) -> float:
    """Return the median wall time of `suara --help`."""
    found = []
    for _ in range(times):
        started = time.monotonic()
        subprocess.run([str(BIN / "suara"), "--help"], cwd=ROOT, check=True,
                       stdout=subprocess.DEVNULL)
        found.append(time.monotonic() - started)
    return statistics.median(found)


def describe(result: dict) -> tuple[list[str], float]:
    """Return the lines that report one mode, and its largest worker RSS."""
    lines = [f"{result['mode']}: first request answered {result['cold']:.2f} s after start "
             f"(target <= {TARGET_COLD_S:g} s: {verdict(result['cold'] <= TARGET_COLD_S)}); "
             f"{args_requests(result)} requests in {result['seconds']:.1f} s"]
    largest = 0.0
    for label, sizes in (("after start", result["before"]), ("after the mix", result["after"])):
        for pid, size in sizes.items():
            role = ("master" if pid == result["master"] else
                    "renderer" if pid in result["renderers"] else "worker")
            if role == "worker":
                largest = max(largest, size["rss"])
            lines.append(f"  {label:<14} {role:<8} {pid:>7}: RSS {size['rss']:6.1f} MB   "
                         f"PSS {size['pss']:6.1f} MB   USS {size['uss']:6.1f} MB")
        total = sum(size["pss"] for size in sizes.values())
        lines.append(f"  {label:<14} PSS of them all together: {total:.1f} MB")
    by_kind = Counter()
    for (kind, status), n in result["answers"].items():
        by_kind[f"{kind} {status}"] += n
    lines.append("  answers: " + ", ".join(f"{key}: {n}" for key, n in sorted(by_kind.items())))
    lines += [f"  log {n:4} × {line}" for line, n in result["log"] if "Error" in line][:4]
    return lines, largest


def args_requests(result: dict) -> int:
    return sum(result["answers"].values())


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="",
                        help="PostgreSQL server to make the scratch database on (the named "
                        "database is never changed); default: $DATABASE_URL if it names a "
                        "PostgreSQL server, else an SQLite file")
    parser.add_argument("--mode", choices=("both", "default", "preload"), default="both")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--requests", type=int, default=1000, help="requests of the mix")
    parser.add_argument("--points", type=int, default=40,
                        help="service points the form requests rotate over")
    args = parser.parse_args(argv)
    args.database_url = server_url(args.database_url)
    database = "PostgreSQL" if is_postgres(args.database_url) else "SQLite"
    modes = ("default", "preload") if args.mode == "both" else (args.mode,)

    # As `make run` leaves it: the code's bytecode written, so that a start reads it rather than
    # compiling the sources (as it would where PYTHONDONTWRITEBYTECODE is set and none exists).
    subprocess.run([sys.executable, "-m", "compileall", "-q", "survey", "analysis", "wsgi.py"],
                   cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
    with tempfile.TemporaryDirectory(prefix="suara-bench-") as tmp, \
            scratch_databases(args.database_url, Path(tmp)) as urls:
        prepare_database(urls["main"])
        tokens = add_points(urls["main"], args.points)
        results = [measure(mode, urls["main"], tokens, Path(tmp), args) for mode in modes]
    help_time = help_seconds()

    load = os.getloadavg()
    print(f"SUARA under gunicorn, {args.workers} gthread workers × 4 threads, on {database}; "
          f"{os.cpu_count()} CPUs, load average now {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")
    ok = help_time <= TARGET_HELP_S
    for result in results:
        lines, largest = describe(result)
        print("\n".join(lines))
        refused = sum(n for (_, status), n in result["answers"].items() if status >= 400)
        print(f"  largest worker RSS {largest:.1f} MB (target <= {TARGET_MB:g} MB: "
              f"{verdict(largest <= TARGET_MB)}); answers >= 400: {refused}")
        ok = ok and largest <= TARGET_MB and result["cold"] <= TARGET_COLD_S and not refused
    print(f"suara --help: median of 5 {help_time:.2f} s (target <= {TARGET_HELP_S:g} s: "
          f"{verdict(help_time <= TARGET_HELP_S)})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
