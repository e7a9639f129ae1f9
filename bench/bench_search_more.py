"""What "load more on scroll" costs in the search pane. Each time its list is scrolled to the
end it asks for the next 50 results (``vault.search(q, 50, offset=n)``: snippets only for
those). The baseline, measured in the same run and interleaved, is the first 50
(``offset=0``); the alternative it replaced, asking again for all of them
(``vault.search(q, n + 50)``), is timed alongside.

    python -m bench.bench_search_more [--n 10000] [--runs 7] [--vault DIR]
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
PAGE = 50
SHOWN = (50, 150, 350)  # results on screen when the next 50 are asked for


def _time(vault: Vault, query: str, limit: int, offset: int = 0) -> float:
    start = time.perf_counter()
    vault.search(query, limit, offset=offset)
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--vault", type=Path)
    args = parser.parse_args(argv)
    times: dict[tuple[str, str], list[float]] = {}
    totals: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as tmp:
        root = args.vault or Path(tmp) / "vault"
        if not (root / ".wiki").exists():
            if args.vault is None:
                make_vault(root, args.n)
            with Vault.open(root, create=True) as vault:
                vault.refresh()
        with Vault.open(root) as vault:
            for q in QUERIES:
                totals[q] = vault.search(q, 400).total  # warms the searcher and caches
            for _ in range(args.runs):
                for q in QUERIES:  # interleaved: load on the machine hits all alike
                    times.setdefault((q, "first"), []).append(_time(vault, q, PAGE))
                    for n in SHOWN:
                        times.setdefault((q, f"next{n}"), []).append(
                            _time(vault, q, PAGE, offset=n))
                        times.setdefault((q, f"all{n}"), []).append(_time(vault, q, n + PAGE))
    print("median ms (ratio to the first 50 of the same query)")
    print(f"{'query':<18} {'matches':>7} {'first 50':>9} "
          + " ".join(f"{f'next after {n}':>15} {f'all {n + PAGE} again':>15}" for n in SHOWN))
    for q in QUERIES:
        base = statistics.median(times[(q, "first")])
        cells = []
        for n in SHOWN:
            for kind in ("next", "all"):
                med = statistics.median(times[(q, f"{kind}{n}")])
                cells.append(f"{med * 1000:7.1f} {med / base:4.1f}x")
        print(f"{q:<18} {totals[q]:>7,} {base * 1000:9.1f} " + " ".join(f"{c:>15}" for c in cells))


if __name__ == "__main__":
    main()
