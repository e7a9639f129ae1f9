"""The local graph beside the page, on a real temporary vault, used with the mouse and keys."""

from __future__ import annotations

import itertools
import random

import pytest
from PySide6.QtCore import QPoint, Qt
from test_ui_support import PAGES, close_window, make_window, wait_idle

from ui.views.graph_labels import Box, Candidate, place_labels
from wiki.vault.local_graph import BETWEEN, LIMIT

HUB_PAGES = {
    **PAGES,
    # a hub with more neighbours than the graph shows, a few of them linked among themselves
    "Hub.md": "# Hub\n\n" + " ".join(f"[[Neighbour {i:02}]]"
                                     for i in range(LIMIT + 12)) + "\n",
    **{f"n/Neighbour {i:02}.md":
       f"# N{i}\n\nBack to [[Hub]]" + (f" and [[Neighbour {i + 1:02}]]"
                                       if i < 6 else "") + (" and [[Far]]" if i == 3 else "")
       + ".\n" for i in range(LIMIT + 12)},
    "Far.md": "# Far\n\nTwo links away.\n",
}


@pytest.fixture
def hub_window(qtbot, write_files, tmp_path):
    win = make_window(qtbot, write_files(HUB_PAGES), tmp_path / "settings.ini")
    win.resize(1400, 1000)
    win.layout_.right.setSizes([300, 600])
    yield win
    close_window(win, qtbot)


def open_page(qtbot, win, path: str) -> None:
    """Click the page in the navigator, then wait for its graph."""
    index = win.session.navigator.index_of(path)
    win.session.navigator.tree.scrollTo(index)
    rect = win.session.navigator.tree.visualRect(index)
    if path != win.session.page_view.current_path:
        with qtbot.waitSignal(win.session.page_view.page_loaded, timeout=10_000):
            qtbot.mouseClick(win.session.navigator.tree.viewport(), Qt.MouseButton.LeftButton,
                             pos=rect.center())
    wait_idle(qtbot, win)
    qtbot.waitUntil(lambda: win.graph.data is not None and win.graph.data.centre == path,
                    timeout=10_000)


def overlapping(boxes: list[Box]) -> list[tuple[Box, Box]]:
    return [(a, b) for a, b in itertools.combinations(boxes, 2) if a.overlaps(b)]


def test_a_hub_shows_the_most_connected_capped_with_labels_that_never_overlap(qtbot, hub_window):
    graph = hub_window.graph
    open_page(qtbot, hub_window, "Hub.md")
    assert len(graph.nodes) == LIMIT + 1 and graph.hidden_count == 12
    assert "+12 more" in graph.footer.text()
    shown = set(graph.nodes)
    # the neighbours linked to others (0-6) are the most connected: all shown
    assert {f"n/Neighbour {i:02}.md" for i in range(7)} <= shown
    # links between neighbours are drawn too
    assert any(kind == BETWEEN for _, _, kind in graph.data.edges)
    graph.canvas.repaint()
    labels = graph.canvas.labels
    assert graph.nodes["Hub.md"] in labels  # the page itself is always named
    assert len(labels) >= 8 and not overlapping(list(labels.values()))
    width, height = graph.canvas.width(), graph.canvas.height()
    assert all(b.inside(width, height) for b in labels.values())
    # no label covers another node
    for path, i in graph.nodes.items():
        centre = graph.node_position(path)
        for j, box in labels.items():
            if j != i:
                assert not (box.x < centre.x() < box.x + box.w
                            and box.y < centre.y() < box.y + box.h), path


def test_the_depth_box_reaches_further_and_is_remembered(qtbot, hub_window):
    graph = hub_window.graph
    open_page(qtbot, hub_window, "notes/Beta.md")
    assert "Far.md" not in graph.nodes
    open_page(qtbot, hub_window, "n/Neighbour 03.md")
    assert "Far.md" in graph.nodes and "Alpha.md" not in graph.nodes
    graph.depth_box.setFocus()
    qtbot.keyClick(graph.depth_box, Qt.Key.Key_Up)  # depth 2
    qtbot.waitUntil(lambda: not graph.pending and graph.data.depth == 2, timeout=10_000)
    assert "Hub.md" in graph.nodes and "n/Neighbour 10.md" in graph.nodes
    assert {n.path: n.depth for n in graph.data.nodes}["n/Neighbour 10.md"] == 2
    qtbot.keyClick(graph.depth_box, Qt.Key.Key_Up)
    qtbot.keyClick(graph.depth_box, Qt.Key.Key_Up)  # stops at 3
    assert graph.depth_box.value() == 3
    assert hub_window.settings.value("graph/local_depth") in (3, "3")
    open_page(qtbot, hub_window, "Alpha.md")
    assert graph.data.depth == 3  # kept for the next page


def test_legend_hover_and_click(qtbot, window):
    graph = window.graph
    open_page(qtbot, window, "Alpha.md")
    legend = graph.legend.text()
    assert "from this page" in legend and "to this page" in legend and "both" in legend
    canvas = graph.canvas
    canvas.repaint()
    point = graph.node_position("Gamma Ray.md").toPoint()
    qtbot.mouseMove(canvas, point)
    qtbot.waitUntil(lambda: canvas.hover == graph.nodes["Gamma Ray.md"], timeout=5000)
    canvas.repaint()
    assert graph.nodes["Gamma Ray.md"] in canvas.hover_labels  # named and highlighted
    assert graph.nodes["Alpha.md"] in canvas.hover_labels  # with its neighbour
    dimmed = canvas.grab().toImage()
    qtbot.mouseMove(canvas, QPoint(2, 2))
    qtbot.waitUntil(lambda: canvas.hover is None, timeout=5000)
    assert canvas.grab().toImage() != dimmed
    with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=10_000):
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=point)
    assert window.session.page_view.current_path == "Gamma Ray.md"


def test_a_drag_moves_the_graph_and_opens_nothing(qtbot, window):
    graph = window.graph
    open_page(qtbot, window, "Alpha.md")
    canvas = graph.canvas
    start = graph.node_position("Gamma Ray.md").toPoint()
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=start)
    qtbot.mouseMove(canvas, start + QPoint(30, 20))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=start + QPoint(30, 20))
    assert window.session.page_view.current_path == "Alpha.md"
    moved = graph.node_position("Gamma Ray.md").toPoint() - start
    assert abs(moved.x() - 30) <= 5 and abs(moved.y() - 20) <= 5


def test_labels_never_overlap_whatever_the_crowd():
    rng = random.Random(7)
    for _ in range(30):
        candidates = [Candidate(i, rng.uniform(0, 300), rng.uniform(0, 200), rng.uniform(2, 8),
                                rng.uniform(20, 120), 14) for i in range(rng.randint(1, 80))]
        placed = place_labels(candidates, 300, 200)
        assert not overlapping(list(placed.values()))
        assert all(b.inside(300, 200) for b in placed.values())
    first = Candidate(0, 150, 100, 5, 60, 14)
    assert 0 in place_labels([first, Candidate(1, 150, 100, 5, 60, 14)], 300, 200)


def test_the_window_starts_without_numpy_or_the_engine_and_depths_agree():
    import os
    import subprocess
    import sys
    from pathlib import Path

    from ui.views import graph_view
    from wiki.vault import local_graph

    assert graph_view.MAX_DEPTH == local_graph.MAX_DEPTH
    code = ("import sys, ui.window.main_window; "
            "print('numpy' in sys.modules, 'wiki.vault.local_graph' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2],
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert out.stdout.split() == ["False", "False"]  # start-up stays as fast as before
