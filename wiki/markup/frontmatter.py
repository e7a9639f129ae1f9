"""YAML frontmatter: split it from a page body, and tolerant helpers for its values."""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

import yaml

try:
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # PyYAML built without libyaml
    _Loader = yaml.SafeLoader

MAX_FRONTMATTER = 256 * 1024  # characters; real notes have a few hundred
MAX_DEPTH = 32  # nesting kept by json_safe


class _NoAliasLoader(yaml.SafeLoader):
    """The safe loader without anchors and aliases (``&a`` / ``*a``): notes never need them,
    and they are how a few bytes of YAML become gigabytes ("billion laughs") or a value that
    contains itself. Used only when the text has an ``&`` at all; otherwise libyaml parses."""

    def compose_node(self, parent, index):
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not supported in frontmatter",
                event.start_mark)
        return super().compose_node(parent, index)


_OPEN = re.compile(r"---[ \t]*\r?\n")
_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)


def split_frontmatter(text: str) -> tuple[dict, str, int, str | None]:
    """Split ``text`` into (meta, body, body_line_offset, error).

    ``body_line_offset`` is the number of lines before the body, so body line ``n`` is file line
    ``n + body_line_offset``. On any problem meta is ``{}``, the body is the whole text and
    ``error`` is one line for the user.
    """
    m = _OPEN.match(text)
    if not m:
        return {}, text, 0, None
    close = _CLOSE.search(text, m.end())
    if close is None:
        return {}, text, 0, "frontmatter is not closed: no line '---' after the opening '---'"
    yaml_text = text[m.end():close.start()]
    end = close.end()
    if text.startswith("\r\n", end):
        end += 2
    elif text.startswith("\n", end):
        end += 1
    offset = text.count("\n", 0, end)
    if end == len(text) and not text.endswith("\n"):
        offset += 1  # the closing line was the last line
    if len(yaml_text) > MAX_FRONTMATTER:
        return {}, text, 0, (f"frontmatter is too large ({len(yaml_text):,} characters; "
                             f"the limit is {MAX_FRONTMATTER:,}): it was not read")
    loader = _NoAliasLoader if "&" in yaml_text or "*" in yaml_text else _Loader
    try:
        meta = yaml.load(yaml_text, Loader=loader) if yaml_text.strip() else {}
    except yaml.YAMLError as exc:
        return {}, text, 0, _yaml_error(exc)
    except (ValueError, TypeError, OverflowError, RecursionError) as exc:  # odd scalars
        return {}, text, 0, f"frontmatter is not valid YAML: {exc}"
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        return {}, text, 0, (
            f"frontmatter is not a YAML mapping (key: value lines) but a {type(meta).__name__}"
        )
    return meta, text[end:], offset, None


def _yaml_error(exc: yaml.YAMLError) -> str:
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is not None:
        # +1 for the opening '---' line, +1 because marks are 0-based
        return f"frontmatter is not valid YAML: line {mark.line + 2}: {problem}"
    return f"frontmatter is not valid YAML: {problem}"


def _scalar_str(value: Any) -> str | None:
    if value is None or isinstance(value, (dict, list, tuple, set)):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, (str, int, float)):
        return str(value)
    return None


def as_str(value: Any) -> str | None:
    """A scalar frontmatter value as a stripped string, or None (for lists, maps, empty)."""
    s = _scalar_str(value)
    if s is None:
        return None
    s = s.strip()
    return s or None


_VALID_TAG = re.compile(r"^[^\W][\w\-/]*$")


def as_str_list(value: Any, *, tags: bool = False) -> list[str]:
    """Aliases or tags: a list, a comma-separated string or a single string -> clean strings.

    Drops None and nested values, strips blanks, removes duplicates (order kept). With
    ``tags=True`` a leading ``#`` is removed, whitespace also separates the values of a string
    (each item of a YAML list is one tag), and only what Obsidian accepts as a tag is kept:
    letters, digits, ``_``, ``-`` and ``/``, not only digits (``[[Some Page]]`` is not a tag).
    """
    if value is None:
        return []
    items: list[Any]
    if isinstance(value, (list, tuple, set)):
        items = list(value)
    else:
        items = [value]
    out: list[str] = []
    seen: set[str] = set()
    for item in items:
        s = _scalar_str(item)
        if s is None:
            continue
        parts = s.split(",") if isinstance(item, str) and not isinstance(value, list) else [s]
        for part in parts:
            split = tags and not isinstance(value, list)
            for piece in (part.split() if split else [part]):
                piece = piece.strip()
                if tags:
                    piece = piece.lstrip("#").strip()
                    if not _VALID_TAG.match(piece) or piece.replace("/", "").isdigit():
                        continue
                if piece and piece not in seen:
                    seen.add(piece)
                    out.append(piece)
    return out


def as_tag_list(value: Any) -> list[str]:
    """Tags from frontmatter (``tags: [a, "#b"]``, ``tags: a, b``, ``tags: a b``)."""
    return as_str_list(value, tags=True)


def json_safe(value: Any, _depth: int = 0) -> Any:
    """A copy of a YAML value that ``json.dumps`` accepts (dates become ISO strings); values
    nested deeper than any real note nests them are dropped."""
    if _depth > MAX_DEPTH:
        return None
    if isinstance(value, dict):
        return {str(k): json_safe(v, _depth + 1) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [json_safe(v, _depth + 1) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        if isinstance(value, float) and value != value:  # NaN
            return None
        return value
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if isinstance(value, bytes):
        return value.decode("utf-8", errors="replace")
    return str(value)
