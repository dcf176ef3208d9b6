"""The national data set of bench/national.py: a scratch database, units over every regency,
and millions of responses generated with numpy and loaded in bulk.

Respondents follow the demo's recipe (survey/demo.py): a latent satisfaction = the unit's level
+ the element's offset in that unit + a person effect + item noise, cut at 1.5/2.5/3.5 into
answers 1..4, so units differ and answers correlate; each unit's level also drifts a little
over time. The responses come in layers (2.5 M, then 2.5 M more, then 5 M more, …), each spread
over every day of the periods in time order (all units interleaved, weekdays busier), so that
the same units and periods can be measured as the table grows.
"""

import os
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from queue import Queue

import numpy as np
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from survey import migrate, periods
from survey.db import make_engine
from survey.models import Agency, Region, Response, ServiceUnit
from survey.regions import bundled_csv, load_regions, timezone_for
from survey.responses import default_questionnaire, local_date

PG_EPOCH = date(2000, 1, 1)  # PostgreSQL's binary dates and timestamps count from here
DAY_US = 86_400 * 1_000_000
MINISTRIES = ("Kementerian Dalam Negeri", "Kementerian Agama", "Kementerian Kesehatan",
              "Kementerian Hukum", "Kementerian Agraria dan Tata Ruang")
PERSON_SD, ITEM_SD = 0.45, 0.45  # as survey/demo.py: inter-item correlation near 0.5
EXCLUDED_SHARE = 0.001
CHUNK = 250_000
# The columns COPY/INSERT fill; the others keep their NULL (profile, point, review fields).
COLUMNS = ("id", "unit_id", "questionnaire_id", "submitted_at", "submitted_on", "channel",
           *(f"u{e}" for e in range(1, 10)), "client_uuid", "flagged", "excluded", "created_at")


@contextmanager
def scratch_database(url: str, keep: bool):
    """Yield the URL of a new database: on PostgreSQL one created next to the database `url`
    names (never touched); on SQLite the file `url` names, which must not exist yet."""
    if url.startswith("sqlite"):
        path = Path(make_url(url).database)
        if path.exists():
            raise SystemExit(f"{path} exists: remove it or name another file")
        try:
            yield url
        finally:
            if not keep:
                for suffix in ("", "-wal", "-shm"):
                    Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    admin = create_engine(make_url(url).set(drivername="postgresql+psycopg"),
                          isolation_level="AUTOCOMMIT")
    name = f"suara_bench_national_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield make_url(url).set(drivername="postgresql+psycopg", database=name) \
            .render_as_string(hide_password=False)
    finally:
        if keep:
            print(f"kept database {name}")
        else:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def semesters(count: int, last: str = "2026-S1") -> list[periods.Period]:
    """Return `count` consecutive semesters ending with `last`, oldest first."""
    result = [periods.parse(last)]
    while len(result) < count:
        result.insert(0, periods.current_semester(result[0].starts_on - timedelta(days=1)))
    return result


@dataclass(frozen=True)
class Population:
    """Everything per unit and per day that the responses are drawn from."""

    unit_ids: np.ndarray  # int32
    unit_cdf: np.ndarray  # cumulative share of responses per unit
    level: np.ndarray  # the unit's mean satisfaction on the 1..4 scale
    offsets: np.ndarray  # units x 9: the element's offset in that unit
    drift: np.ndarray  # the unit's change of level per year
    utc_hours: np.ndarray  # the unit's time zone, hours ahead of UTC
    day_weights: np.ndarray  # share of the responses on each day
    first_day: int  # days since PG_EPOCH of the first day
    questionnaire_id: int
    salt: int  # high 64 bits of every client_uuid
    seed: int


@dataclass(frozen=True)
class Layer:
    """Responses start + 1 .. start + count (their ids), spread over every day in time order."""

    start: int
    count: int
    day_ends: np.ndarray  # cumulative responses of this layer up to each day


def layers(pop: Population, sizes: list[int]) -> list[Layer]:
    """Return one layer per step, so that after step k the table holds sizes[k] responses."""
    rng = np.random.default_rng([pop.seed, 1])
    result, start = [], 0
    for size in sizes:
        count = size - start
        result.append(Layer(start, count, np.cumsum(rng.multinomial(count, pop.day_weights))))
        start = size
    return result


def prepare(url: str, units: int, span: list[periods.Period],
            seed: int = 20260701) -> Population:
    """Migrate the scratch database, load regions, agencies and units; return the population."""
    engine = make_engine(url)
    try:
        migrate.upgrade(engine)
        with Session(engine) as session:
            load_regions(session, bundled_csv())
            unit_rows = _add_units(session, units)
            questionnaire_id = default_questionnaire(session).id
            session.commit()
    finally:
        engine.dispose()
    rng = np.random.default_rng(seed)
    weights = rng.lognormal(0.0, 0.5, len(unit_rows))  # some units are busier than others
    first, last = span[0].starts_on, span[-1].ends_on
    days = np.arange((first - PG_EPOCH).days, (last - PG_EPOCH).days + 1)
    busy = np.where((days + 5) % 7 < 5, 1.0, np.where((days + 5) % 7 == 5, 0.3, 0.1))
    return Population(
        unit_ids=np.array([row[0] for row in unit_rows], dtype=np.int32),
        unit_cdf=np.cumsum(weights) / weights.sum(),
        level=rng.uniform(2.4, 3.8, len(unit_rows)),
        offsets=rng.normal(0.0, 0.25, (len(unit_rows), 9)),
        drift=rng.normal(0.0, 0.08, len(unit_rows)),
        utc_hours=np.array([timezone_for(row[1]).utcoffset(None).total_seconds() // 3600
                            for row in unit_rows], dtype=np.int64),
        day_weights=busy / busy.sum(),
        first_day=int(days[0]), questionnaire_id=questionnaire_id,
        salt=int(rng.integers(1, 2**63)), seed=seed)


def _add_units(session: Session, count: int) -> list[tuple[int, str]]:
    """Add a few ministries, one local government per regency and `count` units spread over
    every regency; return (id, region_code) of the units."""
    regencies = list(session.execute(select(Region.code, Region.name).where(
        Region.level == "kabupaten_kota").order_by(Region.code)))
    ministries = [Agency(name=name, kind="kementerian") for name in MINISTRIES]
    offices = [Agency(name=f"Pemerintah {name}", kind="pemda") for _, name in regencies]
    session.add_all(ministries + offices)
    session.flush()
    for agency in ministries + offices:
        agency.path = f"/{agency.id}/"
    rows = []
    for k in range(count):
        r = k % len(regencies)
        agency = ministries[k // 3 % len(ministries)] if k % 3 == 0 else offices[r]
        rows.append({"slug": f"nat-{k:05d}", "name": f"Unit Layanan {k:05d}",
                     "agency_id": agency.id, "region_code": regencies[r][0]})
    session.execute(insert(ServiceUnit), rows)
    return list(session.execute(select(ServiceUnit.id, ServiceUnit.region_code)
                                .where(ServiceUnit.slug.like("nat-%"))
                                .order_by(ServiceUnit.id)))


def draw(pop: Population, layer: Layer, start: int, size: int) -> dict[str, np.ndarray]:
    """Draw a layer's responses start .. start+size-1 (the same for a seed, layer and start)."""
    rng = np.random.default_rng([pop.seed, layer.start + start])
    index = np.arange(start, start + size, dtype=np.int64)
    day = pop.first_day + np.searchsorted(layer.day_ends, index, side="right")
    unit = np.minimum(np.searchsorted(pop.unit_cdf, rng.random(size)), len(pop.unit_ids) - 1)
    years = (day - pop.first_day) / 365.25
    latent = (pop.level[unit, None] + pop.drift[unit, None] * years[:, None] + pop.offsets[unit]
              + rng.normal(0, PERSON_SD, (size, 1)) + rng.normal(0, ITEM_SD, (size, 9)))
    answers = np.clip(np.rint(latent), 1, 4).astype(np.int16)
    office_hours = rng.integers(7 * 3600, 19 * 3600, size)  # local seconds of the day
    local_us = office_hours * 1_000_000 + rng.integers(0, 1_000_000, size)
    at_us = day * DAY_US + local_us - pop.utc_hours[unit] * 3_600_000_000
    return {"id": layer.start + index + 1, "unit_id": pop.unit_ids[unit], "day": day,
            "at_us": at_us, "answers": answers, "excluded": rng.random(size) < EXCLUDED_SHARE}


def _binary_dtype() -> np.dtype:
    """Return the row layout of PostgreSQL's binary COPY for COLUMNS (big-endian, packed)."""
    types = {"id": ">i8", "unit_id": ">i4", "questionnaire_id": ">i4", "submitted_at": ">i8",
             "submitted_on": ">i4", "channel": "S4", "client_uuid": ">u8", "flagged": "u1",
             "excluded": "u1", "created_at": ">i8", **{f"u{e}": ">i2" for e in range(1, 10)}}
    fields = [("fields", ">i2")]
    for name in COLUMNS:
        fields.append((f"{name}_len", ">i4"))
        if name == "client_uuid":
            fields += [("uuid_hi", ">u8"), ("uuid_lo", ">u8")]
        else:
            fields.append((name, types[name]))
    return np.dtype(fields)


def binary_chunk(pop: Population, layer: Layer, start: int, size: int) -> bytes:
    """Return a layer's responses start .. start+size-1 as binary COPY tuples (no header, no
    trailer)."""
    drawn = draw(pop, layer, start, size)
    rows = np.empty(size, dtype=_binary_dtype())
    rows["fields"] = len(COLUMNS)
    for name in COLUMNS:
        rows[f"{name}_len"] = 16 if name == "client_uuid" else rows.dtype[name].itemsize
    rows["id"], rows["unit_id"] = drawn["id"], drawn["unit_id"]
    rows["questionnaire_id"], rows["channel"] = pop.questionnaire_id, b"link"
    rows["submitted_at"] = rows["created_at"] = drawn["at_us"]
    rows["submitted_on"] = drawn["day"]
    for e in range(9):
        rows[f"u{e + 1}"] = drawn["answers"][:, e]
    rows["uuid_hi"], rows["uuid_lo"] = pop.salt, drawn["id"]
    rows["flagged"], rows["excluded"] = 0, drawn["excluded"]
    return rows.tobytes()


def sqlite_rows(pop: Population, layer: Layer, start: int, size: int) -> list[tuple]:
    """Return a layer's responses as tuples in SQLAlchemy's SQLite storage formats (text dates,
    hex uuid)."""
    drawn = draw(pop, layer, start, size)
    days = _day_texts(int(drawn["day"].min()) - 1, int(drawn["day"].max()))
    seconds, micros = np.divmod(drawn["at_us"], 1_000_000)
    utc_day, second = np.divmod(seconds, 86_400)
    at = [f"{days[d]} {s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}.{u:06d}"
          for d, s, u in zip(utc_day.tolist(), second.tolist(), micros.tolist())]
    answers = drawn["answers"].T.tolist()
    uuids = [f"{pop.salt:016x}{i:016x}" for i in drawn["id"].tolist()]
    return list(zip(drawn["id"].tolist(), drawn["unit_id"].tolist(),
                    [pop.questionnaire_id] * size, at, [days[d] for d in drawn["day"].tolist()],
                    ["link"] * size, *answers, uuids, [0] * size,
                    drawn["excluded"].astype(int).tolist(), at))


def _day_texts(first: int, last: int) -> dict[int, str]:
    return {d: (PG_EPOCH + timedelta(days=d)).isoformat() for d in range(first, last + 1)}


def load_postgres(url: str, pop: Population, layer: Layer) -> dict[str, float]:
    """COPY a layer of responses in binary into the response table without its keys and
    indexes, then put them back exactly as the migrations made them; return timings (s)."""
    engine = make_engine(url)
    timings = {}
    try:
        raw = engine.raw_connection()
        connection = raw.driver_connection
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem = '1GB'")  # this session's index builds
            keys, indexes, before = _response_schema(cursor)
            for table, name, _, _ in sorted(keys, key=lambda k: k[2] != "f"):  # foreign first
                cursor.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
            for name, _ in indexes:
                cursor.execute(f'DROP INDEX "{name}"')
            started = time.perf_counter()
            _copy(cursor, pop, layer)
            connection.commit()
            timings["generate + COPY"] = time.perf_counter() - started
            started = time.perf_counter()
            for table, name, _, definition in sorted(keys, key=lambda k: "puf".index(k[2])):
                cursor.execute(f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {definition}')
            for _, definition in indexes:
                cursor.execute(definition)
            cursor.execute("SELECT setval(pg_get_serial_sequence('response', 'id'), %s)",
                           (layer.start + layer.count,))
            connection.commit()
            timings["keys, indexes, foreign keys"] = time.perf_counter() - started
            if _response_schema(cursor)[2] != before:
                raise RuntimeError("response table differs from the migrated one after loading")
        raw.close()
    finally:
        engine.dispose()
    return timings


def _copy(cursor, pop: Population, layer: Layer) -> None:
    """Write a layer with one binary COPY; the first one into the table truncated just now."""
    if layer.start == 0:
        # Truncated in this transaction: COPY FREEZE writes the rows already frozen.
        cursor.execute("TRUNCATE response")
    statement = (f"COPY response ({', '.join(COLUMNS)}) FROM STDIN (FORMAT BINARY"
                 + (", FREEZE)" if layer.start == 0 else ")"))
    with cursor.copy(statement) as copy:
        copy.write(b"PGCOPY\n\xff\r\n\0" + bytes(8))
        for chunk in ahead(binary_chunk(pop, layer, start, min(CHUNK, layer.count - start))
                           for start in range(0, layer.count, CHUNK)):
            copy.write(chunk)
        copy.write(b"\xff\xff")


def ahead(chunks: Iterator[bytes], depth: int = 2) -> Iterator[bytes]:
    """Yield chunks made by a thread up to `depth` ahead: numpy draws the next chunk while
    the server parses the last one."""
    queue: Queue = Queue(maxsize=depth)
    done = object()

    def produce():
        try:
            for chunk in chunks:
                queue.put(chunk)
        except BaseException as exc:  # handed to the consumer
            queue.put(exc)
        queue.put(done)

    thread = threading.Thread(target=produce, daemon=True)
    thread.start()
    while (item := queue.get()) is not done:
        if isinstance(item, BaseException):
            raise item
        yield item
    thread.join()


def _response_schema(cursor) -> tuple[list, list, list]:
    """Return the keys of the response table and the foreign keys that refer to it (table,
    name, type, definition), its other indexes (name, SQL) and a comparable list of both."""
    keys = cursor.execute(
        "SELECT conrelid::regclass::text, conname, contype, pg_get_constraintdef(oid) "
        "FROM pg_constraint WHERE (conrelid = 'response'::regclass AND contype IN ('p', 'u', 'f'))"
        " OR (confrelid = 'response'::regclass AND contype = 'f') ORDER BY 1, 2").fetchall()
    indexes = cursor.execute(
        "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'response' "
        "AND schemaname = current_schema() AND indexname NOT IN (SELECT conname "
        "FROM pg_constraint WHERE conrelid = 'response'::regclass) ORDER BY indexname").fetchall()
    return keys, indexes, sorted(map(tuple, keys)) + sorted(map(tuple, indexes))


def load_sqlite(url: str, pop: Population, layer: Layer) -> dict[str, float]:
    """Insert a layer of responses with executemany, one transaction per chunk, without the
    secondary indexes, then recreate them from their stored SQL; return timings (s)."""
    engine = make_engine(url)
    timings = {}
    try:
        raw = engine.raw_connection()
        connection = raw.driver_connection  # autocommit mode: survey.db emits BEGIN itself
        indexes = connection.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' "
            "AND tbl_name = 'response' AND sql IS NOT NULL").fetchall()
        for name, _ in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        statement = (f"INSERT INTO response ({', '.join(COLUMNS)}) "
                     f"VALUES ({', '.join('?' * len(COLUMNS))})")
        started = time.perf_counter()
        for start in range(0, layer.count, CHUNK):
            rows = sqlite_rows(pop, layer, start, min(CHUNK, layer.count - start))
            connection.execute("BEGIN")
            connection.executemany(statement, rows)
            connection.execute("COMMIT")
        timings["generate + INSERT"] = time.perf_counter() - started
        started = time.perf_counter()
        for _, definition in indexes:
            connection.execute(definition)
        timings["indexes"] = time.perf_counter() - started
        raw.close()
    finally:
        engine.dispose()
    return timings


def check_sample(url: str, size: int = 1000) -> str:
    """Read every n-th response through the ORM; check its local date and client_uuid."""
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            total = session.scalar(select(func.max(Response.id)))
            step = max(total // size, 1)
            rows = session.execute(select(Response, ServiceUnit).join(ServiceUnit).where(
                Response.id % step == 0)).all()
            bad = [r.id for r, unit in rows if local_date(unit, r.submitted_at) != r.submitted_on
                   or r.created_at != r.submitted_at or r.client_uuid.int & (2**64 - 1) != r.id]
    finally:
        engine.dispose()
    if bad:
        raise RuntimeError(f"generated rows read back wrong: ids {bad[:10]}")
    return (f"{len(rows):,} responses read back through the ORM: submitted_on is the local "
            "date of submitted_at in the unit's time zone, client_uuid as written")


def machine() -> str:
    """Return a one-line description of the machine and its load."""
    load = ", ".join(f"{value:.2f}" for value in os.getloadavg())
    return (f"{os.cpu_count()} CPUs, load average {load}; "
            f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC")
