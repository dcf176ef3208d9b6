"""Render many aggregate reports at once, on several processes when asked.

The caller gathers the data (one process holds the database session); rendering, which is
nearly all of the time (matplotlib and fpdf2 are pure CPU and matplotlib is one lock per
process), runs in a pool fed with the plain, picklable `ScopeReport` objects.
"""

import multiprocessing
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait

from analysis.report.data import ScopeReport
from analysis.report.scope_pdf import scope_report_pdf


def _render(key: str, report: ScopeReport) -> tuple[str, bytes]:
    """Render one report in a worker and return it with its key."""
    return key, scope_report_pdf(report)


def render_reports(jobs: Iterable[tuple[str, ScopeReport]],
                   workers: int = 1) -> Iterator[tuple[str, bytes]]:
    """Yield (key, PDF bytes) for each (key, report), in completion order.

    With more than one worker the reports render in a process pool while the caller keeps
    gathering the next ones; at most two per worker wait, so memory stays flat.
    """
    if workers < 1:
        raise ValueError(f"workers must be >= 1, got {workers!r}")
    if workers == 1:
        for key, report in jobs:
            yield _render(key, report)
        return
    # spawn, not fork: a forked child would inherit the parent's locks (matplotlib's,
    # the database driver's) in whatever state another thread left them.
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        pending = set()
        for key, report in jobs:
            pending.add(pool.submit(_render, key, report))
            if len(pending) >= 2 * workers:
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                yield from (future.result() for future in done)
        while pending:
            done, pending = wait(pending, return_when=FIRST_COMPLETED)
            yield from (future.result() for future in done)
