"""Review of the desktop app as a user meets it: each test pins one problem that was fixed."""

from __future__ import annotations

import threading

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from test_ui_support import (
    PAGES,
    answer_next_dialog,
    click_link,
    close_window,
    make_window,
    wait_idle,
)

from ui.views.navigator import Navigator


def test_navigator_filter_is_debounced_and_restores_open_groups(qtbot, window):
    nav: Navigator = window.navigator
    notes = nav.proxy.mapFromSource(nav._groups["notes"].index())
    nav.tree.collapse(notes)
    applied: list[str] = []
    real = nav.proxy.setFilterFixedString
    nav.proxy.setFilterFixedString = lambda text: (applied.append(text), real(text))
    qtbot.keyClicks(nav.filter_edit, "beta")
    qtbot.waitUntil(lambda: applied == ["beta"], timeout=2000)  # once, not per keystroke
    assert not nav.index_of("Alpha.md").isValid() and nav.index_of("notes/Beta.md").isValid()
    nav.filter_edit.clear()
    qtbot.waitUntil(lambda: nav.index_of("Alpha.md").isValid(), timeout=2000)
    top = nav.proxy.mapFromSource(nav._groups[""].index())
    notes = nav.proxy.mapFromSource(nav._groups["notes"].index())
    assert nav.tree.isExpanded(top) and not nav.tree.isExpanded(notes)  # as the user left them
    assert nav.tree.currentIndex() == nav.index_of("index.md")  # the open page stays selected


def test_navigator_inserts_new_pages_in_sorted_place(qtbot, window, vault_dir):
    nav: Navigator = window.navigator
    for name in ("Zeta", "Aardvark", "Mu", "Beta page b"):
        (vault_dir / "notes" / f"{name}.md").write_text(f"# {name}\n", encoding="utf-8")
        nav.on_vault_changed(window.ctx.vault.update_paths([f"notes/{name}.md"]))
    titles = [nav._groups["notes"].child(i).text()
              for i in range(nav._groups["notes"].rowCount())]
    assert titles == ["Aardvark", "Beta", "Beta page b", "Mu", "Zeta"]  # file names
    assert nav._groups["notes"].text() == "notes  (5)"


def test_ctrl_e_reads_the_page_source_off_the_ui_thread(qtbot, window, monkeypatch):
    import ui.views.page_view as page_view

    threads: list[bool] = []
    real = page_view.read_for_edit

    def spy(*args):
        threads.append(threading.current_thread() is threading.main_thread())
        return real(*args)

    monkeypatch.setattr(page_view, "read_for_edit", spy)
    view = window.page_view
    window.activateWindow()
    with qtbot.waitSignal(view.editing_started, timeout=5000):
        qtbot.keyClick(view.browser, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert threads == [False] and view.is_editing()
    assert view.editor.text() == PAGES["index.md"]


def start_editing(qtbot, view) -> None:
    with qtbot.waitSignal(view.editing_started, timeout=5000):
        view.toggle_editor()


def test_closing_the_window_with_unsaved_edits_asks(qtbot, window, vault_dir):
    view = window.page_view
    start_editing(qtbot, view)
    view.editor.text_edit.setPlainText("# Home\n\ndraft\n")
    asked = answer_next_dialog(qtbot, QMessageBox.StandardButton.Cancel)
    r = window.close()
    assert not r and window.isVisible()
    assert asked and view.has_unsaved_changes()
    asked = answer_next_dialog(qtbot, QMessageBox.StandardButton.Save)
    assert window.close()
    assert (vault_dir / "index.md").read_text(encoding="utf-8") == "# Home\n\ndraft\n"


def test_created_missing_page_link_turns_into_a_page_link(qtbot, window, vault_dir):
    with qtbot.waitSignal(window.page_view.page_loaded, timeout=5000):
        window.navigate("Alpha.md")
    answer_next_dialog(qtbot, QMessageBox.StandardButton.Yes)
    click_link(qtbot, window.page_view.browser, lambda href: "Nowhere" in href)
    qtbot.waitUntil(lambda: window.page_view.current_path == "Nowhere.md", timeout=10_000)
    wait_idle(qtbot, window)
    with qtbot.waitSignal(window.page_view.page_loaded, timeout=5000):
        window.go_back()
    hrefs = []
    doc = window.page_view.browser.document()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            href = it.fragment().charFormat().anchorHref()
            if "Nowhere" in href:
                hrefs.append(href)
            it += 1
        block = block.next()
    assert hrefs and all(h.startswith("wiki:") for h in hrefs), hrefs


def test_enter_during_a_slow_search_opens_a_result_of_the_typed_query(qtbot, window,
                                                                      monkeypatch):
    import time

    panel, vault = window.search_panel, window.ctx.vault
    real = vault.search

    def slow(query, limit=20):
        time.sleep(0.4)
        return real(query, limit)

    edit = panel.query_edit
    qtbot.keyClicks(edit, "alpha")
    qtbot.waitUntil(lambda: panel.last_results is not None
                    and panel.last_results.query == "alpha", timeout=10_000)
    monkeypatch.setattr(vault, "search", slow)
    edit.setText("photosynthesis")
    panel._timer.stop()
    panel.run_query()  # the debounce fired; the search is still running
    opened: list[str] = []
    panel.open_requested.connect(lambda path, _terms: opened.append(path))
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    assert opened == []  # not a hit of the "alpha" results still on screen
    qtbot.waitUntil(lambda: opened == ["notes/Beta.md"], timeout=10_000)
    wait_idle(qtbot, window)


def test_typing_after_enter_does_not_open_a_page_later(qtbot, window):
    panel = window.search_panel
    opened: list[str] = []
    panel.open_requested.connect(lambda path, _terms: opened.append(path))
    qtbot.keyClicks(panel.query_edit, "alph")
    qtbot.keyClick(panel.query_edit, Qt.Key.Key_Return)  # waits for the results…
    qtbot.keyClicks(panel.query_edit, "a rays")  # …but the user kept typing
    qtbot.waitUntil(lambda: panel.last_results is not None
                    and panel.last_results.query == "alpha rays", timeout=10_000)
    qtbot.wait(100)
    assert opened == []


def test_hidden_sidebar_and_splitter_sizes_are_restored(qtbot, write_files, tmp_path):
    root = write_files(PAGES)
    first = make_window(qtbot, root, tmp_path / "s.ini")
    first.main.setSizes([200, 800, 300])
    sizes = first.main.sizes()
    first.actions_.sidebar.setChecked(False)
    close_window(first, qtbot)
    second = make_window(qtbot, root, tmp_path / "s.ini")
    try:
        assert not second.left.isVisible() and not second.actions_.sidebar.isChecked()
        second.actions_.sidebar.setChecked(True)
        assert second.left.isVisible()
        assert second.main.sizes()[0] >= 100, (second.main.sizes(), sizes)  # was 0 wide
    finally:
        close_window(second, qtbot)
