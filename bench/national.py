"""Time the national ranking of every unit against a plain GROUP BY over the raw responses.

Target (DESIGN.md §8): with 10 million responses over 20 000 units, a national ranking of all
units for a period answers in at most 1/20 of the time of a plain GROUP BY over the raw response
table in the same database, with identical numbers; memory flat as responses grow. Run from the
repository root:

    .ci/with-postgres .venv/bin/python bench/national.py            # 10M responses, 20 000 units
    .ci/with-postgres .venv/bin/python bench/national.py --responses 200000 --units 2000
    .venv/bin/python bench/national.py --database-url sqlite:////tmp/nat.db --responses 1000000

It makes a scratch database (PostgreSQL: next to the one --database-url / $DATABASE_URL names,
which is never changed; SQLite: the file named, which must not exist), migrates it, loads the
regions, agencies and units over all 514 regencies, then grows the response table in steps
(--steps, default a quarter, a half, all of --responses). Each step generates its responses with
numpy (PostgreSQL: binary COPY; SQLite: executemany), rebuilds the rollups with
survey.rollups.rebuild, runs VACUUM (ANALYZE) / ANALYZE and times, for one semester (default the
latest), warm (each timed run follows an untimed one):
  (A) indices.scope_ranking(session, NATIONAL, period, "unit", "pooled"), what the national
      ranking page and GET /api/v1/aggregate compute on a cache miss (every unit's konversi,
      grade, interval and respondents, best first), in a fresh process whose peak RSS is the
      ranking's memory; its SQL part, queries.index_totals; and, for scale, making a row object
      of every unit (what the API then serialises);
  (B) SELECT unit_id, <statistics> FROM response WHERE NOT excluded AND submitted_on BETWEEN …
      GROUP BY unit_id, with the statistics a plain implementation of the regulation reads:
      count(*) and the nine element sums (NRR per element, then the IKM) and the sums of
      respondent totals and their squares (the interval the ranking shows). Also timed, as
      other yardsticks: the fewest sums that give the same numbers (count, Σ totals,
      Σ totals²) and all 48 statistics of the rollups (answer counts per value too). Each with
      the server's default plan and with SET jit = off (PostgreSQL) or FROM response NOT
      INDEXED (SQLite); the faster of the two counts.
After the last step it checks, unit by unit, that (A)'s konversi, grade, respondents, interval
and order equal what (B)'s integers give (konversi and grade by hand, without analysis/), and
that queries.aggregate equals the 48 statistics of the raw rows; it times the API answer with
its cache empty and filled, and prints the query plans
and a profile of the ranking. Exit status 0: target met and numbers identical.
"""

import argparse
import gc
import multiprocessing
import os
import sys
import tempfile
import time
import tracemalloc
from concurrent.futures import ProcessPoolExecutor
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import _national_data as data  # noqa: E402
from _national_checks import compare, explain, profile_ranking  # noqa: E402
from _common import bench_app  # noqa: E402
from sqlalchemy import event, func, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from survey import indices, periods, queries, rollups  # noqa: E402
from survey.db import make_engine  # noqa: E402
from survey.models import Response, Rollup, ServiceUnit  # noqa: E402
from survey.scopes import NATIONAL, Scope  # noqa: E402

TARGET_RATIO = 1 / 20
# (B)'s statistics: the regulation's inputs (the baseline of the target), then the yardsticks.
BASELINES = {
    "regulation": ("n", *(f"s{e}" for e in range(1, 10)), "t", "t2"),
    "fewest": queries.INDEX_STATISTICS,
    "all": queries.ROLLUP_STATISTICS,
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--responses", type=int, default=10_000_000)
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--periods", type=int, default=4, help="semesters, ending 2026-S1")
    parser.add_argument("--period", help="the semester to time (default: the latest)")
    parser.add_argument("--steps", default="0.25,0.5,1",
                        help="shares of --responses at which to measure, ending with 1")
    parser.add_argument("--database-url", default="",
                        help="PostgreSQL server or SQLite file (default: $DATABASE_URL)")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs after the warm-up")
    parser.add_argument("--budget", type=float, default=120.0,
                        help="stop repeating a measurement once its runs took this long (s)")
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    args = parser.parse_args()
    args.database_url = args.database_url or os.environ.get("DATABASE_URL", "")
    if not args.database_url:
        parser.error("give --database-url (PostgreSQL server or sqlite:////path/file.db) "
                     "or set DATABASE_URL")
    shares = [float(share) for share in args.steps.split(",")]
    if shares != sorted(set(shares)) or shares[-1] != 1 or shares[0] <= 0:
        parser.error("--steps: increasing shares of --responses, the last one 1")
    args.sizes = [round(args.responses * share) for share in shares]
    return args


def rss_mb() -> float:
    """Return the current resident set size in MB."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmRSS")) / 1024


def peak_rss_mb() -> float:
    """Return the process's peak resident set size in MB (VmHWM: getrusage's ru_maxrss would
    carry over the peak of the process that spawned it, as Linux keeps it across execve)."""
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM")) / 1024


def best_of(call, repeat: int, budget: float) -> tuple[float, list[float], object]:
    """Time `call` up to `repeat` times (the caller warmed it up); return best, all, last result."""
    times, result = [], None
    while len(times) < repeat:
        result = None  # drop the previous result first: one result alive at a time
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
        if sum(times) + times[-1] > budget:
            break
    return min(times), times, result


def runs(times: list[float]) -> str:
    return f"best of {len(times)} (" + ", ".join(f"{t:.3f}" for t in times) + ")"


@contextmanager
def captured(engine):
    """Collect the SELECT statements (SQL, parameters) sent to the driver meanwhile."""
    statements = []

    def listen(_connection, _cursor, statement, parameters, _context, _many):
        if statement.lstrip().upper().startswith("SELECT"):
            statements.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def grow(url: str, pop, layer, postgres: bool) -> dict:
    """Add a layer of responses, rebuild the rollups, analyse; print and return the figures."""
    size = layer.start + layer.count
    load = data.load_postgres if postgres else data.load_sqlite
    for step, seconds in load(url, pop, layer).items():
        rate = f" ({layer.count / seconds:,.0f} rows/s)" if "generate" in step else ""
        print(f"  {step}, {layer.count:,} rows: {seconds:.1f} s{rate}")
    print(f"  check: {data.check_sample(url)}")
    engine = make_engine(url)
    try:
        with engine.begin() as connection:
            # rebuild replaces every row anyway; emptied first, each step times a first build
            # and the table does not keep the space of the previous step's rows.
            connection.exec_driver_sql(f"{'TRUNCATE' if postgres else 'DELETE FROM'} "
                                       "rollup")
        started = time.perf_counter()
        with Session(engine) as session:
            rollups.rebuild(session)
            session.commit()
        rebuild = time.perf_counter() - started
        print(f"  rollups.rebuild over {size:,} responses into an empty rollup table: "
              f"{rebuild:.1f} s ({size / rebuild:,.0f} responses/s)")
        started = time.perf_counter()
        raw = engine.raw_connection()
        try:
            if postgres:
                raw.driver_connection.autocommit = True
            # Every table, so that no autovacuum starts during the timings.
            raw.driver_connection.execute("VACUUM (ANALYZE)" if postgres else "ANALYZE")
        finally:
            raw.close()
        print(f"  {'VACUUM (ANALYZE)' if postgres else 'ANALYZE'}: "
              f"{time.perf_counter() - started:.1f} s")
        rows = print_sizes(engine, postgres)
    finally:
        engine.dispose()
    return {"responses": size, "rollup_rows": rows, "rebuild": rebuild}


def print_sizes(engine, postgres: bool) -> int:
    """Print the size of the response and rollup tables; return the number of rollup rows."""
    with engine.connect() as connection:
        rollup_rows = dict(connection.execute(select(Rollup.months, func.count())
                                              .group_by(Rollup.months)).all())
        if postgres:
            for table in ("response", "rollup"):
                heap, total = connection.execute(text(
                    "SELECT pg_relation_size(:t), pg_total_relation_size(:t)"), {"t": table}).one()
                print(f"  size of {table}: {total / 2**20:,.0f} MB in all (table "
                      f"{heap / 2**20:,.0f} MB, indexes {(total - heap) / 2**20:,.0f} MB)")
        else:
            print(f"  database file: {os.path.getsize(engine.url.database) / 2**20:,.0f} MB")
    print(f"  rows in rollup: {rollup_rows.get(1, 0):,} unit × month, "
          f"{rollup_rows.get(6, 0):,} unit × semester")
    return sum(rollup_rows.values())


def plain_group_by(period, names: tuple[str, ...]):
    """Return (B): statistics per unit straight from the raw responses."""
    return (select(Response.unit_id, *queries.response_statistics(names))
            .where(Response.excluded.is_(False),
                   Response.submitted_on.between(period.starts_on, period.ends_on))
            .group_by(Response.unit_id))


def ranking_probe(url: str, label: str, repeat: int, budget: float, keep: bool) -> dict:
    """Time (A) in this fresh process; return the timings, the peak RSS and the ranking."""
    period, started_rss = periods.parse(label), rss_mb()
    engine = make_engine(url)
    gc.freeze()  # as wsgi.py does in each gunicorn worker once the app is made
    out = {}
    try:
        with Session(engine) as session:
            started = time.perf_counter()
            queries.index_totals(session, NATIONAL, period)
            out["first_sql"] = time.perf_counter() - started
            out["sql"] = best_of(lambda: queries.index_totals(session, NATIONAL, period),
                                 repeat, budget)[:2]
            # Warm-up of the figures code on one province (the SQL part is warm already).
            indices.scope_ranking(session, Scope("region", "11"), period, "unit", "pooled")
            out["ranking"] = best_of(lambda: indices.scope_ranking(
                session, NATIONAL, period, "unit", "pooled"), repeat, budget)
            ranking = out["ranking"][2]
            out["rows"] = best_of(lambda: list(ranking), repeat, budget)[:2]
    finally:
        engine.dispose()
    *timings, ranking = out["ranking"]
    out["ranking"] = (*timings, list(ranking) if keep else len(ranking))
    out["rss_start"], out["rss_peak"] = started_rss, peak_rss_mb()
    return out


def in_fresh_process(url: str, period, repeat: int, budget: float, keep: bool) -> dict:
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
        return pool.submit(ranking_probe, url, period.label, repeat, budget, keep).result()


def measure_step(url: str, period, args, postgres: bool, final: bool) -> dict:
    """Time (A) and (B) on the data as it is now; print and return the figures."""
    a = in_fresh_process(url, period, args.repeat, args.budget, keep=final)
    print(f"  (A) indices.scope_ranking(NATIONAL, {period.label}, 'unit', 'pooled'): "
          f"{a['ranking'][0]:.3f} s  {runs(a['ranking'][1])}")
    print(f"      its SQL part queries.index_totals: {a['sql'][0]:.3f} s  {runs(a['sql'][1])} "
          f"(first call in the process {a['first_sql']:.3f} s)")
    print(f"      then a row object for each unit, list(ranking): {a['rows'][0]:.3f} s  "
          f"{runs(a['rows'][1])}")
    print(f"      peak RSS of the process (VmHWM): {a['rss_peak']:.0f} MB; "
          f"{a['rss_start']:.0f} MB after its imports")
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            b = {name: time_plain(session, engine, period, name, args, postgres)
                 for name in BASELINES}
            ratios = {name: a["ranking"][0] / b[name]["baseline"] for name in BASELINES}
            ratio = ratios["regulation"]
            print(f"  ratio (A)/(B) {ratio:.4f} (1/{1 / ratio:.1f}), target <= "
                  f"{TARGET_RATIO:.2f}: {'meets target' if ratio <= TARGET_RATIO else 'MISSES'}"
                  f"; against the other yardsticks: fewest sums {ratios['fewest']:.4f} (1/"
                  f"{1 / ratios['fewest']:.1f}), all 48 statistics {ratios['all']:.4f} (1/"
                  f"{1 / ratios['all']:.1f})")
            difference = None
            if final:
                difference = details(session, engine, url, period, a, b, postgres)
    finally:
        engine.dispose()
    return {"ranking": a["ranking"][0], "sql": a["sql"][0], "rows": a["rows"][0],
            "plain": {name: b[name]["baseline"] for name in BASELINES}, "ratio": ratio,
            "rss_peak": a["rss_peak"], "difference": difference}


def time_plain(session, engine, period, baseline: str, args, postgres: bool) -> dict:
    """Time one (B) and its other plan, each after one warm-up; return its rows and timings.

    The faster of the two counts, as a benchmark should not beat a handicapped one:
    PostgreSQL's JIT compiles the 48 aggregates for seconds, and SQLite walks the (unit_id,
    submitted_on) index unit by unit where a full scan may be faster.
    """
    statement_of = plain_group_by(period, BASELINES[baseline])
    with captured(engine) as statements:
        session.execute(statement_of).all()
    out = {"sql": statements[0]}
    out["plain"] = best_of(lambda: session.execute(statement_of).all(), args.repeat,
                           args.budget)
    rows = out["plain"][2]
    sql, parameters = out["sql"]
    if postgres:
        label, statement = "SET jit = off", out["sql"]
        session.execute(text("SET jit = off"))
    else:
        label = "FROM response NOT INDEXED (a full scan)"
        statement = (sql.replace("FROM response ", "FROM response NOT INDEXED ", 1), parameters)
    connection = session.connection()
    connection.exec_driver_sql(*statement).all()
    other = best_of(lambda: connection.exec_driver_sql(*statement).all(), args.repeat,
                    args.budget)
    out["other_plan"] = (label, explain(session, statement, postgres))
    if postgres:
        session.execute(text("RESET jit"))
    out["baseline"] = min(out["plain"][0], other[0])
    print(f"  (B) {baseline} ({len(BASELINES[baseline])} statistics): default plan "
          f"{out['plain'][0]:.3f} s {runs(out['plain'][1])}, {label} {other[0]:.3f} s "
          f"{runs(other[1])}: {out['baseline']:.3f} s; {len(rows):,} units, "
          f"{sum(r[1] for r in rows):,} responses in {period.label}")
    return out


def details(session, engine, url: str, period, a: dict, b: dict, postgres: bool) -> str | None:
    """After the last step: compare (A) with (B), time the API, print plans and a profile."""
    with captured(engine) as statements:
        queries.index_totals(session, NATIONAL, period)
    app_sql = statements[0]
    driver = best_of(lambda: session.connection().exec_driver_sql(*app_sql).fetchall(), 3, 60)
    traced = traced_peak(lambda: indices.scope_ranking(session, NATIONAL, period))
    aggregate = best_of(lambda: queries.aggregate(session, NATIONAL, [period], "unit",
                                                  by_unit=True), 3, 60)
    print(f"  (A) parts: its SELECT through the driver {driver[0]:.3f} s (best of 3 here); "
          f"tracemalloc peak of indices.scope_ranking {traced:.1f} MB. For scale, "
          f"queries.aggregate with all 48 statistics of every unit: {aggregate[0]:.3f} s")
    regulation, every = b["regulation"]["plain"][2], b["all"]["plain"][2]
    difference = compare(session, period, a["ranking"][2], regulation, every)
    print("  identical: yes (for all "
          f"{len(regulation):,} units: respondents, konversi, grade, interval and order of (A) "
          "from (B)'s integers, konversi and grade also by hand; queries.aggregate equals the "
          "48 statistics of the raw rows)"
          if difference is None else f"  identical: NO; first difference: {difference}")
    time_api(url, period)
    region = session.scalar(select(ServiceUnit.region_code).order_by(ServiceUnit.id).limit(1))
    with captured(engine) as scoped:
        queries.index_totals(session, Scope("region", region), period)
        queries.data_version(session)
    plan = "(ANALYZE, BUFFERS) " if postgres else "QUERY PLAN "
    for title, statement in (
            ("the rollup query of the national ranking (A)", app_sql),
            ("the plain GROUP BY (B)" + (", server settings" if postgres else ""),
             b["regulation"]["sql"]),
            (f"the same rollup query for one regency (region:{region})", scoped[0]),
            ("queries.data_version, part of every cache key", scoped[-1])):
        print(f"EXPLAIN {plan}of {title}:")
        print(explain(session, statement, postgres))
    print(f"EXPLAIN {plan}of the plain GROUP BY (B) with {b['regulation']['other_plan'][0]}:")
    print(b["regulation"]["other_plan"][1])
    profile_ranking(session, period)
    return difference


def traced_peak(call) -> float:
    """Return the peak of Python allocations (MB) during one call."""
    tracemalloc.start()
    try:
        call()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def time_api(url: str, period) -> None:
    """Time GET /api/v1/aggregate for the national ranking with its disk cache empty, then full."""
    path = f"/api/v1/aggregate?scope=national&period={period.label}&group_by=unit"
    with tempfile.TemporaryDirectory() as cache_dir:
        app = bench_app(url, CACHE_DIR=cache_dir)
        try:
            client = app.test_client()
            started = time.perf_counter()
            answer = client.get(path)
            cold = time.perf_counter() - started
            if answer.status_code != 200:
                raise RuntimeError(f"GET {path}: {answer.status_code} {answer.data[:200]!r}")
            warm = best_of(lambda: client.get(path).data, 3, 60)
            print(f"  GET {path}: {cold:.3f} s with an empty cache (the ranking, computed), "
                  f"{warm[0]:.3f} s cached ({runs(warm[1])}); {len(answer.json['rows']):,} "
                  f"rows, {len(answer.data) / 2**20:.1f} MB of JSON")
        finally:
            app.extensions["suara.db"].engine.dispose()


def print_server(url: str, postgres: bool) -> None:
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            if not postgres:
                print("database: SQLite "
                      + connection.exec_driver_sql("SELECT sqlite_version()").scalar())
                return
            print("database: " + connection.exec_driver_sql("SELECT version()").scalar())
            print("settings: " + ", ".join(
                f"{name}={connection.exec_driver_sql(f'SHOW {name}').scalar()}"
                for name in ("shared_buffers", "work_mem", "max_parallel_workers_per_gather",
                             "jit")))
    finally:
        engine.dispose()


def summary(results: list[dict]) -> None:
    print("responses | rollup rows | rebuild s | (B) s: regulation, fewest, all 48 | (A) SQL s | "
          "(A) ranking s | (A)/(B) | rows s | peak RSS of (A)'s process MB")
    for r in results:
        plain = r["plain"]
        print(f"{r['responses']:>11,} | {r['rollup_rows']:>9,} | {r['rebuild']:7.1f} | "
              f"{plain['regulation']:6.3f}, {plain['fewest']:6.3f}, {plain['all']:6.3f} | "
              f"{r['sql']:6.3f} | {r['ranking']:6.3f} | 1/{1 / r['ratio']:.1f} | "
              f"{r['rows']:6.3f} | {r['rss_peak']:.0f}")


def main() -> int:
    args = parse_args()
    span = data.semesters(args.periods)
    period = periods.parse(args.period) if args.period else span[-1]
    postgres = not args.database_url.startswith("sqlite")
    began = time.perf_counter()
    print(f"bench/national.py: {args.responses:,} responses, {args.units:,} units, "
          f"{span[0].label}..{span[-1].label}; timed period {period.label}")
    print(f"machine: {data.machine()}")
    print("timings are warm: every timed run follows an untimed one of the same work, so the "
          "pages read are in the database's buffers or the OS page cache; nothing is cached "
          "in the application")
    with data.scratch_database(args.database_url, args.keep) as url:
        print_server(url, postgres)
        started = time.perf_counter()
        pop = data.prepare(url, args.units, span)
        print(f"schema, regions, agencies, {len(pop.unit_ids):,} units: "
              f"{time.perf_counter() - started:.1f} s")
        results = []
        for number, layer in enumerate(data.layers(pop, args.sizes), 1):
            print(f"step {number}: {layer.start + layer.count:,} responses; "
                  f"machine: {data.machine()}")
            step = grow(url, pop, layer, postgres)
            step.update(measure_step(url, period, args, postgres, number == len(args.sizes)))
            results.append(step)
    summary(results)
    print(f"peak RSS of this process (VmHWM, generation included): {peak_rss_mb():.0f} MB; "
          f"machine: {data.machine()}; total time: {time.perf_counter() - began:.0f} s")
    last = results[-1]
    return 0 if last["ratio"] <= TARGET_RATIO and last["difference"] is None else 1


if __name__ == "__main__":
    sys.exit(main())
