"""Single-use invitation codes: issuing them, and answering with them against the plain form.

Target: answers sent with a code (POST /u/<code>/kirim) reach at least 80 % of the throughput
of plain answers (POST /s/<token>/kirim), same server, same load, same run; every 2xx/3xx is a
stored row; no code stores two answers.

    .venv/bin/python bench/invitations.py [--duration 8] [--rounds 2]
    .ci/with-postgres .venv/bin/python bench/invitations.py --database-url ""

What it does:
1. Makes a scratch database with the demo data (as bench/submissions.py) and --points more
   service points spread over the demo's units, then times issuing 100 000 codes through
   `survey.invitations.codes.issue`: 100 calls of 1 000, each on the next point in turn and
   committed, as staff printing sheets would (each call checks its drawn codes against the
   stored ones).
2. Serves SUARA (wsgi:app) under gunicorn as submissions.py does, and, --rounds times
   alternating, loads it with wrk at submissions.py's load (2 threads, 16 connections, a new
   connection per request, each request from an X-Forwarded-For address of its own):
   (a) plain answers, submissions.py's script and form to /s/<token>/kirim, a point at random;
   (b) code answers to /u/<code>/kirim, the same form signed for the code's point. The codes
   walked are the issued ones, shuffled (so that the points, and their units' rollup rows, are
   spread as in (a)); each wrk thread takes every n-th code, one per request, and where a run
   stops is kept in a file, so that the warm-up and every later run go on with unused codes.
3. Prints each run's requests/s, p50/p90/p99 and answers by status (submissions.describe), the
   ratio code/plain over all rounds, and checks that every 2xx/3xx is a stored row, that the
   rows with an invitation equal the invitations answered and that no invitation has two.
4. With --cpu-posts (default 300) it first times both POSTs in-process, one after another, with
   Flask's test client: the CPU one answer costs without the server's concurrency.
Exit status 0 when the target is met and every check holds.
"""

import argparse
import os
import random
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from _common import (SECRET_KEY, add_points, bench_app, cpu_ms_per_call, free_port,
                     is_postgres, median_of_runs, prepare_database, scratch_databases,
                     server_url, verdict)
from submissions import (LUA, PROFILE, cpu_per_post, csrf_field, describe, gunicorn,
                         log_digest, lua_script, measure)
from survey.db import make_engine
from survey.invitations import codes as invitation_codes
from survey.models import Invitation, Response, ServicePoint, utcnow

TARGET_RATIO = 0.80
ISSUE_CALLS, ISSUE_COUNT = 100, 1000

# Appended to submissions.py's script, whose setup/response/done it keeps: request() walks the
# codes instead of picking a point; init() and done() read and write where the walk stands.
CODE_LUA = r"""
local plain_init, plain_done = init, done
-- One string, split here: LuaJIT allows a function 65 536 constants, fewer than the codes.
codes = {}
for code, point in string.gmatch(code_list, "(%w+):(%d+)") do
  table.insert(codes, {"/u/" .. code .. "/kirim", tonumber(point)})
end

function init(args)
  plain_init(args)
  local file = io.open(position_file)
  start = tonumber(file:read("*l"))
  file:close()
end

function request()
  counter = counter + 1
  sent = sent + 1
  -- This thread's counter-th code: threads take turns through the list.
  local code = codes[start + (counter - 1) * thread_count + id]
  if code == nil then code = codes[1] end  -- list exhausted: an answered code (410), counted
  local answers = {}
  for n = 1, 9 do answers[n] = string.format("U%d=%d", n, math.random(1, 4)) end
  local client_uuid = string.format("%s-%04x-4000-8000-%012x", nonce, id, counter)
  headers["X-Forwarded-For"] = string.format("10.%d.%d.%d", math.random(0, 255),
                                             math.random(0, 255), math.random(1, 254))
  return wrk.format("POST", code[1], headers, csrf[code[2]] .. "&" .. table.concat(answers, "&")
    .. "&" .. profile .. "&client_uuid=" .. client_uuid)
end

function done(summary, latency, requests)
  plain_done(summary, latency, requests)
  local file = io.open(position_file)
  local first = tonumber(file:read("*l"))
  file:close()
  local most = 0
  for _, thread in ipairs(threads) do most = math.max(most, thread:get("sent")) end
  file = io.open(position_file, "w")
  file:write(string.format("%d\n", first + most * thread_count))
  file:close()
end
"""


def issue_codes(url: str, tokens: list[str], calls: int = ISSUE_CALLS) -> tuple[float, int]:
    """Issue calls × 1 000 codes, point after point, each call committed; return (seconds,
    codes)."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            # Their units loaded before the clock starts, as a staff page has them.
            points = list(session.scalars(select(ServicePoint).options(
                selectinload(ServicePoint.unit)).where(ServicePoint.token.in_(tokens))))
            started = time.perf_counter()
            for n in range(calls):
                invitation_codes.issue(session, points[n % len(points)], ISSUE_COUNT,
                                       source="sheet", now=utcnow())
                session.commit()
            return time.perf_counter() - started, calls * ISSUE_COUNT
    finally:
        engine.dispose()


def open_codes(url: str) -> list[tuple[str, str]]:
    """Return (code, point token) of every unanswered invitation, shuffled."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            rows = [tuple(row) for row in session.execute(
                select(Invitation.code, ServicePoint.token)
                .join(ServicePoint, ServicePoint.id == Invitation.point_id)
                .where(Invitation.answered_at.is_(None)).order_by(Invitation.id))]
    finally:
        engine.dispose()
    random.Random(14).shuffle(rows)
    return rows


def code_script(pairs: list[tuple[str, str]], position: Path, args) -> str:
    """Return the wrk script that answers with the codes of pairs in turn, from the position
    the file holds (1-based)."""
    tokens = sorted({token for _, token in pairs})
    index = {token: n + 1 for n, token in enumerate(tokens)}
    csrf = ",\n".join(f'  "{csrf_field(token)}"' for token in tokens)
    listed = ",".join(f"{code}:{index[token]}" for code, token in pairs)
    return (f'points = {{}}\ninstruments = {{}}\nprofile = "{PROFILE}"\n'
            f'new_connections = {"false" if args.keep_alive else "true"}\n'
            f'thread_count = {args.wrk_threads}\nposition_file = "{position}"\n'
            f'csrf = {{\n{csrf}\n}}\ncode_list = "{listed}"\n{LUA}\n{CODE_LUA}')


def plain_script(tokens: list[str], args) -> str:
    """Return submissions.py's script, its form sent to each point's /kirim."""
    script = lua_script(tokens, not args.keep_alive)
    return script.replace('", "csrf_token=', '/kirim", "csrf_token=')


def post_code_once(port: int, code: str, token: str) -> int | str:
    """POST one valid answer with a code, without following the redirect; return the status."""
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *_args, **_kwargs):
            return None

    answers = "&".join(f"U{n}=3" for n in range(1, 10))
    data = f"{csrf_field(token)}&{answers}&{PROFILE}&client_uuid={uuid.uuid4()}".encode()
    request = urllib.request.Request(f"http://127.0.0.1:{port}/u/{code}/kirim", data=data,
                                     headers={"X-Forwarded-For": "10.255.255.1"})
    try:
        with urllib.request.build_opener(NoRedirect).open(request) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except urllib.error.URLError as error:
        return f"no answer ({error.reason})"


def cpu_per_code_post(app, pairs: list[tuple[str, str]], count: int, warm: int = 100) -> float:
    """Return the CPU milliseconds of one valid POST with a code, in-process one after another
    (as submissions.cpu_per_post: each a page view of its own, from an address of its own)."""
    client = app.test_client()
    views = [(code, client_uuid, csrf_field(token, client_uuid), f"10.1.{n // 250}.{n % 250}")
             for n, (code, token) in enumerate(pairs[:warm + count])
             for client_uuid in [uuid.uuid4()]]

    def post(n: int) -> None:
        code, client_uuid, csrf, address = views[n]
        answers = "&".join(f"U{k}={(n + k) % 4 + 1}" for k in range(1, 10))
        response = client.post(f"/u/{code}/kirim", data=f"{csrf}&{answers}&{PROFILE}"
                               f"&client_uuid={client_uuid}",
                               content_type="application/x-www-form-urlencoded",
                               environ_base={"REMOTE_ADDR": address})
        if response.status_code != 303:
            raise SystemExit(f"in-process code POST answered {response.status_code}, not 303")

    return cpu_ms_per_call(post, warm, count)


def single_use(url: str) -> dict:
    """Return the rows with an invitation, the invitations answered, and the invitations
    with more than one row."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            rows = session.scalar(select(func.count()).where(Response.invitation_id.isnot(None)))
            answered = session.scalar(select(func.count())
                                      .where(Invitation.answered_at.isnot(None)))
            twice = session.scalar(select(func.count()).select_from(
                select(Response.invitation_id).where(Response.invitation_id.isnot(None))
                .group_by(Response.invitation_id).having(func.count() > 1).subquery()))
    finally:
        engine.dispose()
    return {"rows": rows, "answered": answered, "twice": twice}


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="",
                        help="PostgreSQL server to make the scratch database on (the named "
                        "database is never changed); default: $DATABASE_URL if it names a "
                        "PostgreSQL server, else a SQLite file")
    parser.add_argument("--duration", type=float, default=15.0, help="seconds per run")
    parser.add_argument("--warm-up", type=float, default=3.0, help="seconds before each run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--keep-alive", action="store_true",
                        help="keep wrk's connections alive (default: one per request)")
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--points", type=int, default=200,
                        help="service points: the codes are issued on them in turn and the "
                        "plain answers pick one at random (submissions.py's 200: fewer reach "
                        "a point's hourly limit within two rounds)")
    parser.add_argument("--rounds", type=int, default=1, help="alternate plain and code N times")
    parser.add_argument("--max-rate", type=float, default=2500.0,
                        help="requests/s the code pool is sized for: codes beyond the 100 000 "
                        "timed are issued (untimed) when the runs could use more")
    parser.add_argument("--cpu-posts", type=int, default=300,
                        help="first time this many plain and code POSTs in-process; 0 skips")
    parser.add_argument("--runs", type=int, default=1,
                        help="repeat the whole run N times, each on a fresh database, and print "
                        "the median ratio")
    args = parser.parse_args(argv)
    args.database_url = server_url(args.database_url)
    args.py_spy = None
    return args


def main(argv=None) -> int:
    return median_of_runs(run, parse(argv), "code/plain", TARGET_RATIO)


def run(args) -> tuple[float, bool]:
    """Make a database, issue the codes, load the server; print the figures and return (the
    ratio code/plain, whether every target and check was met)."""
    database = "PostgreSQL" if is_postgres(args.database_url) else "SQLite"
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="suara-bench-") as tmp, \
            scratch_databases(args.database_url, Path(tmp), ("suara",)) as urls:
        url = urls["suara"]
        prepare_database(url)
        tokens = add_points(url, args.points)
        seconds, issued = issue_codes(url, tokens)
        print(f"Issued {issued:,} codes on {database} through codes.issue ({ISSUE_CALLS} calls "
              f"of {ISSUE_COUNT:,}, each committed): {seconds:.1f} s, {issued / seconds:,.0f} "
              f"codes/s")
        in_process = args.cpu_posts + 100 if args.cpu_posts else 0  # cpu_per_code_post's
        needed = args.max_rate * (args.warm_up + args.duration) * args.rounds + 1 + in_process
        extra = max(0, -(-int(needed - issued) // ISSUE_COUNT))
        if extra:
            issue_codes(url, tokens, extra)
        pairs = open_codes(url)
        cpu = {}
        if args.cpu_posts:
            app = bench_app(url)
            cpu = {"plain": cpu_per_post(app, tokens, args.cpu_posts),
                   "code": cpu_per_code_post(app, pairs, args.cpu_posts)}
            app.extensions["suara.db"].engine.dispose()
        pairs = pairs[in_process:]
        results, walked, digest = load(args, url, Path(tmp), tokens, pairs)
        checks = single_use(url)
    report(args, database, load_before, cpu, results, checks, walked, len(pairs), digest)
    met, ratio, _ = verdicts(results, checks, walked, len(pairs))
    return ratio, met


def load(args, url: str, tmp: Path, tokens: list[str], pairs: list[tuple[str, str]]):
    """Serve SUARA and alternate the plain and the code runs; return their figures, the codes
    walked and the server log's digest."""
    scripts = {"plain": tmp / "plain.lua", "code": tmp / "code.lua"}
    position = tmp / "position"
    scripts["plain"].write_text(plain_script(tokens, args))
    scripts["code"].write_text(code_script(pairs, position, args))
    position.write_text("2\n")  # the first code is the check's below
    port, log = free_port(), tmp / "suara.log"
    server = gunicorn("wsgi:app", port, {
        "DATABASE_URL": url, "SECRET_KEY": SECRET_KEY,
        "SUARA_BASE_URL": f"http://127.0.0.1:{port}", "SUARA_PROXIES": "1"}, log, args)
    try:
        status = post_code_once(port, *pairs[0])
        if status != 303:
            raise SystemExit(f"a valid code POST answered {status}, not 303:\n"
                             f"{log.read_text()[-3000:]}")
        results = {"plain": [], "code": []}
        for _ in range(args.rounds):
            for name in ("plain", "code"):
                results[name].append(measure(name, port, url, scripts[name], args, server.pid))
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results, int(position.read_text()) - 1, log_digest(log)


def rates(results: dict) -> dict:
    """Return the requests per second of each kind over all its runs."""
    return {name: sum(r["requests"] for r in runs) / sum(r["duration_us"] / 1e6 for r in runs)
            for name, runs in results.items()}


def verdicts(results: dict, checks: dict, walked: int, pool: int) -> tuple[bool, float, bool]:
    """Return (all met, ratio code/plain, single use holds)."""
    rate = rates(results)
    ratio = rate["code"] / rate["plain"]
    good = sum(r["good"] for r in results["code"])
    single = (checks["rows"] == checks["answered"] and not checks["twice"]
              and good + 1 <= checks["rows"])
    stored = all(r["stored_ok"] for runs in results.values() for r in runs)
    refused = sum(n for runs in results.values() for r in runs
                  for status, n in r["statuses"].items() if int(status) >= 400)
    return (ratio >= TARGET_RATIO and single and stored and not refused and walked <= pool,
            ratio, single)


def report(args, database, load_before, cpu, results, checks, walked, pool, digest) -> None:
    """Print the runs, the ratio and the checks."""
    load = os.getloadavg()
    print(f"POST /s/<token>/kirim and /u/<code>/kirim on {database}, {args.points} points: "
          f"gunicorn {args.workers} gthread workers × {args.threads} threads; wrk "
          f"{args.wrk_threads} threads, {args.connections} connections "
          f"({'kept alive' if args.keep_alive else 'a new one per request'}), "
          f"{args.duration:g} s per run after {args.warm_up:g} s warm-up, {args.rounds} "
          f"round(s); {os.cpu_count()} CPUs, load average {load_before[0]:.1f} before, "
          f"{load[0]:.1f} {load[1]:.1f} {load[2]:.1f} now")
    if cpu:
        print(f"In-process, one POST at a time ({args.cpu_posts} each, Flask test client): CPU "
              f"{cpu['plain']:.2f} ms per plain answer, {cpu['code']:.2f} ms per code answer: "
              f"a ceiling of {cpu['plain'] / cpu['code']:.0%} for the ratio")
    for round_index in range(args.rounds):
        print(f"Round {round_index + 1}:")
        for name in ("plain", "code"):
            print("\n".join(describe(results[name][round_index])))
    ok, ratio, single = verdicts(results, checks, walked, pool)
    rate = rates(results)
    print(f"code/plain throughput: {rate['code']:.0f} / {rate['plain']:.0f} req/s = "
          f"{ratio:.0%} (target >= {TARGET_RATIO:.0%}: {verdict(ratio >= TARGET_RATIO)})")
    print(f"Codes walked {walked:,} of {pool:,} unused"
          f"{'' if walked <= pool else ': EXHAUSTED, the rest answered with a used code'}; "
          f"rows with an invitation {checks['rows']:,}, invitations answered "
          f"{checks['answered']:,}, invitations with two rows {checks['twice']}: "
          f"{'each code answered once' if single else 'MISMATCH'}")
    if digest:
        print("SUARA server log, most frequent lines:")
        for line, n in digest:
            print(f"  {n:6,} × {line}")
    print("All targets and checks met" if ok else "NOT all targets and checks met")


if __name__ == "__main__":
    sys.exit(main())
