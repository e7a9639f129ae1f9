"""Desktop app figures: launch to a usable window, and search-as-you-type latency.

    QT_QPA_PLATFORM=offscreen python -m bench.bench_ui [--n 10000] [--runs 5] [--vault DIR]
        [--first-open] [--no-search]

Launch: a fresh process per run on a vault whose index is up to date; "usable" means the
window is shown, the navigator lists every page and the first page is rendered. With
``--first-open`` the vault's ``.wiki/`` is deleted before each run: the app's first open of it,
"usable" as above (pages, links and backlinks answer; search still filling in) and "background
refresh done" once search sees every page. The app's
resident memory is read once its background refresh is done (and its peak). The baseline is
a bare PySide6 process that shows an empty QMainWindow, measured in the same run.
Search: each keystroke of a few queries, from the query leaving the debounce timer to the results
painted in the list; the baseline is ``vault.search`` alone for the same strings.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bytecode import compile_sources

ROOT = Path(__file__).resolve().parent.parent
QUERIES = ["reinforcement learning", "protein memory", "river city", "garden"]

BARE_CHILD = """
import sys, time
start = float(sys.argv[1])
from PySide6.QtWidgets import QApplication, QMainWindow
app = QApplication([])
w = QMainWindow(); w.resize(1300, 820); w.show(); app.processEvents()
print(f"READY {time.time() - start:.4f}", flush=True)
import resource
rss = next(int(l.split()[1]) for l in open("/proc/self/status") if l.startswith("VmRSS"))
print(f"MEMORY {rss / 1024:.1f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.1f}")
"""


def launch_child(vault: str, start: float) -> None:
    """Runs in the child process: the app's real start-up path, timing the milestones."""
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.operations import loading

    app = QApplication([])
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    from ui.tasks import Tasks
    from ui.window.main_window import MainWindow

    tasks = Tasks()
    window = MainWindow(tasks, settings)
    window.show()
    app.processEvents()
    print(f"SHOWN {time.time() - start:.4f}", flush=True)
    loading.read_whole_ahead(Path(vault), False)  # as ui/app.py's run() does, after show()

    def ready() -> None:
        pages = len(window.session.navigator.paths())
        print(f"READY {time.time() - start:.4f} pages={pages}", flush=True)
        poll()

    def poll() -> None:
        if tasks.worker.busy:
            QTimer.singleShot(20, poll)
            return
        print(f"INDEXED {time.time() - start:.4f}", flush=True)
        print(f"MEMORY {resident_mb():.1f} {peak_mb():.1f}", flush=True)
        app.quit()

    window.ready.connect(ready)
    QTimer.singleShot(0, lambda: window.open_vault(Path(vault)))
    app.exec()
    tasks.close()
    if window.session is not None:
        window.session.live.stop()
        window.session.ctx.vault.close()
    window.deleteLater()  # destroy Qt objects before the interpreter shuts down
    app.processEvents()


def resident_mb() -> float:
    """This process's resident memory now, in MB (Linux; 0 elsewhere)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            return next(int(line.split()[1]) for line in fh if line.startswith("VmRSS")) / 1024
    except (OSError, StopIteration, ValueError):
        return 0.0


def peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_child(args: list[str]) -> dict[str, float]:
    env = dict(os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"))
    start = time.time()
    out = subprocess.run([sys.executable, *args, repr(start)], capture_output=True, text=True,
                         cwd=ROOT, env=env, timeout=600, check=True).stdout
    figures = {}
    for line in out.splitlines():
        parts = line.split()
        if parts and parts[0] in ("SHOWN", "READY", "INDEXED"):
            figures[parts[0]] = float(parts[1])
            if parts[0] == "READY" and len(parts) > 2:
                figures["pages"] = float(parts[2].partition("=")[2])
        elif parts and parts[0] == "MEMORY":
            figures["RSS"], figures["PEAK"] = float(parts[1]), float(parts[2])
    return figures


def bench_launch(vault: Path, runs: int, *, first_open: bool = False) -> None:
    bare_runs = [run_child(["-c", BARE_CHILD]) for _ in range(runs)]
    bare = [r["READY"] for r in bare_runs]
    app = []
    for _ in range(runs):
        if first_open:
            shutil.rmtree(vault / ".wiki", ignore_errors=True)
        app.append(run_child(["-m", "bench.bench_ui", "--child", str(vault)]))
    base = statistics.median(bare)
    kind = "first open (no .wiki/)" if first_open else "reopen (index up to date)"
    print(f"{kind}, {int(app[0].get('pages', 0)):,} pages listed when usable")
    print(f"bare PySide6 window:      median {base * 1000:7.0f} ms  (baseline, {runs} runs)")
    for key, label in (("SHOWN", "window shown"), ("READY", "usable (page shown)"),
                       ("INDEXED", "background refresh done")):
        med = statistics.median(r[key] for r in app)
        print(f"{label + ':':<26}median {med * 1000:7.0f} ms  ({med / base:.1f}x baseline)")
    bare_rss = statistics.median(r["RSS"] for r in bare_runs)
    for key, label in (("RSS", "resident memory, idle"), ("PEAK", "peak resident memory")):
        med = statistics.median(r[key] for r in app)
        print(f"{label + ':':<26}median {med:7.0f} MB  (bare PySide6 window: {bare_rss:.0f} MB)")


def bench_search(vault_root: Path) -> None:
    from PySide6.QtCore import QEventLoop, QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from ui.context import AppContext
    from ui.tasks import Tasks
    from ui.views.search_panel import SearchPanel, search_box
    from wiki.vault.facade import Vault

    app = QApplication.instance() or QApplication([])
    vault = Vault.open(vault_root)
    tasks = Tasks()
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    panel = SearchPanel(AppContext(vault, tasks, settings), search_box())
    panel.resize(300, 700)
    panel.show()
    prefixes = [q[:i] for q in QUERIES for i in range(2, len(q) + 1) if q[i - 1] != " "]
    for prefix in prefixes[:5]:  # warm the searcher and caches
        vault.search(prefix, 50)
    engine, ui = [], []
    for prefix in prefixes:
        t0 = time.perf_counter()
        vault.search(prefix, 50)
        engine.append(time.perf_counter() - t0)
        loop = QEventLoop()
        panel.results_shown.connect(loop.quit)
        QTimer.singleShot(10_000, loop.quit)
        t0 = time.perf_counter()
        panel.query_edit.setText(prefix)
        panel._timer.stop()  # measure from the end of the debounce
        panel.run_query()
        loop.exec()
        panel.results.viewport().repaint()
        app.processEvents()
        ui.append(time.perf_counter() - t0)
        panel.results_shown.disconnect(loop.quit)

    def p95(xs: list[float]) -> float:
        return sorted(xs)[max(0, int(len(xs) * 0.95) - 1)]

    em, um = statistics.median(engine), statistics.median(ui)
    print(f"search per keystroke ({len(prefixes)} keystrokes, after the 150 ms debounce):")
    print(f"  vault.search alone:     median {em * 1000:6.1f} ms  p95 {p95(engine) * 1000:6.1f} ms"
          "  (baseline)")
    print(f"  typed -> results shown: median {um * 1000:6.1f} ms  p95 {p95(ui) * 1000:6.1f} ms"
          f"  ({um / em:.2f}x baseline)")
    tasks.close()
    vault.close()
    panel.deleteLater()
    app.processEvents()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="notes in the synthetic vault")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--vault", help="use (and keep) this vault folder instead of a temp one")
    parser.add_argument("--first-open", action="store_true",
                        help="delete the vault's .wiki/ before each launch")
    parser.add_argument("--no-search", action="store_true", help="skip the search figures")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("start", nargs="?", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    if args.child:
        launch_child(args.child, args.start)
        return 0
    compile_sources(ROOT)  # an installed app has its bytecode (bench/bytecode.py)
    from bench.synth import make_vault
    from wiki.vault.facade import Vault

    with tempfile.TemporaryDirectory(prefix="bench-ui-") as tmp:
        root = Path(args.vault) if args.vault else Path(tmp) / "vault"
        if not root.exists() or not any(root.iterdir()):  # (a folder of notes is used as is)
            t0 = time.perf_counter()
            make_vault(root, args.n)
            print(f"vault: {args.n:,} notes written in {time.perf_counter() - t0:.1f} s")
        if not (root / ".wiki").exists() and not args.first_open:
            t1 = time.perf_counter()
            with Vault.open(root, create=True) as vault:
                vault.refresh()
            print(f"vault indexed in {time.perf_counter() - t1:.1f} s")
        bench_launch(root, args.runs, first_open=args.first_open)
        if not args.no_search:
            bench_search(root)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
