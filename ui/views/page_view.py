"""The centre of the window: the rendered page, link routing, and the Ctrl+E editor.

Pages are read and rendered on the reader thread (``ctx.tasks.query``) and shown in a
``QTextBrowser`` (no JavaScript). Link clicks are routed by scheme (see
``wiki.markup.render``); edits
are saved with an etag so a file changed by another program is never silently overwritten.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QDesktopServices, QFont, QKeySequence, QPalette
from PySide6.QtWidgets import QMessageBox, QStackedWidget, QTextBrowser, QVBoxLayout, QWidget

from ui.views.editor import NoticeBar, PageEditor
from ui.views.page_links import handle_link
from ui.views.page_resources import resource_for
from wiki.core.model import ChangeSummary
from wiki.core.rules import normalize_rel
from wiki.markup.code_style import code_css
from wiki.markup.render import RenderedPage, parse_href, render_vault_page, slug
from wiki.vault.editing import (
    EditConflict,
    EditError,
    create_page,
    current_etag,
    new_page_path,
    read_for_edit,
    save_page,
)

if TYPE_CHECKING:
    from ui.context import AppContext

CSS_FILE = Path(__file__).resolve().parents[2] / "resources" / "page.css"
TEXT_COLUMN = 860  # px: wider windows get side margins so lines stay readable
Button = QMessageBox.StandardButton


LIGHT = {"heading": "#1f2328", "muted": "#656d76", "link": "#0b62c4", "missing": "#c2410c",
         "code_bg": "#f1f3f5", "code_fg": "#24292f", "quote_bg": "#f6f8fa", "rule": "#d0d7de",
         "match_bg": "#ffe066", "match_fg": "#000000", "tag": "#6f42c1", "embed_bg": "#fafbfc",
         "embed_rule": "#c9d1d9", "quote_bar": "#c9d1d9"}
DARK = {"heading": "#e6edf3", "muted": "#9198a1", "link": "#58a6ff", "missing": "#f0883e",
        "code_bg": "#2a2f36", "code_fg": "#e6edf3", "quote_bg": "#242931", "rule": "#3d444d",
        "match_bg": "#7a5d00", "match_fg": "#ffffff", "tag": "#d2a8ff", "embed_bg": "#1f242b",
        "embed_rule": "#3d444d", "quote_bar": "#4d5561"}


def page_stylesheet(palette: QPalette, font: QFont) -> str:
    """resources/page.css with colours for this palette (dark when the window is dark)."""
    dark = palette.color(QPalette.ColorRole.Window).lightness() < 128
    colours = dict(DARK if dark else LIGHT)
    colours["text"] = palette.color(QPalette.ColorRole.Text).name()
    colours["size"] = str(max(11, round(font.pointSizeF() * 1.1)) if font.pointSizeF() > 0
                          else 11)
    colours["mono"] = "'DejaVu Sans Mono', 'Menlo', 'Consolas', monospace"
    try:
        css = CSS_FILE.read_text(encoding="utf-8")
    except OSError:
        return ""
    for key, value in colours.items():
        css = css.replace(f"@{key}@", value)
    return css + code_css(dark)


class PageBrowser(QTextBrowser):
    """A QTextBrowser that keeps the text in a readable column on wide windows and loads
    only the resources its page was rendered with (``ui.views.page_resources``)."""

    resources: dict[str, bytes] = {}

    def loadResource(self, kind: int, url: QUrl | str):  # noqa: N802 (Qt name)
        dark = self.palette().color(QPalette.ColorRole.Window).lightness() < 128
        return resource_for(self.resources, int(kind.value if hasattr(kind, "value") else kind),
                            url if isinstance(url, QUrl) else QUrl(url), dark=dark)

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt name)
        super().resizeEvent(event)
        self.fit_column()

    def fit_column(self) -> None:
        side = max(24, (self.viewport().width() - TEXT_COLUMN) // 2)
        frame = self.document().rootFrame()
        fmt = frame.frameFormat()
        if fmt.leftMargin() != side:
            fmt.setLeftMargin(side)
            fmt.setRightMargin(side)
            fmt.setTopMargin(16)
            fmt.setBottomMargin(32)
            frame.setFrameFormat(fmt)


class PageView(QWidget):
    page_requested = Signal(str, str)  # vault path, heading anchor or ""
    create_requested = Signal(str)  # a missing link target the user chose to create
    external_link = Signal(str)
    status_message = Signal(str)
    page_saved = Signal(str)
    page_loaded = Signal(str)
    editing_started = Signal(str)  # the editor shows the page's source (read off the UI thread)
    tag_requested = Signal(str)  # a #tag was clicked: search tag:<tag>

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.current_path: str | None = None
        self._terms: tuple[str, ...] = ()
        self._title = ""
        self._headings: list[tuple[int, str, str]] = []
        self._anchors: list[str] = []  # block ids and footnotes
        self.flipped_callouts: set[int] = set()  # foldable callouts opened or closed by a click
        self._query_key = f"page-{id(self)}"  # a newer load of this view supersedes older ones
        self.bar = NoticeBar(self)
        self.bar.action_clicked.connect(lambda: self.reload(keep_scroll=True))
        self.browser = PageBrowser(self)
        self.browser.setObjectName("pageBrowser")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self.on_link)
        self.browser.highlighted.connect(self._hover)
        self.editor = PageEditor(self)
        self.editor.reload_requested.connect(self._reload_editor_from_disk)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.browser)
        self.stack.addWidget(self.editor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.stack)
        self.edit_action = self._action("Edit Page", "Ctrl+E", self.toggle_editor)
        self.save_action = self._action("Save Page", QKeySequence.StandardKey.Save, self.save)
        self._apply_style()

    def _action(self, text: str, keys, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    # -- loading ------------------------------------------------------------------------------
    def open_page(self, path: str, *, heading: str | None = None,
                  terms: Sequence[str] = ()) -> None:
        """Show ``path``; scroll to ``heading`` (text or anchor id); highlight ``terms``."""
        if self.is_editing():
            if path == self.current_path and not heading:
                return
            if not self.maybe_close():
                self.status_message.emit("Still editing: save or discard your changes first.")
                return
            self._leave_editor()
        self.bar.hide()
        if path != self.current_path:
            self.flipped_callouts = set()  # folded callouts start as the note says
        self.current_path = path
        self._terms = tuple(terms)
        self._load(heading=heading, scroll=None)

    def reload(self, keep_scroll: bool = True) -> None:
        """Render the current page again from disk."""
        if self.current_path is None:
            return
        scroll = self.browser.verticalScrollBar().value() if keep_scroll else None
        self._load(heading=None, scroll=scroll)

    def _load(self, *, heading: str | None, scroll: int | None) -> None:
        path, terms = self.current_path, self._terms
        assert path is not None
        self.ctx.tasks.query(
            self._query_key, render_vault_page, self.ctx.vault, path, terms,
            frozenset(self.flipped_callouts),
            on_done=lambda page: self._show(path, page, heading, scroll),
            on_error=lambda message: self._show_error(path, message),
        )

    def _show(self, path: str, page: RenderedPage, heading: str | None,
              scroll: int | None) -> None:
        if not shiboken6.isValid(self) or path != self.current_path:
            return  # closed meanwhile, or another page was asked for
        self._title = page.title or Path(path).stem
        self._headings = page.headings
        self._anchors = page.anchors
        self.browser.resources = page.resources
        self._last_html = page.html
        self.browser.setHtml(page.html)
        self.browser.fit_column()
        if heading:
            self.scroll_to_heading(heading)
        elif scroll is not None:
            self._set_scroll(scroll)
        self.page_loaded.emit(path)

    def _show_error(self, path: str, message: str) -> None:
        if not shiboken6.isValid(self) or path != self.current_path:
            return
        if not (self.ctx.vault.root / path).exists():
            message = "This page does not exist (it may have been moved or deleted)."
        self._title = Path(path).stem
        self._headings = []
        self.browser.resources = {}
        self.browser.setHtml(f"<h1>{html.escape(self._title)}</h1>"
                             f'<p class="problem">{html.escape(message)}</p>')
        self.status_message.emit(f"Cannot show {path}: {message}")
        self.page_loaded.emit(path)

    def _set_scroll(self, value: int) -> None:
        bar = self.browser.verticalScrollBar()
        bar.setValue(value)
        if bar.value() != value:  # the layout is not finished yet: try once more
            QTimer.singleShot(0, bar, lambda: bar.setValue(value))

    def scroll_to_heading(self, heading: str) -> bool:
        """Scroll to a heading of this page given its text or anchor id."""
        anchor = self._anchor_for(heading)
        if anchor is None:
            self.status_message.emit(f"No heading '{heading}' on this page")
            return False
        self.browser.scrollToAnchor(anchor)
        bar = self.browser.verticalScrollBar()
        if 0 < bar.value() < bar.maximum():
            bar.setValue(bar.value() - 12)  # a little air above the heading
        return True

    def _anchor_for(self, heading: str) -> str | None:
        want = heading.strip()
        for key in (lambda h: h[2] == want, lambda h: h[2] == slug(want),
                    lambda h: h[1].casefold() == want.casefold()):
            for item in self._headings:
                if key(item):
                    return item[2]
        return want if want in self._anchors else None

    def title(self) -> str:
        return self._title

    # -- links --------------------------------------------------------------------------------
    @Slot(QUrl)
    def on_link(self, url: QUrl) -> None:
        href = bytes(url.toEncoded()).decode("ascii", errors="replace")
        kind, target, anchor = parse_href(href)
        if handle_link(self, kind, target, href):
            return
        if kind == "page" and normalize_rel(target) == target:
            self.page_requested.emit(target, anchor)
        elif kind == "anchor":
            self.scroll_to_heading(anchor)
        elif kind == "missing" and target.strip():
            self._offer_create(target)
        elif kind == "external":
            QDesktopServices.openUrl(QUrl(target))
            self.external_link.emit(target)
        else:
            self.status_message.emit(f"Refused to open {href[:80]}: only wiki, http(s) and "
                                     "mailto links are followed")

    def _hover(self, url: QUrl) -> None:
        kind, target, _anchor = parse_href(bytes(url.toEncoded()).decode("ascii", "replace"))
        hints = {"missing": f"Missing page: {target} (click to create)", "page": target,
                 "external": target}
        self.status_message.emit(hints.get(kind, "") if not url.isEmpty() else "")

    def _offer_create(self, target: str) -> None:
        rel = new_page_path(target)
        answer = QMessageBox.question(self, "Create page", f"Create page '{target}'?",
                                      Button.Yes | Button.No, Button.Yes)
        if answer != Button.Yes:
            return
        self.create_requested.emit(target)
        title = target.replace("\\", "/").rpartition("/")[2].removesuffix(".md").strip()
        vault = self.ctx.vault

        def create_and_index():
            if not (vault.root / rel).exists():
                create_page(vault.root, rel, title)
            return vault.update_paths([rel])

        self.ctx.tasks.run(create_and_index,
                           on_done=lambda _s: self.page_requested.emit(rel, ""),
                           on_error=lambda msg: self.status_message.emit(
                               f"Could not create {rel}: {msg}"))

    # -- editing ------------------------------------------------------------------------------
    def is_editing(self) -> bool:
        return self.stack.currentWidget() is self.editor

    def has_unsaved_changes(self) -> bool:
        return self.is_editing() and self.editor.is_modified()

    def toggle_editor(self) -> None:
        """Ctrl+E: edit the page's Markdown; again: save if needed and show the page."""
        if self.is_editing():
            if self.editor.is_modified() and not self.save():
                return
            self._leave_editor()
            self.reload(keep_scroll=True)
            return
        if self.current_path is None:
            return
        path = self.current_path
        self.ctx.tasks.query(self._query_key + "-edit", read_for_edit, self.ctx.vault.root, path,
                             on_done=lambda loaded: self._begin_editing(path, *loaded),
                             on_error=self.status_message.emit)

    def _begin_editing(self, path: str, text: str, etag) -> None:
        if not shiboken6.isValid(self) or path != self.current_path or self.is_editing():
            return  # another page was opened meanwhile, or Ctrl+E was pressed twice
        self.editor.begin(path, text, etag)
        self.stack.setCurrentWidget(self.editor)
        self.editor.text_edit.setFocus()
        self.status_message.emit("Editing: Ctrl+S saves, Ctrl+E shows the page")
        self.editing_started.emit(path)

    def _leave_editor(self) -> None:
        self.editor.end()
        self.stack.setCurrentWidget(self.browser)
        self.browser.setFocus()

    def save(self) -> bool:
        """Ctrl+S: save the editor's text; asks before overwriting a file changed on disk."""
        if not self.is_editing() or self.editor.path is None:
            return False
        path, root, text = self.editor.path, self.ctx.vault.root, self.editor.text()
        try:
            etag = save_page(root, path, text, self.editor.etag)
        except EditConflict:
            choice = self._ask("Page changed on disk",
                               "The file changed on disk since you began editing.",
                               {Button.Save: "Overwrite", Button.Reset: "Reload",
                                Button.Cancel: "Cancel"}, Button.Cancel)
            if choice == Button.Reset:
                self._reload_editor_from_disk()
                return False
            if choice != Button.Save:
                return False
            try:
                etag = save_page(root, path, text, current_etag(root / path))
            except EditError as exc:
                self.status_message.emit(f"Not saved: {exc}")
                return False
        except EditError as exc:
            self.status_message.emit(f"Not saved: {exc}")
            return False
        self.editor.mark_saved(etag, text)
        self.ctx.tasks.run(self.ctx.vault.update_paths, [path])
        self.status_message.emit(f"Saved {path}")
        self.page_saved.emit(path)
        return True

    def _reload_editor_from_disk(self) -> None:
        path = self.editor.path
        if path is None:
            return

        def loaded(result) -> None:
            if shiboken6.isValid(self) and self.editor.path == path:
                self.editor.replace_text(*result)

        self.ctx.tasks.query(self._query_key + "-edit", read_for_edit, self.ctx.vault.root, path,
                             on_done=loaded, on_error=self.status_message.emit)

    def maybe_close(self) -> bool:
        """True when it is fine to close the page (nothing unsaved, or the user chose)."""
        if not self.has_unsaved_changes():
            return True
        choice = self._ask("Unsaved changes",
                           f"Save your changes to {self.editor.path}?",
                           {Button.Save: "Save", Button.Discard: "Discard",
                            Button.Cancel: "Cancel"}, Button.Save)
        if choice == Button.Save:
            return self.save()
        if choice == Button.Discard:
            self._leave_editor()
            return True
        return False

    def _ask(self, title: str, text: str, buttons: dict, default) -> Button:
        box = QMessageBox(QMessageBox.Icon.Warning, title, text, Button.NoButton, self)
        for button, label in buttons.items():
            box.addButton(button).setText(label)
        box.setDefaultButton(default)
        return Button(box.exec())

    # -- live updates -------------------------------------------------------------------------
    @Slot(object)
    def on_vault_changed(self, summary: ChangeSummary) -> None:
        path = self.current_path
        if path is None:
            return
        if path in summary.removed and not (self.ctx.vault.root / path).exists():
            self.bar.show_message("This page was deleted.")
            return
        touched = path in summary.pages_changed or path in summary.links_changed
        if not (touched or summary.rebuilt):
            return
        if self.is_editing():  # compare the file with what the editor began from, off the UI thread
            self.ctx.tasks.query(self._query_key + "-etag", self._disk_etag, path,
                                 on_done=lambda disk: self._check_disk(path, disk))
            return
        self.bar.hide()
        self.reload(keep_scroll=True)

    def _check_disk(self, path: str, disk) -> None:
        if not shiboken6.isValid(self) or self.editor.path != path:
            return
        if disk is not None and disk != self.editor.etag:
            self.editor.show_changed_on_disk()

    def _disk_etag(self, path: str):
        try:
            return current_etag(self.ctx.vault.root / path)
        except EditError:
            return None

    # -- look ---------------------------------------------------------------------------------
    def _apply_style(self) -> None:
        self.browser.document().setDefaultStyleSheet(page_stylesheet(self.palette(),
                                                                     self.font()))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and hasattr(self, "browser"):
            self._apply_style()
            self.reload(keep_scroll=True)
