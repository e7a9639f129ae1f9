"""View > Graph of the Vault: every page and link of the open vault in one window.

The link graph is read and laid out on a thread of its own (``wiki.vault.graph_snapshot``, then
``wiki.vault.graph_layout``: a few seconds for 10k pages), never on the UI thread, nor on the
reader thread that search-as-you-type needs. The picture shows as soon as the pages are read
and settles as the layout runs (a snapshot every few dozen steps). Pages are coloured by
top-level folder; the folder list and the tag box filter what is shown; a click opens the page
in the main window. When the vault changes the layout runs again from where it was, so the
picture stays recognisable.
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import numpy as np
from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QPalette, QPixmap
from PySide6.QtWidgets import (
    QCompleter,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.views.graph_canvas import CanvasGraph, GraphCanvas
from wiki.core.model import ChangeSummary

if TYPE_CHECKING:
    from ui.context import AppContext
    from wiki.vault.graph_snapshot import GraphSnapshot

FOLDER_COLOURS = ["#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948",
                  "#b07aa1", "#ff9da7", "#9c755f"]  # Tableau 10; the tenth (grey) is "other"
OTHER_COLOUR = "#9a9a9a"
RELAYOUT_DELAY_MS = 1500  # after the last change to the vault
FOLDER_ROLE = Qt.ItemDataRole.UserRole + 1


def node_radius(degree: np.ndarray) -> np.ndarray:
    """Scene units: a page with 100 links is about three times as wide as one with 4."""
    return np.minimum(1.5 + 0.6 * np.sqrt(degree), 14.0)


class _Signals(QObject):
    """Carries the layout thread's results to the UI thread (queued: emitted off it)."""

    read = Signal(int, object)  # run, GraphSnapshot
    moved = Signal(int, object, int, int)  # run, positions, step, steps
    done = Signal(int, object)  # run, positions
    failed = Signal(int, str)


class VaultGraph(QWidget):
    page_requested = Signal(str)
    laid_out = Signal()  # a layout finished and is on screen

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setWindowTitle("Graph of the vault")
        self.ctx: AppContext | None = None
        self.snapshot: GraphSnapshot | None = None
        self.positions: np.ndarray | None = None
        self.running = False
        self._run = 0
        self._stop = threading.Event()
        self._user_moved = False
        self._signals = _Signals(self)
        self._signals.read.connect(self._on_read)
        self._signals.moved.connect(self._on_moved)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self._relayout = QTimer(self, singleShot=True, interval=RELAYOUT_DELAY_MS)
        self._relayout.timeout.connect(self.start_layout)
        self._stale = False
        self._new_snapshot = False

        self.canvas = GraphCanvas(self, label_min_px=5.0, max_labels=150)
        self.canvas.node_clicked.connect(self.page_requested)
        self.folders = QListWidget(self)
        self.folders.setToolTip("Untick a folder to hide its pages")
        self.folders.itemChanged.connect(lambda _item: self.apply_filters())
        self.tag_box = QLineEdit(self)
        self.tag_box.setPlaceholderText("Only pages tagged… (e.g. ml)")
        self.tag_box.setClearButtonEnabled(True)
        self.tag_box.textChanged.connect(lambda _text: self.apply_filters())
        self.fit_button = QPushButton("Fit", self)
        self.fit_button.setToolTip("Show every page shown (0)")
        self.fit_button.clicked.connect(self.canvas.fit)
        self.status = QLabel("", self)
        self.status.setWordWrap(True)
        side = QVBoxLayout()
        side.addWidget(QLabel("<b>Folders</b>"))
        side.addWidget(self.folders, 1)
        side.addWidget(QLabel("<b>Tag</b>"))
        side.addWidget(self.tag_box)
        side.addWidget(self.fit_button)
        side.addWidget(self.status)
        panel = QWidget(self)
        panel.setLayout(side)
        panel.setFixedWidth(220)
        row = QHBoxLayout(self)
        row.setContentsMargins(4, 4, 4, 4)
        row.addWidget(panel)
        row.addWidget(self.canvas, 1)
        self.resize(1100, 760)
        self.canvas.installEventFilter(self)

    # -- the vault -----------------------------------------------------------------------------
    def bind(self, ctx: AppContext | None) -> None:
        """Show ``ctx``'s vault (None: no vault open)."""
        self._stop.set()
        self.ctx = ctx
        self.snapshot = None
        self.positions = None
        self.canvas.set_graph(None)
        self.folders.clear()
        self.status.setText("No vault open." if ctx is None else "")
        if ctx is not None and self.isVisible():
            self.start_layout()

    def on_vault_changed(self, summary: ChangeSummary) -> None:
        """Pages or links changed: lay the graph out again once the changes have settled."""
        if self.ctx is None or not (summary.rebuilt or summary.added or summary.removed
                                    or summary.links_changed or summary.pages_changed):
            return
        if self.isVisible():
            self._relayout.start()
        else:
            self._stale = True

    def showEvent(self, event) -> None:
        super().showEvent(event)
        if self.ctx is not None and (self.snapshot is None or self._stale) and not self.running:
            self.start_layout()

    def closeEvent(self, event) -> None:
        self._stop.set()  # the layout thread stops at its next step
        super().closeEvent(event)

    def start_layout(self) -> None:
        """Read the link graph and lay it out on a thread of its own."""
        if self.ctx is None:
            return
        self._stop.set()
        self._stop = stop = threading.Event()
        self._run += 1
        run = self._run
        self.running = True
        self._stale = False
        vault = self.ctx.vault
        previous = self._previous_positions()
        if not previous:  # a new picture is fitted until the user moves it
            self._user_moved = False
        old_snap, old_pos = self.snapshot, self.positions
        signals = self._signals
        self.status.setText("Reading the links…")

        def work() -> None:
            from wiki.vault.graph_layout import layout
            from wiki.vault.graph_snapshot import Cancelled, snapshot

            try:
                snap = snapshot(vault, stop.is_set)
                signals.read.emit(run, snap)
                if old_snap is not None and old_pos is not None and \
                        snap.paths == old_snap.paths and snap.edges == old_snap.edges:
                    signals.done.emit(run, old_pos)  # no page or link changed: same picture
                    return
                initial = None
                if previous:
                    initial = np.array([previous.get(p, (np.nan, np.nan)) for p in snap.paths],
                                       dtype=float).reshape(-1, 2)
                pos = layout(len(snap.paths), snap.edges, initial=initial,
                             iterations=150 if previous else 300,
                             should_stop=stop.is_set,
                             progress=lambda step, steps, p: signals.moved.emit(
                                 run, p, step, steps))
                if not stop.is_set():
                    signals.done.emit(run, pos)
            except Cancelled:
                pass
            except Exception as exc:  # noqa: BLE001 (one line for the user, never a traceback)
                signals.failed.emit(run, str(exc).splitlines()[0] if str(exc) else
                                    type(exc).__name__)

        threading.Thread(target=work, name="graph-layout", daemon=True).start()

    def _previous_positions(self) -> dict[str, tuple[float, float]]:
        if self.snapshot is None or self.positions is None:
            return {}
        return {p: (float(x), float(y))
                for p, (x, y) in zip(self.snapshot.paths, self.positions.tolist(), strict=True)}

    # -- results (UI thread) -------------------------------------------------------------------
    def _on_read(self, run: int, snap: GraphSnapshot) -> None:
        if run != self._run:
            return
        self.snapshot = snap
        self._new_snapshot = True  # titles, tags or paths may differ: draw from it
        self._fill_folders(snap)
        self.status.setText(f"{len(snap.paths):,} pages, {len(snap.edges):,} links: "
                            "laying out…")

    def _on_moved(self, run: int, pos: np.ndarray, step: int, steps: int) -> None:
        if run != self._run:
            return
        self._show_positions(pos)
        self.status.setText(f"{len(pos):,} pages: laying out… {100 * step // steps}%")

    def _on_done(self, run: int, pos: np.ndarray) -> None:
        if run != self._run:
            return
        self.running = False
        self._show_positions(pos)
        self._say_counts()
        self.laid_out.emit()

    def _on_failed(self, run: int, message: str) -> None:
        if run == self._run:
            self.running = False
            self.status.setText(f"Could not draw the graph: {message}")

    def _show_positions(self, pos: np.ndarray) -> None:
        snap = self.snapshot
        if snap is None or len(pos) != len(snap.paths):
            return
        self.positions = pos
        if self._new_snapshot or self.canvas.graph is None:
            self._new_snapshot = False
            self.canvas.set_graph(self._canvas_graph(snap, pos), fit=False)
            self.apply_filters(fit=not self._user_moved)
        else:
            assert self.canvas.graph is not None
            self.canvas.graph.pos = pos
            if not self._user_moved:
                self.canvas.fit()
            else:
                self.canvas.set_shown(self.canvas.shown)

    def _canvas_graph(self, snap: GraphSnapshot, pos: np.ndarray) -> CanvasGraph:
        folders = snap.folders()
        slot = {f: i for i, f in enumerate(folders[:len(FOLDER_COLOURS)])}
        colour = np.array([slot.get(f, len(FOLDER_COLOURS)) for f in snap.folder_of],
                          dtype=np.int64)
        degree = np.array(snap.degree, dtype=float)
        palette = [QColor(c) for c in FOLDER_COLOURS] + [QColor(OTHER_COLOUR)]
        base = self.palette().color(QPalette.ColorRole.Base)
        text = self.palette().color(QPalette.ColorRole.Text)
        edge = QColor.fromRgbF(0.78 * base.redF() + 0.22 * text.redF(),  # opaque: 8x faster
                               0.78 * base.greenF() + 0.22 * text.greenF(),  # to draw than
                               0.78 * base.blueF() + 0.22 * text.blueF())  # see-through
        edges = snap.edge_array
        return CanvasGraph(paths=snap.paths, titles=snap.titles, pos=pos,
                           radius=node_radius(degree), colour=colour, palette=palette,
                           priority=degree, edges=edges,
                           edge_kind=np.zeros(len(edges), dtype=np.int64), edge_palette=[edge])

    def _fill_folders(self, snap: GraphSnapshot) -> None:
        hidden = {self.folders.item(i).data(FOLDER_ROLE) for i in range(self.folders.count())
                  if self.folders.item(i).checkState() != Qt.CheckState.Checked}
        counts = snap.folder_counts
        self.folders.blockSignals(True)
        self.folders.clear()
        for k, folder in enumerate(snap.folders()):
            colour = FOLDER_COLOURS[k] if k < len(FOLDER_COLOURS) else OTHER_COLOUR
            swatch = QPixmap(12, 12)
            swatch.fill(QColor(colour))
            item = QListWidgetItem(f"{folder or '(top level)'}  ({counts[folder]:,})")
            item.setIcon(swatch)
            item.setData(FOLDER_ROLE, folder)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked if folder in hidden
                               else Qt.CheckState.Checked)
            self.folders.addItem(item)
        self.folders.blockSignals(False)
        completer = QCompleter(snap.all_tags, self.tag_box)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tag_box.setCompleter(completer)

    # -- filters -------------------------------------------------------------------------------
    def shown_folders(self) -> set[str]:
        return {self.folders.item(i).data(FOLDER_ROLE) for i in range(self.folders.count())
                if self.folders.item(i).checkState() == Qt.CheckState.Checked}

    def set_folder_shown(self, folder: str, shown: bool) -> None:
        for i in range(self.folders.count()):
            item = self.folders.item(i)
            if item.data(FOLDER_ROLE) == folder:
                item.setCheckState(Qt.CheckState.Checked if shown else Qt.CheckState.Unchecked)

    def apply_filters(self, fit: bool = True) -> None:
        snap = self.snapshot
        if snap is None or self.canvas.graph is None:
            return
        folders = self.shown_folders()
        tag = self.tag_box.text().strip()
        mask = np.array([f in folders for f in snap.folder_of], dtype=bool)
        if tag:
            mask &= np.array([snap.has_tag(i, tag) for i in range(len(snap.paths))], dtype=bool)
        self.canvas.set_shown(mask)
        if fit:
            self.canvas.fit()
        self._say_counts()

    def _say_counts(self) -> None:
        snap = self.snapshot
        if snap is None:
            return
        shown = self.canvas.shown_count()
        what = f"{len(snap.paths):,} pages, {len(snap.edges):,} links" if shown == len(
            snap.paths) else f"{shown:,} of {len(snap.paths):,} pages shown"
        if self.running:
            what += ": laying out…"
        else:
            what += ". Drag to move, wheel to zoom, click a page to open it."
        self.status.setText(what)

    def eventFilter(self, watched, event) -> bool:
        """Once the user drags or zooms, the settling layout no longer refits the view."""
        if watched is self.canvas and event.type() in (event.Type.Wheel,
                                                       event.Type.MouseButtonPress,
                                                       event.Type.KeyPress):
            self._user_moved = True
        return super().eventFilter(watched, event)
