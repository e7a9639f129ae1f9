"""Compiler benchmark: the seeds, and one more article into a vault of 1,000 sources.

    python -m bench.bench_compile [--sources 1000] [--runs 5]

Prints medians. The 1,000 raw articles are synthetic but varied (people, organisations, products
and recurring concepts drawn from fixed lists with a seeded RNG), so entity resolution has real
work to do. Goal: ingesting one more article into the 1,000-source vault in under 0.5 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from wiki.compile import build_from, compile_vault
from wiki.core.paths import SEEDS_DIR

FIRST = """Ada Alan Beatriz Carlos Dana Elena Farid Grace Hugo Ines Jonas Kenji Lena Marco Nadia
Omar Priya Quinn Rosa Sven Tara Umar Vera Wen Yusuf Zara""".split()
LAST = """Okafor Lindqvist Moreau Tanaka Haddad Novak Ferreira Kowalski Nakamura Osei Petrov Quispe
Rahman Schultz Takahashi Varga Wojcik Yilmaz Zhou Abara Brandt Castell Duarte Eriksen""".split()
ORG_HEADS = """Lumen Northwave Portline Voltaic Kestrel Halcyon Meridian Obsidian Tessellate Arbor
Cinder Helix Quarry Solace Tidewater""".split()
ORG_TAILS = ["Labs", "Robotics", "Energy", "Systems", "Institute", "Capital"]
PRODUCTS = ["Orion-7", "Pulsar 3", "Nimbus X2", "Quill-9B", "Atlas 4.1", "Ember-2"]
CONCEPTS = """knowledge distillation|sparse attention|tidal turbines|soil carbon|memory palaces|
supply chains|protein folding|urban heat islands|spaced repetition|carbon capture|
federated learning|coral bleaching|reinforcement learning|battery chemistry""".replace(
    "\n", "").split("|")
FILLER = """the team said progress was steady and the results held up under review while critics
asked for more data and the numbers kept improving across every quarter of the year""".split()


def article(rng: random.Random, n: int) -> str:
    people = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(3)]
    orgs = [f"{rng.choice(ORG_HEADS)} {rng.choice(ORG_TAILS)}" for _ in range(2)]
    product = rng.choice(PRODUCTS)
    concepts = rng.sample(CONCEPTS, 3)
    title = f"Report {n}: {people[0]} on {concepts[0].title()}"
    paras = [f"{people[0]}, head of research at {orgs[0]}, explained how {concepts[0]} changes "
             f"the work. {people[0].split()[1]} says {orgs[0]} will ship {product} next year."]
    for _ in range(rng.randint(3, 6)):
        words = " ".join(rng.choice(FILLER) for _ in range(rng.randint(20, 40)))
        who, org, idea = rng.choice(people), rng.choice(orgs), rng.choice(concepts)
        paras.append(f"{who.split()[1]} argues that {idea} matters. {words.capitalize()}. "
                     f"{org} uses {idea} with {product}, and {who} agrees.")
    return f"{title}\n\n" + "\n\n".join(paras) + "\n"


def median_time(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sources", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=5)
    args = ap.parse_args()
    today = dt.date(2026, 11, 21)
    with tempfile.TemporaryDirectory() as tmp:
        base = Path(tmp)
        counter = iter(range(10_000))

        def seeds_once() -> None:
            root = base / f"seeds{next(counter)}"
            build_from(root, SEEDS_DIR, today=today)

        t_seeds = median_time(seeds_once, args.runs)
        root = base / "seeds0"
        t_noop = median_time(lambda: compile_vault(root, today=today), args.runs)
        print(f"seeds: build {t_seeds * 1000:.0f} ms (median of {args.runs}), "
              f"recompile with nothing changed {t_noop * 1000:.1f} ms")

        big = base / "big"
        raw = big / "raw"
        raw.mkdir(parents=True)
        rng = random.Random(7)
        for n in range(args.sources):
            (raw / f"report-{n:05d}.txt").write_text(article(rng, n), encoding="utf-8")
        t0 = time.perf_counter()
        report = compile_vault(big, today=today)
        t_build = time.perf_counter() - t0
        n_pages = len(report.created)
        print(f"{args.sources} sources: first compile {t_build:.2f} s, {n_pages} pages")

        extra = iter(range(args.sources, args.sources + 100))

        def ingest_one() -> None:
            n = next(extra)
            path = raw / f"report-{n:05d}.txt"
            path.write_text(article(rng, n), encoding="utf-8")
            r = compile_vault(big, only=[path], today=today)
            assert r.errors == [] and r.source_pages and len(r.written) > 3, r

        t_one = median_time(ingest_one, args.runs)
        t_noop_big = median_time(lambda: compile_vault(big, today=today), args.runs)
        print(f"ingest one more article into {args.sources} sources: {t_one * 1000:.0f} ms "
              f"(median of {args.runs}; goal < 500 ms), ratio to the seeds build "
              f"{t_one / t_seeds:.2f}x")
        print(f"recompile {args.sources} sources with nothing changed: {t_noop_big * 1000:.0f} ms")
        shutil.rmtree(big, ignore_errors=True)
        long_inputs(base, rng, args.runs, today)


def long_inputs(base: Path, rng: random.Random, runs: int, today: dt.date) -> None:
    """Linear time: a 1 MB article, and one long capitalised token (which took 18 s at 20 KB and
    225 s at 40 KB when a regular expression backtracked), each against ordinary prose of the
    same size compiled in the same run."""
    counter = iter(range(10_000))

    def compile_text(text: str) -> float:
        root = base / f"long{next(counter)}"
        (root / "raw").mkdir(parents=True)
        (root / "raw" / "a.txt").write_text(text, encoding="utf-8")
        t0 = time.perf_counter()
        compile_vault(root, today=today)
        elapsed = time.perf_counter() - t0
        shutil.rmtree(root, ignore_errors=True)
        return elapsed

    def prose(size: int) -> str:
        paras: list[str] = []
        while sum(map(len, paras)) < size:
            paras.append(article(rng, len(paras)).split("\n\n", 1)[1])
        return "A long article\n\n" + "\n\n".join(paras)[:size]

    for size in (20_000, 40_000):
        token = "Title\n\nThe " + "A" * size + " appears. " + prose(2_000)[15:]
        t_token = statistics.median(compile_text(token) for _ in range(runs))
        t_prose = statistics.median(compile_text(prose(size + 2_000)) for _ in range(runs))
        print(f"one capitalised token of {size // 1000} KB: {t_token * 1000:.0f} ms "
              f"(median of {runs}); prose of the same size {t_prose * 1000:.0f} ms")
    big = prose(1_000_000)
    t_big = statistics.median(compile_text(big) for _ in range(max(1, runs // 2)))
    half = prose(500_000)
    t_half = statistics.median(compile_text(half) for _ in range(max(1, runs // 2)))
    print(f"a 1 MB article: {t_big:.2f} s; 500 KB: {t_half:.2f} s "
          f"(ratio {t_big / t_half:.2f}, linear is 2)")


if __name__ == "__main__":
    main()
