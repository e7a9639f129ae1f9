"""Benchmark of the search index on a synthetic vault: bulk build against a plain Whoosh loop,
incremental update of one page, and search-with-snippets latency.

    python -m bench.bench_index [--n 10000] [--runs 3] [--vault DIR]

Baselines are built in a fresh process (so nothing SearchIndex changes in Whoosh applies to
them), over the same pages held in memory, with the default ``ix.writer()``, ``add_document``
per page and one commit:
  A. "plain Whoosh": the same fields, stock StemmingAnalyzer, spelling=True on the body (how
     Whoosh's docs get "did you mean"; SearchIndex keeps its own word list instead);
  B. our exact schema and analyzer, default writer, unpatched Whoosh.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.synth import TOPICAL, VOCAB, make_vault, note_paths
from wiki.core.model import Page


def load_pages(root: Path) -> tuple[list[Page], str]:
    """Every note as a Page: wiki.markup.pages.read_page when it exists, else a plain reader."""
    rels = note_paths(root)
    try:
        from wiki.markup.pages import read_page
    except ImportError:
        from wiki.markup.frontmatter import split_frontmatter

        def read_page(root: Path, rel: str) -> Page:  # type: ignore[misc]
            meta, body, _, _ = split_frontmatter((root / rel).read_text(encoding="utf-8"))
            name = rel.rpartition("/")[2].removesuffix(".md")
            return Page(rel, str(meta.get("title") or name), body,
                        aliases=[str(a) for a in meta.get("aliases") or []],
                        tags=[str(t) for t in meta.get("tags") or []], type=meta.get("type"))
        return [read_page(root, rel) for rel in rels], "plain read + split_frontmatter"
    return [read_page(root, rel) for rel in rels], "wiki.markup.pages.read_page"


def _baseline_schema(kind: str):
    from whoosh.analysis import StemmingAnalyzer
    from whoosh.fields import TEXT

    from wiki.search.schema import make_schema

    if kind == "B":
        return make_schema()
    schema = make_schema()  # same fields; the text ones get the stock analyzer, as in the docs
    stem = StemmingAnalyzer()
    for name in ("head", "title", "aliases"):
        schema.remove(name)
        schema.add(name, TEXT(stored=name != "head", analyzer=stem))
    schema.remove("body")
    schema.add("body", TEXT(stored=True, analyzer=stem, chars=True, spelling=True))
    return schema


def baseline_worker(vault: Path, kind: str) -> None:
    """Runs in a fresh process: time a plain single-writer loop, print seconds as JSON."""
    from whoosh import index as wi

    from wiki.search.schema import page_document

    assert "wiki.search.index" not in sys.modules  # the Whoosh workaround must not apply here
    pages, _ = load_pages(vault)
    schema = _baseline_schema(kind)
    with tempfile.TemporaryDirectory() as d:
        t = time.perf_counter()
        c = time.process_time()
        ix = wi.create_in(d, schema)
        w = ix.writer()
        for p in pages:
            w.add_document(**page_document(p))
        w.commit()
        print(json.dumps({"seconds": time.perf_counter() - t, "cpu": time.process_time() - c}))


def run_baseline(vault: Path, kind: str) -> tuple[float, float]:
    out = subprocess.run([sys.executable, "-m", "bench.bench_index", "--baseline-worker", kind,
                          "--vault", str(vault)], capture_output=True, text=True, check=True)
    got = json.loads(out.stdout.strip().splitlines()[-1])
    return got["seconds"], got["cpu"]


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randrange(1, len(word) - 2)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]  # swap two letters


def make_queries(pages: list[Page], count: int = 200, seed: int = 7) -> list[str]:
    """Varied queries: words, pairs, phrases, prefixes, filters, operators, typos."""
    rng = random.Random(seed)
    mid = VOCAB[100:600]
    rare = VOCAB[600:3000]
    topical = [w for w in TOPICAL if len(w) > 4]

    def phrase() -> str:  # two adjacent words from real text
        words = [w for w in rng.choice(pages).body.split() if w.isalpha() and len(w) > 3]
        i = rng.randrange(len(words) - 1)
        return f'"{words[i]} {words[i + 1]}"'

    makers = [
        (0.15, lambda: rng.choice(TOPICAL)),
        (0.10, lambda: rng.choice(rare)),
        (0.15, lambda: f"{rng.choice(TOPICAL)} {rng.choice(mid)}"),
        (0.10, phrase),
        (0.10, lambda: rng.choice(TOPICAL)[:4] + "*"),
        (0.15, lambda: rng.choice([f"title:{rng.choice(TOPICAL)}",
                                   f"tag:ml {rng.choice(TOPICAL)}",
                                   f"type:person {rng.choice(TOPICAL)}",
                                   f"path:concepts/ {rng.choice(TOPICAL)}"])),
        (0.10, lambda: rng.choice(["{} OR {}", "{} NOT {}", "({} OR {}) {}"]).format(
            *rng.sample(TOPICAL, 3))),
        (0.15, lambda: f"{_typo(rng, rng.choice(topical))} {_typo(rng, rng.choice(topical))}"),
    ]
    qs: list[str] = []
    for share, make in makers:
        qs += [make() for _ in range(round(share * count))]
    return qs[:count]


def _cpu() -> float:
    """CPU seconds of this process and its finished children (the build's writer processes)."""
    me = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def parallel_build(vault: Path, index_dir: Path) -> tuple[float, float]:
    """The pages read from their files and indexed by worker processes, one per core, each
    part adopted by one commit (wiki/search/parallel.py, as a first open does)."""
    import functools
    import threading

    from wiki.markup.pages import read_page
    from wiki.search.index import SearchIndex
    from wiki.search.parallel import PartBuilder, parts_dir_of
    from wiki.vault.backlog import part_chunks

    paths = note_paths(vault)
    t, c = time.perf_counter(), _cpu()
    ix = SearchIndex(index_dir)
    ix.open()
    builder = PartBuilder(parts_dir_of(index_dir), functools.partial(read_page, vault,
                                                                     links=False))
    for part in builder.run(part_chunks(paths), threading.Event()):
        ix.adopt(part)
    took = (time.perf_counter() - t, _cpu() - c)
    assert ix.doc_count() == len(paths)
    ix.close()
    shutil.rmtree(index_dir, ignore_errors=True)
    return took


def pct(values: list[float], p: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, round(p / 100 * (len(s) - 1)))]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description="SearchIndex benchmark")
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--vault", type=Path, help="reuse (or create) the synthetic vault here")
    ap.add_argument("--baseline-worker", choices=["A", "B"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.baseline_worker:
        baseline_worker(args.vault, args.baseline_worker)
        return

    tmp = Path(tempfile.mkdtemp(prefix="bench-index-"))
    try:
        run(args, tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)  # our temporary vault and indexes only


def run(args: argparse.Namespace, tmp: Path) -> None:
    from wiki.search.index import BULK_WRITER, SearchIndex
    from wiki.search.parallel import worker_count

    vault = args.vault or tmp / "vault"
    if not vault.is_dir() or not any(vault.rglob("*.md")):
        t = time.perf_counter()
        make_vault(vault, args.n)
        print(f"synthetic vault: {args.n} notes in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    pages, how = load_pages(vault)
    read_s = time.perf_counter() - t
    mb = sum(len(p.body) for p in pages) / 1e6
    print(f"{len(pages)} pages, {mb:.1f} MB of body text, read in {read_s:.2f} s ({how})\n")

    runs: dict[str, list[tuple[float, float]]] = {"A": [], "B": [], "ours": [], "par": []}
    ix: SearchIndex | None = None
    for run in range(args.runs):
        runs["A"].append(run_baseline(vault, "A"))
        runs["B"].append(run_baseline(vault, "B"))
        if ix is not None:
            ix.close()
        ix = SearchIndex(tmp / f"index{run}")
        ix.open()
        t, c = time.perf_counter(), _cpu()
        ix.build(pages, total=len(pages))
        runs["ours"].append((time.perf_counter() - t, _cpu() - c))
        runs["par"].append(parallel_build(vault, tmp / f"par{run}"))
        print(f"  run {run + 1} (wall/cpu s): " + "  ".join(
            f"{k} {v[-1][0]:.1f}/{v[-1][1]:.1f}" for k, v in runs.items()), flush=True)
    assert ix is not None and ix.doc_count() == len(pages)

    rng = random.Random(3)
    upd: list[float] = []
    for i in range(21):
        p = rng.choice(pages)
        p.body += f"\n\nEdited line {i} about {rng.choice(TOPICAL)}.\n"
        t = time.perf_counter()
        ix.update([p], [])
        upd.append(time.perf_counter() - t)
    t = time.perf_counter()
    ix.merge_if_idle()
    merge_s = time.perf_counter() - t

    queries = make_queries(pages)
    for q in queries:  # warm up
        ix.search(q)
    lat: list[float] = []
    lat_cpu: list[float] = []
    hits = zero = sugg = 0
    for q in queries:
        times, cpus = [], []
        for _ in range(3):
            t, c = time.perf_counter(), time.process_time()
            r = ix.search(q)
            times.append(time.perf_counter() - t)
            cpus.append(time.process_time() - c)
        lat.append(statistics.median(times) * 1000)
        lat_cpu.append(statistics.median(cpus) * 1000)
        hits += len(r.hits)
        zero += not r.hits
        sugg += r.suggestion is not None
    ix.close()

    med = statistics.median
    wall = {k: med(w for w, _ in v) for k, v in runs.items()}
    cpu = {k: med(c for _, c in v) for k, v in runs.items()}
    how = "BulkWriter (wiki/search/whoosh_internals/bulk.py)" if BULK_WRITER else "Whoosh's writer"
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\nSearchIndex.build: one process, {how}; peak RSS of this process {peak:.0f} MB;"
          f" parallel: {worker_count()} worker processes reading the files (cpu: all processes)")
    print(f"{'measure (median)':<46}{'wall':>10}{'cpu':>10}")
    print("-" * 66)
    for key, label in (("A", "A plain Whoosh loop (stock analyzer+spelling)"),
                       ("B", "B plain loop, our schema, unpatched Whoosh"),
                       ("ours", "SearchIndex.build"),
                       ("par", "parallel build from the files")):
        print(f"{label:<46}{wall[key]:>8.2f} s{cpu[key]:>8.2f} s")
    for key in ("A", "B"):
        print(f"{'  speed-up vs ' + key + (' (goal >= 3x)' if key == 'A' else ''):<46}"
              f"{wall[key] / wall['ours']:>8.2f} x{cpu[key] / cpu['ours']:>8.2f} x")
    print(f"{'  parallel vs A (goal >= 2x)':<46}{wall['A'] / wall['par']:>8.2f} x")
    print(f"{'  parallel vs SearchIndex.build':<46}{wall['ours'] / wall['par']:>8.2f} x")
    print(f"{'update one page (21 runs)':<46}{med(upd) * 1000:>7.1f} ms")
    print(f"{'merge_if_idle after those updates':<46}{merge_s * 1000:>7.1f} ms")
    for label, p in (("p50 (200 queries)", 50), ("p95 (goal < 30 ms)", 95), ("max", 100)):
        print(f"{'search + snippets ' + label:<46}{pct(lat, p):>7.2f} ms{pct(lat_cpu, p):>7.2f} ms")
    print(f"({hits / len(queries):.1f} hits per query on average, {zero} queries without hits, "
          f"{sugg} with a suggestion)")


if __name__ == "__main__":
    main()
