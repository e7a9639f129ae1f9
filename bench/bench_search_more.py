"""What "load more on scroll" costs: the search pane asks ``vault.search`` again with a larger
limit (50, then 100, 150, …) each time its list is scrolled to the end.

    python -m bench.bench_search_more [--n 10000] [--runs 7] [--vault DIR]

For a few broad queries on a synthetic vault, the median time of ``vault.search(q, limit)`` for
each limit; the baseline is the first page (limit 50) measured in the same run, interleaved.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from bench.synth import make_vault
from wiki.vault.facade import Vault

QUERIES = ["river", "garden city", "learning", "memory OR protein"]
LIMITS = (50, 100, 200, 400)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--vault", type=Path)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        root = args.vault or Path(tmp) / "vault"
        if not (root / ".wiki").exists():
            if args.vault is None:
                make_vault(root, args.n)
            with Vault.open(root, create=True) as vault:
                vault.refresh()
        with Vault.open(root) as vault:
            for q in QUERIES:
                vault.search(q, max(LIMITS))  # warm the searcher and caches
            times: dict[tuple[str, int], list[float]] = {}
            totals: dict[str, int] = {}
            for _ in range(args.runs):
                for q in QUERIES:
                    for limit in LIMITS:  # interleaved: load on the machine hits all alike
                        start = time.perf_counter()
                        results = vault.search(q, limit)
                        times.setdefault((q, limit), []).append(time.perf_counter() - start)
                        totals[q] = results.total
    print(f"{'query':<20} {'matches':>8} " + " ".join(f"{f'limit {n}':>11}" for n in LIMITS)
          + "   (median ms; ratio to limit 50)")
    for q in QUERIES:
        base = statistics.median(times[(q, LIMITS[0])])
        cells = []
        for limit in LIMITS:
            med = statistics.median(times[(q, limit)])
            cells.append(f"{med * 1000:6.1f} {med / base:3.1f}x")
        print(f"{q:<20} {totals[q]:>8,} " + " ".join(f"{c:>11}" for c in cells))


if __name__ == "__main__":
    main()
