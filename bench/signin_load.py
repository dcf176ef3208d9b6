"""Citizen submissions' p99 while wrong passwords hammer the sign-in form beside them.

Target (DESIGN.md §7 and §8, isolation): submissions' p99 stays within 2x of a quiet run while
sign-ins run beside them.

    .venv/bin/python bench/signin_load.py                  # SQLite (or $DATABASE_URL's server)
    .venv/bin/python bench/signin_load.py --spread         # every try from a new address

What it does:
1. Makes a scratch database with the demo data (its administrator admin@demo.suara.id) and
   --points service points, and serves SUARA under gunicorn as bench/submissions.py does
   (same settings, same wrk script of valid submissions).
2. For 0, 1 and 8 guessing threads in turn: the threads each keep a cookie and a connection,
   take the sign-in form's CSRF token and POST the administrator's e-mail with wrong passwords to
   /masuk as fast as the answers come; meanwhile wrk sends submissions for --duration seconds.
   The server trusts one proxy (SUARA_PROXIES=1), as submissions.py has it: each submission
   claims its own phone's address in X-Forwarded-For. With --spread each try claims a new
   address there too: a guesser with many addresses, whose tries are not throttled
   by address, so each runs the password hash.
3. Prints, per row, the submissions' requests/s and p50/p99, the sign-in answers by status, and
   p99 over the quiet run's p99 against the 2x target.
"""

import argparse
import http.client
import re
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from _common import (add_points, free_port, is_postgres, prepare_database, scratch_databases,
                     server_url, verdict, SECRET_KEY)
from submissions import gunicorn, lua_script, post_once, run_wrk

TARGET_RATIO = 2.0
EMAIL = "admin@demo.suara.id"  # survey/demo_accounts.py
TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def guess(port: int, stop: threading.Event, statuses: Counter, thread: int, spread: bool):
    """POST wrong passwords to the sign-in form until told to stop; count the answers.

    One kept-alive connection and one cookie per thread: the guesser's own CPU, on this same
    machine, stays small beside the server's.
    """
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", "/masuk")
    page = connection.getresponse()
    cookie = page.getheader("Set-Cookie").split(";", 1)[0]
    token = TOKEN.search(page.read().decode()).group(1)
    tries = 0
    while not stop.is_set():
        tries += 1
        headers = {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}
        if spread:  # 10.x.y.z is only written in a header here: nothing is sent there
            headers["X-Forwarded-For"] = f"10.{thread}.{tries // 250 % 250}.{tries % 250 + 1}"
        body = f"email={EMAIL}&password=salah-{thread}-{tries}&csrf_token={token}"
        try:
            connection.request("POST", "/masuk", body=body, headers=headers)
            response = connection.getresponse()
            response.read()
            statuses[response.status] += 1
        except (OSError, http.client.HTTPException):
            statuses["no answer"] += 1
            connection.close()
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)


def measure(port: int, script: Path, guessers: int, args) -> dict:
    """Run wrk's submissions with `guessers` threads guessing beside them; return figures."""
    stop, statuses = threading.Event(), Counter()
    threads = [threading.Thread(target=guess, args=(port, stop, statuses, n, args.spread))
               for n in range(guessers)]
    for thread in threads:
        thread.start()
    time.sleep(1.0 if guessers else 0)  # the guessing is under way before wrk starts
    try:
        result = run_wrk(port, script, args.duration, args)
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    return {"guessers": guessers, "rps": result["requests"] / (result["duration_us"] / 1e6),
            "p50": result["p50_us"] / 1000, "p99": result["p99_us"] / 1000,
            "statuses": dict(result["statuses"]), "signins": dict(statuses)}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--duration", type=float, default=10.0, help="seconds per row")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--wrk-threads", type=int, default=2)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker")
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--guessers", default="0,1,8", help="guessing threads per row")
    parser.add_argument("--spread", action="store_true",
                        help="each try from a new address (SUARA_PROXIES=1, X-Forwarded-For)")
    args = parser.parse_args(argv)
    args.database_url, args.keep_alive = server_url(args.database_url), False
    database = "PostgreSQL" if is_postgres(args.database_url) else "SQLite"
    with tempfile.TemporaryDirectory(prefix="suara-bench-") as tmp, \
            scratch_databases(args.database_url, Path(tmp), ("suara",)) as urls:
        prepare_database(urls["suara"])
        tokens = add_points(urls["suara"], args.points)
        script = Path(tmp) / "submit.lua"
        script.write_text(lua_script(tokens, True))
        port, log = free_port(), Path(tmp) / "suara.log"
        server = gunicorn("wsgi:app", port, {
            "DATABASE_URL": urls["suara"], "SECRET_KEY": SECRET_KEY,
            # The submissions come from many phones behind one proxy, as in submissions.py
            # (each carries its own X-Forwarded-For); a guesser without --spread sends none,
            # so all its tries come from one address.
            "SUARA_PROXIES": "1",
            "SUARA_BASE_URL": f"http://127.0.0.1:{port}"}, log, args)
        try:
            if post_once(port, tokens[0]) != 303:
                raise SystemExit(f"a valid POST was refused:\n{log.read_text()[-3000:]}")
            run_wrk(port, script, 3, args)  # warm-up
            rows = [measure(port, script, int(n), args) for n in args.guessers.split(",")]
        finally:
            server.terminate()
            server.wait()
    print(f"{database}, gunicorn {args.workers}x{args.threads} gthread, wrk {args.connections} "
          f"connections, {args.duration:g} s per row, "
          f"{'a new address per try' if args.spread else 'one address'}")
    print(f"{'guessers':>8} {'sub/s':>7} {'p50 ms':>7} {'p99 ms':>7} {'p99/quiet':>9}  "
          f"submissions by status / sign-ins by status")
    quiet = rows[0]["p99"]
    for row in rows:
        ratio = row["p99"] / quiet
        print(f"{row['guessers']:>8} {row['rps']:>7.0f} {row['p50']:>7.1f} {row['p99']:>7.1f} "
              f"{ratio:>8.2f}x  {row['statuses']} / {row['signins']}"
              + ("" if row is rows[0] else f"  {verdict(ratio <= TARGET_RATIO)}"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
