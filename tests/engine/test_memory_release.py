"""After a big job the engine hands the heap memory it freed back to the system."""

from __future__ import annotations

import sys

import pytest

from wiki.core.memory import release_free_memory


def resident_mb() -> float:
    with open("/proc/self/status", encoding="ascii") as fh:
        return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")
def test_freed_heap_memory_goes_back_to_the_system():
    if not release_free_memory():
        pytest.skip("no malloc_trim in this C library")
    # 1 KB blocks come from the C heap (above Python's small-object limit, below mmap's)
    blocks = [bytes(1000) + i.to_bytes(4, "little") for i in range(150_000)]
    keep = blocks[-1]  # a block at the top of the heap: the heap cannot simply shrink
    del blocks
    held = resident_mb()
    assert release_free_memory()
    assert held - resident_mb() > 50, "the ~150 MB freed stayed resident"
    assert keep
