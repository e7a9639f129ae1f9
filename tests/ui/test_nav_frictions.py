"""Issue 15's frictions of moving around: focus after a search, scroll positions kept by
Back/Forward, the links panel starting at the top of a new page, and "Link" on an unlinked
mention. Real windows on real temporary vaults, driven with keys and clicks."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from test_ui_support import PAGES, click_link, close_window, make_window, wait_idle


def _long(name: str, link: str) -> str:
    paras = "\n\n".join(f"Paragraph {i} of {name}, with enough words to fill a line or two "
                        "of the page so that it scrolls a long way." for i in range(150))
    return f"# {name}\n\n{paras}\n\nSee [[{link}]].\n"


def _search(qtbot, window, text: str) -> None:
    session = window.session
    edit = session.search_panel.query_edit
    edit.setFocus()
    edit.clear()
    qtbot.keyClicks(edit, text)
    qtbot.waitUntil(lambda: session.search_panel.last_results is not None
                    and session.search_panel.last_results.query == text, timeout=10_000)


def _search_and_open(qtbot, window, text: str, path: str) -> None:
    session = window.session
    if session.search_panel.query_edit.text() != text:
        _search(qtbot, window, text)
    session.search_panel.query_edit.setFocus()
    qtbot.keyClick(session.search_panel.query_edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: session.page_view.current_path == path, timeout=10_000)


def test_enter_on_a_search_result_gives_the_page_the_keyboard(qtbot, window):
    session = window.session
    window.activateWindow()
    _search_and_open(qtbot, window, "photosynthesis", "notes/Beta.md")
    qtbot.waitUntil(lambda: QApplication.focusWidget() is session.page_view.browser,
                    timeout=5_000)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(session.page_view.is_editing, timeout=10_000)
    assert "photosynthesis" in session.page_view.editor.text_edit.toPlainText()


def test_back_and_forward_return_to_where_the_reader_was(qtbot, write_files, tmp_path):
    root = write_files({"index.md": "# Home\n\n[[First]]\n", "First.md": _long("First", "Second"),
                        "Second.md": _long("Second", "First")})
    window = make_window(qtbot, root, tmp_path / "s.ini", page="First")
    try:
        session = window.session
        view = session.page_view
        bar = view.browser.verticalScrollBar()
        qtbot.waitUntil(lambda: view.current_path == "First.md" and bar.maximum() > 2000,
                        timeout=10_000)
        _search(qtbot, window, "Second")  # the results show: the page keeps its width from now
        view.browser.setFocus()
        for _ in range(6):
            qtbot.keyClick(view.browser, Qt.Key.Key_PageDown)
        first_at = bar.value()
        assert first_at > 500
        _search_and_open(qtbot, window, "Second", "Second.md")
        qtbot.waitUntil(lambda: bar.maximum() > 2000 and bar.value() == 0, timeout=10_000)
        assert session.history.can_go_back()
        view.browser.setFocus()
        for _ in range(3):
            qtbot.keyClick(view.browser, Qt.Key.Key_PageDown)
        second_at = bar.value()
        assert 0 < second_at != first_at
        qtbot.keyClick(view.browser, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: view.current_path == "First.md" and bar.value() == first_at,
                        timeout=10_000)
        qtbot.keyClick(view.browser, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(lambda: view.current_path == "Second.md" and bar.value() == second_at,
                        timeout=10_000)
        wait_idle(qtbot, window)
    finally:
        close_window(window, qtbot)


def test_the_links_panel_starts_at_the_top_of_a_new_page(qtbot, write_files, tmp_path):
    files = dict(PAGES)
    for i in range(60):
        files[f"refs/Ref {i:02}.md"] = f"# Ref {i}\n\nA note about [[Alpha]] and [[Gamma Ray]].\n"
    window = make_window(qtbot, write_files(files), tmp_path / "s.ini", page="Alpha")
    try:
        session, panel = window.session, window.links_panel
        bar = panel.verticalScrollBar()
        qtbot.waitUntil(lambda: panel.hood is not None and panel.hood.path == "Alpha.md"
                        and bar.maximum() > 0, timeout=10_000)
        bar.setValue(bar.maximum())  # the reader scrolled down the mentions
        assert bar.value() > 0
        _search_and_open(qtbot, window, "Gamma Ray", "Gamma Ray.md")
        qtbot.waitUntil(lambda: panel.hood is not None and panel.hood.path == "Gamma Ray.md",
                        timeout=10_000)
        assert bar.maximum() > 0 and bar.value() == 0
        assert "Linked mentions (61)" in panel.toPlainText()
        wait_idle(qtbot, window)
        assert session.page_view.current_path == "Gamma Ray.md"
    finally:
        close_window(window, qtbot)


def test_link_on_an_unlinked_mention_links_it_in_that_file(qtbot, write_files, tmp_path):
    root = write_files(PAGES)
    window = make_window(qtbot, root, tmp_path / "s.ini", page="Alpha")
    try:
        panel = window.links_panel
        qtbot.waitUntil(lambda: panel.hood is not None and panel.hood.path == "Alpha.md"
                        and [m.path for m in panel.hood.unlinked] == ["Gamma Ray.md"],
                        timeout=10_000)
        assert "Unlinked mentions (1)" in panel.toPlainText()
        click_link(qtbot, panel, lambda href: href.startswith("link:"))
        qtbot.waitUntil(lambda: "[[Alpha]] is named" in (root / "Gamma Ray.md").read_text(),
                        timeout=10_000)
        qtbot.waitUntil(lambda: panel.hood is not None and not panel.hood.unlinked
                        and "Gamma Ray.md" in {m.path for m in panel.hood.backlinks},
                        timeout=10_000)
        text = panel.toPlainText()
        assert "Unlinked mentions (0)" in text and "Linked mentions (3)" in text
        wait_idle(qtbot, window)
    finally:
        close_window(window, qtbot)


def test_unlinked_mentions_appear_once_a_first_index_is_done(qtbot, write_files, tmp_path,
                                                             monkeypatch):
    import threading

    from PySide6.QtCore import QSettings

    from ui.tasks import Tasks
    from ui.window.main_window import MainWindow
    from wiki.vault.facade import Vault

    root = write_files(PAGES)  # never opened: search (which finds mentions) fills in later
    release = threading.Event()
    real_fill = Vault.fill_search_index

    def held_fill(self, progress=None):
        release.wait(30)
        return real_fill(self, progress)

    monkeypatch.setattr(Vault, "fill_search_index", held_fill)
    window = MainWindow(Tasks(), QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window.show()
    try:
        with qtbot.waitSignal(window.ready, timeout=20_000):
            window.open_vault(root, page="Alpha")
        panel = window.links_panel
        qtbot.waitUntil(lambda: panel.hood is not None and panel.hood.path == "Alpha.md",
                        timeout=10_000)
        assert panel.hood.unlinked == []  # nothing indexed yet to find them with
        release.set()
        qtbot.waitUntil(lambda: panel.hood is not None
                        and [m.path for m in panel.hood.unlinked] == ["Gamma Ray.md"],
                        timeout=20_000)
        assert "Unlinked mentions (1)" in panel.toPlainText()
    finally:
        release.set()
        close_window(window, qtbot)
