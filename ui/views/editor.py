"""The page editor stacked with the page view: Markdown colouring, ``[[`` completion, images
pasted or dropped in as attachments; and the thin notice bar both views use."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QMimeData, Qt, Signal
from PySide6.QtGui import QFont, QFontDatabase, QImage, QPalette, QTextCursor, QTextOption
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from ui.operations import attachments
from ui.views.link_completion import LinkCompleter
from ui.views.markdown_highlighter import MarkdownHighlighter, is_dark
from ui.views.page_browser import PageBrowser
from ui.views.preview import DraftPreview
from wiki.core.stamp import HiddenStamp
from wiki.vault.attachment_saving import is_image_name, pasted_image_name
from wiki.vault.editing import Etag

if TYPE_CHECKING:
    from ui.context import AppContext


class NoticeBar(QWidget):
    """A non-modal one-line notice with an optional action button and a close button."""

    action_clicked = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.ToolTipBase)
        self.setForegroundRole(QPalette.ColorRole.ToolTipText)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.action = QPushButton(self)
        self.action.clicked.connect(self.action_clicked)
        close = QPushButton("×", self)
        close.setFlat(True)
        close.setToolTip("Dismiss")
        close.setFixedWidth(28)
        close.clicked.connect(self.hide)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 6, 4)
        layout.addWidget(self.label)
        layout.addWidget(self.action)
        layout.addWidget(close)
        self.hide()

    def show_message(self, text: str, action: str | None = None) -> None:
        self.label.setText(text)
        self.action.setVisible(bool(action))
        if action:
            self.action.setText(action)
        self.show()

    def text(self) -> str:
        return self.label.text() if self.isVisible() else ""


def _images_in(mime: QMimeData) -> tuple[list[Path], bool]:
    """(local image files, whether the data is an image itself) of a paste or a drop."""
    files = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()] \
        if mime.hasUrls() else []
    images = [f for f in files if is_image_name(f.name) and f.is_file()]
    return images, not images and mime.hasImage()


def png_bytes(image: QImage) -> bytes:
    buffer = QBuffer()
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    image.save(buffer, "PNG")  # type: ignore[call-overload]  # (QIODevice, format) exists
    return bytes(QByteArray(buffer.data()).data())


class MarkdownEdit(QPlainTextEdit):
    """A plain-text editor that hands pasted or dropped images to its owner (``image_given``)
    instead of inserting their path or nothing."""

    image_given = Signal(object, object, int)  # (bytes or None, Path or None, position)

    def canInsertFromMimeData(self, source: QMimeData) -> bool:  # noqa: N802 (Qt name)
        images, is_image = _images_in(source)
        return bool(images) or is_image or super().canInsertFromMimeData(source)

    def insertFromMimeData(self, source: QMimeData) -> None:  # noqa: N802 (Qt name)
        images, is_image = _images_in(source)
        position = self.textCursor().position()
        if images:
            for image in images:
                self.image_given.emit(None, image, position)
            return
        if is_image:
            image = source.imageData()
            if isinstance(image, QImage) and not image.isNull():
                self.image_given.emit(png_bytes(image), None, position)
                return
        super().insertFromMimeData(source)


class PageEditor(QWidget):
    """Edits one page's Markdown source. Keeps the path and the etag taken when editing
    began (and the hidden stamp line of a generated page), so saves detect conflicts."""

    reload_requested = Signal()
    status = Signal(str)
    attached = Signal(str)  # an image was saved and embedded (its vault path)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.path: str | None = None
        self.etag: Etag | None = None
        self.stamp: HiddenStamp | None = None
        self._saved_text = ""  # what the file holds, as far as we know
        self.bar = NoticeBar(self)
        self.bar.action_clicked.connect(self._bar_action)
        self._bar_kind = ""
        self.text_edit = MarkdownEdit(self)
        self.text_edit.setObjectName("pageEditor")
        self.text_edit.setProperty("takes_image_drops", True)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont)
        font.setStyleHint(QFont.StyleHint.Monospace)
        self.text_edit.setFont(font)
        self.text_edit.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.text_edit.setTabChangesFocus(False)
        self.text_edit.document().setDocumentMargin(12)
        self.text_edit.image_given.connect(self._attach)
        self.highlighter = MarkdownHighlighter(self.text_edit.document(),
                                               is_dark(self.text_edit.palette()))
        self.completer = LinkCompleter(self.text_edit)
        self.completer.target_wanted.connect(self._load_target)
        self.preview_browser = PageBrowser(self)
        self.preview = DraftPreview(ctx, self.text_edit, self.preview_browser)
        self.split = QSplitter(Qt.Orientation.Horizontal, self)
        self.split.addWidget(self.text_edit)
        self.split.addWidget(self.preview_browser)
        self.split.setChildrenCollapsible(False)
        self.preview_browser.hide()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.split)
        if str(ctx.settings.value("editor/preview", "false")).lower() == "true":
            self.set_preview_visible(True)

    def set_preview_visible(self, visible: bool) -> None:
        """Show the rendered page beside the editor (remembered for next time)."""
        self.preview_browser.setVisible(visible)
        self.ctx.settings.setValue("editor/preview", "true" if visible else "false")
        if visible:
            width = max(2, self.split.width())
            self.split.setSizes([width // 2, width - width // 2])
            if self.path is not None:
                self.preview.start(self.path)
        else:
            self.preview.stop()

    def preview_visible(self) -> bool:
        return not self.preview_browser.isHidden()

    def begin(self, path: str, text: str, etag: Etag, stamp: HiddenStamp | None = None) -> None:
        """Start editing ``path`` with the text and etag just read from disk."""
        self.path, self.etag, self.stamp, self._saved_text = path, etag, stamp, text
        self.completer.set_pages(self.ctx.vault.pages())
        self.text_edit.setPlainText(text)
        self.text_edit.document().setModified(False)
        self.text_edit.moveCursor(QTextCursor.MoveOperation.Start)
        self.bar.hide()
        if self.preview_visible():
            self.preview.start(path)

    def end(self) -> None:
        self.path, self.etag, self.stamp, self._saved_text = None, None, None, ""
        self.preview.stop()
        self.completer.hide()
        self.text_edit.clear()
        self.text_edit.document().setModified(False)
        self.bar.hide()

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def is_modified(self) -> bool:
        return self.path is not None and self.text() != self._saved_text

    def mark_saved(self, etag: Etag | None, text: str | None = None) -> None:
        self.etag = etag
        self._saved_text = self.text() if text is None else text
        self.text_edit.document().setModified(False)
        self.bar.hide()

    def replace_text(self, text: str, etag: Etag, stamp: HiddenStamp | None = None) -> None:
        """Load the version on disk, keeping the cursor near where it was."""
        pos = self.text_edit.textCursor().position()
        scroll = self.text_edit.verticalScrollBar().value()
        self.stamp = stamp
        self.text_edit.setPlainText(text)
        cursor = self.text_edit.textCursor()
        cursor.setPosition(min(pos, len(text)))
        self.text_edit.setTextCursor(cursor)
        self.text_edit.verticalScrollBar().setValue(scroll)
        self.mark_saved(etag, text)

    # -- notices --------------------------------------------------------------------------------
    def show_changed_on_disk(self) -> None:
        self._bar_kind = "changed"
        self.bar.show_message("This page changed on disk.", "Reload")

    def show_deleted_on_disk(self) -> None:
        self._bar_kind = "deleted"
        self.bar.show_message("This page was deleted on disk. Ctrl+S saves it again "
                              "(as it is here, or under a new name).")

    def _bar_action(self) -> None:
        if self._bar_kind == "changed":
            self.reload_requested.emit()

    # -- links and images -----------------------------------------------------------------------
    def _load_target(self, target: str) -> None:
        """Headings and blocks of a link target, read off the UI thread for the completer."""
        path = self.path
        vault = self.ctx.vault

        def read() -> str:
            found = vault.resolve(target, path or "", "wiki") if target else path
            return vault.read_page(found).body if found else ""

        self.ctx.tasks.query(f"complete-{id(self)}", read,
                             on_done=lambda body: self.completer.set_target_body(target, body))

    def _attach(self, data: bytes | None, source: Path | None, position: int) -> None:
        page = self.path
        if page is None:
            return
        name = source.name if source is not None else pasted_image_name()
        marker = QTextCursor(self.text_edit.document())  # follows edits made meanwhile
        marker.setPosition(position)

        def done(embed: str, rel: str) -> None:
            if self.path != page:
                return
            marker.insertText(embed)
            self.status.emit(f"Attached {rel}")
            self.attached.emit(rel)

        attachments.attach(self.ctx, page, name=name, data=data, source=source, on_done=done,
                           on_error=self.status.emit)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "highlighter"):
            dark = is_dark(self.text_edit.palette())
            if dark != self.highlighter.dark:
                self.highlighter.set_dark(dark)
                self.preview.apply_style()
                self.preview.render_now()
