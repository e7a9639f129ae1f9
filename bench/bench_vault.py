"""Reopening an up-to-date vault: the engine's start-up cost.

Builds (once) a synthetic vault of N notes, then times, in the same run and interleaved:
- baseline: walking the vault and stat-ing every file (the least any up-to-date check costs);
- Vault.open() alone (loading the persisted graph and opening the index);
- Vault.open() + refresh() (what `wiki index` and the app do on start), with the process's
  resident memory (VmRSS) after it and its peak (ru_maxrss);
- the same once more under tracemalloc: the Python objects the reopened vault holds, and the
  biggest lines that made them.
Each in a fresh subprocess, so nothing is warm in the interpreter. Prints medians and ratios.
Issue 13's goal at 100,000 notes: reopen <= 1.5 s, <= 400 MB resident.

    python -m bench.bench_vault [--n 10000] [--runs 5] [--vault DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bytecode import compile_sources
from bench.synth import make_vault

PROBE = r"""
import json, os, resource, sys, time
root = sys.argv[1]; what = sys.argv[2]

def rss_mb():
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0

t0 = time.perf_counter()
if what == "walk":
    n = 0
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for f in filenames:
            if f.endswith(".md"):
                os.stat(os.path.join(dirpath, f)); n += 1
    print(json.dumps({"total": time.perf_counter() - t0}))
else:
    from wiki.vault.facade import Vault
    if what == "traced":
        import tracemalloc
        tracemalloc.start()
    base = rss_mb()
    t1 = time.perf_counter()
    v = Vault.open(root)
    t2 = time.perf_counter()
    s = v.refresh() if what != "open" else None
    t3 = time.perf_counter()
    assert what == "prepare" or s is None or s.is_empty(), "vault was not up to date"
    out = {"import": t1 - t0, "open": t2 - t1, "refresh": t3 - t2, "total": t3 - t0,
           "pages": v.page_count(), "rss": rss_mb(), "rss_import": base,
           "maxrss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}
    if what == "traced":
        now, peak = tracemalloc.get_traced_memory()
        top = tracemalloc.take_snapshot().statistics("lineno")[:6]
        out.update(traced=now / 2**20, traced_peak=peak / 2**20,
                   top=[f"{st.size / 2**20:6.1f} MB  {st.traceback[0]}" for st in top])
    print(json.dumps(out))
    v.close()
"""


ROOT = Path(__file__).resolve().parents[1]  # this checkout: its `wiki` is the one measured


def run(root: Path, what: str, code: Path = ROOT) -> dict:
    """One fresh process of ``code``'s engine (another checkout for ``--before``)."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    out = subprocess.run([sys.executable, "-c", PROBE, str(root), what], check=True,
                         capture_output=True, text=True, cwd=code, env=env).stdout
    return json.loads(out)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--vault", type=Path, help="reuse (or create) this synthetic vault")
    parser.add_argument("--before", nargs=2, type=Path, metavar=("CODE", "VAULT"),
                        help="also measure another checkout's engine (e.g. `git archive` of "
                             "an older commit) on its own copy of the vault, interleaved")
    args = parser.parse_args(argv)
    compile_sources(Path(__file__).resolve().parent.parent)  # as installed (bench/bytecode.py)
    root = args.vault or Path(tempfile.mkdtemp(prefix="bench-vault-")) / "vault"
    if not root.exists():
        print(f"writing {args.n} notes to {root} …", flush=True)
        make_vault(root, args.n)
    kinds: dict[str, tuple[Path, Path, str]] = {
        "walk": (ROOT, root, "walk"), "open": (ROOT, root, "open"),
        "refresh": (ROOT, root, "refresh")}
    if args.before:
        kinds["before"] = (args.before[0].resolve(), args.before[1], "refresh")
    for name, (code, vault, _what) in kinds.items():
        if name in ("refresh", "before"):  # built once (or brought up to date) by its engine
            t = time.perf_counter()
            pages = run(vault, "prepare", code)["pages"]
            print(f"{name}: initial build/refresh {time.perf_counter() - t:.1f} s, {pages} pages")

    results: dict[str, list[dict]] = {name: [] for name in kinds}
    for _ in range(args.runs):
        for name, (code, vault, what) in kinds.items():  # interleaved: load hits all alike
            results[name].append(run(vault, what, code))
    traced = {name: run(kinds[name][1], "traced", kinds[name][0])
              for name in ("refresh", "before") if name in kinds}

    def med(what: str, key: str = "total") -> float:
        return statistics.median(r[key] for r in results[what])

    pages = results["refresh"][0]["pages"]
    base = med("walk")
    print(f"\nreopen of an up-to-date vault, {pages} pages, median of {args.runs} fresh processes")
    print(f"{'measure':44} {'median':>9} {'vs walk':>8}")
    print(f"{'baseline: os.walk + stat every note':44} {base * 1000:8.0f}ms {1:7.1f}x")
    print(f"{'Vault.open (import excluded)':44} {med('open', 'open') * 1000:8.0f}ms "
          f"{med('open', 'open') / base:7.1f}x")
    shown = ["refresh", "before"] if args.before else ["refresh"]
    for name in shown:
        label = "Vault.open + refresh (import excluded)" if name == "refresh" \
            else "  the same, --before engine"
        reopen = med(name, "open") + med(name, "refresh")
        goal = "   (goal at 100k: <= 1500 ms)" if name == "refresh" else ""
        print(f"{label:44} {reopen * 1000:8.0f}ms {reopen / base:7.1f}x{goal}")
    print(f"{'  of which import of wiki.vault.facade':44} {med('refresh', 'import') * 1000:8.0f}ms")
    print(f"{'whole process work incl. imports':44} {med('refresh') * 1000:8.0f}ms "
          f"{med('refresh') / base:7.1f}x")
    for name in shown:
        which = "" if name == "refresh" else ", --before engine"
        print(f"\nmemory after Vault.open + refresh{which} (goal at 100k: <= 400 MB resident)")
        print(f"{'  resident (VmRSS)':44} {med(name, 'rss'):8.0f}MB")
        print(f"{'  of which the interpreter and imports':44} {med(name, 'rss_import'):8.0f}MB")
        print(f"{'  peak resident (ru_maxrss)':44} {med(name, 'maxrss'):8.0f}MB")
        print(f"{'  Python objects held (tracemalloc)':44} {traced[name]['traced']:8.1f}MB "
              f"(peak {traced[name]['traced_peak']:.1f} MB), the biggest lines:")
        for line in traced[name]["top"]:
            print(f"      {line}")


if __name__ == "__main__":
    main()
