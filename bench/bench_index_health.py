"""What the search index's checksums cost (issue 14, item 7): opening the index, one search.

    python -m bench.bench_index_health [--notes 10000] [--runs 7]

Builds a synthetic vault (bench.synth), then prints medians of opening its index (which sums
every file) and of one search (which stats the files first), each against the same step with
the checks switched off, in the same run.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.synth import make_vault
from wiki.search import health
from wiki.search.index import SearchIndex
from wiki.vault.facade import Vault


def median_of(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--notes", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    root = Path(tempfile.mkdtemp()) / "vault"
    make_vault(root, args.notes)
    with Vault.open(root) as vault:
        vault.refresh()
    index_dir = root / ".wiki/index"
    size = sum(p.stat().st_size for p in health.index_files(index_dir, "MAIN"))

    def open_close() -> None:
        ix = SearchIndex(index_dir)
        assert ix.open() == []
        ix.close()

    checked = median_of(open_close, args.runs)
    real_verify = health.verify
    health.verify = lambda *a, **k: None  # type: ignore[assignment]
    unchecked = median_of(open_close, args.runs)
    health.verify = real_verify
    print(f"index of {args.notes:,} notes, {size / 1e6:.1f} MB in "
          f"{len(health.index_files(index_dir, 'MAIN'))} files")
    print(f"open: {checked * 1000:.1f} ms with checksums, {unchecked * 1000:.1f} ms without "
          f"(+{(checked - unchecked) * 1000:.1f} ms)")
    ix = SearchIndex(index_dir)
    ix.open()
    queries = ["alpha", "common words", "zeta*", "title:note"]

    def searches() -> None:
        for q in queries:
            ix.search(q)

    with_check = median_of(searches, args.runs)
    ix._files_changed = lambda: None  # type: ignore[method-assign]
    without = median_of(searches, args.runs)
    ix.close()
    print(f"{len(queries)} searches: {with_check * 1000:.2f} ms with the stat check, "
          f"{without * 1000:.2f} ms without (ratio {with_check / without:.3f})")


if __name__ == "__main__":
    main()
