"""One icon set for the whole app: Phosphor (MIT), drawn by qtawesome from its icon font.

qtawesome (the Spyder project's, MIT; the Phosphor font is MIT too) draws each icon from a font
at any size and in any colour, so one set serves the light and dark themes and high-DPI
screens; SVG files of our own would need recolouring code for each theme. ``icon`` gives the
icon of a name in the palette's colours; ``apply`` (re)sets every icon the window shows, and
runs again after each theme change so icons follow the text colour.
"""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("QT_API", "pyside6")  # qtawesome goes through QtPy: use our binding

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt  # noqa: E402
from PySide6.QtGui import QIcon, QPalette  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QAbstractItemView,
    QApplication,
    QLineEdit,
    QStyledItemDelegate,
    QStyleOptionViewItem,
)

# what each thing the user sees shows (Phosphor 1.3 names, as qtawesome spells them)
NAMES = {
    "back": "ph.arrow-left", "forward": "ph.arrow-right", "home": "ph.house",
    "switcher": "ph.magnifying-glass", "random": "ph.shuffle", "new_page": "ph.note-pencil",
    "import_articles": "ph.download-simple", "open_vault": "ph.folder-open",
    "reveal": "ph.folder-simple", "refresh": "ph.arrow-clockwise", "settings": "ph.gear-six",
    "search": "ph.magnifying-glass", "filter": "ph.funnel-simple", "folder": "ph.folder-simple",
    "page": "ph.file-text", "links": "ph.link-simple", "graph": "ph.share-network",
    "tag": "ph.tag", "ask": "ph.chat-circle-text", "quit": "ph.sign-out",
}
TOOLBAR = ("back", "forward", "home", "switcher", "random", "new_page", "import_articles",
           "settings")


def _qta() -> Any:
    import qtawesome

    return qtawesome


def icon(name: str, palette: QPalette | None = None) -> QIcon:
    """The icon for ``name`` (a key of ``NAMES``) in the text colours of ``palette``."""
    app = QApplication.instance()
    palette = palette or (app.palette() if isinstance(app, QApplication) else QPalette())
    role, group = QPalette.ColorRole, QPalette.ColorGroup
    return _qta().icon(NAMES[name],
                       color=palette.color(role.ButtonText),
                       color_disabled=palette.color(group.Disabled, role.ButtonText),
                       color_active=palette.color(role.ButtonText))


def set_line_edit_icon(edit: QLineEdit, name: str) -> None:
    """A leading icon in a search or filter box (replaced, never stacked, on a theme change)."""
    for action in edit.actions():
        if action.property("commonplace_icon"):
            edit.removeAction(action)
    action = edit.addAction(icon(name), QLineEdit.ActionPosition.LeadingPosition)
    action.setProperty("commonplace_icon", True)


def apply(window: Any) -> None:
    """Give the window's actions, toolbar and panels their icons in the current colours."""
    actions = window.actions_
    for name in NAMES:
        action = getattr(actions, name, None)
        if action is not None and hasattr(action, "setIcon"):
            action.setIcon(icon(name))
    set_line_edit_icon(window.search_box, "search")
    session = getattr(window, "session", None)
    if session is not None:
        set_line_edit_icon(session.navigator.filter_edit, "filter")
        decorate_tree(session.navigator.tree, icon("folder"))


class TreeIcons(QStyledItemDelegate):
    """Draws a folder icon before the rows that hold others (the navigator's groups), without
    touching the model (one shared QIcon: free at 10k pages); pages stay plain text, as in
    Obsidian's file list."""

    def __init__(self, folder: QIcon, parent: QAbstractItemView) -> None:
        super().__init__(parent)
        self.folder = folder

    def initStyleOption(self, option: QStyleOptionViewItem,  # noqa: N802 (Qt name)
                        index: QModelIndex | QPersistentModelIndex) -> None:
        super().initStyleOption(option, index)
        grouped = index.model().hasChildren(index) or not index.parent().isValid()
        if grouped and option.icon.isNull():  # a row's own icon wins
            option.icon = self.folder
            option.features |= QStyleOptionViewItem.ViewItemFeature.HasDecoration
            option.decorationSize = option.decorationSize.expandedTo(
                option.decorationSize.__class__(16, 16))
            option.displayAlignment = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


def decorate_tree(view: QAbstractItemView, folder: QIcon) -> None:
    """Give a tree of groups and pages (the navigator) its folder icon, or a new colour."""
    current = view.itemDelegate()
    if isinstance(current, TreeIcons):
        current.folder = folder
        view.viewport().update()
    elif type(current) is QStyledItemDelegate:  # never replace another pane's own delegate
        view.setItemDelegate(TreeIcons(folder, view))
