"""Window-wide input: the mouse's back/forward buttons and files dropped anywhere on the window.

Installed on the application, so child widgets that take drops themselves (search box, editor,
page view) or swallow mouse presses cannot hide them from the window.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QDropEvent, QMouseEvent
from PySide6.QtWidgets import QWidget

from ui.operations.importing import local_files
from wiki.vault.attachment_saving import is_image_name


def _takes_images(widget: QWidget) -> bool:
    current: QWidget | None = widget
    while current is not None:
        if current.property("takes_image_drops"):
            return True
        current = current.parentWidget()
    return False


class WindowEvents(QObject):
    """Handlers are set by the open vault's session; without one, nothing is taken."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self.back: Callable[[], None] | None = None
        self.forward: Callable[[], None] | None = None
        self.drop: Callable[[list[Path]], None] | None = None
        window.setAcceptDrops(True)

    def set_handlers(self, *, back: Callable[[], None], forward: Callable[[], None],
                     drop: Callable[[list[Path]], None]) -> None:
        self.back, self.forward, self.drop = back, forward, drop

    def clear_handlers(self) -> None:
        self.back = self.forward = self.drop = None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        kind = event.type()
        if kind not in (QEvent.Type.MouseButtonPress, QEvent.Type.DragEnter,
                        QEvent.Type.DragMove, QEvent.Type.Drop):
            return False
        if self.drop is None or self.back is None or self.forward is None:
            return False  # no vault open
        if not isinstance(watched, QWidget) or watched.window() is not self.window:
            return False
        if isinstance(event, QMouseEvent):
            if event.button() == Qt.MouseButton.BackButton:
                self.back()
                return True
            if event.button() == Qt.MouseButton.ForwardButton:
                self.forward()
                return True
            return False
        if not isinstance(event, QDropEvent):  # QDragEnterEvent and QDragMoveEvent are too
            return False
        files = local_files(event.mimeData())
        if not files:
            return False
        if _takes_images(watched) and all(is_image_name(f.name) for f in files):
            return False  # images dropped on the editor become attachments there
        event.acceptProposedAction()
        if kind == QEvent.Type.Drop:
            self.drop(files)
        return True
