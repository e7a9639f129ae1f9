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


LONG = "# Long\n\n" + "\n\n".join(f"## Part {i}\n\nText of part {i}." for i in range(60))


def test_each_tab_keeps_where_the_reader_was(qtbot, write_files, tmp_path):
    window = make_window(qtbot, write_files({**PAGES, "Long.md": LONG}), tmp_path / "s.ini")
    try:
        tabs, view = window.session.tabs, window.session.page_view
        loaded(qtbot, window, lambda: window.navigate("Long.md"))
        bar = view.browser.verticalScrollBar()
        assert bar.maximum() > 600
        bar.setValue(600)
        loaded(qtbot, window, lambda: tabs.open_in_new_tab("Long.md"))  # the same page again
        assert bar.value() == 0
        loaded(qtbot, window, lambda: qtbot.keyClick(view.browser, Qt.Key.Key_Tab, CTRL))
        qtbot.waitUntil(lambda: bar.value() == 600, timeout=5000)
        loaded(qtbot, window, lambda: qtbot.keyClick(view.browser, Qt.Key.Key_Tab,
                                                     CTRL | Qt.KeyboardModifier.ShiftModifier))
        assert tabs.bar.currentIndex() == 1
        qtbot.waitUntil(lambda: bar.value() == 0, timeout=5000)
    finally:
        close_window(window, qtbot)


def test_ctrl_click_in_the_links_panel_opens_a_new_tab(qtbot, window):
    view = window.session.page_view
    loaded(qtbot, window, lambda: window.navigate("Alpha.md"))
    panel = window.links_panel
    point = anchor_point(panel, lambda href: href == "page:notes/Beta.md")
    loaded(qtbot, window, lambda: qtbot.mouseClick(panel.viewport(), Qt.MouseButton.LeftButton,
                                                   CTRL, point))
    assert tab_titles(window) == ["Alpha", "Beta"]
    assert view.current_path == "notes/Beta.md"


def test_switching_tabs_from_the_editor_keeps_unsaved_text_unless_told(qtbot, window):
    from PySide6.QtWidgets import QMessageBox
    from test_ui_support import answer_next_dialog

    view, tabs = window.session.page_view, window.session.tabs
    loaded(qtbot, window, lambda: tabs.open_in_new_tab("Alpha.md"))
    with qtbot.waitSignal(view.editing_started, timeout=10_000):
        qtbot.keyClick(view.browser, Qt.Key.Key_E, CTRL)
    edit = view.editor.text_edit
    edit.setFocus()
    qtbot.keyClicks(edit, "unsaved words ")
    seen = answer_next_dialog(qtbot, QMessageBox.StandardButton.Cancel)
    qtbot.keyClick(edit, Qt.Key.Key_Tab, CTRL)  # Ctrl+Tab from inside the editor
    assert seen and "Save your changes" in seen[0]
    assert tabs.bar.currentIndex() == 1 and view.is_editing()  # stayed, text kept
    assert "unsaved words" in edit.toPlainText()
    window.activateWindow()  # as the window system does once the dialog has gone
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)
    seen = answer_next_dialog(qtbot, QMessageBox.StandardButton.Discard)
    loaded(qtbot, window, lambda: qtbot.keyClick(edit, Qt.Key.Key_Tab, CTRL))
    assert seen
    assert tabs.bar.currentIndex() == 0 and view.current_path == "index.md"
    assert "unsaved words" not in (window.session.ctx.vault.root / "Alpha.md").read_text()


def test_tabs_and_bookmarks_are_per_vault_when_switching_vaults(qtbot, window, tmp_path):
    tabs = window.session.tabs
    loaded(qtbot, window, lambda: tabs.open_in_new_tab("Alpha.md"))
    qtbot.keyClick(window.session.page_view.browser, Qt.Key.Key_D, CTRL)  # bookmark Alpha
    first = window.session.ctx.vault.root
    other = tmp_path / "other"
    other.mkdir()
    (other / "Solo.md").write_text("# Solo\n\n## One\n", encoding="utf-8")
    with qtbot.waitSignal(window.vault_opened, timeout=20_000):
        window.open_vault(other)
    qtbot.waitUntil(lambda: window.session.page_view.current_path == "Solo.md", timeout=10_000)
    wait_idle(qtbot, window)
    assert tab_titles(window) == ["Solo"]
    window.reading.bookmarks.menu.aboutToShow.emit()
    assert window.reading.bookmarks.titles() == []
    # the reading keys work on the new vault's page
    qtbot.keyClick(window.session.page_view.browser, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(window.reading.find_bar.edit, "one")
    assert window.reading.find_bar.count.text() == "1 of 1"
    with qtbot.waitSignal(window.vault_opened, timeout=20_000):
        window.open_vault(first)
    qtbot.waitUntil(lambda: window.session.page_view.current_path == "Alpha.md",
                    timeout=10_000)
    wait_idle(qtbot, window)
    assert tab_titles(window) == ["index", "Alpha"]
    window.reading.bookmarks.menu.aboutToShow.emit()
    assert window.reading.bookmarks.titles() == ["Alpha"]


def test_middle_click_in_the_page_list_and_ctrl_click_on_a_search_result(qtbot, window):
    view = window.session.page_view
    nav = window.session.navigator
    rect = nav.tree.visualRect(nav.index_of("Gamma Ray.md"))
    loaded(qtbot, window, lambda: qtbot.mouseClick(nav.tree.viewport(),
                                                   Qt.MouseButton.MiddleButton,
                                                   pos=rect.center()))
    assert tab_titles(window) == ["index", "Gamma Ray"]
    assert view.current_path == "Gamma Ray.md"

    panel = window.session.search_panel
    qtbot.keyClicks(window.search_box, "photosynthesis")
    qtbot.waitUntil(lambda: panel.results.model().rowCount() > 0, timeout=10_000)
    rect = panel.results.visualRect(panel.results.model().index(0, 0))
    loaded(qtbot, window, lambda: qtbot.mouseClick(panel.results.viewport(),
                                                   Qt.MouseButton.LeftButton, CTRL,
                                                   rect.center()))
    assert tab_titles(window) == ["index", "Gamma Ray", "Beta"]
    assert view.current_path == "notes/Beta.md"


def test_a_single_tab_has_no_close_button(qtbot, window):
    tabs = window.session.tabs
    assert tabs.bar.tabButton(0, QTabBar.ButtonPosition.RightSide) is None
    loaded(qtbot, window, lambda: tabs.open_in_new_tab("Alpha.md"))
    assert tabs.bar.tabButton(0, QTabBar.ButtonPosition.RightSide) is not None
    qtbot.keyClick(window.session.page_view.browser, Qt.Key.Key_W, CTRL)
    qtbot.waitUntil(lambda: tabs.count() == 1, timeout=5000)
    assert tabs.bar.tabButton(0, QTabBar.ButtonPosition.RightSide) is None
