"""The centre of the window: the rendered page, link routing, and the Ctrl+E editor.

Pages are read and rendered on the render thread (``ctx.tasks.render``, so a huge page never
holds up a search) and shown in a
``QTextBrowser`` (no JavaScript). Link clicks are routed by scheme (see
``wiki.markup.render``). Editing (Ctrl+E, saves, conflicts) is ``ui.views.edit_flow``.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, Qt, QTimer, QUrl, Signal, Slot
from PySide6.QtGui import QAction, QDesktopServices, QKeySequence
from PySide6.QtWidgets import QMessageBox, QStackedWidget, QVBoxLayout, QWidget

from ui.operations import pages
from ui.views.edit_flow import EditFlow
from ui.views.editor import NoticeBar, PageEditor
from ui.views.page_browser import PageBrowser, page_stylesheet, zoomed_font
from ui.views.page_links import handle_link
from wiki.core.model import ChangeSummary
from wiki.core.rules import normalize_rel
from wiki.markup.render import RenderedPage, parse_href, slug
from wiki.markup.vault_page import LONG_PAGE_START, render_vault_page
from wiki.vault.obsidian_settings import new_note_path

if TYPE_CHECKING:
    from ui.context import AppContext

Button = QMessageBox.StandardButton
SCROLL_TRIES, SCROLL_RETRY_MS = 40, 25  # a restored scroll position waits up to 1 s for layout
Then = Callable[[], object] | None


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
        self.zoom = 1.0  # text size, times the usual (ui.window.text_zoom)
        self._whole_pages: set[str] = set()  # long pages the reader asked to see in full
        self._query_key = f"page-{id(self)}"  # a newer load of this view supersedes older ones
        self.bar = NoticeBar(self)
        self.bar.action_clicked.connect(lambda: self.reload(keep_scroll=True))
        self.browser = PageBrowser(self)
        self.browser.setObjectName("pageBrowser")
        self.browser.setOpenLinks(False)
        self.browser.setOpenExternalLinks(False)
        self.browser.anchorClicked.connect(self.on_link)
        self.browser.highlighted.connect(self._hover)
        self.editor = PageEditor(ctx, self)
        self.editor.status.connect(self.status_message)
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.browser)
        self.stack.addWidget(self.editor)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.bar)
        layout.addWidget(self.stack)
        self.edits = EditFlow(ctx, self.editor, self, show_editor=self._show_editor)
        self.edits.status.connect(self.status_message)
        self.edits.started.connect(self.editing_started)
        self.edits.saved.connect(self.page_saved)
        self.edits.moved.connect(self._moved)
        self.edit_action = self._action("Edit Page", "Ctrl+E", self.toggle_editor)
        self.save_action = self._action("Save Page", QKeySequence.StandardKey.Save, self.save)
        self.preview_action = self._action("Preview Beside Editor", "Ctrl+Shift+E",
                                           self._toggle_preview)
        self.preview_action.setCheckable(True)
        self.preview_action.setChecked(self.editor.preview_visible())
        self._apply_style()

    def menu_actions(self) -> list[QAction]:
        """What the window's Edit menu shows while this view is open."""
        return [self.edit_action, self.save_action, self.preview_action]

    def _toggle_preview(self) -> None:
        """Ctrl+Shift+E: the rendered page beside the editor, or not (opens the editor)."""
        show = not self.editor.preview_visible()
        self.editor.set_preview_visible(show)
        self.preview_action.setChecked(show)
        if show and not self.is_editing():
            self.toggle_editor()

    def _action(self, text: str, keys, slot) -> QAction:
        action = QAction(text, self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    # -- loading ------------------------------------------------------------------------------
    def open_page(self, path: str, *, heading: str | None = None,
                  terms: Sequence[str] = (), scroll: int | None = None) -> None:
        """Show ``path``; scroll to ``heading`` (text or anchor id) or to ``scroll`` (a
        position the reader was at: Back/Forward); highlight ``terms``."""
        if self.is_editing():
            if path == self.current_path and not heading:
                return
            if not self.maybe_close(then=lambda: self.open_page(path, heading=heading,
                                                                 terms=terms, scroll=scroll)):
                self.status_message.emit("Still editing: save or discard your changes first.")
                return
            self._leave_editor()
        self.bar.hide()
        if path != self.current_path:
            self.flipped_callouts = set()  # folded callouts start as the note says
        self.current_path = path
        self._terms = tuple(terms)
        self._load(heading=None if scroll is not None else heading, scroll=scroll)

    def scroll_position(self) -> int:
        return self.browser.verticalScrollBar().value()

    def focus_page(self) -> None:
        """Keyboard focus to the page (or its editor), so Ctrl+E and the arrows act on it."""
        (self.editor.text_edit if self.is_editing() else self.browser).setFocus(
            Qt.FocusReason.OtherFocusReason)

    def reload(self, keep_scroll: bool = True) -> None:
        """Render the current page again from disk."""
        if self.current_path is None:
            return
        scroll = self.browser.verticalScrollBar().value() if keep_scroll else None
        self._load(heading=None, scroll=scroll)

    def _load(self, *, heading: str | None, scroll: int | None) -> None:
        path, terms = self.current_path, self._terms
        assert path is not None
        start = None if path in self._whole_pages else LONG_PAGE_START  # a huge page: its start
        self.ctx.tasks.render(  # its own thread: a huge page never holds up a search
            self._query_key, partial(render_vault_page, start_chars=start), self.ctx.vault,
            path, terms, frozenset(self.flipped_callouts),
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

    def _set_scroll(self, value: int, tries: int = SCROLL_TRIES) -> None:
        """Scroll to ``value``. A long page is laid out a part at a time after ``setHtml``,
        so the scroll range grows for a while: try again until it reaches ``value``."""
        bar = self.browser.verticalScrollBar()
        bar.setValue(value)
        if bar.value() != value and tries > 0:
            path = self.current_path

            def again() -> None:
                if self.current_path == path:
                    self._set_scroll(value, tries - 1)

            QTimer.singleShot(SCROLL_RETRY_MS, bar, again)

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

    def headings(self) -> list[tuple[int, str, str]]:
        """(level, text, anchor) of the page shown, in order (the outline pane)."""
        return list(self._headings)

    def set_zoom(self, zoom: float) -> None:
        """Show the page's text ``zoom`` times the usual size."""
        if zoom != self.zoom:
            self.zoom = zoom
            self._apply_style()
            self.reload(keep_scroll=True)

    # -- links --------------------------------------------------------------------------------
    @Slot(QUrl)
    def on_link(self, url: QUrl) -> None:
        href = bytes(url.toEncoded().data()).decode("ascii", errors="replace")
        kind, target, anchor = parse_href(href)
        if handle_link(self, kind, target, href):
            return
        if kind == "page" and normalize_rel(target) == target:
            self.page_requested.emit(target, anchor)
        elif kind == "anchor":
            self.scroll_to_heading(anchor)
        elif kind == "whole" and self.current_path is not None:
            self._whole_pages.add(self.current_path)
            self.status_message.emit("Rendering the whole page…")
            self.reload(keep_scroll=True)
        elif kind == "missing" and target.strip():
            self._offer_create(target)
        elif kind == "external":
            if target != href.strip():  # a mailto link that asked to attach a file
                self.status_message.emit("Opening the mail link without the file it asked "
                                         "to attach")
            QDesktopServices.openUrl(QUrl(target))
            self.external_link.emit(target)
        else:
            self.status_message.emit(f"Refused to open {href[:80]}: only wiki, http(s) and "
                                     "mailto links are followed")

    def _hover(self, url: QUrl) -> None:
        kind, target, _anchor = parse_href(bytes(url.toEncoded().data()).decode("ascii", "replace"))
        hints = {"missing": f"Missing page: {target} (click to create)", "page": target,
                 "external": target}
        self.status_message.emit(hints.get(kind, "") if not url.isEmpty() else "")

    def _offer_create(self, target: str) -> None:
        """A click on a missing link: say where the new page would go, create it and open it
        in the editor."""
        rel = new_note_path(self.ctx.vault.root, target, self.current_path)
        answer = QMessageBox.question(self, "Create page",
                                      f"Create page '{target}'?\n\nIt will be saved as {rel}",
                                      Button.Yes | Button.No, Button.Yes)
        if answer != Button.Yes:
            return
        self.create_requested.emit(target)

        def created(path: str) -> None:
            if not shiboken6.isValid(self):
                return
            self.page_requested.emit(path, "")
            if self.current_path == path and not self.is_editing():
                self.toggle_editor()

        pages.create_page(self.ctx, target, rel=rel, on_done=created,
                          on_error=self.status_message.emit)

    # -- editing ------------------------------------------------------------------------------
    def is_editing(self) -> bool:
        return self.stack.currentWidget() is self.editor

    def has_unsaved_changes(self) -> bool:
        return self.is_editing() and self.edits.has_unsaved_changes()

    def _show_editor(self, editing: bool) -> None:
        self.stack.setCurrentWidget(self.editor if editing else self.browser)
        (self.editor.text_edit if editing else self.browser).setFocus()

    def toggle_editor(self) -> None:
        """Ctrl+E: edit the page's Markdown; again: save if needed and show the page."""
        if self.is_editing():
            if self.editor.is_modified():
                self.save(then=self._back_to_page)
                return
            self._back_to_page()
            return
        if self.current_path is not None:
            self.edits.begin(self.current_path)

    def _back_to_page(self) -> None:
        if self.is_editing():
            self._leave_editor()
            self.reload(keep_scroll=True)

    def _leave_editor(self) -> None:
        self.edits.leave()

    def _moved(self, path: str) -> None:
        """The page was saved under a new name: it is the page shown now."""
        self.current_path = path
        self.page_requested.emit(path, "")

    def save(self, then: Then = None) -> None:
        """Ctrl+S: save the editor's text off the UI thread (``then`` runs once it is saved);
        a file changed or deleted on disk meanwhile is never silently overwritten."""
        if self.is_editing():
            self.edits.save(then)

    def maybe_close(self, then: Then = None) -> bool:
        """True when it is fine to leave the page now (nothing unsaved, or the user discarded
        it). When the user chose Save, the save starts, ``then`` runs once it is on disk and
        the answer now is False."""
        if not self.has_unsaved_changes():
            return True
        choice = self._ask("Unsaved changes",
                           f"Save your changes to {self.editor.path}?",
                           {Button.Save: "Save", Button.Discard: "Discard",
                            Button.Cancel: "Cancel"}, Button.Save)
        if choice == Button.Save:
            self.save(then)
            return False
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
        if path in summary.removed and self.is_editing():
            self.edits.check_disk()  # the editor offers to save it again
            return
        if path in summary.removed and not (self.ctx.vault.root / path).exists():
            self.bar.show_message("This page was deleted.")
            return
        touched = path in summary.pages_changed or path in summary.links_changed
        if not (touched or summary.rebuilt):
            return
        if self.is_editing():
            self.edits.check_disk()
            return
        self.bar.hide()
        self.reload(keep_scroll=True)

    # -- look ---------------------------------------------------------------------------------
    def _apply_style(self) -> None:
        self.browser.document().setDefaultStyleSheet(page_stylesheet(self.palette(),
                                                                     self.font(), self.zoom))
        self.browser.setFont(zoomed_font(self.font(), self.zoom))  # headings scale with it

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 (Qt name)
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.FontChange) \
                and hasattr(self, "browser"):
            self._apply_style()
            self.reload(keep_scroll=True)
