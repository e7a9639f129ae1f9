"""Issue 15: after a first index the status bar says what happened ("7 pages indexed in
1.2 s"), and the warnings it met (an empty note, damaged frontmatter) go to a list the user
opens from the status bar, instead of the first of them taking the status line."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication
from test_ui_support import PAGES, close_window, wait_idle


def test_a_first_index_says_what_happened_and_lists_the_warnings(qtbot, write_files, tmp_path):
    from ui.tasks import Tasks
    from ui.window.main_window import MainWindow

    files = dict(PAGES)
    files["Empty.md"] = ""
    files["Bad.md"] = "---\ntitle: [unclosed\n---\nA note with broken frontmatter.\n"
    root = write_files(files)  # never opened: the first open indexes everything
    tasks = Tasks()
    window = MainWindow(tasks, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    window.show()
    try:
        with qtbot.waitSignal(window.ready, timeout=20_000):
            window.open_vault(root)
        status = window.status
        qtbot.waitUntil(lambda: "indexed in" in status.currentMessage(), timeout=20_000)
        message = status.currentMessage()
        assert message.startswith("6 pages indexed in ") and message.count(" s") >= 1
        assert "2 warnings (click ⚠ to see them)" in message
        assert "empty" not in message and "YAML" not in message
        button = status.warnings
        assert button.isVisible() and button.text() == "⚠ 2"
        qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
        dialog = button.dialog
        qtbot.waitUntil(lambda: dialog is not None and dialog.isVisible(), timeout=5_000)
        lines = [dialog.list.item(i).text() for i in range(dialog.list.count())]
        assert any(line.startswith("Empty.md: ") and "empty" in line for line in lines)
        assert any(line.startswith("Bad.md: ") for line in lines)
        assert "2 warnings" in dialog.summary.text()
        qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
        assert "Empty.md" in QApplication.clipboard().text()
        qtbot.mouseClick(dialog.clear_button, Qt.MouseButton.LeftButton)
        assert dialog.list.count() == 0 and not button.isVisible()
        dialog.close()
        wait_idle(qtbot, window)
    finally:
        close_window(window, qtbot)


def test_a_reopen_with_nothing_to_index_does_not_claim_an_index(qtbot, write_files, tmp_path):
    from test_ui_support import make_window

    root = write_files(PAGES)
    first = make_window(qtbot, root, tmp_path / "s.ini")
    qtbot.waitUntil(lambda: "indexed in" in first.status.currentMessage(), timeout=20_000)
    close_window(first, qtbot)
    again = make_window(qtbot, root, tmp_path / "s.ini")
    try:
        qtbot.wait(300)
        assert "indexed in" not in again.status.currentMessage()
        assert not again.status.warnings.isVisible()
    finally:
        close_window(again, qtbot)
