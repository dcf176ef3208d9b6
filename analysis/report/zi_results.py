"""Build one survey's report figures (IPKP or IPAK) from answer counts: numbers in, data out."""

from collections.abc import Sequence
from typing import Optional

from analysis import instruments as zi
from analysis.ikm import whole
from analysis.report.data import Sample, ZiInstrumentResult, ZiItemRow


def _counts(instrument: zi.Instrument, item_counts: Sequence[Sequence[int]]):
    """Return the counts per item as int tuples and the common number of respondents."""
    rows = tuple(tuple(whole(c, "answer count") for c in row) for row in item_counts)
    if len(rows) != len(instrument.items):
        raise ValueError(f"{instrument.code} has {len(instrument.items)} items, "
                         f"got counts for {len(rows)}")
    for item, row in zip(instrument.items, rows):
        if len(row) != instrument.scale_max or any(c < 0 for c in row):
            raise ValueError(f"item {item.code} needs {instrument.scale_max} counts >= 0, "
                             f"got {row!r}")
    sizes = {sum(row) for row in rows}
    if len(sizes) != 1:
        raise ValueError(f"every item must have the same number of answers, got {sorted(sizes)}")
    return rows, sizes.pop()


def instrument_result(instrument: zi.Instrument, item_counts: Sequence[Sequence[int]], *,
                      locale: str = "id", zone_kind: Optional[str] = None,
                      total_sum: Optional[int] = None, total_sq_sum: Optional[int] = None,
                      population: Optional[int] = None,
                      confidence: float = 0.95) -> ZiInstrumentResult:
    """Compute a survey's figures from the counts per answer of each item.

    ``total_sum`` / ``total_sq_sum`` (sums of respondents' item totals and their squares)
    give the interval; without them it is None.  ``population`` gives sample adequacy.
    """
    rows, n = _counts(instrument, item_counts)
    sums = [sum(v * c for v, c in enumerate(row, start=1)) for row in rows]
    means = zi.item_means(sums, n, instrument.scale_max)
    value = zi.index(sums, n, instrument.scale_max)
    on_four = zi.on_four_point(value, instrument.scale_max)
    band = zi.band_of(instrument, value)
    target = zi.target(zone_kind, instrument.short_id) if zone_kind else None
    interval = None
    if total_sum is not None and total_sq_sum is not None:
        interval = zi.index_interval(n, total_sum, total_sq_sum, len(rows),
                                     instrument.scale_max, confidence)
    sample = None
    if population is not None:
        found = zi.adequacy(n, population)
        sample = Sample(population, found.required, found.achieved, found.adequate,
                        found.margin_of_error)
    return ZiInstrumentResult(
        code=instrument.code, short=instrument.short(locale), name=instrument.name(locale),
        n=n, item_rows=tuple(ZiItemRow(item.code, item.text(locale), row, mean)
                             for item, row, mean in zip(instrument.items, rows, means)),
        index=value, konversi=zi.konversi(value, instrument.scale_max), band=band.letter,
        interval=interval, on_four=on_four, lke_points=zi.lke_points(on_four), target=target,
        meets=None if target is None else on_four >= target, scale_max=instrument.scale_max,
        labels=instrument.labels(locale), band_label=band.label(locale), sample=sample)
