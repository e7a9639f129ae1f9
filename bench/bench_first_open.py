"""First open of a vault with no ``.wiki/``: how soon it is navigable, how soon search answers.

Builds (once) a synthetic vault of N notes, then, in the same run and interleaved, each in a
fresh process with ``.wiki/`` deleted first:
- baseline "plain Whoosh loop": the same pages, held in memory, indexed by one stock Whoosh
  writer with one commit (bench_index's baseline A: what a simple app would do, reading aside);
- "one phase": ``Vault.open`` + ``refresh()`` as `wiki index` does (graph and full index before
  it returns: what the app showed as a blank window before the two-phase open);
- "two phase": ``Vault.open`` + ``refresh(search_later=True)`` (pages, links, backlinks and the
  quick switcher answer), then ``fill_search_index()``, timing the first committed batch
  (search answers, partially) and the end (search sees every page); the index is built by
  worker processes, one per core (wiki/search/parallel.py);
- "two phase, one process": the same with the worker processes turned off (the code before
  them, in the same run).
Prints medians with peak RSS of each process (and of its largest worker process, sampled from
/proc every 0.25 s: ``ru_maxrss`` of children would count a child before its ``exec``).

    python -m bench.bench_first_open [--n 10000] [--runs 3] [--vault DIR]
    python -m bench.bench_first_open --navigable-only --before TREE ...   # phase 1, A/B
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.bench_index import run_baseline
from bench.bytecode import compile_sources
from bench.synth import make_vault

PROBE = r"""
import json, os, resource, sys, threading, time
root = sys.argv[1]; what = sys.argv[2]
workers = {}  # child pid -> its largest VmRSS (kB), sampled: ru_maxrss of children counts a
sampling = True  # spawned child between fork and exec, when it shares all of our pages
def sample():
    me = str(os.getpid())
    while sampling:
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    if fh.read().rsplit(")", 1)[1].split()[1] != me:
                        continue
                with open(f"/proc/{pid}/status") as fh:
                    rss = next(int(l.split()[1]) for l in fh if l.startswith("VmRSS"))
            except (OSError, StopIteration, IndexError, ValueError):
                continue
            workers[pid] = max(workers.get(pid, 0), rss)
        time.sleep(0.25)
if os.path.isdir("/proc"):
    threading.Thread(target=sample, daemon=True).start()
t0 = time.perf_counter()
from wiki.vault.facade import Vault
if what == "two1":
    from wiki.vault import backlog, first_read
    backlog.PARALLEL_MIN = first_read.PARALLEL_MIN = 10**12  # no worker processes
t1 = time.perf_counter()
v = Vault.open(root)
out = {"import": t1 - t0}
first = []
def progress(done, total, message):
    if not first and v.search_progress() is not None and v.search_progress()[0] > 0:
        first.append(time.perf_counter() - t1)
if what == "one":
    v.refresh()
    out["navigable"] = out["searchable"] = out["complete"] = time.perf_counter() - t1
else:
    v.refresh(search_later=True)
    out["navigable"] = time.perf_counter() - t1
    assert v.page_count() and v.search_progress() is not None
    if what == "nav":  # phase 1 only: its peak is the main process's peak so far
        out["searchable"] = out["complete"] = out["navigable"]
    else:
        v.fill_search_index(progress)
        out["complete"] = time.perf_counter() - t1
        out["searchable"] = first[0] if first else out["complete"]
if what != "nav":
    assert getattr(v, "search_progress", lambda: None)() is None
    assert v.index.doc_count() == v.page_count()
out["pages"] = v.page_count()
out["rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
sampling = False
out["worker_rss_mb"] = max(workers.values(), default=0) / 1024
v.close()
print(json.dumps(out))
"""


def run(root: Path, what: str, code: Path | None = None) -> dict:
    """One first open in a fresh process; ``code``: the tree whose ``wiki`` to import."""
    shutil.rmtree(root / ".wiki", ignore_errors=True)
    out = subprocess.run([sys.executable, "-c", PROBE, str(root), what], check=True,
                         capture_output=True, text=True, cwd=code).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--vault", type=Path, help="reuse (or create) this synthetic vault")
    parser.add_argument("--no-baseline", action="store_true",
                        help="skip the plain Whoosh loop (it holds every page in memory)")
    parser.add_argument("--no-one-phase", action="store_true",
                        help="skip the one-phase refresh() (slow at 100k)")
    parser.add_argument("--before", type=Path, metavar="TREE",
                        help="also time one-phase refresh() with the wiki package of TREE "
                             "(e.g. `git archive main | tar -x -C TREE`): the code before")
    parser.add_argument("--workers-only", action="store_true",
                        help="time only the two-phase open with worker processes (at 100k)")
    parser.add_argument("--navigable-only", action="store_true",
                        help="time only phase 1 (pages, links, backlinks) and its peak RSS; "
                             "with --before, the same for TREE, interleaved")
    args = parser.parse_args(argv)
    compile_sources(Path(__file__).resolve().parent.parent)  # as installed (bench/bytecode.py)
    if args.before:
        compile_sources(args.before)
    root = args.vault or Path(tempfile.mkdtemp(prefix="bench-first-open-")) / "vault"
    if not root.exists():
        print(f"writing {args.n} notes to {root} …", flush=True)
        make_vault(root, args.n)

    arms = ["two1", "two"] if args.no_one_phase else ["one", "two1", "two"]
    if args.workers_only:
        arms = ["two"]
    if args.navigable_only:
        arms, args.no_baseline = ["nav"], True
    results: dict[str, list[dict]] = {"loop": [], "before": [], "one": [], "two1": [],
                                      "two": [], "nav": []}
    for i in range(args.runs):  # interleaved, so load on the machine hits all alike
        if not args.no_baseline:
            wall, _cpu = run_baseline(root, "A")
            results["loop"].append({"complete": wall})
        if args.before:
            results["before"].append(run(root, "nav" if args.navigable_only else "one",
                                         args.before))
        for what in arms:
            results[what].append(run(root, what))
        print(f"  run {i + 1}: " + "  ".join(
            f"{k} {v[-1]['complete']:.1f}s" for k, v in results.items() if v), flush=True)

    def med(what: str, key: str) -> float:
        return statistics.median(r[key] for r in results[what])

    if args.navigable_only:
        print_navigable(results, args.runs, args.before)
        return
    pages = results["two"][0]["pages"]
    print(f"\nfirst open, {pages:,} pages, no .wiki/, median of {args.runs} fresh processes "
          "(imports excluded)")
    base_key = "two1" if results["two1"] else "two"
    base = med(base_key, "complete")
    print(f"{'measure':52} {'median':>9} {'vs 1 process':>13}")
    if results["loop"]:
        loop = med("loop", "complete")
        print(f"{'baseline: plain Whoosh loop, pages in memory':52} {loop:8.2f}s "
              f"{loop / base:12.2f}x")
    if results["before"]:
        before = med("before", "complete")
        print(f"{'before: ' + str(args.before) + ' refresh()':52} {before:8.2f}s "
              f"{before / base:12.2f}x   peak RSS {med('before', 'rss_mb'):.0f} MB")
    if results["one"]:
        one = med("one", "complete")
        print(f"{'one phase: refresh() (navigable = searchable)':52} {one:8.2f}s "
              f"{one / base:12.2f}x   peak RSS {med('one', 'rss_mb'):.0f} MB")
    for what, name in (("two1", "two phase, one process"), ("two", "two phase, workers")):
        if not results[what]:
            continue
        for key, label in (("navigable", "pages, links, backlinks answer"),
                           ("searchable", "search answers (first batch)"),
                           ("complete", "search sees every page")):
            value = med(what, key)
            print(f"{name + ': ' + label:52} {value:8.2f}s {value / base:12.2f}x")
        print(f"{name + ': peak RSS (largest worker)':52} {med(what, 'rss_mb'):7.0f}MB "
              f"{med(what, 'rss_mb') / med(base_key, 'rss_mb'):12.2f}x"
              f"   ({med(what, 'worker_rss_mb'):.0f} MB)")
    two = med("two", "complete")
    if results["two1"]:
        print(f"search complete, workers vs one process: {base / two:.2f}x faster")
    if results["loop"]:
        print(f"first open to a complete index vs the plain loop: {loop / two:.2f}x "
              "(goal >= 2x; the loop excludes reading the files and the link graph)")


def print_navigable(results: dict[str, list[dict]], runs: int, before: Path | None) -> None:
    """Phase 1 alone: when pages, links and backlinks answer, and the main process's peak."""
    print(f"\nphase 1 of a first open, {results['nav'][0]['pages']:,} pages, no .wiki/, "
          f"median of {runs} fresh processes (imports excluded)")
    for what, name in (("before", f"before: {before}"), ("nav", "this tree")):
        if results[what]:
            nav = statistics.median(r["navigable"] for r in results[what])
            rss = statistics.median(r["rss_mb"] for r in results[what])
            print(f"{name:52} navigable {nav:7.2f}s   main process peak RSS {rss:6.0f} MB")
    if results["before"]:
        ratio = (statistics.median(r["navigable"] for r in results["before"])
                 / statistics.median(r["navigable"] for r in results["nav"]))
        print(f"navigable, this tree vs before: {ratio:.2f}x faster")


if __name__ == "__main__":
    main()
