"""index.md while the user writes: what bringing it up to date costs the watcher's worker.

    python -m bench.bench_index_page [--sources 300] [--user-pages 5000] [--runs 7]

A vault of synthetic compiled sources (``bench_compile.article``) and many pages of the user's
own, in folders. Prints medians of ``update_index`` with nothing to change (what every saved
page costs), after one user page was added (index.md rewritten), and, as the baseline measured
in the same run, ``compile_vault`` with nothing new (the compile that already walks the vault).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import tempfile
import time
from pathlib import Path

from bench.bench_compile import article
from wiki.compile import compile_vault, update_index


def timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sources", type=int, default=300)
    ap.add_argument("--user-pages", type=int, default=5000)
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    rng = random.Random(7)
    today = dt.date(2026, 12, 1)
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "vault"
        (root / "raw").mkdir(parents=True)
        for n in range(args.sources):
            (root / "raw" / f"r{n:05d}.txt").write_text(article(rng, n), encoding="utf-8")
        for n in range(args.user_pages):
            folder = root / f"notes/{n % 50:02d}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"Note {n}.md").write_text(f"# Note {n}\n\nA line of my own, {n}.\n",
                                                 encoding="utf-8")
        report = compile_vault(root, today=today)
        assert not report.errors, report.errors[:3]
        pages = sum(1 for _ in root.rglob("*.md"))
        update_index(root)  # warm: summaries of the user's pages cached, as in a watcher
        same = timed(lambda: update_index(root), args.runs)
        counter = iter(range(10**6))

        def add_one() -> None:
            (root / f"notes/New {next(counter)}.md").write_text("Just written.\n",
                                                                encoding="utf-8")
            assert update_index(root).written == ["index.md"]

        added = timed(add_one, args.runs)
        noop = timed(lambda: compile_vault(root, today=today), args.runs)
        print(f"{pages} pages ({args.sources} sources, {args.user_pages} user pages), medians of "
              f"{args.runs}:")
        print(f"  update_index, nothing to change: {same * 1000:.0f} ms")
        print(f"  update_index after a page was added (index.md rewritten): {added * 1000:.0f} ms")
        print(f"  baseline, compile_vault with nothing new: {noop * 1000:.0f} ms "
              f"(ratio {same / noop:.2f}x / {added / noop:.2f}x)")


if __name__ == "__main__":
    main()
