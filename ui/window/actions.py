"""The main window's menus, toolbar and keyboard shortcuts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QStyle, QToolBar

if TYPE_CHECKING:
    from ui.window.main_window import MainWindow


@dataclass
class WindowActions:
    open_vault: QAction
    import_articles: QAction
    reveal: QAction
    new_page: QAction
    quit: QAction
    back: QAction
    forward: QAction
    home: QAction
    random: QAction
    switcher: QAction
    search: QAction
    filter_pages: QAction
    refresh: QAction
    sidebar: QAction
    links: QAction
    graph: QAction
    toolbar: QAction


def _action(window: MainWindow, text: str, slot: Callable, *keys: QKeySequence | str,
            icon: QStyle.StandardPixmap | None = None, tip: str = "") -> QAction:
    action = QAction(text, window)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip or text.rstrip('…')} ({shortcut})" if shortcut else tip or text)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action


def _toggle(window: MainWindow, text: str, slot: Callable[[bool], None], key: str) -> QAction:
    action = QAction(text, window, checkable=True, checked=True)
    action.setShortcut(QKeySequence(key))
    action.toggled.connect(slot)
    window.addAction(action)
    return action


def build_actions(w: MainWindow) -> WindowActions:
    sp = QStyle.StandardPixmap
    a = WindowActions(
        open_vault=_action(w, "Open Vault…", w.choose_vault, "Ctrl+Shift+O"),
        import_articles=_action(w, "Import Articles…", w.choose_import, "Ctrl+I"),
        reveal=_action(w, "Reveal Vault Folder", w.reveal_vault),
        new_page=_action(w, "New Page…", w.new_page, QKeySequence.StandardKey.New),
        quit=_action(w, "Quit", w.close, QKeySequence.StandardKey.Quit),
        back=_action(w, "Back", w.go_back, "Alt+Left", icon=sp.SP_ArrowBack),
        forward=_action(w, "Forward", w.go_forward, "Alt+Right", icon=sp.SP_ArrowForward),
        home=_action(w, "Home", w.go_home, "Alt+Home", icon=sp.SP_DirHomeIcon),
        random=_action(w, "Random Page", w.go_random, "Ctrl+Shift+R", tip="Open a random page"),
        switcher=_action(w, "Quick Switcher…", w.quick_switch, "Ctrl+O",
                         icon=sp.SP_FileDialogContentsView, tip="Jump to a page"),
        search=_action(w, "Search", w.focus_search, "Ctrl+K", "Ctrl+F"),
        filter_pages=_action(w, "Filter Pages", w.focus_filter, "Ctrl+Shift+F"),
        refresh=_action(w, "Refresh", w.refresh_vault, "F5", tip="Re-read changed files"),
        sidebar=_toggle(w, "Sidebar", w.set_sidebar_visible, "Ctrl+Shift+B"),
        links=_toggle(w, "Links Panel", w.set_links_visible, "Ctrl+Shift+L"),
        graph=_toggle(w, "Local Graph", w.set_graph_visible, "Ctrl+Shift+G"),
        toolbar=QAction("Toolbar", w, checkable=True, checked=True),
    )
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    for item in (a.new_page, a.import_articles, None, a.open_vault, a.reveal, None, a.quit):
        file_menu.addSeparator() if item is None else file_menu.addAction(item)
    w.edit_menu = bar.addMenu("&Edit")  # filled with the page view's own actions on bind
    go_menu = bar.addMenu("&Go")
    for item in (a.back, a.forward, a.home, a.random, None, a.switcher, a.search, a.filter_pages):
        go_menu.addSeparator() if item is None else go_menu.addAction(item)
    view_menu = bar.addMenu("&View")
    view_menu.addActions([a.sidebar, a.links, a.graph, a.toolbar])
    view_menu.addSeparator()
    view_menu.addAction(a.refresh)
    help_menu = bar.addMenu("&Help")
    help_menu.addAction("About Commonplace", w.show_about)

    toolbar = QToolBar("Navigation", w)
    toolbar.setObjectName("navigation")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.addActions([a.back, a.forward, a.home])
    toolbar.addSeparator()
    toolbar.addActions([a.switcher, a.random])
    w.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    a.toolbar.toggled.connect(toolbar.setVisible)
    w.toolbar = toolbar
    return a
