"""Issue 15's search frictions in the sidebar: an exact name or alias first, more results as
the list scrolls, a first index that says how far it is and shows what it found so far, and a
phrase being typed that never flashes an error. Typed into the real window's search box."""

from __future__ import annotations

import threading

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QAbstractSlider
from test_ui_support import close_window, make_window, wait_idle

import wiki.vault.backlog as backlog


def _type(qtbot, panel, text: str, delay: int = -1) -> None:
    panel.query_edit.setFocus()
    panel.query_edit.clear()
    qtbot.keyClicks(panel.query_edit, text, delay=delay)
    qtbot.waitUntil(lambda: panel.last_results is not None
                    and panel.last_results.query == text, timeout=10_000)


def _rows(panel) -> list[str]:
    return [hit.path for hit in panel.model.hits]


def test_an_exact_alias_comes_before_a_page_that_shares_its_stem(qtbot, write_files, tmp_path):
    filler = " ".join(f"word{i}" for i in range(400))
    files = {
        "organisations/Anthropic PBC.md": f"---\naliases: [Anthropic]\n---\nA company. {filler}\n",
        "Anthrop Stats.md": "Anthrop stats: " + "anthropic " * 30 + "\n",
    }
    files.update({f"notes/Note {i}.md": f"Notes on anthropic work, item {i}.\n" for i in range(8)})
    window = make_window(qtbot, write_files(files), tmp_path / "s.ini")
    try:
        panel = window.session.search_panel
        _type(qtbot, panel, "anthropic")
        assert _rows(panel)[0] == "organisations/Anthropic PBC.md"
        assert panel.results.currentIndex().row() == 0
        _type(qtbot, panel, "Anthrop Stats")
        assert _rows(panel)[0] == "Anthrop Stats.md"
        wait_idle(qtbot, window)
    finally:
        close_window(window, qtbot)


def test_results_past_the_first_fifty_load_as_the_list_scrolls(qtbot, write_files, tmp_path):
    files = {f"zoo/Zebra {i:03}.md": f"# Zebra {i}\n\nA zebra, number {i}, grazes.\n"
             for i in range(130)}
    window = make_window(qtbot, write_files(files), tmp_path / "s.ini")
    try:
        panel = window.session.search_panel
        _type(qtbot, panel, "grazes")
        assert len(_rows(panel)) == 50 and panel.last_results.total == 130
        assert "130 results (showing 50)" in panel.info.text()
        first = _rows(panel)
        bar = panel.results.verticalScrollBar()
        qtbot.waitUntil(lambda: bar.maximum() > 0, timeout=5_000)
        bar.triggerAction(QAbstractSlider.SliderAction.SliderToMaximum)  # dragged to the end
        qtbot.waitUntil(lambda: len(_rows(panel)) == 100, timeout=10_000)
        assert _rows(panel)[:50] == first  # appended: the rows seen stay where they were
        assert bar.value() > 0
        bar.triggerAction(QAbstractSlider.SliderAction.SliderToMaximum)
        qtbot.waitUntil(lambda: len(_rows(panel)) == 130, timeout=10_000)
        assert len(set(_rows(panel))) == 130
        assert "130 results" in panel.info.text() and "showing" not in panel.info.text()
        _type(qtbot, panel, "zebra grazes")  # a new query starts again from fifty
        assert len(_rows(panel)) == 50
        wait_idle(qtbot, window)
    finally:
        close_window(window, qtbot)


def test_a_first_index_says_how_far_it_is_and_shows_what_it_found(qtbot, write_files, tmp_path,
                                                                  monkeypatch):
    from ui.tasks import Tasks
    from ui.window.main_window import MainWindow

    files = {f"a{i}.md": f"# A{i}\n\nQuartz crystal number {i}.\n" for i in range(6)}
    files["z.md"] = "# Z\n\nZircon and quartz.\n"
    root = write_files(files)  # never opened: the first open indexes everything
    release = threading.Event()
    real_fill = backlog.fill_index
    monkeypatch.setattr(backlog, "FIRST_BATCH", 2)

    def held_fill(*args, on_commit=None, **kwargs):
        def committed(done: int, total: int) -> None:
            if on_commit is not None:
                on_commit(done, total)
            release.wait(30)  # the next batch waits until the test has looked

        return real_fill(*args, on_commit=committed, **kwargs)

    monkeypatch.setattr(backlog, "fill_index", held_fill)
    tasks = Tasks()
    window = MainWindow(tasks, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window.show()
    try:
        with qtbot.waitSignal(window.ready, timeout=20_000):
            window.open_vault(root)
        vault = window.session.ctx.vault
        qtbot.waitUntil(lambda: vault.search_progress() == (2, 7), timeout=10_000)
        panel = window.session.search_panel
        shown: list[str] = []
        panel.results_shown.connect(lambda _r: shown.append(panel.info.text()))
        _type(qtbot, panel, "quartz")
        assert "Indexing 2 of 7…" in panel.info.text()
        assert _rows(panel) == ["a0.md", "a1.md"]  # what is indexed so far
        _type(qtbot, panel, "zircon")
        assert "Indexing 2 of 7…" in panel.info.text()
        assert "nothing found in the pages indexed so far" in panel.info.text()
        assert not any("No pages match" in line for line in shown)
        release.set()
        qtbot.waitUntil(lambda: _rows(panel) == ["z.md"], timeout=20_000)  # asked again
        qtbot.waitUntil(lambda: "Indexing" not in panel.info.text(), timeout=10_000)
        assert "1 result" in panel.info.text()
        assert vault.search_progress() is None
    finally:
        release.set()
        close_window(window, qtbot)


def test_a_phrase_being_typed_never_flashes_an_error(qtbot, window):
    panel = window.session.search_panel
    shown: list[str] = []
    panel.results_shown.connect(lambda results: shown.append(
        f"{results.query}|{results.error}|{panel.info.text()}"))
    _type(qtbot, panel, '"photosynthesis det', delay=170)  # each prefix is searched
    assert len(shown) >= 5
    assert not any("unbalanced" in line or "quote" in line for line in shown), shown
    assert all("|None|" in line for line in shown), shown
    assert _rows(panel) == ["notes/Beta.md"]
    wait_idle(qtbot, window)
