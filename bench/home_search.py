"""Time the home page's directory with 20 000 units: a plain page, a search and a province.

    .venv/bin/python bench/home_search.py [--database-url URL] [--units 20000] [--requests 50]

Fills a scratch database (migrations, regions, demo data) with --units more active units
spread over every regency and 200 agencies, each with rollups in two semesters so that every
listed unit has an index, then times GET / with Flask's test client, in-process, after a
warm-up, and prints p50 / p95 and the page's size. The search matches every word in the unit's,
its agency's or its region's name (survey/public/directory.py).
"""

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timezone
from pathlib import Path

from _common import bench_app, percentile, prepare_database, scratch_databases, server_url

QUERIES = ("/", "/?q=puskesmas+surabaya", "/?q=kesehatan+jawa+timur+12", "/?provinsi=73",
           "/?q=tidak+ada+yang+cocok", "/?page=200")


def fill(url: str, count: int) -> None:
    """Add `count` units over every regency and 200 agencies, with two semesters of rollups."""
    from sqlalchemy import insert, select
    from sqlalchemy.orm import Session

    from survey.db import make_engine
    from survey.models import Agency, Region, Rollup, ServiceUnit

    engine = make_engine(url)
    with Session(engine) as session:
        regencies = session.scalars(select(Region.code).where(Region.level == "kabupaten_kota")
                                    .order_by(Region.code)).all()
        agencies = [Agency(name=f"Dinas Kesehatan Bench {n:03d}", path="/") for n in range(200)]
        session.add_all(agencies)
        session.flush()
        now = datetime.now(timezone.utc)
        units = [{"slug": f"bench-{n:05d}", "name": f"Puskesmas Bench {n:05d}",
                  "agency_id": agencies[n % 200].id, "region_code": regencies[n % len(regencies)],
                  "status": "active", "created_at": now} for n in range(count)]
        session.execute(insert(ServiceUnit), units)
        ids = session.scalars(select(ServiceUnit.id).where(ServiceUnit.slug.like("bench-%"))).all()
        rows = [{"unit_id": unit_id, "months": 6, "starts_on": start, "n": 40, "t": 40 * 27,
                 "t2": 40 * 27 * 27 + 40, "updated_at": now,
                 **{f"s{e}": 40 * 3 for e in range(1, 10)},
                 **{f"c{e}_{v}": 40 if v == 3 else 0 for e in range(1, 10) for v in range(1, 5)}}
                for unit_id in ids for start in (date(2025, 1, 1), date(2025, 7, 1))]
        session.execute(insert(Rollup.__table__), rows)
        session.commit()
    engine.dispose()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url")
    parser.add_argument("--units", type=int, default=20_000)
    parser.add_argument("--requests", type=int, default=50)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, \
            scratch_databases(server_url(args.database_url), Path(tmp)) as urls:
        url = urls["main"]
        prepare_database(url)
        fill(url, args.units)
        client = bench_app(url).test_client()
        print(f"{args.units} units more than the demo's, {args.requests} requests each")
        for path in QUERIES:
            for _ in range(5):
                client.get(path)
            times = []
            for _ in range(args.requests):
                start = time.perf_counter()
                response = client.get(path)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, path
            units = response.text.count('<a href="/hasil/')
            print(f"{path:32} p50 {statistics.median(times):6.1f} ms  "
                  f"p95 {percentile(times, 95):6.1f} ms  {len(response.data) / 1024:5.1f} KB  "
                  f"{units} units listed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
