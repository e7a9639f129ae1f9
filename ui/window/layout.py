"""The main window's layout: the splitters holding the panels, and remembering their sizes,
the window size and which panels show in QSettings.

It knows the widgets it arranges and nothing of the window class: ``build_layout`` returns a
``WindowLayout`` that the window keeps, and the save/restore functions take that, the settings
and the panel toggles.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QLabel, QSplitter, QStackedWidget, QVBoxLayout, QWidget

SPLITTERS = ("main", "left_split", "right")
SIDE_WIDTHS = {0: ("sidebar_width", 290), 2: ("links_width", 310)}  # main splitter columns
PANELS = ("sidebar", "links", "graph", "toolbar")
SEARCH_SLOT, PAGES_SLOT = 0, 1  # rows of the left splitter the vault's panels go into


@dataclass
class WindowLayout:
    placeholder: QLabel  # the centre while no page is shown
    centre: QStackedWidget
    left_split: QSplitter  # search results over the page list
    left: QWidget  # the search box over ``left_split``
    right: QSplitter  # links over the local graph
    main: QSplitter

    def put_vault_panels(self, search_results: QWidget, pages: QWidget) -> None:
        """Show an open vault's search results and page list in the sidebar."""
        for slot, widget in ((SEARCH_SLOT, search_results), (PAGES_SLOT, pages)):
            hidden = widget.isHidden() and widget.testAttribute(  # hidden on purpose (an
                Qt.WidgetAttribute.WA_WState_ExplicitShowHide)  # empty search): stays so
            old = self.left_split.replaceWidget(slot, widget)
            widget.setHidden(hidden)
            if old is not None and old is not widget:
                old.hide()
                old.deleteLater()

    def clear_vault_panels(self) -> None:
        """Empty the sidebar rows when the vault closes (its panels go with it)."""
        self.put_vault_panels(_empty(hidden=True), _empty())


def _empty(hidden: bool = False) -> QWidget:
    widget = QWidget()
    widget.setVisible(not hidden)
    return widget


def build_layout(search_box: QWidget, links: QWidget, graph: QWidget) -> WindowLayout:
    """Left: search box, results over the page list; centre: the page; right: links over
    the local graph. The vault's own panels fill the left rows once it opens."""
    placeholder = QLabel("Opening vault…")
    placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
    placeholder.setWordWrap(True)
    centre = QStackedWidget()
    centre.addWidget(placeholder)
    left_split = QSplitter(Qt.Orientation.Vertical)  # results appear above the pages
    left_split.addWidget(_empty(hidden=True))
    left_split.addWidget(_empty())
    left_split.setSizes([420, 380])
    left = QWidget()
    column = QVBoxLayout(left)
    column.setContentsMargins(0, 0, 0, 0)
    column.setSpacing(4)
    column.addWidget(search_box)
    column.addWidget(left_split, 1)
    right = QSplitter(Qt.Orientation.Vertical)
    right.addWidget(links)
    right.addWidget(graph)
    right.setSizes([480, 300])
    main = QSplitter(Qt.Orientation.Horizontal)
    for widget, stretch in ((left, 0), (centre, 1), (right, 0)):
        main.addWidget(widget)
        main.setStretchFactor(main.count() - 1, stretch)
    main.setSizes([290, 700, 310])
    main.setChildrenCollapsible(False)
    return WindowLayout(placeholder, centre, left_split, left, right, main)


def restore_layout(window: QWidget, layout: WindowLayout, settings: QSettings,
                   toggles: Mapping[str, QAction]) -> None:
    geometry = settings.value("window/geometry")
    if isinstance(geometry, QByteArray):
        window.restoreGeometry(geometry)
    for name in SPLITTERS:
        state = settings.value(f"window/{name}_splitter")
        if isinstance(state, QByteArray):
            getattr(layout, name).restoreState(state)
    for key in PANELS:
        toggles[key].setChecked(str(settings.value(f"panels/{key}", "true")).lower() != "false")


def save_layout(window: QWidget, layout: WindowLayout, settings: QSettings,
                toggles: Mapping[str, QAction]) -> None:
    settings.setValue("window/geometry", window.saveGeometry())
    for name in SPLITTERS:
        settings.setValue(f"window/{name}_splitter", getattr(layout, name).saveState())
    for key in PANELS:
        settings.setValue(f"panels/{key}", "true" if toggles[key].isChecked() else "false")
    remember_side_widths(window, layout, settings)
    settings.sync()


def remember_side_widths(window: QWidget, layout: WindowLayout, settings: QSettings) -> None:
    """The width of each side column while it shows (a hidden one is saved as 0 wide)."""
    sizes = layout.main.sizes()
    for index, (key, _default) in SIDE_WIDTHS.items():
        column = layout.main.widget(index)
        if column is not None and column.isVisibleTo(window) and sizes[index] > 0:
            settings.setValue(f"window/{key}", sizes[index])


def give_room(window: QWidget, layout: WindowLayout, settings: QSettings, index: int) -> None:
    """A side column shown again gets its last width back instead of staying 0 wide (the
    splitter state saved while it was hidden has no width for it)."""
    sizes = layout.main.sizes()
    column = layout.main.widget(index)
    if column is None or not column.isVisibleTo(window) or sizes[index] >= 40:
        return
    key, default = SIDE_WIDTHS[index]
    try:
        width = int(str(settings.value(f"window/{key}", default)))
    except (TypeError, ValueError):
        width = default
    width = max(120, min(width, sum(sizes) // 3 or width))
    sizes[1] = max(200, sizes[1] - (width - sizes[index]))
    sizes[index] = width
    layout.main.setSizes(sizes)
