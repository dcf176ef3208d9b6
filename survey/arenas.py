"""One malloc arena for a threaded web worker, where glibc would give each thread its own.

glibc's malloc hands a thread that allocates while another holds the main arena an arena of
its own (up to eight per core). Memory freed in one arena is not reused by the others, so a
gthread worker's four threads kept some 5 MB more resident after 1 000 mixed requests
(bench/lean.py: 103-105 MB a worker, 97-98 MB with one arena). Python objects are allocated
under the GIL anyway, so the extra arenas bought little concurrency. An operator's own
MALLOC_ARENA_MAX, which glibc reads at start, is left as it is.
"""

import ctypes
import os
import sys

M_ARENA_MAX = -8  # glibc's <malloc.h>


def use_one_arena() -> bool:
    """Limit glibc's malloc to one arena; return whether it took effect (False on another C
    library or when MALLOC_ARENA_MAX is set)."""
    if "MALLOC_ARENA_MAX" in os.environ or not sys.platform.startswith("linux"):
        return False
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    return mallopt(M_ARENA_MAX, 1) == 1
