"""Search with snippets on a vault that is already indexed (e.g. the 100k one of
bench_first_open): 200 mixed queries (bench_index.make_queries), each the median of 3.

The same queries, alternated in the same run, go through Whoosh's own collector
(``fastsearch.ENABLED = False``): the baseline. Prints p50, p95 and max, wall and CPU.

    python -m bench.bench_search --vault DIR [--queries 200]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from pathlib import Path

from bench.bench_index import make_queries, pct
from bench.synth import note_paths


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--vault", type=Path, required=True)
    parser.add_argument("--queries", type=int, default=200)
    args = parser.parse_args(argv)

    from wiki.markup.pages import read_page
    from wiki.search.whoosh_internals import fastsearch
    from wiki.search.whoosh_internals.segments import segment_count
    from wiki.vault.facade import Vault

    with Vault.open(args.vault) as vault:
        vault.refresh()
        assert vault.search_progress() is None, "the vault's index is not complete"
        paths = note_paths(args.vault)
        sample = [read_page(args.vault, p) for p in random.Random(1).sample(paths, 500)]
        queries = make_queries(sample, args.queries)
        index = vault.index
        for q in queries:  # warm up both paths
            index.search(q)
        lat: dict[str, list[float]] = {"fast": [], "whoosh": []}
        cpu: dict[str, list[float]] = {"fast": [], "whoosh": []}
        for q in queries:
            for key, enabled in (("fast", True), ("whoosh", False)):
                fastsearch.ENABLED = enabled
                walls, cpus = [], []
                for _ in range(3):
                    t, c = time.perf_counter(), time.process_time()
                    index.search(q)
                    walls.append(time.perf_counter() - t)
                    cpus.append(time.process_time() - c)
                lat[key].append(statistics.median(walls) * 1000)
                cpu[key].append(statistics.median(cpus) * 1000)
        fastsearch.ENABLED = True
        segments = segment_count(index._ix)  # noqa: SLF001
        pages = vault.page_count()
    print(f"search + snippets, {len(queries)} queries (median of 3 each), {pages:,} pages, "
          f"{segments} segments")
    print(f"{'measure':34}{'wall':>10}{'cpu':>10}")
    for key, label in (("fast", "SearchIndex.search"), ("whoosh", "baseline: Whoosh's collector")):
        for name, p in (("p50", 50), ("p95", 95), ("max", 100)):
            print(f"{label + ' ' + name:34}{pct(lat[key], p):>8.1f}ms{pct(cpu[key], p):>8.1f}ms")
    print(f"p95 vs the baseline: {pct(lat['whoosh'], 95) / pct(lat['fast'], 95):.2f}x faster "
          "(goal p95 <= 50 ms)")


if __name__ == "__main__":
    main()
