"""Time the batch of regency reports: the demo's regencies, or a data set in all 514 regencies.

Target (DESIGN §8): all 514 regency reports in at most 10 minutes on 2 cores. Run from the
repository root:

    .venv/bin/python bench/report_batch.py                 # the demo: 5 regencies
    .venv/bin/python bench/report_batch.py --regencies all # one unit in each of 514 regencies

The generated data set follows the demo's recipe (survey/demo.py: a latent satisfaction per
respondent, element offsets of the unit's profile, three semesters), one unit per regency.
The batch runs the code of `suara report batch`: data gathered in this process, PDFs rendered
by a pool of `--jobs` processes.
"""

import argparse
import os
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bench_app, prepare_database, scratch_databases, verdict  # noqa: E402
from sqlalchemy import select  # noqa: E402

from analysis.elements import ELEMENT_CODES  # noqa: E402
from analysis.report.batch import render_reports  # noqa: E402
from survey import db, periods  # noqa: E402
from survey.demo import draw_period  # noqa: E402
from survey.demo_data import PERIODS, PROFILES, UnitSpec  # noqa: E402
from survey.models import Agency, Region, ServiceUnit  # noqa: E402
from survey.responses import default_questionnaire, insert_rows, response_values  # noqa: E402
from survey.reports import documents  # noqa: E402
from survey.scopes import NATIONAL, Scope  # noqa: E402

TARGET_514 = 600.0  # seconds for 514 regency reports


def add_regency_units(session) -> int:
    """Add one unit in every regency without one, with the demo's three semesters of answers."""
    agency = Agency(name="Kementerian Uji Beban", kind="kementerian")
    session.add(agency)
    session.flush()
    agency.path = f"/{agency.id}/"
    taken = set(session.scalars(select(ServiceUnit.region_code)))
    codes = [code for code in session.scalars(
        select(Region.code).where(Region.level == "kabupaten_kota").order_by(Region.code))
        if code not in taken]
    questionnaire = default_questionnaire(session).id
    profiles = sorted(PROFILES)
    added = 0
    for k, code in enumerate(codes):
        spec = UnitSpec(f"bench-{code}", f"Unit Uji {code}", ("Kementerian Uji Beban",), code,
                        profiles[k % len(profiles)], ("Loket",), 2.9 + (k % 9) * 0.09,
                        0.03 * ((k % 5) - 2), 60, 1500)
        unit = ServiceUnit(slug=spec.slug, name=spec.name, agency_id=agency.id,
                           region_code=code)
        session.add(unit)
        session.flush()
        added += _add_answers(session, unit, spec, questionnaire)
    session.commit()
    return added


def _add_answers(session, unit, spec: UnitSpec, questionnaire: int) -> int:
    """Insert one generated unit's respondents of the demo's three semesters."""
    rows = []
    for semester, (label, _, _) in enumerate(PERIODS):
        drawn = draw_period(spec, semester)
        for i, answers in enumerate(drawn["answers"]):
            rows.append(response_values(
                unit, questionnaire_id=questionnaire, submitted_at=drawn["submitted_at"][i],
                channel=drawn["channel"][i], answers=dict(zip(ELEMENT_CODES, answers)),
                client_uuid=uuid.uuid5(uuid.NAMESPACE_URL, f"bench|{spec.slug}|{label}|{i}"),
                **{field: drawn[field][i] for field in
                   ("gender", "age", "education", "occupation", "service_type")}))
    insert_rows(session, rows)  # the rollups count them too, as for the demo
    return len(rows)


def run_batch(session, period, out: Path, jobs: int) -> tuple[int, float, float, float]:
    """Write every regency report of the nation; return count, wall, own and pool CPU s."""
    wall, cpu, before = time.perf_counter(), time.process_time(), os.times()
    targets = documents.batch_targets(session, NATIONAL, period)
    work = ((documents.file_stem(code, name),
             documents.scope_report(session, Scope("region", code), name, period))
            for code, name in targets)
    for stem, pdf in render_reports(work, jobs):
        (out / f"{stem}.pdf").write_bytes(pdf)
    after = os.times()  # the pool has been joined: its processes' CPU time is counted
    pool = (after.children_user + after.children_system
            - before.children_user - before.children_system)
    return len(targets), time.perf_counter() - wall, time.process_time() - cpu, pool


def main() -> None:
    """Prepare the database, run the reports and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--regencies", choices=("demo", "all"), default="demo")
    parser.add_argument("--period", default="2026-S1")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, \
            scratch_databases(None, Path(folder)) as urls:
        started = time.perf_counter()
        prepare_database(urls["main"])
        app = bench_app(urls["main"])
        with app.app_context():
            session = db.session()
            if args.regencies == "all":
                added = add_regency_units(session)
                print(f"Generated {added:,} responses in {time.perf_counter() - started:.0f} s")
            out = Path(folder) / "reports"
            out.mkdir()
            count, wall, own, pool = run_batch(session, periods.parse(args.period), out,
                                               args.jobs)
        app.extensions["suara.db"].engine.dispose()
    load = os.getloadavg()[0]
    print(f"Batch {args.period}: {count} regency reports, {args.jobs} render processes: "
          f"{wall:.1f} s wall ({wall / count:.2f} s each; load average {load:.1f})")
    print(f"  CPU: {own:.1f} s gathering data (this process), {pool:.1f} s rendering (pool), "
          f"{(own + pool) / count:.2f} s per report")
    if count < 50:  # each render process first imports matplotlib and fpdf2 (seconds)
        print("  too few reports to project 514 from: run with --regencies all")
        return
    # On two otherwise idle cores the pipeline is bound by the busier of: the gathering
    # process alone, or all the work spread over both cores.
    idle = max(own, (own + pool) / 2) / count * 514
    print(f"  514 reports on 2 idle cores: about {idle:.0f} s from CPU time "
          f"(wall here: {wall / count * 514:.0f} s); target <= {TARGET_514:.0f} s: "
          f"{verdict(idle <= TARGET_514)}")


if __name__ == "__main__":
    main()
