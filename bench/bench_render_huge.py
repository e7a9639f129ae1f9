"""Rendering huge pages (issue 14, item 9): time against size, with and without the guards of
``wiki/markup/render_guard.py``.

    python -m bench.bench_render_huge [--runs 3] [--max-kb 1536]

For each kind of page (one paragraph of prose with wiki links; one paragraph with stray ``[``;
one with stray ``<b``; a table; a list) it prints the median render time at growing sizes, the
time per 100 KB (flat when rendering is linear), and, at the small sizes where the unguarded
renderer (plain Python-Markdown) still finishes, its time in the same run and the ratio.
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from wiki.markup import render, render_guard

PROSE = ("Ada met [[Charles Babbage]] in **London** and wrote [notes](Notes.md) on the engine, "
         "see #history and `code`. ")


def paragraph(words: list[str], size: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    out, n = [], 0
    while n < size:
        w = rnd.choice(words)
        out.append(w)
        n += len(w) + 1
    return "# Page\n\n" + " ".join(out) + "\n"


KINDS: dict[str, Callable[[int], str]] = {
    "prose paragraph": lambda n: "# Page\n\n" + PROSE * (n // len(PROSE)) + "\n",
    "stray [ paragraph": lambda n: paragraph(["alpha", "[beta", "gamma", "delta"], n),
    "stray <b paragraph": lambda n: paragraph(["alpha", "<beta", "gamma", "<a", "delta"], n),
    "table": lambda n: "| a | b |\n|---|---|\n" + "| [[Link]] and **b** | `c` [d |\n" * (
        n // 36),
    "list": lambda n: "- [[Link]] and **b** and `c` [d\n" * (n // 32),
}


@contextmanager
def unguarded() -> Iterator[None]:
    """Plain Python-Markdown: no linear bracket search, no hidden '<', no paragraph pieces."""
    saved = (render_guard.fast_brackets, render_guard.CHUNK, render.hide_open_tags)
    render_guard.fast_brackets = lambda md: None
    render_guard.CHUNK = 10**12
    render.hide_open_tags = lambda text: text  # type: ignore[assignment]
    render._local = render._Renderers()
    try:
        yield
    finally:
        render_guard.fast_brackets, render_guard.CHUNK, render.hide_open_tags = saved
        render._local = render._Renderers()


def timed(text: str, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        render.render_page(text, resolve=lambda target: None)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--max-kb", type=int, default=1536)
    ap.add_argument("--baseline-kb", type=int, default=50, help="largest size for plain "
                    "Python-Markdown (it is quadratic: 100 KB of stray '[' takes over a minute)")
    args = ap.parse_args()
    sizes = [kb for kb in (25, 50, 100, 200, 400, 800, 1536) if kb <= args.max_kb]
    print(f"{'page':20} {'size':>7} {'guarded':>9} {'per 100KB':>10} {'plain':>9} {'ratio':>7}")
    for name, make in KINDS.items():
        for kb in sizes:
            text = make(kb * 1024)
            guarded = timed(text, args.runs)
            plain = ""
            ratio = ""
            if kb <= args.baseline_kb:
                with unguarded():
                    base = timed(text, args.runs)
                plain, ratio = f"{base:8.2f}s", f"{base / guarded:6.1f}x"
            print(f"{name:20} {kb:>5}KB {guarded:8.2f}s {guarded / kb * 100:9.2f}s {plain:>9} "
                  f"{ratio:>7}", flush=True)


if __name__ == "__main__":
    main()
