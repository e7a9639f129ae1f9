"""View > Graph of the Vault on a real synthetic vault: opened from the keyboard, laid out while
the window stays responsive, zoomed, filtered and clicked as a user does."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication
from test_ui_support import close_window, make_window, wait_idle

from bench.synth import make_vault
from wiki.vault.graph_layout import EXACT_LIMIT

PAGES = EXACT_LIMIT + 150  # big enough for the grid layout


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    root = tmp_path_factory.mktemp("graph") / "vault"
    make_vault(root, PAGES, seed=5)
    return root


@pytest.fixture
def big_window(qtbot, synthetic, tmp_path):
    win = make_window(qtbot, synthetic, tmp_path / "settings.ini")
    yield win
    win.vault_graph.view().close()
    close_window(win, qtbot)


def open_graph(qtbot, win):
    """Ctrl+Alt+G, counting how often the UI thread runs a 10 ms timer meanwhile."""
    graph = win.vault_graph.view()
    ticks: list[int] = []
    timer = QTimer(interval=10)
    timer.timeout.connect(lambda: ticks.append(graph.running))
    timer.start()
    with qtbot.waitSignal(graph.laid_out, timeout=60_000):
        win.activateWindow()
        qtbot.keyClick(win, Qt.Key.Key_G, Qt.KeyboardModifier.ControlModifier
                       | Qt.KeyboardModifier.AltModifier)
    timer.stop()
    graph.canvas.repaint()
    return graph, ticks


def wheel(widget, at: QPoint, steps: int) -> None:
    event = QWheelEvent(QPointF(at), QPointF(widget.mapToGlobal(at)), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.MouseButton.NoButton,
                        Qt.KeyboardModifier.NoModifier, Qt.ScrollPhase.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def test_opens_with_every_page_laid_out_off_the_ui_thread(qtbot, big_window):
    graph, ticks = open_graph(qtbot, big_window)
    assert graph.isVisible() and graph.canvas.shown_count() == PAGES
    assert f"{PAGES:,} pages" in graph.status.text()
    assert sum(ticks) >= 5  # the UI thread kept running while the layout did
    assert graph.canvas.paint_count >= 2  # drawn as it settled, not only at the end
    assert "Graph of the Vault" in [a.text() for a in big_window.menuBar().actions()[3]
                                    .menu().actions()]


def test_no_labels_zoomed_out_then_the_big_pages_first(qtbot, big_window):
    graph, _ = open_graph(qtbot, big_window)
    canvas = graph.canvas
    at_fit = len(canvas.labels)
    centre = canvas.rect().center()
    wheel(canvas, centre, -3)  # zoomed out: no names, only the shape of the vault
    qtbot.waitUntil(lambda: not canvas._moving, timeout=5000)
    canvas.repaint()
    assert canvas.labels == {}
    for _ in range(5):
        wheel(canvas, centre, 2)
    qtbot.waitUntil(lambda: not canvas._moving, timeout=5000)
    canvas.repaint()
    labels = canvas.labels
    assert max(5, at_fit) < len(labels) <= canvas.max_labels
    boxes = list(labels.values())
    assert not any(a.overlaps(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    degree = canvas.graph.priority
    in_view = [i for i in range(PAGES) if canvas.rect().contains(canvas.to_screen(i).toPoint())]
    assert np.mean(degree[list(labels)]) > np.mean(degree[in_view])


def test_a_click_on_a_page_opens_it_and_a_drag_does_not(qtbot, big_window):
    graph, _ = open_graph(qtbot, big_window)
    canvas = graph.canvas
    for _ in range(3):
        wheel(canvas, canvas.rect().center(), 2)
    qtbot.waitUntil(lambda: not canvas._moving, timeout=5000)
    canvas.repaint()
    target = max(canvas.labels, key=lambda i: canvas.graph.priority[i])
    path = canvas.graph.paths[target]
    point = canvas.to_screen(target).toPoint()
    before = big_window.session.page_view.current_path
    qtbot.mousePress(canvas, Qt.MouseButton.LeftButton, pos=point)
    qtbot.mouseMove(canvas, point + QPoint(40, 0))
    qtbot.mouseRelease(canvas, Qt.MouseButton.LeftButton, pos=point + QPoint(40, 0))
    assert big_window.session.page_view.current_path == before
    point = canvas.to_screen(target).toPoint()
    with qtbot.waitSignal(big_window.session.page_view.page_loaded, timeout=10_000):
        qtbot.mouseClick(canvas, Qt.MouseButton.LeftButton, pos=point)
    assert big_window.session.page_view.current_path == path


def test_folder_and_tag_filters(qtbot, big_window):
    graph, _ = open_graph(qtbot, big_window)
    snap = graph.snapshot
    people = sum(snap.folder(i) == "people" for i in range(PAGES))
    row = next(i for i in range(graph.folders.count())
               if graph.folders.item(i).data(Qt.ItemDataRole.UserRole + 1) == "people")
    graph.folders.setFocus()
    graph.folders.setCurrentRow(row)
    qtbot.keyClick(graph.folders, Qt.Key.Key_Space)  # untick "people"
    assert graph.canvas.shown_count() == PAGES - people
    assert not any(graph.canvas.shown[i] for i in range(PAGES) if snap.folder(i) == "people")
    assert f"{PAGES - people:,} of {PAGES:,} pages shown" in graph.status.text()
    qtbot.keyClicks(graph.tag_box, "ml")
    tagged = [i for i in range(PAGES) if snap.folder(i) != "people" and snap.has_tag(i, "ml")]
    assert 0 < graph.canvas.shown_count() == len(tagged)
    assert all("ml" in {t.split("/")[0] for t in snap.tags[i]}
               for i in np.flatnonzero(graph.canvas.shown))
    graph.tag_box.clear()
    qtbot.keyClick(graph.folders, Qt.Key.Key_Space)
    assert graph.canvas.shown_count() == PAGES


def test_a_new_page_joins_the_graph_near_its_links_and_the_rest_stays(qtbot, big_window,
                                                                      synthetic):
    graph, _ = open_graph(qtbot, big_window)
    before = dict(zip(graph.snapshot.paths, graph.positions.copy(), strict=True))
    friend = graph.snapshot.paths[10]
    name = friend.rpartition("/")[2][:-3]
    try:
        with qtbot.waitSignal(graph.laid_out, timeout=60_000):  # the watcher sees it
            (synthetic / "Newcomer.md").write_text(f"# Newcomer\n\nAbout [[{name}]].\n",
                                                   encoding="utf-8")
        wait_idle(qtbot, big_window)
        drawn = graph.canvas.graph
        assert "Newcomer.md" in drawn.index and graph.canvas.shown_count() == PAGES + 1
        after = {p: drawn.pos[i] for p, i in drawn.index.items()}
        span = np.ptp(np.array(list(before.values())), axis=0).max()
        moved = [np.linalg.norm(after[p] - before[p]) for p in before]
        assert np.median(moved) < 0.2 * span  # the picture stays recognisable
        assert np.linalg.norm(after["Newcomer.md"] - after[friend]) < 0.25 * span
    finally:
        (synthetic / "Newcomer.md").unlink(missing_ok=True)


def test_a_big_graph_is_drawn_off_the_ui_thread(qtbot, big_window, monkeypatch):
    import threading

    from ui.views import graph_canvas

    threads: list[str] = []
    real_render = graph_canvas.render

    def render(frame):
        threads.append(threading.current_thread().name)
        return real_render(frame)

    monkeypatch.setattr(graph_canvas, "OFF_THREAD_ABOVE", 100)  # as for 13k pages
    monkeypatch.setattr(graph_canvas, "render", render)
    graph, _ = open_graph(qtbot, big_window)
    canvas = graph.canvas
    # A reopened vault may show a few pages before its names-and-links refresh, and a
    # graph that small is rightly drawn on the UI thread: count from the whole graph on.
    wait_idle(qtbot, big_window)
    qtbot.waitUntil(lambda: canvas.shown_count() >= PAGES and canvas.picture_is_current(),
                    timeout=30_000)
    threads.clear()
    for _ in range(5):
        wheel(canvas, canvas.rect().center(), 2)
    qtbot.waitUntil(lambda: not canvas._moving and canvas.picture_is_current(), timeout=10_000)
    assert canvas.rendered_off_thread >= 2 and threads
    assert all(name.startswith("graph-paint") for name in threads)
    assert len(canvas.labels) >= 5  # the labels came from the painting thread's picture


def test_the_graph_screenshot_from_the_command_line(write_files, tmp_path):
    from test_ui_app import assert_real_screenshot, run_app
    from test_ui_support import PAGES as SMALL

    shot = tmp_path / "graph.png"
    result = run_app("--vault", str(write_files(SMALL)), "--screenshot", str(shot), "--graph")
    assert result.returncode == 0 and "Traceback" not in result.stderr, result.stderr
    assert_real_screenshot(shot)


def test_an_edit_without_new_links_keeps_the_picture_and_a_rename_shows(qtbot, big_window,
                                                                       synthetic):
    graph, _ = open_graph(qtbot, big_window)
    before = graph.positions.copy()
    page = synthetic / graph.snapshot.paths[20]
    original = page.read_text(encoding="utf-8")
    renamed = page.with_name("Renamed in the graph.md")
    try:
        with qtbot.waitSignal(graph.laid_out, timeout=60_000):
            page.write_text(original + "\nOne more sentence, no link.\n", encoding="utf-8")
        assert np.array_equal(graph.positions, before)  # same pages, same links: not moved
        with qtbot.waitSignal(graph.laid_out, timeout=60_000):
            page.rename(renamed)
        drawn = graph.canvas.graph
        new_path = renamed.relative_to(synthetic).as_posix()
        assert new_path in drawn.index
        assert page.relative_to(synthetic).as_posix() not in drawn.index
        assert "Renamed in the graph" in drawn.titles
    finally:
        if renamed.exists():
            renamed.rename(page)
        page.write_text(original, encoding="utf-8")
