"""Time one unit report (PDF) on the demo data: gathering the data, then rendering it.

Target (DESIGN §8): a unit PDF report in at most 2 s. Run from the repository root:

    .venv/bin/python bench/report_unit.py [--unit SLUG] [--period LABEL] [--runs N]

Prints wall and CPU time per phase: the CPU time shows what the report itself costs when
other processes share the machine.
"""

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import bench_app, prepare_database, scratch_databases, verdict  # noqa: E402

from analysis.report.unit_pdf import unit_report_pdf  # noqa: E402
from survey import db, periods, queries  # noqa: E402
from survey.reports import documents  # noqa: E402

TARGET = 2.0  # seconds


def timed(work):
    """Run work(); return its result, wall seconds and CPU seconds."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return result, time.perf_counter() - wall, time.process_time() - cpu


def one_report(session, unit, period) -> tuple[float, float, float, float, int]:
    """Build one report; return data wall/CPU, render wall/CPU and the PDF size."""
    report, data_wall, data_cpu = timed(lambda: documents.unit_report(session, unit, period))
    pdf, pdf_wall, pdf_cpu = timed(lambda: unit_report_pdf(report))
    return data_wall, data_cpu, pdf_wall, pdf_cpu, len(pdf)


def main() -> None:
    """Prepare the database, run the reports and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--unit", default="puskesmas-ketabang")
    parser.add_argument("--period", default="2026-S1")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder, \
            scratch_databases(None, Path(folder)) as urls:
        prepare_database(urls["main"])
        app = bench_app(urls["main"])
        with app.app_context():
            session = db.session()
            unit = queries.unit_by_slug(session, args.unit)
            period = periods.parse(args.period)
            first = one_report(session, unit, period)
            runs = [one_report(session, unit, period) for _ in range(args.runs)]
        app.extensions["suara.db"].engine.dispose()
    print(f"Unit report {args.unit} {args.period}: {first[4] / 1024:.0f} KiB PDF")
    print(f"  first in process : data {first[0]:.3f} s, render {first[2]:.3f} s "
          f"(CPU {first[1] + first[3]:.3f} s; includes matplotlib's first-use setup)")
    for label, column in (("data  ", 0), ("render", 2)):
        walls, cpus = [r[column] for r in runs], [r[column + 1] for r in runs]
        print(f"  {label} median of {args.runs}: wall {statistics.median(walls):.3f} s, "
              f"CPU {statistics.median(cpus):.3f} s")
    total = statistics.median(r[0] + r[2] for r in runs)
    cpu = statistics.median(r[1] + r[3] for r in runs)
    print(f"  total median     : wall {total:.3f} s, CPU {cpu:.3f} s, target <= {TARGET:.0f} s: "
          f"{verdict(total <= TARGET)}")


if __name__ == "__main__":
    main()
