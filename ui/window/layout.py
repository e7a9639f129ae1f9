"""The main window's layout: the splitters holding the panels, and remembering their sizes,
the window size and which panels show in QSettings."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

if TYPE_CHECKING:
    from ui.window.main_window import MainWindow

SPLITTERS = ("main", "left_split", "right")
SIDE_WIDTHS = {0: ("sidebar_width", 290), 2: ("links_width", 310)}  # main splitter columns
PANELS = ("sidebar", "links", "graph", "toolbar")


def build_layout(w: MainWindow) -> None:
    """Left: search box, results over the page list; centre: the page; right: links over
    the local graph."""
    w.placeholder = QLabel("Opening vault…")
    w.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
    w.centre = QStackedWidget()
    w.centre.addWidget(w.placeholder)
    w.left_split = QSplitter(Qt.Orientation.Vertical)  # results appear above the pages
    w.left_split.addWidget(w.search_panel)
    w.left_split.addWidget(w.navigator)
    w.left_split.setSizes([420, 380])
    w.left = QWidget()
    column = QVBoxLayout(w.left)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)
    column.addWidget(w.search_panel.query_edit)
    column.addWidget(w.left_split, 1)
    w.right = QSplitter(Qt.Orientation.Vertical)
    w.right.addWidget(w.links_panel)
    w.right.addWidget(w.graph)
    w.right.setSizes([480, 300])
    w.main = QSplitter(Qt.Orientation.Horizontal)
    for widget, stretch in ((w.left, 0), (w.centre, 1), (w.right, 0)):
        w.main.addWidget(widget)
        w.main.setStretchFactor(w.main.count() - 1, stretch)
    w.main.setSizes([290, 700, 310])
    w.main.setChildrenCollapsible(False)
    w.setCentralWidget(w.main)


def restore_layout(window: MainWindow) -> None:
    s = window.settings
    geometry = s.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    for name in SPLITTERS:
        state = s.value(f"window/{name}_splitter")
        if isinstance(state, QByteArray):
            getattr(window, name).restoreState(state)
    for key in PANELS:
        action = getattr(window.actions_, key)
        action.setChecked(str(s.value(f"panels/{key}", "true")).lower() != "false")


def save_layout(window: MainWindow) -> None:
    s = window.settings
    s.setValue("window/geometry", window.saveGeometry())
    for name in SPLITTERS:
        s.setValue(f"window/{name}_splitter", getattr(window, name).saveState())
    for key in PANELS:
        s.setValue(f"panels/{key}", "true" if getattr(window.actions_, key).isChecked()
                   else "false")
    remember_side_widths(window)
    s.sync()


def remember_side_widths(window: MainWindow) -> None:
    """The width of each side column while it shows (a hidden one is saved as 0 wide)."""
    sizes = window.main.sizes()
    for index, (key, _default) in SIDE_WIDTHS.items():
        if window.main.widget(index).isVisibleTo(window) and sizes[index] > 0:
            window.settings.setValue(f"window/{key}", sizes[index])


def give_room(window: MainWindow, index: int) -> None:
    """A side column shown again gets its last width back instead of staying 0 wide (the
    splitter state saved while it was hidden has no width for it)."""
    sizes = window.main.sizes()
    if not window.main.widget(index).isVisibleTo(window) or sizes[index] >= 40:
        return
    key, default = SIDE_WIDTHS[index]
    try:
        width = int(window.settings.value(f"window/{key}", default))
    except (TypeError, ValueError):
        width = default
    width = max(120, min(width, sum(sizes) // 3 or width))
    sizes[1] = max(200, sizes[1] - (width - sizes[index]))
    sizes[index] = width
    window.main.setSizes(sizes)
