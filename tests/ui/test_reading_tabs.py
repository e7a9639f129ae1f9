"""Tabs, as a reader uses them: Ctrl+click and middle click open links in new tabs; titles,
close buttons, Ctrl+W, Ctrl+Tab; Back/Forward per tab; the links panel follows the current tab;
the open tabs come back at the next launch of the same vault."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QTabBar
from test_ui_support import PAGES, anchor_point, click_link, close_window, make_window, wait_idle

CTRL = Qt.KeyboardModifier.ControlModifier


def tab_titles(window) -> list[str]:
    bar = window.session.tabs.bar
    return [bar.tabText(i) for i in range(bar.count())]


def loaded(qtbot, window, action) -> None:
    with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=10_000):
        action()
    wait_idle(qtbot, window)


def link_to(name: str):
    return lambda href: href.startswith("wiki:") and name in href


def test_ctrl_click_and_middle_click_open_new_tabs_with_their_own_history(qtbot, window):
    view = window.session.page_view
    loaded(qtbot, window, lambda: click_link(qtbot, view.browser, link_to("Alpha")))
    assert view.current_path == "Alpha.md" and tab_titles(window) == ["Alpha"]

    # Ctrl+click Beta: a new tab right of this one, showing Beta, with no history yet
    point = anchor_point(view.browser, link_to("Beta"))
    loaded(qtbot, window, lambda: qtbot.mouseClick(view.browser.viewport(),
                                                   Qt.MouseButton.LeftButton, CTRL, point))
    assert tab_titles(window) == ["Alpha", "Beta"]
    assert window.session.tabs.bar.currentIndex() == 1
    assert view.current_path == "notes/Beta.md"
    assert not window.actions_.back.isEnabled()
    # the rest of the window follows the current tab
    assert window.links_panel.hood is not None and window.links_panel.hood.path == "notes/Beta.md"
    assert window.windowTitle().startswith("Beta")

    # reading on in the new tab builds its own history
    loaded(qtbot, window, lambda: click_link(qtbot, view.browser, link_to("Alpha")))
    assert tab_titles(window) == ["Alpha", "Alpha"]
    loaded(qtbot, window, lambda: qtbot.keyClick(window, Qt.Key.Key_Left,
                                                 Qt.KeyboardModifier.AltModifier))
    assert view.current_path == "notes/Beta.md"

    # Ctrl+Tab: the first tab, still on Alpha; its Back goes to where it came from (index)
    loaded(qtbot, window, lambda: qtbot.keyClick(view.browser, Qt.Key.Key_Tab, CTRL))
    assert window.session.tabs.bar.currentIndex() == 0
    assert view.current_path == "Alpha.md"
    assert window.links_panel.hood is not None and window.links_panel.hood.path == "Alpha.md"
    loaded(qtbot, window, lambda: qtbot.keyClick(window, Qt.Key.Key_Left,
                                                 Qt.KeyboardModifier.AltModifier))
    assert view.current_path == "index.md"
    assert window.actions_.forward.isEnabled()

    # a middle click on a link opens it in a new tab too
    loaded(qtbot, window, lambda: window.actions_.forward.trigger())
    point = anchor_point(view.browser, link_to("Gamma"))
    loaded(qtbot, window, lambda: qtbot.mouseClick(view.browser.viewport(),
                                                   Qt.MouseButton.MiddleButton, pos=point))
    assert tab_titles(window) == ["Alpha", "Gamma Ray", "Beta"]
    assert view.current_path == "Gamma Ray.md"


def test_close_button_ctrl_w_and_the_last_tab(qtbot, window):
    view = window.session.page_view
    tabs = window.session.tabs
    loaded(qtbot, window, lambda: tabs.open_in_new_tab("Alpha.md"))
    loaded(qtbot, window, lambda: tabs.open_in_new_tab("notes/Beta.md"))
    assert tab_titles(window) == ["index", "Alpha", "Beta"]

    # Ctrl+W closes the current tab; its right-hand... no: the one now at its place shows
    loaded(qtbot, window, lambda: qtbot.keyClick(view.browser, Qt.Key.Key_W, CTRL))
    assert tab_titles(window) == ["index", "Alpha"]
    assert view.current_path == "Alpha.md"

    # the close button of the first tab (not the current one): the current page stays
    button = tabs.bar.tabButton(0, QTabBar.ButtonPosition.RightSide)
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert tab_titles(window) == ["Alpha"]
    assert view.current_path == "Alpha.md"

    # the last tab stays open, and says so
    qtbot.keyClick(view.browser, Qt.Key.Key_W, CTRL)
    assert tab_titles(window) == ["Alpha"]
    assert "last tab" in window.status.currentMessage()


def test_middle_click_on_a_tab_closes_it(qtbot, window):
    tabs = window.session.tabs
    loaded(qtbot, window, lambda: tabs.open_in_new_tab("Alpha.md"))
    rect = tabs.bar.tabRect(0)
    qtbot.mouseClick(tabs.bar, Qt.MouseButton.MiddleButton, pos=rect.center())
    assert tab_titles(window) == ["Alpha"]


def test_open_tabs_are_restored_at_the_next_launch(qtbot, write_files, tmp_path):
    root = write_files(PAGES)
    settings = tmp_path / "settings.ini"
    window = make_window(qtbot, root, settings)
    try:
        tabs = window.session.tabs
        loaded(qtbot, window, lambda: tabs.open_in_new_tab("notes/Beta.md"))
        loaded(qtbot, window, lambda: tabs.open_in_new_tab("Gamma Ray.md"))
        loaded(qtbot, window, lambda: tabs.bar.setCurrentIndex(1))  # a click on the Beta tab
        assert window.session.page_view.current_path == "notes/Beta.md"
    finally:
        close_window(window, qtbot)

    again = make_window(qtbot, root, settings)
    try:
        assert tab_titles(again) == ["index", "Beta", "Gamma Ray"]
        assert again.session.tabs.bar.currentIndex() == 1
        assert again.session.page_view.current_path == "notes/Beta.md"
        # a background tab opens its page when chosen
        loaded(qtbot, again, lambda: again.session.tabs.bar.setCurrentIndex(2))
        assert again.session.page_view.current_path == "Gamma Ray.md"
    finally:
        close_window(again, qtbot)


def test_a_tab_whose_page_was_deleted_closes_when_chosen(qtbot, window):
    tabs = window.session.tabs
    loaded(qtbot, window, lambda: tabs.open_in_new_tab("Gamma Ray.md"))
    loaded(qtbot, window, lambda: tabs.bar.setCurrentIndex(0))
    root = window.session.ctx.vault.root
    (root / "Gamma Ray.md").unlink()
    qtbot.waitUntil(lambda: window.session.ctx.vault.page_info("Gamma Ray.md") is None,
                    timeout=10_000)  # the watcher saw it
    tabs.bar.setCurrentIndex(1)
    assert tab_titles(window) == ["index"]
    assert window.session.page_view.current_path == "index.md"
    assert "no longer in the vault" in window.status.currentMessage()
