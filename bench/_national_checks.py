"""What bench/national.py checks and prints besides its timings: (A) against (B) unit by
unit, query plans, and where the figures code spends its time."""

import cProfile
import io
import pstats
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from sqlalchemy import select

from survey import figures, queries
from survey.models import ServiceUnit
from survey.scopes import NATIONAL


def as_sums(row) -> queries.Sums:
    """Return a (B) row's statistics (after unit_id) as the application's Sums."""
    values = [int(value) for value in row[1:]]
    counts = values[10:46]
    return queries.Sums(values[0], tuple(values[1:10]),
                        tuple(tuple(counts[i:i + 4]) for i in range(0, 36, 4)),
                        values[46], values[47])


def by_hand(sums: queries.Sums) -> tuple[Decimal, str, list[float]]:
    """Return konversi, grade and NRRs (exact weight 1/9) from the integers, without analysis/."""
    n, total = sums.n, sum(sums.element_sums)
    hundredths = (5000 * total + 9 * n) // (18 * n)  # 2500·total/(9n) rounded half up
    grade = ("D" if hundredths < 6500 else "C" if hundredths <= 7660
             else "B" if hundredths <= 8830 else "A")
    return Decimal(hundredths).scaleb(-2), grade, [float(Fraction(s, n))
                                                   for s in sums.element_sums]


def compare(session, period, ranking: list, plain_rows) -> str | None:
    """Compare (A) with (B) unit by unit: statistics, figures, order; None if identical."""
    slugs = dict(session.execute(select(ServiceUnit.id, ServiceUnit.slug)).all())
    expected = {slugs[row[0]]: as_sums(row) for row in plain_rows}
    got = {row.key: row.sums for row in
           queries.aggregate(session, NATIONAL, [period], "unit", by_unit=True)}
    by_key = {f.key: f for f in ranking}
    if not got.keys() == by_key.keys() == expected.keys():
        return (f"units: {len(got)} in the aggregate, {len(by_key)} in the ranking, "
                f"{len(expected)} in (B)")
    for slug, sums in sorted(expected.items()):
        if got[slug] != sums:
            return f"{slug} statistics: (A) {got[slug]} (B) {sums}"
        mine = by_key[slug]
        if mine != figures.pooled(slug, mine.name, sums):
            return f"{slug}: (A) {mine} (B) {figures.pooled(slug, mine.name, sums)}"
        if (mine.konversi, mine.grade.letter, [e.nrr for e in mine.elements]) != by_hand(sums):
            return f"{slug}: (A) {mine.konversi} {mine.grade.letter}, by hand {by_hand(sums)}"
    order = sorted(expected, key=lambda slug: (-by_hand(expected[slug])[0], by_key[slug].name))
    if [f.key for f in ranking] != order:
        return "the order of the ranking"
    return None


def explain(session, statement, postgres: bool) -> str:
    sql, parameters = statement
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
    rows = session.connection().exec_driver_sql(prefix + sql, parameters).all()
    return "\n".join("    " + (row[0] if postgres else row[-1]) for row in rows)


def profile_figures(session, period, groups: int = 1000) -> None:
    """Print where figures.group_figures spends its time, on the first `groups` units."""
    rows = queries.aggregate(session, NATIONAL, [period], "unit", by_unit=True)[:groups]
    profiler = cProfile.Profile()
    profiler.runcall(figures.group_figures, rows, "pooled")
    stats = pstats.Stats(profiler, stream=io.StringIO())
    total = stats.total_tt
    print(f"cProfile of figures.group_figures on {len(rows)} units ({total:.2f} s under the "
          f"profiler); cumulative share of the biggest:")
    entries = sorted(stats.stats.items(), key=lambda item: -item[1][3])
    for (path, line, name), (_, calls, _, cumulative, _) in entries[1:12]:
        where = f"{Path(path).parent.name}/{Path(path).name}:{line}" if line else path
        print(f"    {cumulative / total:5.0%} {calls:>9,} calls  {name}  ({where})")
