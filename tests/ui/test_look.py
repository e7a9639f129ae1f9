"""The look: one icon set on the toolbar and panels, following the theme; the toolbar's own
buttons do what their tooltips say."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QToolButton

from ui import theme


@pytest.fixture(autouse=True)
def _system_theme_after():
    yield
    theme.apply_theme("system")


def lightest_ink(icon, size: int = 18) -> int:
    image = icon.pixmap(size, size).toImage()
    inked = [image.pixelColor(x, y).lightness() for x in range(size) for y in range(size)
             if image.pixelColor(x, y).alpha() > 200]
    assert inked, "the icon draws nothing"
    return max(inked)


def toolbar_buttons(window) -> list[QToolButton]:
    bar = window.actions_.toolbar_widget
    return [bar.widgetForAction(a) for a in bar.actions()
            if not a.isSeparator() and isinstance(bar.widgetForAction(a), QToolButton)]


def test_every_toolbar_button_has_an_icon_that_follows_the_theme(qtbot, window):
    buttons = toolbar_buttons(window)
    assert len(buttons) >= 8
    for button in buttons:
        assert not button.icon().isNull(), button.defaultAction().text()
        assert button.toolTip()  # icon-only: the tooltip names it, with its shortcut
    assert all(lightest_ink(b.icon()) < 110 for b in buttons if b.isEnabled())  # dark ink
    window.look.apply(window.look.prefs.__class__(theme="dark"))
    buttons = toolbar_buttons(window)
    assert all(lightest_ink(b.icon()) > 150 for b in buttons if b.isEnabled())  # light ink
    assert lightest_ink(window.session.navigator.filter_edit.actions()[0].icon(), 16) > 150


def test_toolbar_settings_button_opens_settings(qtbot, window):
    button = next(b for b in toolbar_buttons(window) if b.defaultAction() is window.look.action)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.look.dialog is not None and window.look.dialog.isVisible(),
                    timeout=5000)
    assert QApplication.activeModalWidget() in (None, window.look.dialog)
    window.look.dialog.reject()
    qtbot.waitUntil(lambda: window.look.dialog is None, timeout=5000)


def test_navigator_groups_show_a_folder_icon(qtbot, window):
    tree = window.session.navigator.tree
    group = tree.model().index(0, 0)
    assert tree.model().hasChildren(group)
    from PySide6.QtWidgets import QStyleOptionViewItem

    option = QStyleOptionViewItem()
    tree.itemDelegate().initStyleOption(option, group)
    assert not option.icon.isNull()
    page = tree.model().index(0, 0, group)
    plain = QStyleOptionViewItem()
    tree.itemDelegate().initStyleOption(plain, page)
    assert plain.icon.isNull()  # pages stay plain text, as in Obsidian's file list
