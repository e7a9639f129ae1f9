"""``[[`` completion in the editor: page names and aliases (fuzzy, as the quick switcher), then
``#`` the target's headings and ``^`` its block ids; ``|`` starts display text and ends it.

The pure part (what is being typed, what to offer, what to insert) is separate from the popup,
so it can be tested on strings. A page is offered by the name Obsidian would write: its file
name, or its path when another page has the same name; an alias is written as
``[[Name|Alias]]``. What was typed can always be chosen as it is, and is marked as missing
when no page has that name.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QTextCursor
from PySide6.QtWidgets import QListWidget, QListWidgetItem, QPlainTextEdit
from rapidfuzz import fuzz, process, utils

from ui.views.quick_switcher import rank_pages
from wiki.core.model import PageInfo
from wiki.markup.syntax import HEADING_LINE

MAX_SUGGESTIONS = 12
_HEADING = HEADING_LINE
_BLOCK_ID = re.compile(r"(?:^|\s)\^([A-Za-z0-9-]+)[ \t]*$", re.MULTILINE)
MissingRole = Qt.ItemDataRole.UserRole + 1
InsertRole = Qt.ItemDataRole.UserRole + 2


@dataclass(frozen=True, slots=True)
class LinkContext:
    """The link being typed before the cursor. ``start`` is where the replaced text begins
    (just after ``[[``, ``#`` or ``^``); ``typed`` is the text from there to the cursor."""

    kind: str  # page | heading | block
    start: int
    typed: str
    target: str = ""  # the page named before ``#`` or ``^``


@dataclass(frozen=True, slots=True)
class Suggestion:
    label: str  # what the list shows
    insert: str  # what replaces the typed text
    detail: str = ""  # grey text: the path, or "missing"
    missing: bool = False


def link_context(line: str, column: int) -> LinkContext | None:
    """The link being typed at ``column`` of ``line``, or None when the cursor is not inside an
    unfinished ``[[…`` (or is in its display text, after ``|``)."""
    before = line[:column]
    opened = before.rfind("[[")
    if opened < 0 or "]]" in before[opened:]:
        return None
    inner = before[opened + 2:]
    if "|" in inner or "[" in inner:
        return None
    base = opened + 2
    if "#" in inner:
        target, _, rest = inner.partition("#")
        if rest.startswith("^"):
            return LinkContext("block", base + len(target) + 2, rest[1:], target)
        return LinkContext("heading", base + len(target) + 1, rest, target)
    if "^" in inner:
        target, _, rest = inner.partition("^")
        return LinkContext("block", base + len(target) + 1, rest, target)
    return LinkContext("page", base, inner)


def link_names(pages: Iterable[PageInfo]) -> dict[str, str]:
    """path -> the shortest text that links to it: the file name unless another page has the
    same name (then the path without ``.md``)."""
    pages = list(pages)
    counts = Counter(info.name.casefold() for info in pages)
    return {info.path: info.name if counts[info.name.casefold()] == 1
            else info.path.removesuffix(".md") for info in pages}


def page_suggestions(typed: str, pages: Sequence[PageInfo],
                     names: dict[str, str] | None = None,
                     limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    names = names if names is not None else link_names(pages)
    out: list[Suggestion] = []
    exact = False
    for info, key in rank_pages(typed, list(pages), limit):
        name = names.get(info.path, info.name)
        if key in info.aliases and key not in (info.title, info.name):
            out.append(Suggestion(f"{key}  →  {info.title}", f"{name}|{key}", info.path))
        else:
            out.append(Suggestion(info.title, name, info.path))
        if typed.strip().casefold() in (name.casefold(), info.path.casefold()):
            exact = True
    typed = typed.strip()
    if typed and not exact and not any(typed.casefold() == s.insert.casefold() for s in out):
        out.append(Suggestion(typed, typed, "missing page: created when you follow the link",
                              missing=True))
    return out


def _ranked(typed: str, choices: list[str], limit: int) -> list[str]:
    if not typed.strip():
        return choices[:limit]
    folded = utils.default_process(typed)
    scored = process.extract(folded, choices, scorer=fuzz.WRatio,
                             processor=utils.default_process, limit=limit * 3, score_cutoff=45)
    best = sorted(scored, key=lambda m: (-(m[1] + (50 if utils.default_process(m[0])
                                                   .startswith(folded) else 0)), m[2]))
    return [m[0] for m in best[:limit]]


def headings_of(body: str) -> list[str]:
    """The headings of a page, in order (none from code blocks)."""
    from wiki.markup.links import mask_code

    masked = mask_code(body)
    return [m.group(2) for m in _HEADING.finditer(masked)]


def blocks_of(body: str) -> list[tuple[str, str]]:
    """(block id, the text of its line) for every ``^id`` that ends a line."""
    from wiki.markup.links import mask_code

    masked = mask_code(body)
    out = []
    for m in _BLOCK_ID.finditer(masked):
        line_start = masked.rfind("\n", 0, m.start()) + 1
        out.append((m.group(1), body[line_start:m.start()].strip()))
    return out


def heading_suggestions(typed: str, headings: list[str],
                        limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    return [Suggestion(h, h) for h in _ranked(typed, list(dict.fromkeys(headings)), limit)]


def block_suggestions(typed: str, blocks: list[tuple[str, str]],
                      limit: int = MAX_SUGGESTIONS) -> list[Suggestion]:
    texts = {block_id: text for block_id, text in blocks}
    ids = _ranked(typed, list(texts), limit) if typed.strip() else list(texts)[:limit]
    return [Suggestion(f"^{block_id}", block_id, texts[block_id][:80]) for block_id in ids]


class LinkCompleter(QObject):
    """The popup under the cursor of a ``QPlainTextEdit``. The editor's owner supplies the
    pages (``pages``) and loads headings and blocks of a target off the UI thread
    (``target_wanted(target)`` then ``set_target_body(target, body)``)."""

    target_wanted = Signal(str)
    shown = Signal()  # the popup was filled and shown (tests wait for it)

    def __init__(self, edit: QPlainTextEdit) -> None:
        super().__init__(edit)
        self.edit = edit
        self.pages: list[PageInfo] = []
        self._names: dict[str, str] | None = None
        self._bodies: dict[str, str] = {}
        self.context: LinkContext | None = None
        self.popup = QListWidget(edit)  # owned by the editor: deleted with it
        self.popup.setWindowFlags(Qt.WindowType.ToolTip)  # its own window, never the focus
        self.popup.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.popup.setUniformItemSizes(True)
        self.popup.setMinimumWidth(320)
        self.popup.itemClicked.connect(self._insert)
        edit.textChanged.connect(self.update)
        edit.cursorPositionChanged.connect(self._cursor_moved)
        edit.installEventFilter(self)

    def set_pages(self, pages: list[PageInfo]) -> None:
        self.pages = pages
        self._names = None
        self._bodies.clear()

    def set_target_body(self, target: str, body: str) -> None:
        self._bodies[target.casefold()] = body
        if self.context is not None and self.context.target.casefold() == target.casefold():
            self.update()

    def is_open(self) -> bool:
        return self.popup.isVisible()

    def hide(self) -> None:
        self.popup.hide()
        self.context = None

    # -- following the text ---------------------------------------------------------------------
    def _cursor_moved(self) -> None:
        if self.is_open():
            self.update()

    def _current(self) -> tuple[LinkContext | None, int]:
        cursor = self.edit.textCursor()
        if cursor.hasSelection():
            return None, 0
        block = cursor.block()
        return link_context(block.text(), cursor.positionInBlock()), block.position()

    def update(self) -> None:
        if not self.edit.hasFocus() and not self.is_open():
            return
        context, block_start = self._current()
        if context is None:
            self.hide()
            return
        suggestions = self._suggest(context)
        self.context = LinkContext(context.kind, block_start + context.start, context.typed,
                                   context.target)
        if not suggestions:
            self.popup.hide()
            return
        self._fill(suggestions)

    def _suggest(self, context: LinkContext) -> list[Suggestion]:
        if context.kind == "page":
            if self._names is None:
                self._names = link_names(self.pages)
            return page_suggestions(context.typed, self.pages, self._names)
        if not context.target.strip():  # [[#Heading]]: this page, as it is in the editor
            body: str | None = self.edit.toPlainText()
        else:
            body = self._bodies.get(context.target.casefold())
        if body is None:
            self.target_wanted.emit(context.target)
            return []
        if context.kind == "heading":
            return heading_suggestions(context.typed, headings_of(body))
        return block_suggestions(context.typed, blocks_of(body))

    def _fill(self, suggestions: list[Suggestion]) -> None:
        self.popup.clear()
        for s in suggestions:
            item = QListWidgetItem(f"{s.label}    {s.detail}" if s.detail else s.label)
            item.setData(InsertRole, s.insert)
            item.setData(MissingRole, s.missing)
            item.setToolTip(s.detail)
            if s.missing:
                item.setForeground(QColor("#c2410c"))
                font = item.font()
                font.setItalic(True)
                item.setFont(font)
            self.popup.addItem(item)
        self.popup.setCurrentRow(0)
        rect = self.edit.cursorRect()
        viewport = self.edit.viewport()
        rows = min(len(suggestions), 10)
        height = rows * max(18, self.popup.sizeHintForRow(0)) + 6
        width = min(max(320, self.popup.sizeHintForColumn(0) + 24),
                    max(320, viewport.width()))
        self.popup.resize(width, height)
        x = min(rect.left(), max(0, viewport.width() - width))
        room_below = viewport.height() - rect.bottom()
        y = rect.bottom() if room_below >= height or room_below >= rect.top() \
            else rect.top() - height  # above the line when there is more room there
        self.popup.move(viewport.mapToGlobal(QPoint(x, y)))
        self.popup.show()
        self.shown.emit()

    # -- choosing -------------------------------------------------------------------------------
    def choices(self) -> list[str]:
        """What the popup offers now (the text each would insert)."""
        return [self.popup.item(i).data(InsertRole) for i in range(self.popup.count())]

    def _insert(self, item: QListWidgetItem | None = None) -> None:
        item = item or self.popup.currentItem()
        context = self.context
        if item is None or context is None:
            return
        text = item.data(InsertRole)
        cursor = self.edit.textCursor()
        cursor.beginEditBlock()
        cursor.setPosition(context.start)
        cursor.setPosition(self.edit.textCursor().position(), QTextCursor.MoveMode.KeepAnchor)
        cursor.insertText(text)
        after = cursor.block().text()[cursor.positionInBlock():]
        if not after.startswith("]]"):
            cursor.insertText("]]")
        else:
            cursor.movePosition(QTextCursor.MoveOperation.Right, n=2)
        cursor.endEditBlock()
        self.edit.setTextCursor(cursor)
        self.hide()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802
        if watched is self.edit and event.type() == QEvent.Type.FocusOut:
            self.popup.hide()
        if watched is not self.edit or event.type() != QEvent.Type.KeyPress \
                or not self.is_open():
            return False
        assert isinstance(event, QKeyEvent)
        key = event.key()
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if key == Qt.Key.Key_Down else -1
            row = max(0, min(self.popup.count() - 1, self.popup.currentRow() + step))
            self.popup.setCurrentRow(row)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Tab):
            self._insert()
            return True
        if key == Qt.Key.Key_Escape:
            self.hide()
            return True
        return False
