"""What the bench scripts share: scratch databases, the demo data, a served app, figures.

Run the scripts from the repository root with the project's venv (`.venv/bin/python bench/…`);
they import `survey` from the editable install and this module from their own folder.
"""

import os
import socket
import statistics
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from survey import create_app, migrate
from survey.db import make_engine
from survey.demo import load_demo
from survey.models import ServicePoint, ServiceUnit
from survey.regions import bundled_csv, load_regions

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-quic"]
SECRET_KEY = "bench-secret-not-for-production"


def is_postgres(url: str | None) -> bool:
    """Tell whether a database URL names a PostgreSQL server."""
    return bool(url) and url.startswith("postgresql")


def server_url(given: str | None) -> str | None:
    """Return the PostgreSQL server to use: the one given, else $DATABASE_URL's, else None.

    An empty value counts as not given, so that `.ci/with-postgres … --database-url
    "$DATABASE_URL"` works even when the calling shell expanded the variable before
    with-postgres set it.
    """
    url = given or os.environ.get("DATABASE_URL", "")
    return url if is_postgres(url) else None


def _admin_engine(server_url: str):
    return create_engine(make_url(server_url).set(drivername="postgresql+psycopg"),
                         isolation_level="AUTOCOMMIT")


@contextmanager
def scratch_databases(server_url: str | None, tmp_dir: Path, names: tuple[str, ...] = ("main",)):
    """Yield {name: URL} of new empty databases, dropped afterwards.

    SQLite files go in tmp_dir. On PostgreSQL they are created on the server that server_url
    names; the database it names is only connected to for CREATE/DROP DATABASE, never changed.
    """
    if not is_postgres(server_url):
        yield {name: f"sqlite:///{tmp_dir / f'{name}-{uuid.uuid4().hex[:8]}.db'}" for name in names}
        return
    admin = _admin_engine(server_url)
    created = {name: f"suara_bench_{name}_{uuid.uuid4().hex[:8]}" for name in names}
    try:
        with admin.connect() as connection:
            for database in created.values():
                connection.execute(text(f'CREATE DATABASE "{database}"'))
        yield {name: make_url(server_url).set(drivername="postgresql+psycopg", database=database)
               .render_as_string(hide_password=False) for name, database in created.items()}
    finally:
        with admin.connect() as connection:
            for database in created.values():
                connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
        admin.dispose()


def prepare_database(url: str) -> None:
    """Migrate a database and load the regions and the demo data, as `make run` does."""
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        with Session(engine) as session:
            load_regions(session, bundled_csv())
            load_demo(session)
            session.commit()
    finally:
        engine.dispose()


def copy_database(source: str, target: str) -> None:
    """Copy a prepared database into another (same schema and rows)."""
    if source.startswith("sqlite"):
        engine = make_engine(source)
        try:
            with engine.connect() as connection:
                # VACUUM INTO needs no open transaction: use the raw DBAPI connection.
                raw = connection.connection.driver_connection
                raw.execute("VACUUM INTO ?", (make_url(target).database,))
        finally:
            engine.dispose()
        return
    admin = _admin_engine(source)
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE "{make_url(target).database}"'))
            connection.execute(text(f'CREATE DATABASE "{make_url(target).database}" '
                                    f'TEMPLATE "{make_url(source).database}"'))
    finally:
        admin.dispose()


def open_point(url: str) -> tuple[str, int, int]:
    """Return (token, point id, unit id) of the first active point of an active demo unit."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return tuple(session.execute(
                select(ServicePoint.token, ServicePoint.id, ServicePoint.unit_id)
                .join(ServiceUnit, ServiceUnit.id == ServicePoint.unit_id)
                .where(ServicePoint.active.is_(True), ServiceUnit.status == "active")
                .order_by(ServicePoint.id).limit(1)).one())
    finally:
        engine.dispose()


def add_points(url: str, count: int) -> list[str]:
    """Add `count` service points named "Bench NNN", spread over the open demo units in turn;
    return their tokens."""
    from survey.tokens import point_token

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            units = list(session.scalars(select(ServiceUnit.id).where(
                ServiceUnit.status == "active").order_by(ServiceUnit.id)))
            points = [ServicePoint(unit_id=units[n % len(units)], name=f"Bench {n:03d}",
                                   token=point_token()) for n in range(count)]
            session.add_all(points)
            session.commit()
            return [point.token for point in points]
    finally:
        engine.dispose()


def unit_utc_offsets(url: str) -> dict[int, int]:
    """Return the hours each unit's time zone (WIB, WITA or WIT) is ahead of UTC, by unit id."""
    from survey.regions import timezone_for

    engine = make_engine(url)
    try:
        with Session(engine) as session:
            return {unit_id: int(timezone_for(region).utcoffset(None).total_seconds() // 3600)
                    for unit_id, region in session.execute(
                        select(ServiceUnit.id, ServiceUnit.region_code))}
    finally:
        engine.dispose()


def count_rows(url: str, table: str = "response") -> int:
    """Return the number of rows of a table."""
    engine = make_engine(url)
    try:
        with engine.connect() as connection:
            return connection.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    finally:
        engine.dispose()


def bench_app(url: str, **config):
    """Return the SUARA app on a database, configured for a benchmark."""
    return create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET_KEY, **config})


@contextmanager
def served(app):
    """Serve an app on a free loopback port in a thread; yield its base URL."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", 0, app, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    app.config["SUARA_BASE_URL"] = base
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base
    finally:
        server.shutdown()
        thread.join()


def cpu_ms_per_call(call, warm: int, count: int) -> float:
    """Return the CPU milliseconds of one call(n), n = warm .. warm + count - 1, after
    call(0 .. warm - 1) outside the clock (what a process keeps in memory is then there)."""
    for n in range(warm):
        call(n)
    started = time.process_time()
    for n in range(warm, warm + count):
        call(n)
    return (time.process_time() - started) / count * 1000


def free_port() -> int:
    """Return a TCP port that is free on the loopback interface now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    """Wait until something accepts connections on a loopback port."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise TimeoutError(f"nothing listens on 127.0.0.1:{port} after {timeout} s")


def percentile(values: list[float], p: float) -> float:
    """Return the p-th percentile (0..100) of values, linear between closest ranks."""
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=1000, method="inclusive")[round(p * 10) - 1]


def verdict(ok: bool) -> str:
    """Return the word printed next to a figure for its target."""
    return "meets target" if ok else "MISSES target"


def median_of_runs(run, args, what: str, target: float) -> int:
    """Call run(args) -> (ratio, all met) args.runs times; with more than one run print the
    median ratio against its target. Return the exit status: 0 when the median (or the one
    run) meets the target and every run's checks hold."""
    outcomes = [run(args) for _ in range(args.runs)]
    if args.runs == 1:
        return 0 if outcomes[0][1] else 1
    ratios = [ratio for ratio, _ in outcomes]
    median = statistics.median(ratios)
    print(f"Median {what} of {args.runs} runs: {median:.0%} (runs: "
          f"{', '.join(f'{ratio:.0%}' for ratio in ratios)}; target >= {target:.0%}: "
          f"{verdict(median >= target)})")
    return 0 if median >= target and all(ok for _, ok in outcomes) else 1
