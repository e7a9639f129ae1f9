"""The main window's menus, toolbar and keyboard shortcuts.

Two kinds of action: the window's own (open a vault, quit, show or hide panels), connected to
``WindowCommands`` here; and the vault's (navigate, create, import, refresh), which do nothing
without an open vault: they start disabled, and the vault session connects and enables them
while it lives (``WindowActions.vault_actions``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QStyle, QToolBar


class WindowCommands(Protocol):
    """What the window's own actions call."""

    def choose_vault(self) -> None: ...
    def close(self) -> bool: ...
    def set_sidebar_visible(self, visible: bool) -> None: ...
    def set_links_visible(self, visible: bool) -> None: ...
    def set_graph_visible(self, visible: bool) -> None: ...
    def show_about(self) -> None: ...


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
    edit_menu: QMenu  # filled with the page view's own actions while a vault is open
    toolbar_widget: QToolBar

    VAULT = ("import_articles", "reveal", "new_page", "back", "forward", "home", "random",
             "switcher", "search", "filter_pages", "refresh")

    def vault_actions(self) -> dict[str, QAction]:
        """The actions that need an open vault, by name."""
        return {name: getattr(self, name) for name in self.VAULT}

    def panel_toggles(self) -> dict[str, QAction]:
        return {"sidebar": self.sidebar, "links": self.links, "graph": self.graph,
                "toolbar": self.toolbar}


def _action(window: QMainWindow, text: str, slot: Callable[[], object] | None,
            *keys: QKeySequence | QKeySequence.StandardKey | str,
            icon: QStyle.StandardPixmap | None = None, tip: str = "") -> QAction:
    action = QAction(text, window)
    if keys:
        action.setShortcuts([QKeySequence(k) for k in keys])
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    shortcut = action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
    action.setToolTip(f"{tip or text.rstrip('…')} ({shortcut})" if shortcut else tip or text)
    action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
    if slot is None:  # a vault action: connected by the session, disabled until then
        action.setEnabled(False)
    else:
        action.triggered.connect(lambda _checked=False: slot())
    window.addAction(action)
    return action


def _toggle(window: QMainWindow, text: str, slot: Callable[[bool], None], key: str) -> QAction:
    action = QAction(text, window, checkable=True, checked=True)
    action.setShortcut(QKeySequence(key))
    action.toggled.connect(slot)
    window.addAction(action)
    return action


def build_actions(w: QMainWindow, commands: WindowCommands) -> WindowActions:
    sp = QStyle.StandardPixmap
    bar = w.menuBar()
    file_menu = bar.addMenu("&File")
    edit_menu = bar.addMenu("&Edit")
    go_menu = bar.addMenu("&Go")
    view_menu = bar.addMenu("&View")
    help_menu = bar.addMenu("&Help")
    toolbar = QToolBar("Navigation", w)
    a = WindowActions(
        open_vault=_action(w, "Open Vault…", commands.choose_vault, "Ctrl+Shift+O"),
        import_articles=_action(w, "Import Articles…", None, "Ctrl+I"),
        reveal=_action(w, "Reveal Vault Folder", None),
        new_page=_action(w, "New Page…", None, QKeySequence.StandardKey.New),
        quit=_action(w, "Quit", commands.close, QKeySequence.StandardKey.Quit),
        back=_action(w, "Back", None, "Alt+Left", icon=sp.SP_ArrowBack),
        forward=_action(w, "Forward", None, "Alt+Right", icon=sp.SP_ArrowForward),
        home=_action(w, "Home", None, "Alt+Home", icon=sp.SP_DirHomeIcon),
        random=_action(w, "Random Page", None, "Ctrl+Shift+R", tip="Open a random page"),
        switcher=_action(w, "Quick Switcher…", None, "Ctrl+O",
                         icon=sp.SP_FileDialogContentsView, tip="Jump to a page"),
        search=_action(w, "Search Vault", None, "Ctrl+K", "Ctrl+Shift+F"),  # Ctrl+F: in page
        filter_pages=_action(w, "Filter Pages", None, "Ctrl+Alt+F"),
        refresh=_action(w, "Refresh", None, "F5", tip="Re-read changed files"),
        sidebar=_toggle(w, "Sidebar", commands.set_sidebar_visible, "Ctrl+Shift+B"),
        links=_toggle(w, "Links Panel", commands.set_links_visible, "Ctrl+Shift+L"),
        graph=_toggle(w, "Local Graph", commands.set_graph_visible, "Ctrl+Shift+G"),
        toolbar=QAction("Toolbar", w, checkable=True, checked=True),
        edit_menu=edit_menu,
        toolbar_widget=toolbar,
    )
    for item in (a.new_page, a.import_articles, None, a.open_vault, a.reveal, None, a.quit):
        file_menu.addSeparator() if item is None else file_menu.addAction(item)
    for item in (a.back, a.forward, a.home, a.random, None, a.switcher, a.search, a.filter_pages):
        go_menu.addSeparator() if item is None else go_menu.addAction(item)
    view_menu.addActions([a.sidebar, a.links, a.graph, a.toolbar])
    view_menu.addSeparator()
    view_menu.addAction(a.refresh)
    help_menu.addAction("About Commonplace", commands.show_about)

    toolbar.setObjectName("navigation")
    toolbar.setMovable(False)
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.addActions([a.back, a.forward, a.home])
    toolbar.addSeparator()
    toolbar.addActions([a.switcher, a.random])
    w.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
    a.toolbar.toggled.connect(toolbar.setVisible)
    return a
