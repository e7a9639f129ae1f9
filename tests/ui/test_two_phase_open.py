"""A first open in the app is navigable before the full-text index is built: the page list,
the page and its backlinks answer at once; search fills in afterwards, saying how far it is."""

from __future__ import annotations

import threading

from PySide6.QtCore import QSettings
from test_ui_support import PAGES, close_window, make_window

from wiki.vault.facade import Vault


def test_pages_and_backlinks_answer_while_the_search_index_is_still_filling(
        qtbot, write_files, tmp_path, monkeypatch):
    from ui.tasks import Tasks
    from ui.window.main_window import MainWindow

    root = write_files(PAGES)  # a vault never opened: no .wiki/ yet
    release = threading.Event()
    real_fill = Vault.fill_search_index

    def held_fill(self, progress=None):
        release.wait(30)  # phase 2 waits until the test has looked at phase 1
        return real_fill(self, progress)

    monkeypatch.setattr(Vault, "fill_search_index", held_fill)
    tasks = Tasks()
    window = MainWindow(tasks, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window.show()
    try:
        with qtbot.waitSignal(window.ready, timeout=20_000):
            window.open_vault(root)
        session = window.session
        vault = session.ctx.vault
        qtbot.waitUntil(lambda: session.navigator.page_count() == len(PAGES), timeout=10_000)
        assert {m.path for m in vault.backlinks("Alpha.md")} == {"index.md", "notes/Beta.md"}
        assert vault.search_progress() == (0, len(PAGES))
        partial = vault.search("photosynthesis")
        assert not partial.hits and (partial.indexed, partial.index_total) == (0, len(PAGES))
        release.set()
        qtbot.waitUntil(lambda: vault.search_progress() is None, timeout=20_000)
        assert [h.path for h in vault.search("photosynthesis").hits] == ["notes/Beta.md"]
    finally:
        release.set()
        close_window(window, qtbot)


def test_a_first_open_fills_the_search_index_only_once_the_first_page_is_shown(
        qtbot, write_files, tmp_path, monkeypatch):
    """Its first batch is indexed in the app's process: started at once, it held up the first
    page (1.3 s of a 13,415-page first open)."""
    from ui.tasks import Tasks
    from ui.window.main_window import MainWindow

    root = write_files(PAGES)
    order: list[str] = []
    real_fill = Vault.fill_search_index

    def recorded_fill(self, progress=None):
        order.append("fill")
        return real_fill(self, progress)

    monkeypatch.setattr(Vault, "fill_search_index", recorded_fill)
    tasks = Tasks()
    window = MainWindow(tasks, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window.ready.connect(lambda: order.append("page shown"))
    window.show()
    try:
        with qtbot.waitSignal(window.ready, timeout=20_000):
            window.open_vault(root)
        vault = window.session.ctx.vault
        qtbot.waitUntil(lambda: vault.search_progress() is None, timeout=20_000)
        assert order == ["page shown", "fill"]
        assert [h.path for h in vault.search("photosynthesis").hits] == ["notes/Beta.md"]
    finally:
        close_window(window, qtbot)


def test_a_first_open_reads_and_renders_its_first_page_once(qtbot, write_files, tmp_path,
                                                            monkeypatch):
    """The first page opens after the new graph is announced: opened before it, the page was
    rendered a second time because "the vault changed" (80 ms of the window's first open)."""
    from ui.views import page_view

    root = write_files(PAGES)
    rendered: list[str] = []
    real_render = page_view.render_vault_page

    def counted(*args, **kwargs):
        page = real_render(*args, **kwargs)
        rendered.append(args[1])  # (vault, path, ...)
        return page

    monkeypatch.setattr(page_view, "render_vault_page", counted)
    window = make_window(qtbot, root, tmp_path / "s.ini")
    try:
        session = window.session
        assert session.page_view.current_path == "index.md"
        assert session.navigator.page_count() == len(PAGES)
        qtbot.wait(300)  # (a second render, if one were asked for, would have run by now)
        assert rendered == ["index.md"]
    finally:
        close_window(window, qtbot)
