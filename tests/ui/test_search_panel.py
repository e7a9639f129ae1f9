"""ui.views.search_panel in the window: Enter while a search is still running."""

from __future__ import annotations

from PySide6.QtCore import Qt
from test_ui_support import wait_idle


def test_enter_during_a_slow_search_opens_a_result_of_the_typed_query(qtbot, window,
                                                                      monkeypatch):
    import time

    panel, vault = window.session.search_panel, window.session.ctx.vault
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
    panel = window.session.search_panel
    opened: list[str] = []
    panel.open_requested.connect(lambda path, _terms: opened.append(path))
    qtbot.keyClicks(panel.query_edit, "alph")
    qtbot.keyClick(panel.query_edit, Qt.Key.Key_Return)  # waits for the results…
    qtbot.keyClicks(panel.query_edit, "a rays")  # …but the user kept typing
    qtbot.waitUntil(lambda: panel.last_results is not None
                    and panel.last_results.query == "alpha rays", timeout=10_000)
    qtbot.wait(100)
    assert opened == []
