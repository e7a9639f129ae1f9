"""Helpers for the UI tests (no tests here): a window on a real temporary vault, link clicks."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import shiboken6
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtGui import QTextCursor
from PySide6.QtWidgets import QApplication, QMessageBox, QTextBrowser

PAGES = {
    "index.md": "# Home\n\nStart at [[Alpha]].\n",
    "Alpha.md": "# Alpha\n\nAlpha links to [[Beta]] and [[Gamma Ray|gamma]] and [[Nowhere]].\n",
    "notes/Beta.md": (
        "---\naliases: [Bee]\n---\n# Beta page\n\nBeta mentions [[Alpha]] in passing.\n\n"
        "## Details\n\nBeta details about photosynthesis.\n"
    ),
    "Gamma Ray.md": "# Gamma Ray\n\nNo links here, but Alpha is named in plain text.\n",
}


def make_window(qtbot, root: Path, settings_file: Path, **open_kwargs):
    """A shown MainWindow with ``root`` open and its first page loaded."""
    from ui.tasks import Tasks
    from ui.window.main_window import MainWindow

    tasks = Tasks()
    settings = QSettings(str(settings_file), QSettings.Format.IniFormat)
    window = MainWindow(tasks, settings)
    # not qtbot.addWidget: pytest-qt would close it before the fixture can discard a test's
    # unsaved edit, and the close would ask about it; close_window closes it
    window.show()
    with qtbot.waitSignal(window.ready, timeout=20_000):
        window.open_vault(root, **open_kwargs)
    wait_idle(qtbot, window)
    return window


def wait_idle(qtbot, window) -> None:
    """Wait until the engine worker is idle and the links panel has caught up."""
    qtbot.waitUntil(lambda: not window.tasks.worker.busy and not window.links_pending,
                    timeout=20_000)


def drain(qtbot, tasks) -> None:
    """Let every queued read and write finish and deliver, so closing cancels nothing."""
    tasks.wait_idle(20)
    done: list[int] = []
    tasks.query("drain", lambda: None, on_done=lambda _result: done.append(1))
    tasks.render("drain-render", lambda: None, on_done=lambda _result: done.append(1))
    qtbot.waitUntil(lambda: len(done) == 2, timeout=20_000)  # each thread is first in, first out


def close_window(window, qtbot=None) -> None:
    tasks = window.tasks
    if shiboken6.isValid(window):
        window.close()
    if qtbot is not None:
        drain(qtbot, tasks)
    tasks.close()
    if window.session is not None:
        window.session.ctx.vault.close()


def anchor_point(browser: QTextBrowser, predicate) -> QPoint:
    """Viewport position of the first link whose href satisfies ``predicate``."""
    doc = browser.document()
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            href = frag.charFormat().anchorHref()
            if href and predicate(href):
                cursor = QTextCursor(doc)
                cursor.setPosition(frag.position() + max(0, frag.length() // 2))
                browser.ensureCursorVisible()
                browser.setTextCursor(cursor)
                browser.ensureCursorVisible()
                return browser.cursorRect(cursor).center()
            it += 1
        block = block.next()
    raise AssertionError(f"no matching link in: {browser.toPlainText()[:300]!r}")


def click_link(qtbot, browser: QTextBrowser, predicate) -> None:
    point = anchor_point(browser, predicate)
    qtbot.mouseClick(browser.viewport(), Qt.MouseButton.LeftButton, pos=point)


def answer_next_dialog(qtbot, button: QMessageBox.StandardButton) -> list[str]:
    """Press ``button`` on the next modal message box (run before the action that opens it)."""
    seen: list[str] = []

    def press() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            seen.append(box.text())
            box.button(button).click()
        else:
            from PySide6.QtCore import QTimer

            QTimer.singleShot(20, press)

    from PySide6.QtCore import QTimer

    QTimer.singleShot(20, press)
    return seen


@contextmanager
def page_view_context(qtbot, root: Path) -> Iterator:
    """An ``AppContext`` on the vault at ``root`` (read, with its own tasks and settings file);
    queued work is drained and everything closed afterwards."""
    from ui.context import AppContext
    from ui.tasks import Tasks
    from wiki.vault.facade import Vault

    vault = Vault.open(root, create=True)
    vault.refresh()
    tasks = Tasks()
    settings = QSettings(str(root.parent / "settings.ini"), QSettings.Format.IniFormat)
    try:
        yield AppContext(vault=vault, tasks=tasks, settings=settings)
    finally:
        drain(qtbot, tasks)
        tasks.close()
        vault.close()


def shown_page_view(ctx, qtbot):
    """A ``PageView`` on ``ctx``, shown at 900x700 and exposed."""
    from ui.views.page_view import PageView

    widget = PageView(ctx)
    widget.resize(900, 700)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget
