"""Simulate the coverage of the index's 95 % intervals at small n on the 1..4 scale.

Run from the repository root:

    .venv/bin/python bench/interval_coverage.py            # 20 000 samples a cell
    .venv/bin/python bench/interval_coverage.py --items 9  # respondent means of 9 answers

For each true distribution of answers and each n, draws samples of n respondents, computes
the interval of the mean with `analysis.bounded.bounded_interval` (t_pseudo_extremes) and
with the plain t-interval (`analysis.stats`), and prints the share of intervals that contain
the true mean, and their mean width on the konversi scale (25..100). With --items 1 every
respondent mean is one answer, the most discrete (hardest) case.
"""

import argparse
import sys
from functools import lru_cache
from fractions import Fraction
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from analysis.bounded import bounded_interval  # noqa: E402
from analysis.stats import MeanSummary, _t_interval  # noqa: E402

DISTRIBUTIONS = {  # probabilities of answers 1, 2, 3, 4
    "all 4": (0, 0, 0, 1),
    "95% 4, 5% 3": (0, 0, 0.05, 0.95),
    "typical 5/10/50/35": (0.05, 0.10, 0.50, 0.35),
    "uniform": (0.25, 0.25, 0.25, 0.25),
    "half 1, half 4": (0.5, 0, 0, 0.5),
    "90% 1, 10% 2": (0.9, 0.1, 0, 0),
}
SIZES = (2, 5, 10, 30)


def _intervals(items: int):
    """Return cached interval functions of integer sufficient statistics (answer totals)."""
    @lru_cache(maxsize=None)
    def both(n: int, total: int, total_sq: int):
        summary = MeanSummary(n, Fraction(total, items), Fraction(total_sq, items * items))
        return bounded_interval(summary, scale=25), _t_interval(summary, 0.95, 25)
    return both


def coverage(probabilities, n: int, items: int, samples: int, rng) -> tuple:
    """Return (coverage, mean width) of the bounded and of the plain t-interval."""
    truth = 25 * float(np.dot(probabilities, (1, 2, 3, 4)))
    totals = rng.choice((1, 2, 3, 4), size=(samples, n, items), p=probabilities).sum(axis=2)
    both = _intervals(items)
    found = {"bounded": [0, 0.0], "t": [0, 0.0]}
    for row in totals:
        for name, ci in zip(found, both(n, int(row.sum()), int((row * row).sum()))):
            found[name][0] += ci.low - 1e-9 <= truth <= ci.high + 1e-9
            found[name][1] += ci.high - ci.low
    return tuple((hits / samples, width / samples) for hits, width in found.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=20_000)
    parser.add_argument("--items", type=int, default=1)
    parser.add_argument("--seed", type=int, default=20260101)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    print(f"coverage of nominal 95 % (mean width, konversi points); {args.samples} samples, "
          f"respondent mean of {args.items} answer(s)")
    print(f"{'distribution':22s}" + "".join(f"  n={n:<3d} bounded     t-interval " for n in SIZES))
    for name, probabilities in DISTRIBUTIONS.items():
        cells = []
        for n in SIZES:
            (cb, wb), (ct, wt) = coverage(probabilities, n, args.items, args.samples, rng)
            cells.append(f"  {cb:.3f} ({wb:4.1f})  {ct:.3f} ({wt:4.1f}) ")
        print(f"{name:22s}" + "".join(cells))


if __name__ == "__main__":
    main()
