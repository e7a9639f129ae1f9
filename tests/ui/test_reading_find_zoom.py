"""Find in page (Ctrl+F), the vault search on Ctrl+Shift+F / Ctrl+K, the outline pane and
text zoom, as a reader uses them: keys and clicks on a real temporary vault."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_ui_support import PAGES, close_window, make_window, wait_idle

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier

LONG = "# Long read\n\nIntro mentions the harbour.\n\n" + "\n\n".join(
    f"## Part {i}\n\nText of part {i} about ships.\n\n### Detail {i}\n\nThe harbour at {i}."
    for i in range(1, 16)) + "\n\n## Ending\n\nThe last harbour.\n"


def open_page(qtbot, window, path: str) -> None:
    with qtbot.waitSignal(window.session.page_view.page_loaded, timeout=10_000):
        window.navigate(path)
    wait_idle(qtbot, window)


def highlighted(browser) -> list[str]:
    return [s.cursor.selectedText() for s in browser.extraSelections()]


def test_ctrl_f_finds_in_the_page_counts_steps_and_esc_closes(qtbot, write_files, tmp_path):
    window = make_window(qtbot, write_files({**PAGES, "Long.md": LONG}), tmp_path / "s.ini")
    try:
        open_page(qtbot, window, "Long.md")
        view = window.session.page_view
        bar = window.reading.find_bar
        assert bar is not None and not bar.isVisible()
        qtbot.keyClick(view.browser, Qt.Key.Key_F, CTRL)
        assert bar.isVisible() and bar.edit.hasFocus()
        qtbot.keyClicks(bar.edit, "HARBOUR")  # case does not matter
        assert bar.count.text() == "1 of 17"
        assert highlighted(view.browser) == ["harbour"] * 17
        qtbot.keyClick(bar.edit, Qt.Key.Key_Return)
        assert bar.count.text() == "2 of 17"
        qtbot.keyClick(bar.edit, Qt.Key.Key_Return, SHIFT)
        qtbot.keyClick(bar.edit, Qt.Key.Key_Return, SHIFT)  # round to the last one
        assert bar.count.text() == "17 of 17"
        # the last match is scrolled into view
        assert view.browser.verticalScrollBar().value() > 0
        rect = view.browser.cursorRect()
        assert view.browser.viewport().rect().contains(rect.center())
        qtbot.mouseClick(bar.previous, Qt.MouseButton.LeftButton)
        assert bar.count.text() == "16 of 17"
        bar.edit.clear()
        qtbot.keyClicks(bar.edit, "zebra")
        assert bar.count.text() == "No matches" and highlighted(view.browser) == []
        qtbot.keyClick(bar.edit, Qt.Key.Key_Escape)
        assert not bar.isVisible()
        assert view.browser.extraSelections() == []
    finally:
        close_window(window, qtbot)


def test_find_follows_the_page_and_the_editor(qtbot, window):
    view = window.session.page_view
    bar = window.reading.find_bar
    qtbot.keyClick(view.browser, Qt.Key.Key_F, CTRL)
    qtbot.keyClicks(bar.edit, "alpha")
    assert bar.count.text() == "1 of 1"  # "Start at Alpha."
    open_page(qtbot, window, "Alpha.md")
    qtbot.waitUntil(lambda: bar.count.text() == "1 of 2", timeout=5000)  # the title, the text
    with qtbot.waitSignal(view.editing_started, timeout=10_000):
        qtbot.keyClick(view.browser, Qt.Key.Key_E, CTRL)
    qtbot.waitUntil(lambda: bar.match_count() == 2, timeout=5000)  # "# Alpha", "Alpha links"
    assert [s.cursor.selectedText() for s in view.editor.text_edit.extraSelections()
            if s.cursor.hasSelection() and s.cursor.selectedText() == "Alpha"]
    view._leave_editor()


def test_vault_search_moved_to_ctrl_shift_f_and_ctrl_k_still_works(qtbot, window):
    box = window.search_box
    qtbot.keyClick(window, Qt.Key.Key_F, CTRL | SHIFT)
    assert box.hasFocus()
    window.session.page_view.browser.setFocus()
    qtbot.keyClick(window, Qt.Key.Key_K, CTRL)
    assert box.hasFocus()
    assert window.reading.find_bar is not None and not window.reading.find_bar.isVisible()
    names = {a.text(): a.shortcut().toString() for a in window.findChildren(type(
        window.actions_.search)) if a.text()}
    assert names["Find in Page…"] == "Ctrl+F"
    assert names["Search Vault"] == "Ctrl+K"


def test_outline_lists_nested_headings_and_a_click_scrolls_there(qtbot, write_files, tmp_path):
    window = make_window(qtbot, write_files({**PAGES, "Long.md": LONG}), tmp_path / "s.ini")
    try:
        reading = window.reading
        assert not reading.dock.isVisible()
        qtbot.keyClick(window, Qt.Key.Key_H, CTRL | SHIFT)  # View > Outline
        assert reading.dock.isVisible()
        open_page(qtbot, window, "Long.md")
        rows = reading.outline.titles()
        assert rows[:4] == [(0, "Long read"), (1, "Part 1"), (2, "Detail 1"), (1, "Part 2")]
        assert rows[-1] == (1, "Ending")
        view = window.session.page_view
        bar = view.browser.verticalScrollBar()
        assert bar.value() == 0
        tree = reading.outline.tree
        top = tree.topLevelItem(0)
        part8 = top.child(7)
        assert part8.text(0) == "Part 8"
        qtbot.mouseClick(tree.viewport(), Qt.MouseButton.LeftButton,
                         pos=tree.visualItemRect(part8).center())
        assert bar.value() > 0
        heading = view.browser.document().find("Part 8")
        top_of_heading = view.browser.cursorRect(heading).top()
        assert 0 <= top_of_heading < 80  # "Part 8" is at the top of the page view now
        assert reading.outline.current_title() == "Part 8"
        # reading on: the outline marks the part being read
        with qtbot.waitSignal(bar.valueChanged, timeout=2000):
            bar.setValue(bar.maximum())
        assert reading.outline.current_title() in ("Ending", "Detail 15")
        with qtbot.waitSignal(bar.valueChanged, timeout=2000):
            bar.setValue(0)
        assert reading.outline.current_title() == "Long read"
        # the outline follows the page shown
        open_page(qtbot, window, "notes/Beta.md")
        assert reading.outline.titles() == [(0, "Beta page"), (1, "Details")]
        open_page(qtbot, window, "Gamma Ray.md")
        assert reading.outline.titles() == [(0, "Gamma Ray")]
    finally:
        close_window(window, qtbot)


def test_text_zoom_keys_and_it_is_remembered(qtbot, write_files, tmp_path):
    root = write_files(PAGES)
    settings = tmp_path / "s.ini"
    window = make_window(qtbot, root, settings)
    try:
        view = window.session.page_view

        def title_size() -> float:
            return view.browser.document().firstBlock().begin().fragment().charFormat() \
                .font().pointSizeF()

        before = title_size()
        with qtbot.waitSignal(view.page_loaded, timeout=10_000):
            qtbot.keyClick(view.browser, Qt.Key.Key_Equal, CTRL)
        with qtbot.waitSignal(view.page_loaded, timeout=10_000):
            qtbot.keyClick(view.browser, Qt.Key.Key_Plus, CTRL)
        assert view.zoom == 1.25
        assert title_size() > before * 1.15
        assert "125%" in window.status.currentMessage()
    finally:
        close_window(window, qtbot)
    again = make_window(qtbot, root, settings)
    try:
        view = again.session.page_view
        assert view.zoom == 1.25
        with qtbot.waitSignal(view.page_loaded, timeout=10_000):
            qtbot.keyClick(view.browser, Qt.Key.Key_Minus, CTRL)
        assert view.zoom == 1.1
        with qtbot.waitSignal(view.page_loaded, timeout=10_000):
            qtbot.keyClick(view.browser, Qt.Key.Key_0, CTRL)
        assert view.zoom == 1.0
        assert abs(view.browser.document().firstBlock().begin().fragment().charFormat()
                   .font().pointSizeF() - before) < 0.6
    finally:
        close_window(again, qtbot)
