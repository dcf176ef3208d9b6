"""Submissions per second: SUARA's POST /s/<token> against a minimal Flask + Core app.

Target (DESIGN.md §8): SUARA reaches at least 50 % of the minimal app's throughput, measured in
the same run with the same server and load generator; p99 at most 100 ms at 16 concurrent
clients; every 2xx/3xx answer is a stored row.

    .venv/bin/python bench/submissions.py                  # SQLite (or $DATABASE_URL's server)
    .ci/with-postgres .venv/bin/python bench/submissions.py --database-url "$DATABASE_URL"

What it does:
1. Makes two scratch databases (SQLite files, or new databases on the PostgreSQL server that
   --database-url or $DATABASE_URL names; that database itself is never changed): one migrated
   with the regions and the demo data plus --points service points spread over the demo's
   units, the other a copy of it (same schema, same rows).
2. Serves SUARA (wsgi:app) on the first and bench/minimal_app.py on the copy, both under
   gunicorn with the same settings (default: 2 gthread workers of 4 threads each).
3. For each, in turn: a warm-up, then wrk (2 threads, 16 connections, 15 s; a connection per
   request unless --keep-alive). wrk's Lua script
   POSTs a complete, valid form per request: a new client_uuid, random answers, one of the
   service points at random. Its form token is signed with SUARA's own signer and the bench's
   SECRET_KEY, viewed a minute earlier; one token per point serves every request, so SUARA
   stores each row flagged as a reused token (the flag costs nothing more; the in-process
   posts have a token per view). Each request carries an X-Forwarded-For address of its own
   (SUARA runs with SUARA_PROXIES=1), as phones behind nginx would. The points vary
   because SUARA refuses more than a poster's hourly limit from one point (429,
   survey/public/abuse.py), and they are spread over the units because every submission adds
   to its unit's monthly rollup row: a national service sees many units at once.
4. Prints requests/s, latency p50/p90/p99, the ratio SUARA/minimal, the answers by status,
   checks that every 2xx/3xx wrk received is a stored row (rows added lie between the 2xx/3xx
   counted and the requests sent: one still in flight when wrk stops may be stored without
   wrk seeing its answer), the CPU each server used per request and how busy the whole
   machine was meanwhile (other jobs take their share), and the most frequent lines of each
   server's log.
Use --rounds 2 to alternate the two servers twice (less drift on a busy machine).
With --instruments every bench point also asks SPKP and SPAK (four points) and every POST,
wrk's and in-process, answers both whole: 13 answers more, stored with the response in its
transaction (survey/instrument_store.py); compare its SUARA figures with a run without.
"""

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from pathlib import Path
from urllib.parse import quote, urlencode

from _common import (ROOT, SECRET_KEY, add_points, copy_database, count_rows, cpu_ms_per_call,
                     free_port, is_postgres, median_of_runs, prepare_database,
                     scratch_databases, server_url, unit_utc_offsets, verdict, wait_for_port)
from _instruments import INSTRUMENT_ITEMS, ask_instruments, instrument_fields, instrument_rows

TARGET_RATIO = 0.50  # DESIGN.md §8, one run
TARGET_MEDIAN_RATIO = 0.60  # a lean worker's target: the median of three runs of --rounds 2
TARGET_P99_MS = 100.0
BIN = Path(sys.executable).parent
SETTLE = 1.5  # seconds for requests in flight when wrk stops to finish before rows are counted
PROFILE = urlencode({"gender": "P", "age": "34", "education": "SMA", "occupation": "SWASTA",
                     "service_type": "KTP elektronik", "suggestion": "Antrean lebih tertib.",
                     "website": ""})

LUA = r"""
-- POST a valid survey form per request: a random point, random answers, a new client_uuid.
-- `points` ({path, "csrf_token=…"} pairs), `profile` and `new_connections` (each request on a
-- connection of its own) are written above this by the bench.
counter, sent, statuses = 0, 0, {}  -- globals: thread:get reads only those
local threads = {}
local headers = {["Content-Type"] = "application/x-www-form-urlencoded"}
local items = {}  -- SPKP and SPAK fields when the points ask them (`instruments`)
for _, part in ipairs(instruments) do
  for n = 1, part[2] do table.insert(items, string.format("%s_%d", part[1], n)) end
end
if new_connections then headers["Connection"] = "close" end

function setup(thread)
  table.insert(threads, thread)
  thread:set("id", #threads)
end

function init(args)
  nonce = args[1]
  math.randomseed(id * 7919 + tonumber(string.sub(nonce, 1, 6), 16))
end

function request()
  counter = counter + 1
  sent = sent + 1
  local point = points[math.random(#points)]
  local answers = {}
  for n = 1, 9 do answers[n] = string.format("U%d=%d", n, math.random(1, 4)) end
  for _, name in ipairs(items) do
    table.insert(answers, string.format("%s=%d", name, math.random(1, 4)))
  end
  local client_uuid = string.format("%s-%04x-4000-8000-%012x", nonce, id, counter)
  -- Each request from a phone of its own (SUARA counts answers per address and browser).
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255),
                                             math.random(0, 255), math.random(1, 254))
  return wrk.format("POST", point[1], headers, point[2] .. "&" .. table.concat(answers, "&")
    .. "&" .. profile .. "&client_uuid=" .. client_uuid)
end

function response(status, headers, body)
  statuses[status] = (statuses[status] or 0) + 1
end

function done(summary, latency, requests)
  local counts, total_sent = {}, 0
  for _, thread in ipairs(threads) do
    total_sent = total_sent + thread:get("sent")
    for status, n in pairs(thread:get("statuses")) do
      counts[status] = (counts[status] or 0) + n
    end
  end
  local parts = {}
  for status, n in pairs(counts) do
    table.insert(parts, string.format('"%d": %d', status, n))
  end
  local e = summary.errors
  io.write(string.format(
    'WRK-RESULT {"requests": %d, "duration_us": %d, "sent": %d, "p50_us": %d, "p90_us": %d, ' ..
    '"p99_us": %d, "max_us": %d, "errors": {"connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d}, "statuses": {%s}}\n',
    summary.requests, summary.duration, total_sent, latency:percentile(50),
    latency:percentile(90), latency:percentile(99), latency.max, e.connect, e.read, e.write,
    e.status, e.timeout, table.concat(parts, ", ")))
end
"""


def csrf_field(point_token: str, client_uuid: uuid.UUID | None = None) -> str:
    """Return the form's signed token field for a point, viewed a minute ago (by the page view
    of client_uuid: without one, SUARA flags the answer as a reused token, and stores it)."""
    from survey.public.csrf import FormTicket, sign

    now, view = int(time.time()), client_uuid.hex if client_uuid else ""
    return "csrf_token=" + quote(sign(SECRET_KEY, FormTicket(point_token, now, now - 60, view)))


def lua_script(tokens: list[str], new_connections: bool = False,
               instruments: bool = False) -> str:
    """Return the wrk script with the points, the profile, the connection mode and the SPKP
    and SPAK statements (when the points ask them) written in."""
    points = ",\n".join(f'  {{"/s/{token}", "{csrf_field(token)}"}}' for token in tokens)
    parts = ", ".join(f'{{"{code}", {count}}}' for code, count in INSTRUMENT_ITEMS.items())
    return (f'points = {{\n{points}\n}}\nprofile = "{PROFILE}"\n'
            f'new_connections = {"true" if new_connections else "false"}\n'
            f'instruments = {{{parts if instruments else ""}}}\n{LUA}')


def gunicorn(app: str, port: int, env: dict, log: Path, args) -> subprocess.Popen:
    """Start gunicorn serving an app on a loopback port; return its process once it listens."""
    command = [str(BIN / "gunicorn"), "--workers", str(args.workers), "--threads",
               str(args.threads), "--worker-class", "gthread" if args.threads > 1 else "sync",
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning", app]
    process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env},
                               stdout=log.open("w"), stderr=subprocess.STDOUT)
    try:
        wait_for_port(port)
    except TimeoutError:
        process.terminate()
        raise SystemExit(f"{app} did not start:\n{log.read_text()[-3000:]}")
    return process


def post_once(port: int, token: str, instruments: bool = False) -> int | str:
    """POST one valid form without following the redirect; return the status."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *_args, **_kwargs):
            return None

    answers = "&".join(f"U{n}=3" for n in range(1, 10))
    data = (f"{csrf_field(token)}&{answers}{instrument_fields(instruments)}&{PROFILE}"
            f"&client_uuid={uuid.uuid4()}").encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/s/{token}", data=data)
    try:
        with urllib.request.build_opener(NoRedirect).open(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError as error:
        return f"no answer ({error.reason})"


def cpu_per_post(app, tokens: list[str], count: int, instruments: bool = False) -> float:
    """Return the CPU milliseconds of one valid POST, sent in-process one after another."""
    client = app.test_client()
    warm = max(20, len(tokens))
    # Each a page view of its own, from an address of its own, made before the clock starts.
    views = [(token, client_uuid, csrf_field(token, client_uuid), f"10.0.{n // 250}.{n % 250}")
             for n in range(warm + count)
             for token, client_uuid in [(tokens[n % len(tokens)], uuid.uuid4())]]

    def post(n: int) -> None:
        token, client_uuid, csrf, address = views[n]
        answers = "&".join(f"U{k}={(n + k) % 4 + 1}" for k in range(1, 10))
        answers += instrument_fields(instruments, n)
        response = client.post(f"/s/{token}", data=f"{csrf}&{answers}&{PROFILE}&client_uuid="
                               f"{client_uuid}", content_type="application/x-www-form-urlencoded",
                               environ_base={"REMOTE_ADDR": address})
        if response.status_code != 303:
            raise SystemExit(f"in-process POST answered {response.status_code}, not 303")

    # One POST per point first, as under load, where each point is seen every fraction of a
    # second: what a process keeps of a point (survey/memo.py) is then in memory.
    return cpu_ms_per_call(post, warm, count)


def in_process_apps(urls: dict) -> dict:
    """Return SUARA's and the minimal app's WSGI apps, built in this process."""
    from _common import bench_app

    os.environ["BENCH_DATABASE_URL"] = urls["minimal"]
    os.environ["BENCH_UNIT_OFFSETS"] = json.dumps(unit_utc_offsets(urls["suara"]))
    import minimal_app

    return {"SUARA": bench_app(urls["suara"]), "minimal": minimal_app.create_app()}


def run_wrk(port: int, script: Path, seconds: float, args) -> dict:
    """Run wrk against a server; return the figures its Lua `done` printed."""
    command = ["wrk", "--threads", str(args.wrk_threads), "--connections", str(args.connections),
               "--duration", f"{seconds:g}s", "--timeout", "10s", "--script", str(script),
               f"http://127.0.0.1:{port}", "--", uuid.uuid4().hex[:8]]
    finished = subprocess.run(command, capture_output=True, text=True)
    if finished.returncode != 0:
        raise SystemExit(f"wrk failed ({finished.returncode}):\n{finished.stdout}\n"
                         f"{finished.stderr}")
    line = next(line for line in finished.stdout.splitlines() if line.startswith("WRK-RESULT "))
    return json.loads(line.removeprefix("WRK-RESULT "))


def process_cpu(pid: int) -> float:
    """Return the CPU seconds (user + system) a process and its children have used (Linux)."""
    def used(stat: str) -> tuple[int, float]:
        fields = stat[stat.rindex(")") + 2:].split()  # after "pid (comm) "
        return int(fields[1]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

    total = 0.0
    for path in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent, seconds = used(path.read_text())
        except (OSError, ValueError, IndexError):
            continue  # ended meanwhile
        if int(path.parent.name) == pid or parent == pid:
            total += seconds
    return total


def machine_cpu() -> tuple[float, float]:
    """Return the busy and total CPU seconds of the whole machine so far (Linux /proc/stat)."""
    ticks = [int(n) for n in Path("/proc/stat").read_text().split("\n")[0].split()[1:]]
    idle = ticks[3] + ticks[4]  # idle, iowait
    return (sum(ticks) - idle) / os.sysconf("SC_CLK_TCK"), sum(ticks) / os.sysconf("SC_CLK_TCK")


def measure(name: str, port: int, url: str, script: Path, args, pid: int,
            profile: bool = False) -> dict:
    """Warm a server up, then load it; return wrk's figures, the rows it added and CPU used.

    With profile, py-spy samples the server (pid) and its workers during the measured run.
    """
    run_wrk(port, script, args.warm_up, args)
    time.sleep(SETTLE)
    before = count_rows(url)
    spy = None
    if profile:
        spy = subprocess.Popen(
            [str(BIN / "py-spy"), "record", "--pid", str(pid), "--subprocesses",
             "--nonblocking", "--rate", "250", "--duration", f"{args.duration:.0f}",
             "--format", "raw", "--output", str(args.py_spy)],
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    server_before, machine_before = process_cpu(pid), machine_cpu()
    result = run_wrk(port, script, args.duration, args)
    server_after, machine_after = process_cpu(pid), machine_cpu()
    if spy is not None and spy.wait(timeout=60) != 0:
        print(f"py-spy failed: {spy.stderr.read()[-500:]}", file=sys.stderr)
    time.sleep(SETTLE)
    result["rows"] = count_rows(url) - before
    result["name"] = name
    result["rate"] = result["requests"] / (result["duration_us"] / 1e6)
    result["good"] = sum(n for status, n in result["statuses"].items()
                         if 200 <= int(status) < 400)
    result["stored_ok"] = result["good"] <= result["rows"] <= result["sent"]
    busy, total = (after - before for after, before in zip(machine_after, machine_before))
    result["server_cpu"] = server_after - server_before
    result["machine_busy"] = busy / total
    return result


def log_digest(log: Path, top: int = 4) -> list[tuple[str, int]]:
    """Return the most frequent lines of a server's log, times and uuids blurred."""
    lines = Counter()
    for line in log.read_text(errors="replace").splitlines():
        line = re.sub(r"^(\[[^]]*\] )+", "", line.strip())
        line = re.sub(r"[0-9a-f]{8}-[0-9a-f-]{27}|\d{4}-\d\d-\d\d[ T][\d:.+]+", "…", line)
        if line:
            lines[line[:150]] += 1
    return lines.most_common(top)


PACKAGES = re.compile(r"(?:^|/)(survey|analysis|templates|sqlalchemy|psycopg|jinja2|wtforms|"
                      r"flask_wtf|flask|werkzeug|itsdangerous|markupsafe|gunicorn|json|sqlite3|"
                      r"selectors|socket|ssl|threading|uuid|concurrent)[/.]")


def _frame(frame: str) -> tuple[str, str]:
    """Return (function with its file, package) of a py-spy frame "func (path:line)"."""
    match = re.match(r"(.*) \((.*?)(?::\d+)?\)$", frame)
    function, path = match.groups() if match else (frame, "")
    package = PACKAGES.search(path)
    short = path.split("/site-packages/")[-1].split("/work/main/")[-1]
    return f"{function} ({short})", package.group(1) if package else "other"


def profile_summary(path: Path, top: int = 16) -> list[str]:
    """Summarise py-spy's collapsed stacks: own time by package, total time of SUARA's code."""
    own, inclusive, total = Counter(), Counter(), 0
    for line in path.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = [_frame(frame) for frame in stack.split(";")
                  if not frame.startswith("process ")]
        if not frames:
            continue
        samples = int(count)
        total += samples
        own[frames[-1][1]] += samples
        for name in {name for name, package in frames
                     if package in ("survey", "templates", "analysis")}:
            inclusive[name] += samples
    lines = [f"py-spy profile of SUARA's workers ({total:,} samples of busy threads):",
             "  own time by package: " + ", ".join(
                 f"{package} {n / total:.0%}" for package, n in own.most_common(10))]
    lines.append("  SUARA's functions by total time (including what they call):")
    lines += [f"    {n / total:5.1%}  {name}" for name, n in inclusive.most_common(top)]
    return lines


def describe(r: dict) -> list[str]:
    """Return the lines that report one measured run."""
    statuses = ", ".join(f"{status}: {n:,}" for status, n in sorted(r["statuses"].items()))
    errors = {kind: n for kind, n in r["errors"].items() if n and kind != "status"}
    stored = "every 2xx/3xx is stored" if r["stored_ok"] else "MISMATCH"
    return [
        f"  {r['name']:<8} {r['rate']:7.0f} req/s   p50 {r['p50_us'] / 1000:6.1f} ms   "
        f"p90 {r['p90_us'] / 1000:6.1f} ms   p99 {r['p99_us'] / 1000:6.1f} ms   "
        f"max {r['max_us'] / 1000:6.1f} ms",
        f"  {'':<8} answers {{{statuses}}}" + (f", socket errors {errors}" if errors else ""),
        f"  {'':<8} rows added {r['rows']:,}; 2xx/3xx counted {r['good']:,}; requests sent "
        f"{r['sent']:,}: {stored}",
        f"  {'':<8} server CPU {r['server_cpu'] * 1000 / max(r['requests'], 1):.2f} ms per "
        f"request ({r['server_cpu'] / (r['duration_us'] / 1e6):.2f} of {os.cpu_count()} CPUs); "
        f"machine busy {r['machine_busy']:.0%}"]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="",
                        help="PostgreSQL server to make scratch databases on (the named "
                        "database is never changed); default: $DATABASE_URL if it names a "
                        "PostgreSQL server, else SQLite files")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per server")
    parser.add_argument("--warm-up", type=float, default=3.0, help="seconds before each run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--keep-alive", action="store_true",
                        help="keep wrk's connections alive for the whole run; by default each "
                        "request has a connection of its own (Connection: close), as nginx "
                        "forwards them and as phones arrive")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4,
                        help="gunicorn threads per worker (1 = sync workers)")
    parser.add_argument("--points", type=int, default=200,
                        help="service points the requests rotate over (spread over the units)")
    parser.add_argument("--rounds", type=int, default=1, help="alternate the servers N times")
    parser.add_argument("--cpu-posts", type=int, default=300,
                        help="first time this many POSTs in-process, one at a time, per app "
                        "(CPU time: the cost of one POST, without the servers' concurrency); "
                        "0 skips")
    parser.add_argument("--py-spy", metavar="FILE", type=Path,
                        help="profile SUARA's workers with py-spy during the first measured "
                        "run: collapsed stacks to FILE, a summary printed")
    parser.add_argument("--suara-app", default="wsgi:app",
                        help="gunicorn's APP for SUARA, to try a change (module on PYTHONPATH)")
    parser.add_argument("--instruments", action="store_true",
                        help="every point also asks SPKP and SPAK, and every POST to SUARA "
                        "answers both whole")
    parser.add_argument("--runs", type=int, default=1,
                        help="repeat the whole run N times, each on fresh databases, and print "
                        "the median ratio (target: the median of three runs of --rounds 2)")
    args = parser.parse_args(argv)
    args.database_url = server_url(args.database_url)
    return median_of_runs(run, args, "SUARA/minimal", TARGET_MEDIAN_RATIO)


def run(args) -> tuple[float, bool]:
    """Measure both servers once (--rounds alternations); print the figures; return the
    throughput ratio SUARA/minimal and whether every target and check of the run was met."""
    database = "PostgreSQL" if is_postgres(args.database_url) else "SQLite"
    with tempfile.TemporaryDirectory(prefix="suara-bench-") as tmp, \
            scratch_databases(args.database_url, Path(tmp), ("suara", "minimal")) as urls:
        prepare_database(urls["suara"])
        tokens = add_points(urls["suara"], args.points)
        copy_database(urls["suara"], urls["minimal"])
        if args.instruments:  # SUARA's points only: the minimal app stores the SKM row alone
            ask_instruments(urls["suara"], tokens)
        cpu = {}
        if args.cpu_posts:
            apps = in_process_apps(urls)
            cpu = {name: cpu_per_post(app, tokens, args.cpu_posts,
                                      args.instruments and name == "SUARA")
                   for name, app in apps.items()}
            apps["SUARA"].extensions["suara.db"].engine.dispose()
        script = Path(tmp) / "submit.lua"
        script.write_text(lua_script(tokens, not args.keep_alive, args.instruments))
        ports = {"SUARA": free_port(), "minimal": free_port()}
        logs = {name: Path(tmp) / f"{name.lower()}.log" for name in ports}
        servers = [
            gunicorn(args.suara_app, ports["SUARA"], {
                "DATABASE_URL": urls["suara"], "SECRET_KEY": SECRET_KEY,
                "SUARA_BASE_URL": f"http://127.0.0.1:{ports['SUARA']}",
                # As behind nginx: each request's X-Forwarded-For is a phone of its own.
                "SUARA_PROXIES": "1"}, logs["SUARA"], args),
            gunicorn("minimal_app:app", ports["minimal"], {
                "BENCH_DATABASE_URL": urls["minimal"],
                "BENCH_UNIT_OFFSETS": json.dumps(unit_utc_offsets(urls["suara"])),
                "PYTHONPATH": str(ROOT / "bench")}, logs["minimal"], args),
        ]
        try:
            for name, port in ports.items():
                status = post_once(port, tokens[0], args.instruments and name == "SUARA")
                if status != 303:
                    raise SystemExit(f"{name}: a valid POST answered {status}, not 303:\n"
                                     f"{logs[name].read_text()[-3000:]}")
            results = {"SUARA": [], "minimal": []}
            for round_index in range(args.rounds):
                for name, server in zip(("SUARA", "minimal"), servers):
                    spied = bool(args.py_spy) and name == "SUARA" and round_index == 0
                    results[name].append(measure(name, ports[name], urls[name.lower()], script,
                                                 args, server.pid, spied))
        finally:
            for server in servers:
                server.terminate()
            for server in servers:
                server.wait(timeout=30)
        digests = {name: log_digest(log) for name, log in logs.items()}
        answered = instrument_rows(urls["suara"]) if args.instruments else None

    worker = (f"{args.workers} gthread workers × {args.threads} threads" if args.threads > 1
              else f"{args.workers} sync workers")
    load = os.getloadavg()
    print(f"POST /s/<token> on {database}, {args.points} service points at random: gunicorn "
          f"{worker} each; wrk {args.wrk_threads} threads, {args.connections} connections "
          f"({'kept alive' if args.keep_alive else 'a new one per request'}), "
          f"{args.duration:g} s per run after {args.warm_up:g} s warm-up, {args.rounds} "
          f"round(s); {os.cpu_count()} CPUs, load average now {load[0]:.1f} {load[1]:.1f} "
          f"{load[2]:.1f}")
    if cpu:
        print(f"In-process, one POST at a time ({args.cpu_posts} each, Flask test client): CPU "
              f"{cpu['SUARA']:.2f} ms per POST for SUARA, {cpu['minimal']:.2f} ms for the "
              f"minimal app: a ceiling of {cpu['minimal'] / cpu['SUARA']:.0%} for the ratio")
    for round_index in range(args.rounds):
        print(f"Round {round_index + 1}:")
        for name in ("SUARA", "minimal"):
            for line in describe(results[name][round_index]):
                print(line)
    rate = {name: sum(r["requests"] for r in runs) / sum(r["duration_us"] / 1e6 for r in runs)
            for name, runs in results.items()}
    ratio = rate["SUARA"] / rate["minimal"]
    p99 = max(r["p99_us"] for r in results["SUARA"]) / 1000
    every_stored = all(r["stored_ok"] for runs in results.values() for r in runs)
    refused = sum(n for r in results["SUARA"] for status, n in r["statuses"].items()
                  if int(status) >= 400)
    print(f"SUARA/minimal throughput: {rate['SUARA']:.0f} / {rate['minimal']:.0f} req/s = "
          f"{ratio:.0%} (target >= {TARGET_RATIO:.0%}: {verdict(ratio >= TARGET_RATIO)})")
    print(f"SUARA p99: {p99:.1f} ms (target <= {TARGET_P99_MS:g} ms: "
          f"{verdict(p99 <= TARGET_P99_MS)})")
    print(f"Every 2xx/3xx stored: {'yes' if every_stored else 'NO'}; SUARA answers >= 400: "
          f"{refused:,}")
    if answered is not None:
        print(f"SPKP and SPAK answers stored by SUARA: {answered[0]:,} rows for {answered[1]:,} "
              f"responses; rollups exact: {'yes' if answered[2] else 'NO'}")
    for name, digest in digests.items():
        if digest:
            print(f"{name} server log, most frequent lines:")
            for line, n in digest:
                print(f"  {n:6,} × {line}")
    if args.py_spy and args.py_spy.exists():
        for line in profile_summary(args.py_spy):
            print(line)
    ok = ratio >= TARGET_RATIO and p99 <= TARGET_P99_MS and every_stored and not refused
    return ratio, ok


if __name__ == "__main__":
    sys.exit(main())
