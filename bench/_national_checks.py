"""What bench/national.py checks and prints besides its timings: (A) against (B) unit by
unit, query plans, and where the ranking spends its time."""

import cProfile
import io
import pstats
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

from sqlalchemy import select

from analysis import bounded
from survey import figures, indices, queries, samples
from survey.models import ServiceUnit
from survey.scopes import NATIONAL


def as_sums(row) -> queries.Sums:
    """Return a (B) row's statistics (after unit_id) as the application's Sums."""
    values = [int(value) for value in row[1:]]
    counts = values[10:46]
    return queries.Sums(values[0], tuple(values[1:10]),
                        tuple(tuple(counts[i:i + 4]) for i in range(0, 36, 4)),
                        values[46], values[47])


def by_hand(n: int, element_sums: list[int]) -> tuple[Decimal, str]:
    """Return konversi and grade (exact weight 1/9) from the integers, without analysis/."""
    total = sum(element_sums)
    hundredths = (5000 * total + 9 * n) // (18 * n)  # 2500·total/(9n) rounded half up
    grade = ("D" if hundredths < 6500 else "C" if hundredths <= 7660
             else "B" if hundredths <= 8830 else "A")
    return Decimal(hundredths).scaleb(-2), grade


def compare(session, period, ranking: list, regulation_rows, all_rows) -> str | None:
    """Compare (A) with (B) unit by unit; None if identical.

    regulation_rows: (unit_id, n, s1..s9, t, t2); all_rows: (unit_id, the 48 statistics).
    """
    slugs = dict(session.execute(select(ServiceUnit.id, ServiceUnit.slug)).all())
    raw = {slugs[row[0]]: as_sums(row) for row in all_rows}
    got = {row.key: row.sums for row in
           queries.aggregate(session, NATIONAL, [period], "unit", by_unit=True)}
    by_key = {row.key: row for row in ranking}
    if not got.keys() == by_key.keys() == raw.keys():
        return (f"units: {len(got)} in the aggregate, {len(by_key)} in the ranking, "
                f"{len(raw)} in (B)")
    expected = {}
    for row in regulation_rows:
        slug, (n, *element_sums, t, t2) = slugs[row[0]], (int(value) for value in row[1:])
        mine = by_key[slug]
        if got[slug] != raw[slug]:
            return f"{slug} statistics: queries.aggregate {got[slug]}, raw rows {raw[slug]}"
        expected[slug] = by_hand(n, element_sums)
        ci = bounded.ikm_bounded_interval(n, Fraction(t, 9), Fraction(t2, 81))
        got_index = (mine.respondents, (mine.konversi, mine.grade.letter if mine.grade else None),
                     mine.ci)
        # Below the minimum sample a unit is provisional: no grade (survey/samples.py).
        want = (expected[slug][0], None) if samples.is_provisional(n) else expected[slug]
        if got_index != (n, want, ci):
            return (f"{slug}: (A) {mine}, from (B) n={n}, konversi and grade {expected[slug]}, "
                    f"interval {ci}")
        full = figures.pooled(slug, mine.name, got[slug])
        if (full.ikm, full.konversi, full.grade, full.ci) != (mine.ikm, mine.konversi,
                                                             mine.grade, mine.ci):
            return f"{slug}: (A) {mine}, the unit's own figures {full}"
    order = sorted(expected, key=lambda slug: (-expected[slug][0], by_key[slug].name))
    if [row.key for row in ranking] != order:
        return "the order of the ranking"
    return None


def explain(session, statement, postgres: bool) -> str:
    sql, parameters = statement
    prefix = "EXPLAIN (ANALYZE, BUFFERS) " if postgres else "EXPLAIN QUERY PLAN "
    rows = session.connection().exec_driver_sql(prefix + sql, parameters).all()
    return "\n".join("    " + (row[0] if postgres else row[-1]) for row in rows)


def profile_ranking(session, period) -> None:
    """Print where indices.scope_ranking spends its time on the national ranking."""
    profiler = cProfile.Profile()
    profiler.runcall(indices.scope_ranking, session, NATIONAL, period)
    profile = pstats.Stats(profiler, stream=io.StringIO())
    total = profile.total_tt
    print(f"cProfile of indices.scope_ranking, national ({total:.2f} s under the profiler); "
          "cumulative share of the biggest:")
    entries = sorted(profile.stats.items(), key=lambda item: -item[1][3])
    for (path, line, name), (_, calls, _, cumulative, _) in entries[1:12]:
        where = f"{Path(path).parent.name}/{Path(path).name}:{line}" if line else path
        print(f"    {cumulative / total:5.0%} {calls:>9,} calls  {name}  ({where})")
