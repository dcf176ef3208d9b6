"""The baseline of bench/submissions.py: a minimal Flask + SQLAlchemy Core app.

It does what SUARA's POST /s/<token> must at the least: read the form, insert the same row
(same table, same columns) in its own transaction, answer 303. No form class, no token check,
no ORM, no lookups per request: the service points' ids are read once at start, with the UTC
offset of each unit (BENCH_UNIT_OFFSETS, JSON {unit id: hours}) for the local submission date.

    BENCH_DATABASE_URL=sqlite:///copy.db BENCH_UNIT_OFFSETS='{"1": 7}' \\
        .venv/bin/gunicorn --chdir bench minimal_app:app

It imports nothing from SUARA. The SQLite connection settings are SUARA's (WAL, busy timeout,
synchronous=NORMAL), so that both apps write with the same durability.
"""

import json
import os
import uuid
from datetime import datetime, timedelta, timezone

from flask import Flask, abort, redirect, request
from sqlalchemy import (Boolean, Column, Date, DateTime, Integer, MetaData, SmallInteger, String,
                        Table, Text, Uuid, create_engine, event, insert, text)

ANSWERS = tuple(f"u{n}" for n in range(1, 10))
PROFILE = ("gender", "education", "occupation", "service_type", "suggestion")

response = Table(
    "response", MetaData(),
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer), Column("point_id", Integer), Column("questionnaire_id", Integer),
    Column("submitted_at", DateTime(timezone=True)), Column("submitted_on", Date),
    Column("channel", String(10)),
    *(Column(name, SmallInteger) for name in ANSWERS),
    Column("gender", String(1)), Column("age", SmallInteger), Column("education", String(8)),
    Column("occupation", String(12)), Column("service_type", String(200)),
    Column("suggestion", Text), Column("client_uuid", Uuid), Column("client_key", String(32)),
    Column("flagged", Boolean), Column("flag_reason", String(200)), Column("excluded", Boolean),
    Column("created_at", DateTime(timezone=True)),
)


def _tune_sqlite(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    for pragma in ("journal_mode=WAL", "busy_timeout=10000", "foreign_keys=ON",
                   "synchronous=NORMAL"):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def make_engine(url: str):
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 10})
        event.listen(engine, "connect", _tune_sqlite)
        return engine
    return create_engine(url, pool_size=5, max_overflow=10)


def create_app() -> Flask:
    engine = make_engine(os.environ["BENCH_DATABASE_URL"])
    zones = {int(unit): timezone(timedelta(hours=hours))
             for unit, hours in json.loads(os.environ["BENCH_UNIT_OFFSETS"]).items()}
    with engine.connect() as connection:
        points = {token: (point_id, unit_id) for token, point_id, unit_id in connection.execute(
            text("SELECT token, id, unit_id FROM service_point"))}
        questionnaire_id = connection.execute(text(
            "SELECT id FROM questionnaire WHERE unit_id IS NULL AND status = 'published' "
            "ORDER BY version DESC, id DESC LIMIT 1")).scalar_one()
    app = Flask(__name__)

    @app.post("/s/<token>")
    def submit(token: str):
        if token not in points:
            abort(404)
        point_id, unit_id = points[token]
        form, now = request.form, datetime.now(timezone.utc)
        row = {"unit_id": unit_id, "point_id": point_id, "questionnaire_id": questionnaire_id,
               "submitted_at": now, "submitted_on": now.astimezone(zones[unit_id]).date(),
               "channel": "link", "client_uuid": uuid.UUID(form["client_uuid"]),
               "age": int(form["age"]) if form.get("age") else None,
               "client_key": None, "flagged": False, "flag_reason": None, "excluded": False,
               "created_at": now,
               **{name: int(form[name.upper()]) for name in ANSWERS},
               **{name: form.get(name) or None for name in PROFILE}}
        with engine.begin() as connection:
            connection.execute(insert(response), row)
        return redirect(f"/s/{token}/terima-kasih", 303)

    return app


app = create_app()
