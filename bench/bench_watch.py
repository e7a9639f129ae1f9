"""Watcher figures on a synthetic vault (10,000 notes by default), with the real watcher running.

1. One article copied into raw/: time from the end of the copy until its source page is
   searchable and an entity page it mentions lists it (median of several runs), next to the same
   compile + index done directly on the worker (no watcher) in the same run.
2. 1,000 notes copied in at once: time until all are searchable, index commits used (update_paths
   calls), and how responsive the app stayed meanwhile: search latency from another thread and
   the wait for a tiny task queued on the worker.

    python -m bench.bench_watch [--n 10000] [--runs 5] [--bulk 1000]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import tempfile
import threading
import time
from pathlib import Path

from bench.synth import make_vault
from wiki.compile import compile_vault
from wiki.core.rules import is_special_page
from wiki.core.worker import Worker
from wiki.vault.facade import Vault
from wiki.watch.watcher import VaultWatcher

ARTICLE = """The Quiet Engines, part {k}

Ada Lovelace, a mathematician at Babbage Works, described engine number {k} in 1843. Ada Lovelace
wrote that the engine could compose music. Charles Babbage, the inventor, built a prototype.

Key Takeaways

The engine was never finished, but Ada Lovelace saw what it meant. Marker token zq{k}x.
"""
ENTITY = "people/Ada Lovelace.md"


def wait_until(cond, timeout: float = 120.0, step: float = 0.005) -> bool:
    end = time.perf_counter() + timeout
    while time.perf_counter() < end:
        if cond():
            return True
        time.sleep(step)
    return False


def article_ready(vault: Vault, k: int) -> bool:
    """The entity page lists the new source."""
    return f"sources/The Quiet Engines, part {k}.md" in {r.path for r in vault.outgoing(ENTITY)}


def searchable(vault: Vault, k: int) -> bool:
    return [h.path for h in vault.search(f"zq{k}x").hits] == [
        f"sources/The Quiet Engines, part {k}.md"]


def bench_article(vault: Vault, watcher: VaultWatcher, worker: Worker, tmp: Path,
                  runs: int) -> None:
    raw = vault.root / "raw"
    raw.mkdir(exist_ok=True)
    latencies, direct = [], []
    for k in range(runs + 1):  # run 0 creates the entity pages; not timed
        worker.wait_idle()  # one article dropped into a vault at rest
        time.sleep(0.5)
        src = tmp / f"article{k}.txt"
        src.write_text(ARTICLE.format(k=k), encoding="utf-8")
        seen = threading.Event()
        indexed_at = [0.0]
        page = f"sources/The Quiet Engines, part {k}.md"

        def on_write(summary, page=page, seen=seen, indexed_at=indexed_at) -> None:
            if page in summary.pages_changed and not seen.is_set():
                indexed_at[0] = time.perf_counter()  # on the worker, right after the commit
                seen.set()

        unsubscribe = vault.subscribe(on_write)  # no polling: it would slow the worker down
        shutil.copy(src, raw / src.name)
        copied = time.perf_counter()
        if not seen.wait(120):
            print(f"  article {k}: not indexed after 120 s")
            return
        unsubscribe()
        assert article_ready(vault, k) and searchable(vault, k)
        if k:
            latencies.append(indexed_at[0] - copied)
    watcher.stop()
    for k in range(runs + 1, 2 * runs + 1):  # baseline: the same work without the watcher
        worker.wait_idle()
        (raw / f"article{k}.txt").write_text(ARTICLE.format(k=k), encoding="utf-8")
        started = time.perf_counter()
        report = worker.submit(compile_vault, vault.root, only=[raw / f"article{k}.txt"]).result()
        own = [p for p in report.written if not is_special_page(p)]
        worker.submit(vault.update_paths, own).result()
        direct.append(time.perf_counter() - started)
        assert article_ready(vault, k) and searchable(vault, k)
        worker.submit(vault.update_paths, report.written).result()
    watcher.start().result()
    med, base = statistics.median(latencies), statistics.median(direct)
    print(f"article copied into raw/ -> searchable + entity page updated: median {med:.3f} s, "
          f"max {max(latencies):.3f} s over {runs} runs (goal < 1 s)")
    print(f"  baseline, the same compile + index of its pages called directly: median "
          f"{base:.3f} s; watcher overhead {med - base:+.3f} s (quiet window {watcher.quiet} s "
          f"after the close-after-write event), ratio {med / base:.1f}x")


class Probe:
    """What the UI feels while work runs: a search and a tiny worker task every 0.2 s."""

    def __init__(self, vault: Vault, worker: Worker) -> None:
        self.vault, self.worker = vault, worker
        self.search_ms: list[float] = []
        self.worker_ms: list[float] = []
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Probe:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._done.wait(0.2):
            t = time.perf_counter()
            self.vault.search("learning network")
            self.search_ms.append((time.perf_counter() - t) * 1000)
            t = time.perf_counter()
            self.worker.submit(lambda: None).result()
            self.worker_ms.append((time.perf_counter() - t) * 1000)

    def report(self) -> str:
        if not self.search_ms:
            return "no probes"
        return (f"search median {statistics.median(self.search_ms):.0f} ms, max "
                f"{max(self.search_ms):.0f} ms; wait for a worker task median "
                f"{statistics.median(self.worker_ms):.0f} ms, max {max(self.worker_ms):.0f} ms "
                f"({len(self.search_ms)} probes)")


def marked_notes(dest: Path, n: int, seed: int) -> None:
    make_vault(dest, n, seed=seed)
    for path in dest.rglob("*.md"):
        with open(path, "a", encoding="utf-8") as out:
            out.write(f"\nbulkmarker{seed}\n")


def bench_bulk(vault: Vault, watcher: VaultWatcher, worker: Worker, tmp: Path, n: int) -> None:
    marked_notes(tmp / "bulk", n, seed=7)
    marked_notes(tmp / "bulk2", n, seed=8)
    before = watcher.stats.index_batches
    with Probe(vault, worker) as probe:
        started = time.perf_counter()
        shutil.copytree(tmp / "bulk", vault.root / "imported")
        copied = time.perf_counter()
        ok = wait_until(lambda: vault.search("bulkmarker7", limit=1).total == n, step=0.05)
        finished = time.perf_counter()
    commits = watcher.stats.index_batches - before
    if not ok:
        print(f"  bulk: only {vault.search('bulkmarker7', limit=1).total}/{n} searchable")
    print(f"{n} notes copied in at once (copy {copied - started:.2f} s): all searchable "
          f"{finished - copied:.2f} s after the copy finished, {commits} index commits")
    print(f"  meanwhile: {probe.report()}")
    # baseline in the same run: as many notes indexed by one direct update_paths call
    watcher.stop()
    shutil.copytree(tmp / "bulk2", vault.root / "direct")
    rels = [p.relative_to(vault.root).as_posix() for p in (vault.root / "direct").rglob("*.md")]
    with Probe(vault, worker) as base_probe:
        t = time.perf_counter()
        worker.submit(vault.update_paths, rels).result()
        base = time.perf_counter() - t
    print(f"  baseline, one direct update_paths of {n} notes: {base:.2f} s (watcher / baseline "
          f"{(finished - copied) / base:.1f}x); meanwhile: {base_probe.report()}")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--bulk", type=int, default=1000)
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-watch-") as tmpdir:
        tmp = Path(tmpdir)
        root = tmp / "vault"
        t = time.perf_counter()
        make_vault(root, args.n)
        print(f"synthetic vault: {args.n} notes written in {time.perf_counter() - t:.1f} s")
        vault = Vault.open(root)
        worker = Worker()
        messages: list[str] = []
        watcher = VaultWatcher(vault, worker, on_message=messages.append)
        t = time.perf_counter()
        watcher.start().result()
        print(f"watcher started, first index build {time.perf_counter() - t:.1f} s"
              f"{' (polling)' if watcher.polling else ''}")
        try:
            bench_article(vault, watcher, worker, tmp, args.runs)
            bench_bulk(vault, watcher, worker, tmp, args.bulk)
        finally:
            watcher.stop()
            worker.close()
            vault.close()
        errors = [m for m in messages if m.startswith(("error", "cannot"))]
        if errors:
            print("messages:", *errors[:5], sep="\n  ")


if __name__ == "__main__":
    main()
