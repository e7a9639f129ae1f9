"""Giving the system back the memory a big job freed.

glibc keeps memory that Python, SQLite and numpy free in its heap, to reuse it: after a first
open of 13,415 pages the app held 298 MB resident, 70 MB of it freed and kept
(``bench_ui --first-open``). ``malloc_trim(0)`` returns the free pages at the top and in the
middle of the heap; it takes a few milliseconds, so it runs once after each big job (a first
open's phases), never per page. Elsewhere (macOS, Windows, musl) there is no such call and it
does nothing.
"""

from __future__ import annotations

import ctypes
import sys
from collections.abc import Callable
from functools import cache


@cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    try:
        trim = ctypes.CDLL(None).malloc_trim  # glibc's, in this process already
    except (OSError, AttributeError):  # musl, or no C library to ask
        return None
    trim.argtypes = [ctypes.c_size_t]
    trim.restype = ctypes.c_int
    return trim


def release_free_memory() -> bool:
    """Hand freed heap memory back to the system; True when there was a way to."""
    trim = _malloc_trim()
    if trim is None:
        return False
    trim(0)
    return True
