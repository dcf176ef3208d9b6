"""Servers of the exchange tests: each an app on a database of its own (its commits are real),
seeded with a generated set of answers of some of the same units, or with some demo units."""

import random
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta, timezone

from sqlalchemy import select
from sqlalchemy.orm import Session

from survey import create_app, instrument_store, rollups
from survey.cli import cli
from survey.db import make_engine
from survey.demo import load_demo_units
from survey.models import Response, ServiceUnit
from survey.responses import default_questionnaire, insert_rows, response_values
from tests.conftest import migrated_database
from tests.web.conftest import make_agencies

# (slug, region, agency, answer bias, paper share): three provinces, two agencies, in WIB,
# WITA and WIT (a local month or semester edge falls on another UTC day in each).
UNITS = [("dukcapil-sby", "35.78", "Dinas Uji", 0.5, 0.0),
         ("rsud-sda", "35.15", "Dinas Uji", -0.2, 0.3),
         ("samsat-mks", "73.71", "Kementerian Uji", 0.1, 0.1),
         ("kua-jpr", "91.71", "Kementerian Uji", -0.7, 0.0),
         ("puskesmas-mlg", "35.73", "Dinas Uji", 0.2, 0.5),
         ("imigrasi-mks", "73.71", "Kementerian Uji", 0.8, 0.0)]


def _agencies(session: Session) -> dict[str, int]:
    """Create the ministry and its office, the same names on every server."""
    ministry, office = make_agencies(session)
    return {"Kementerian Uji": ministry.id, "Dinas Uji": office.id}


def _answers(rng: random.Random, bias: float) -> dict:
    base = rng.gauss(3 + bias, 0.6)
    return {f"U{i}": min(4, max(1, round(base + rng.gauss(0, 0.5)))) for i in range(1, 10)}


def seed(session: Session, slugs: list[str]) -> None:
    """Store the answers of the named units: each unit's answers depend on its slug only, so
    a unit has the same answers on every server that holds it."""
    agencies = _agencies(session)
    questionnaire = default_questionnaire(session)
    for slug, region, agency, bias, paper in UNITS:
        if slug not in slugs:
            continue
        unit = ServiceUnit(slug=slug, name=f"Unit {slug}", region_code=region,
                           agency_id=agencies[agency])
        session.add(unit)
        session.flush()
        rng = random.Random(slug)
        rows = [response_values(
            unit, questionnaire_id=questionnaire.id, channel="paper" if rng.random() < paper
            else "link", answers=_answers(rng, bias),
            client_uuid=uuid.UUID(int=rng.getrandbits(128)),
            submitted_at=datetime(2025, 1, 1, tzinfo=timezone.utc)
            + timedelta(minutes=rng.randint(0, 525_000)))
            for _ in range(rng.randint(40, 90))]
        insert_rows(session, rows)
        _instrument_answers(session, slug, rows)
        # The unit's first answer excluded after review: it counts nowhere.
        first = session.scalars(select(Response).where(Response.unit_id == unit.id)
                                .order_by(Response.id).limit(1)).one()
        first.excluded = True
        rollups.remove_rows(session, [rollups.as_row(first)])
        instrument_store.move(session, first, -1)
    session.commit()


def _instrument_answers(session: Session, slug: str, rows: list[dict]) -> None:
    """Store SPKP (on four points, or six for odd-length slugs) and SPAK answers of some
    respondents, from a generator of their own: the SKM's answers stay as they were."""
    rng = random.Random(f"{slug}/zi")
    spkp_scale = 6 if len(slug) % 2 else 4
    for row in rows:
        answers = {}
        if rng.random() < 0.6:
            answers["spkp"] = (spkp_scale, tuple(rng.randint(1, spkp_scale) for _ in range(8)))
        if rng.random() < 0.5:
            answers["spak"] = (4, tuple(rng.randint(2, 4) for _ in range(5)))
        instrument_store.store(session, row, answers)


def seed_demo(session: Session, slugs: list[str]) -> None:
    """Store the demo units of the named slugs (survey/demo_data.py UNITS), their agencies,
    populations and answers: the same answers on every server that holds a unit."""
    load_demo_units(session, slugs)
    session.commit()


@contextmanager
def server(tmp_path, name: str, slugs: list[str], load=seed, **config):
    """Yield an app on a new database holding the answers of the named units, stored by
    load (the generated units by default, seed_demo for demo units)."""
    folder = tmp_path / name
    folder.mkdir(parents=True)
    with migrated_database(folder) as url:
        engine = make_engine(url)
        with Session(engine) as session:
            load(session, slugs)
        engine.dispose()
        app = create_app({"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": "test-secret",
                          "SUARA_BASE_URL": f"http://{name}.test", "CACHE_DIR": str(folder),
                          "SUARA_EXCHANGE_KEY": str(folder / "exchange_key.pem"),
                          "SUARA_EXCHANGE_SERVER_NAME": f"SUARA {name}", **config})
        yield app
        app.extensions["suara.db"].engine.dispose()


def run(app, *args: str):
    """Run a `suara` command on an app; return click's result."""
    return app.test_cli_runner().invoke(cli, list(args))
