"""Graph figures: the local graph at each depth; for the graph of the vault, reading the links,
the layout, the first paint, and how long the UI thread ever waits while the layout runs.

    QT_QPA_PLATFORM=offscreen python -m bench.bench_graph [--n 10000] [--runs 5] [--vault DIR]

Baselines, measured in the same run:
- layout: one step of the same forces in pure Python (every pair, as a Python loop) on the first
  1,000 pages, against one numpy step on those 1,000 (exact) and on all pages (grid);
- first paint: the same nodes and links as one QGraphicsScene item each (what the local graph
  used before), built and rendered into an image of the same size.
"""

from __future__ import annotations

import argparse
import math
import os
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np

SIZE = (1100, 760)


def median_ms(times: list[float]) -> str:
    return f"{statistics.median(times) * 1000:,.0f} ms"


def python_step(pos: list[list[float]], mass: list[float],
                edges: list[tuple[int, int]]) -> list[list[float]]:
    """One step's forces, pure Python: every pair repels, links pull, gravity (the baseline)."""
    n = len(pos)
    force = [[0.0, 0.0] for _ in range(n)]
    for i in range(n):
        xi, yi, mi = pos[i][0], pos[i][1], mass[i]
        fx = fy = 0.0
        for j in range(n):
            if i != j:
                dx, dy = xi - pos[j][0], yi - pos[j][1]
                d2 = max(dx * dx + dy * dy, 1e-4)
                w = mi * mass[j] / d2
                fx += dx * w
                fy += dy * w
        force[i][0], force[i][1] = fx - 0.06 * mi * xi, fy - 0.06 * mi * yi
    for a, b in edges:
        dx, dy = pos[b][0] - pos[a][0], pos[b][1] - pos[a][1]
        force[a][0] += dx
        force[a][1] += dy
        force[b][0] -= dx
        force[b][1] -= dy
    return force


def bench_layout(snap, runs: int) -> np.ndarray:
    from wiki.vault import graph_layout

    n = len(snap.paths)
    times, pos = [], np.zeros((n, 2))
    for _ in range(runs):
        t = time.perf_counter()
        pos = graph_layout.layout(n, snap.edges)
        times.append(time.perf_counter() - t)
    print(f"layout, {n:,} pages, {len(snap.edges):,} links, {graph_layout.ITERATIONS} steps: "
          f"median {median_ms(times)} (runs: {', '.join(f'{x:.2f}' for x in times)} s)")

    sub = 1000
    edges = [(a, b) for a, b in snap.edges if a < sub and b < sub]
    degree = np.bincount(np.array(edges).ravel(), minlength=sub)
    mass = (1.0 + degree).astype(float)
    start = pos[:sub].copy()
    t = time.perf_counter()
    python_step(start.tolist(), mass.tolist(), edges)
    py = time.perf_counter() - t
    exact, grid = [], []
    mesh = graph_layout._Mesh(graph_layout.GRID)
    full_mass = 1.0 + np.bincount(np.array(snap.edges).ravel(), minlength=n)
    for _ in range(5):
        t = time.perf_counter()
        graph_layout._repulsion(start, mass)
        exact.append(time.perf_counter() - t)
        t = time.perf_counter()
        mesh.repulsion(pos, full_mass.astype(float))
        grid.append(time.perf_counter() - t)
    print(f"one step, {sub:,} pages: pure Python {py * 1000:,.0f} ms, numpy exact "
          f"{median_ms(exact)} ({py / statistics.median(exact):,.0f}x); numpy grid on all "
          f"{n:,} pages {median_ms(grid)} (pure Python on all pages, n² pairs: about "
          f"{py * (n / sub) ** 2:,.0f} s a step)")
    return pos


def bench_paint(snap, pos: np.ndarray, runs: int) -> None:
    from PySide6.QtCore import QRectF
    from PySide6.QtGui import QBrush, QColor, QImage, QPainter, QPen
    from PySide6.QtWidgets import QApplication, QGraphicsScene

    from ui.views.vault_graph import VaultGraph

    graph = VaultGraph()
    graph.resize(SIZE[0] + 232, SIZE[1] + 8)
    graph.show()
    graph.snapshot = snap
    canvas = graph.canvas
    app = QApplication.instance()
    assert app is not None

    def until_drawn() -> None:
        while not canvas.picture_is_current():
            canvas.repaint()
            app.processEvents()
            time.sleep(0.001)

    first, zoomed, moved, ui = [], [], [], []
    for _ in range(runs):
        t = time.perf_counter()
        canvas.set_graph(graph._canvas_graph(snap, pos), fit=True)
        until_drawn()
        first.append(time.perf_counter() - t)
        t = time.perf_counter()
        canvas.repaint()  # a paint of the UI thread once the picture is there
        ui.append(time.perf_counter() - t)
        canvas.zoom_by(6.0)
        t = time.perf_counter()
        canvas.repaint()  # a frame while zooming: the last picture, scaled
        moved.append(time.perf_counter() - t)
        canvas._moving = False
        t = time.perf_counter()
        until_drawn()  # at rest: drawn afresh with labels
        zoomed.append(time.perf_counter() - t)
    print(f"first paint ({canvas.width()}x{canvas.height()}, every page, "
          f"{canvas.edges_drawn:,} of {canvas.edges_in_view:,} links in view at the last "
          f"zoom; drawn {'off' if canvas._off_thread() else 'on'} the UI thread): median "
          f"{median_ms(first)}; the UI thread's paint then {median_ms(ui)}; a frame while "
          f"dragging or zooming {median_ms(moved)}; zoomed in 6x at rest {median_ms(zoomed)} "
          f"({len(canvas.labels)} labels)")

    base = []
    for _ in range(max(1, runs // 2)):
        t = time.perf_counter()
        scene = QGraphicsScene()
        pen = QPen(QColor("#c8c8c8"))
        for a, b in snap.edges:
            scene.addLine(pos[a, 0], pos[a, 1], pos[b, 0], pos[b, 1], pen)
        brush = QBrush(QColor("#4e79a7"))
        for (x, y), r in zip(pos.tolist(), np.minimum(1.5 + 0.6 * np.sqrt(snap.degree), 14),
                             strict=True):
            scene.addEllipse(QRectF(x - r, y - r, 2 * r, 2 * r), QPen(), brush)
        image = QImage(SIZE[0], SIZE[1], QImage.Format.Format_ARGB32_Premultiplied)
        image.fill(QColor("white"))
        painter = QPainter(image)
        scene.render(painter)
        painter.end()
        base.append(time.perf_counter() - t)
        del scene
    print(f"baseline, one QGraphicsScene item per page and link, built and rendered: median "
          f"{median_ms(base)} ({statistics.median(base) / statistics.median(first):.1f}x the "
          "first paint)")
    graph.close()


def bench_responsiveness(vault, runs: int) -> None:
    """The real window laying out the real vault; a 10 ms timer on the UI thread meanwhile."""
    from PySide6.QtCore import QCoreApplication, QSettings, QTimer

    from ui.context import AppContext
    from ui.tasks import Tasks
    from ui.views.vault_graph import VaultGraph

    app = QCoreApplication.instance()
    assert app is not None
    tasks = Tasks()
    settings = QSettings(str(Path(tempfile.mkdtemp()) / "s.ini"), QSettings.Format.IniFormat)
    totals, stalls = [], []
    for _ in range(runs):
        graph = VaultGraph()
        graph.resize(SIZE[0] + 232, SIZE[1] + 8)
        graph.bind(AppContext(vault, tasks, settings))
        ticks: list[float] = []
        timer = QTimer(interval=10)
        timer.timeout.connect(lambda ticks=ticks: ticks.append(time.perf_counter()))
        done: list[float] = []
        graph.laid_out.connect(lambda done=done: done.append(time.perf_counter()))
        t = time.perf_counter()
        timer.start()
        graph.show()
        while not done:
            app.processEvents()
            time.sleep(0.002)
        timer.stop()
        gaps = [b - a for a, b in zip([t, *ticks], [*ticks, done[0]], strict=True)]
        totals.append(done[0] - t)
        stalls.append(max(gaps))
        graph.close()
        graph.deleteLater()
        app.processEvents()
    tasks.close()
    print(f"Graph of the Vault opened to laid out and drawn (reading, layout, the paints as it "
          f"settles): median {statistics.median(totals):.2f} s; longest wait of the UI thread "
          f"meanwhile: median {median_ms(stalls)}, worst {max(stalls) * 1000:,.0f} ms")


def bench_local(vault, count: int = 40) -> None:
    """The local graph of ``count`` pages at each depth (read, ranked, laid out)."""
    from wiki.vault.local_graph import local_graph

    paths = [info.path for info in vault.pages()][::max(1, vault.page_count() // count)][:count]
    local_graph(vault, paths[0], 1)  # warm the caches as an open window has them
    for depth in (1, 2, 3):
        times, shown, hidden = [], [], []
        for path in paths:
            t = time.perf_counter()
            data = local_graph(vault, path, depth)
            times.append(time.perf_counter() - t)
            shown.append(len(data.nodes))
            hidden.append(data.hidden)
        print(f"local graph, depth {depth}, {len(paths)} pages: median {median_ms(times)}, "
              f"p90 {sorted(times)[int(0.9 * len(times))] * 1000:,.0f} ms "
              f"({statistics.median(shown):.0f} pages shown, {statistics.median(hidden):.0f} "
              "more counted)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=10_000, help="notes in the synthetic vault")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--vault", help="use (and keep) this vault folder instead of a temp one")
    parser.add_argument("--local-only", action="store_true", help="only the local graph")
    args = parser.parse_args(argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QApplication

    from bench.synth import make_vault
    from wiki.vault.facade import Vault
    from wiki.vault.graph_snapshot import snapshot

    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory(prefix="bench-graph-") as tmp:
        root = Path(args.vault) if args.vault else Path(tmp) / "vault"
        if not (root / ".wiki").exists():
            t0 = time.perf_counter()
            make_vault(root, args.n)
            with Vault.open(root, create=True) as vault:
                vault.refresh()
            print(f"vault: {args.n:,} notes written and indexed in "
                  f"{time.perf_counter() - t0:.1f} s")
        with Vault.open(root) as vault:
            times = []
            for _ in range(args.runs):
                t = time.perf_counter()
                snap = snapshot(vault)
                times.append(time.perf_counter() - t)
            print(f"read every link ({len(snap.paths):,} pages, {len(snap.edges):,} links): "
                  f"median {median_ms(times)}")
            bench_local(vault)
            if args.local_only:
                return 0
            pos = bench_layout(snap, args.runs)
            bench_paint(snap, pos, args.runs)
            bench_responsiveness(vault, max(1, math.ceil(args.runs / 2)))
    del app
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
