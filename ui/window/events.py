"""Window-wide input: the mouse's back/forward buttons and files dropped anywhere on the window.

Installed on the application, so child widgets that take drops themselves (search box, editor,
page view) or swallow mouse presses cannot hide them from the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QWidget

from ui.operations.importing import local_files


class WindowEvents(QObject):
    def __init__(self, window: QWidget, *, back: Callable[[], None],
                 forward: Callable[[], None], drop: Callable[[list[Path]], None]) -> None:
        super().__init__(window)
        self.window = window
        self.back, self.forward, self.drop = back, forward, drop
        window.setAcceptDrops(True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind not in (QEvent.Type.MouseButtonPress, QEvent.Type.DragEnter,
                        QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        if kind == QEvent.Type.MouseButtonPress:
            if event.button() == Qt.MouseButton.BackButton:
                self.back()
                return True
            if event.button() == Qt.MouseButton.ForwardButton:
                self.forward()
                return True
            return False
        files = local_files(event.mimeData())
        if not files:
            return False
        event.acceptProposedAction()
        if kind == QEvent.Type.Drop:
            self.drop(files)
        return True
