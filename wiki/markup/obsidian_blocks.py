"""Obsidian's block syntax for Python-Markdown: what Obsidian (a CommonMark renderer) accepts
and Python-Markdown, on its own, reads differently.

* ``%%comments%%`` are dropped (outside code); HTML comments are dropped later by the sanitiser.
* Lists: a list may start right under a paragraph line, and nested lists may be indented by two
  spaces (the parent's content column) as well as four or a tab. ``ListNormalizer`` rewrites the
  indentation into Python-Markdown's four-space form, inside ``>`` quotes too.
* ``#tag`` at the start of a line is a tag, not a heading (a heading needs a space after ``#``,
  ``TagSafeHashHeader``).
* Task items ``- [ ]`` / ``- [x]`` become a marker that carries their source line, so a click on
  the rendered box can toggle exactly that line in the file.
* Inline footnotes ``^[text]`` become ordinary footnotes.
* Callouts ``> [!type][+-] Title`` become a framed box in Obsidian's colour for that type.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.blockprocessors import BlockProcessor, HashHeaderProcessor
from markdown.preprocessors import Preprocessor
from markdown.util import AtomicString

TASK_MARK = "\x1aT{line}{state}\x1a"  # state "o" open, "x" done
TASK_MARK_RE = r"\x1aT(\d+)([ox])\x1a"

_FENCE = re.compile(r"^[ \t]*(`{3,}|~{3,})")
_COMMENT = re.compile(r"%%.*?%%", re.DOTALL)
_QUOTE = re.compile(r"^( {0,3}>[ ]?)")
_ITEM = re.compile(r"^([ \t]*)([-*+]|\d{1,9}[.)])([ \t]+|$)")
_TASK = re.compile(r"^([ \t]*(?:[-*+]|\d{1,9}[.)])[ \t]+)\[([ xX])\](?=[ \t]|$)")
_INLINE_NOTE = re.compile(r"\^\[([^\[\]\n]+)\]")


def _width(prefix: str) -> int:
    """Columns of leading whitespace, tabs to the next multiple of four."""
    col = 0
    for ch in prefix:
        col = col + 4 - col % 4 if ch == "\t" else col + 1
    return col


class _Fences:
    """Tracks fenced code while walking lines: nothing inside a fence is rewritten."""

    def __init__(self) -> None:
        self.fence: str | None = None

    def inside(self, line: str) -> bool:
        m = _FENCE.match(line)
        if self.fence is not None:
            if m and m.group(1)[0] == self.fence[0] and len(m.group(1)) >= len(self.fence) \
                    and not line.strip()[len(m.group(1)):].strip():
                self.fence = None
            return True
        if m:
            self.fence = m.group(1)
            return True
        return False


def strip_comments(text: str) -> str:
    """``%%…%%`` removed outside fenced code (newlines inside a comment are kept)."""
    if "%%" not in text:
        return text
    out: list[str] = []
    fences = _Fences()
    chunk: list[str] = []

    def flush() -> None:
        if chunk:
            joined = "".join(chunk)
            out.append(_COMMENT.sub(lambda m: "\n" * m.group(0).count("\n"), joined))
            chunk.clear()

    for line in text.splitlines(keepends=True):
        if fences.inside(line):
            flush()
            out.append(line)
        else:
            chunk.append(line)
    flush()
    return "".join(out)


def normalize_lists(lines: list[str]) -> list[str]:
    """Obsidian's list indentation as four-space Python-Markdown lists (see module doc)."""
    out: list[str] = []
    i = 0
    while i < len(lines):
        if _QUOTE.match(lines[i]):  # a run of quoted lines: normalise what is inside
            j = i
            inner: list[str] = []
            while j < len(lines) and _QUOTE.match(lines[j]):
                inner.append(lines[j][_QUOTE.match(lines[j]).end():])  # type: ignore[union-attr]
                j += 1
            out.extend("> " + line if line else ">" for line in normalize_lists(inner))
            i = j
            continue
        j = i
        while j < len(lines) and not _QUOTE.match(lines[j]):
            j += 1
        out.extend(_normalize_run(lines[i:j]))
        i = j
    return out


def _normalize_run(lines: list[str]) -> list[str]:
    out: list[str] = []
    stack: list[tuple[int, int]] = []  # (content column in the source, indent written)
    fences = _Fences()
    prev_blank = True
    prev_text = False  # the previous line was paragraph text outside any list
    shift = 0  # columns added to the lines of a fence opened inside a list item
    for line in lines:
        if fences.fence is not None or (not stack and _FENCE.match(line)):
            if fences.fence is None:  # a fence indented 1-3 spaces: its lines lose that much
                shift = -(len(line) - len(line.lstrip(" ")))
            fences.inside(line)
            if shift > 0 and line.strip():
                line = " " * shift + line
            elif shift < 0:
                cut = min(-shift, len(line) - len(line.lstrip(" ")))
                line = line[cut:]
            if fences.fence is None:
                shift = 0
            out.append(line)
            prev_blank, prev_text = False, False
            continue
        if not line.strip():
            out.append(line)
            prev_blank, prev_text = True, False
            continue
        m = _ITEM.match(line)
        indent = _width(line[:len(line) - len(line.lstrip(" \t"))])
        if m and not _is_rule(line):
            while stack and indent < stack[-1][0]:
                stack.pop()
            written = stack[-1][1] + 4 if stack else 0
            if not stack and prev_text and _may_interrupt(m):
                out.append("")  # a list right under a paragraph line
            marker_end = _width(m.group(1)) + len(m.group(2))
            gap = len(m.group(3).expandtabs(4)) if m.group(3) else 1
            content_col = marker_end + min(gap, 4)
            stack.append((content_col, written))
            out.append(" " * written + line.lstrip(" \t"))
            prev_blank, prev_text = False, False
            continue
        if stack:
            if indent == 0 and prev_blank:  # the list has ended
                stack.clear()
                out.append(line)
                prev_blank, prev_text = False, True
                continue
            if indent > 0:  # continuation of the deepest item it is indented under
                owner = next((s for s in reversed(stack) if indent >= s[0]), stack[0])
                written = owner[1] + 4 + max(0, indent - owner[0])
                if _FENCE.match(line):
                    fences.inside(line)
                    shift = written - indent
                out.append(" " * written + line.lstrip(" \t"))
                prev_blank, prev_text = False, False
                continue
            out.append(line)  # a lazy continuation line
            prev_blank, prev_text = False, False
            continue
        out.append(line)
        prev_text = not line.lstrip().startswith(("#", "|", "<")) and indent < 4
        prev_blank = False
    return out


def _is_rule(line: str) -> bool:
    stripped = line.replace(" ", "").replace("\t", "")
    return len(stripped) >= 3 and len(set(stripped)) == 1 and stripped[0] in "-*_"


def _may_interrupt(m: re.Match[str]) -> bool:
    """CommonMark: a bullet list, or an ordered list starting at 1, may interrupt a paragraph."""
    marker = m.group(2)
    return marker in "-*+" or marker[:-1] == "1"


def _split_quote(line: str) -> tuple[str, str]:
    """(the ``>`` prefixes, the rest)."""
    pos = 0
    while True:
        m = _QUOTE.match(line, pos)
        if not m or m.end() == pos:
            return line[:pos], line[pos:]
        pos = m.end()


def mark_tasks(lines: list[str]) -> list[str]:
    """``- [ ] x`` -> ``- <mark line n, open> x``; ``n`` is the line's index in ``lines``."""
    out: list[str] = []
    fences = _Fences()
    for n, line in enumerate(lines):
        prefix, body = _split_quote(line)
        if fences.inside(body):
            out.append(line)
            continue
        task = _TASK.match(body)
        if task:
            state = "o" if task.group(2) == " " else "x"
            line = prefix + task.group(1) + TASK_MARK.format(line=n, state=state) + \
                body[task.end():]
        out.append(line)
    return out


def inline_footnotes(lines: list[str]) -> list[str]:
    """``^[text]`` -> ``[^inline-n]`` with a definition at the end."""
    notes: list[str] = []

    def note(m: re.Match[str]) -> str:
        notes.append(m.group(1))
        return f"[^inline-{len(notes)}]"

    out: list[str] = []
    fences = _Fences()
    for line in lines:
        if not fences.inside(_split_quote(line)[1]) and "^[" in line:
            line = _INLINE_NOTE.sub(note, line)
        out.append(line)
    if notes:
        out.append("")
        out.extend(f"[^inline-{k}]: {text}" for k, text in enumerate(notes, 1))
    return out


class ObsidianPreprocessor(Preprocessor):
    """Comments, task markers, lists and inline footnotes (see module doc). Task markers are
    placed before lists are re-indented, so they carry the line numbers of the page body."""

    def run(self, lines: list[str]) -> list[str]:
        text = strip_comments("\n".join(lines))
        return inline_footnotes(normalize_lists(mark_tasks(text.split("\n"))))


class TagSafeHashHeader(HashHeaderProcessor):
    """``# Heading`` needs a space after the hashes (as in Obsidian): ``#tag`` is text."""

    RE = re.compile(r"(?:^|\n)(?P<level>#{1,6})(?P<header>(?:[ \t]+(?:\\.|[^\\])*?)?)#*(?:\n|$)")


# Obsidian's callout types: aliases to the type whose colour and icon they share.
CALLOUT_ALIASES = {
    "summary": "abstract", "tldr": "abstract", "hint": "tip", "important": "tip",
    "check": "success", "done": "success", "help": "question", "faq": "question",
    "caution": "warning", "attention": "warning", "fail": "failure", "missing": "failure",
    "error": "danger", "cite": "quote",
}
CALLOUT_STYLE = {  # type -> (icon, bar colour, background)
    "note": ("✎", "#448aff", "#eef4ff"), "abstract": ("☰", "#00b0ff", "#e9f8ff"),
    "info": ("ℹ", "#448aff", "#eef4ff"), "todo": ("☑", "#448aff", "#eef4ff"),
    "tip": ("★", "#00bfa5", "#e6f8f5"), "success": ("✔", "#00c853", "#e8f9ee"),
    "question": ("?", "#e59d00", "#fdf5e6"), "warning": ("⚠", "#ff9100", "#fff3e6"),
    "failure": ("✘", "#ff5252", "#ffeeee"), "danger": ("⚡", "#ff1744", "#ffecef"),
    "bug": ("✱", "#f50057", "#ffebf2"), "example": ("≡", "#7c4dff", "#f3efff"),
    "quote": ("❝", "#9e9e9e", "#f5f5f5"),
}
_CALLOUT = re.compile(r"^ {0,3}> ?\[!([^\]\s]+)\]([+-]?)[ \t]*(.*)$")


def callout_type(name: str) -> str:
    key = name.lower()
    key = CALLOUT_ALIASES.get(key, key)
    return key if key in CALLOUT_STYLE else "note"


class CalloutProcessor(BlockProcessor):
    """``> [!type][+-] Title`` and the quoted lines under it: a box with a coloured bar, the
    type's icon and title, and the body rendered as Markdown (nested callouts too).

    A foldable callout's title is a link ``fold:N`` (N counts the foldable callouts of the
    document); ``-`` starts folded (▸, body hidden), ``+`` open (▾). ``folds.flipped`` holds the
    ones the user has clicked; ``folds.open_all`` shows every body (export, checks)."""

    def __init__(self, parser, folds: FoldState) -> None:
        super().__init__(parser)
        self.folds = folds

    def test(self, parent: etree.Element, block: str) -> bool:
        return bool(_CALLOUT.match(block.split("\n", 1)[0]))

    def run(self, parent: etree.Element, blocks: list[str]) -> bool:
        block = blocks.pop(0)
        first, _nl, rest = block.partition("\n")
        m = _CALLOUT.match(first)
        assert m is not None
        raw_type, fold, title = m.group(1), m.group(2), m.group(3).strip()
        number = -1
        if fold:
            number = self.folds.count
            self.folds.count += 1
        folded = fold == "-"
        if number in self.folds.flipped:
            folded = not folded
        if self.folds.open_all:
            folded = False
        kind = callout_type(raw_type)
        icon, bar, background = CALLOUT_STYLE[kind]
        body_lines = []
        lines = rest.split("\n") if rest else []
        for k, line in enumerate(lines):
            q = _QUOTE.match(line)
            if not q:  # the quote ended inside this block: the rest is a new block
                blocks.insert(0, "\n".join(lines[k:]))
                break
            body_lines.append(line[q.end():])
        table = etree.SubElement(parent, "table", {
            "class": f"callout callout-{kind}", "width": "100%", "cellspacing": "0",
            "cellpadding": "8", "data-callout": raw_type.lower()})
        row = etree.SubElement(table, "tr")
        etree.SubElement(row, "td", {"class": "callout-bar", "width": "4", "bgcolor": bar})
        cell = etree.SubElement(row, "td", {"class": "callout-body", "bgcolor": background})
        head = etree.SubElement(cell, "p", {"class": "callout-title"})
        marker = ("▸ " if folded else "▾ ") if fold else ""
        holder = head
        if fold and self.folds.links:
            holder = etree.SubElement(head, "a", {"href": f"fold:{number}",
                                                  "class": "callout-fold"})
        head_icon = etree.SubElement(holder, "span", {"class": "callout-icon"})
        head_icon.text = AtomicString(f"{marker}{icon} ")
        strong = etree.SubElement(holder, "b")
        strong.text = title or raw_type[:1].upper() + raw_type[1:].lower()
        if body_lines and not folded:
            self.parser.state.set("blockquote")  # as the quote processor does: nested fences
            self.parser.parseChunk(cell, "\n".join(body_lines))
            self.parser.state.reset()
        return True


class FoldState:
    """Per document: which foldable callouts the user flipped, and how many were seen."""

    def __init__(self) -> None:
        self.flipped: frozenset[int] = frozenset()
        self.open_all = False
        self.links = True  # False in embeds: their callouts are not counted or clickable
        self.count = 0


def register(md: Markdown, folds: FoldState) -> None:
    md.preprocessors.register(ObsidianPreprocessor(md), "obsidian", 27)  # before html_block (20)
    md.parser.blockprocessors.register(TagSafeHashHeader(md.parser), "hashheader", 70)
    md.parser.blockprocessors.register(CalloutProcessor(md.parser, folds), "callout",
                                       21)  # before quote
