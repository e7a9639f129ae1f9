"""The vault's rules on disk, in one place.

What is a page, what is a raw article, which folders are hidden, which pages belong to the
compiler, and how a title becomes a file name. The watcher, the compiler, the index, the CLI and
the app's import dialog all ask this module, so they can never disagree.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

STATE_DIR = ".wiki"  # everything derived: link graph, search index, compiler state
RAW_DIR = "raw"  # raw articles: compiler input, never pages, never modified
PAGE_SUFFIX = ".md"
RAW_SUFFIXES = (".txt", ".md", ".markdown", ".html", ".htm", ".pdf")  # articles it can read
MAX_RAW_BYTES = 5 * 1024 * 1024  # a raw article larger than this is refused, never read whole
INDEX_PAGE = "index.md"  # the compiler's catalogue of every page
LOG_PAGE = "log.md"  # the compiler's append-only log
SPECIAL_PAGES = frozenset({INDEX_PAGE, LOG_PAGE})  # vault-wide pages, written after the others
AGENTS_PAGE = "AGENTS.md"  # written once for AI agents, then the user's (compile/writing/agents)
ANSWERS_DIR = "answers"  # answers filed by `wiki ask --save`: never compile sources or evidence
ANSWER_TYPE = "answer"

MAX_NAME = 150  # characters of a page name made from a title
_UNSAFE_CHARS = re.compile(r'[\\/:*?"<>|#^\[\]\x00-\x1f\x7f]')
_SPACES = re.compile(r"\s+")
_WINDOWS_RESERVED = frozenset({"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)),
                               *(f"lpt{i}" for i in range(1, 10))})


# -- paths ------------------------------------------------------------------------------------
def is_hidden_part(name: str) -> bool:
    """A hidden file or folder (``.wiki``, ``.obsidian``, ``.git``, ``.trash``)."""
    return name.startswith(".")


def normalize_rel(rel: str) -> str | None:
    """Clean a vault-relative path (forward slashes, no ``.``); None if it would leave the vault."""
    parts: list[str] = []
    for part in rel.replace("\\", "/").split("/"):
        if part in ("", "."):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
            continue
        parts.append(part)
    return "/".join(parts) if parts else None


def is_valid_name(rel: str) -> bool:
    """The path can be written as UTF-8 (a file name from another system's encoding cannot be
    linked, indexed or shown; it is reported, never renamed)."""
    try:
        rel.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def has_page_suffix(name: str) -> bool:
    return name[-3:].lower() == PAGE_SUFFIX


def is_page_path(rel: str) -> bool:
    """A vault-relative path names a page: ``*.md`` outside hidden folders and ``raw/``."""
    parts = rel.split("/")
    return (has_page_suffix(rel) and not any(is_hidden_part(p) or not p for p in parts)
            and parts[0] != RAW_DIR and is_valid_name(rel))


def is_raw_suffix(name: str) -> bool:
    """The file name ends in a suffix the compiler reads."""
    return name.lower().endswith(RAW_SUFFIXES)


def is_raw_file(path: Path) -> bool:
    """A file (anywhere, e.g. one being imported) the compiler can read as an article."""
    return is_raw_suffix(path.name) and not is_hidden_part(path.name)


def is_raw_path(rel: str) -> bool:
    """A vault-relative path names a raw article: in ``raw/``, not hidden, a readable suffix."""
    parts = rel.split("/")
    return (len(parts) > 1 and parts[0] == RAW_DIR
            and not any(is_hidden_part(p) or not p for p in parts) and is_raw_suffix(parts[-1])
            and is_valid_name(rel))


def is_special_page(rel: str) -> bool:
    """``index.md`` or ``log.md`` at the vault root: the compiler's vault-wide pages."""
    return rel in SPECIAL_PAGES


def raw_suffix_list() -> str:
    """The readable suffixes for a message: ``.txt, .md, .markdown, .html or .htm``."""
    return ", ".join(RAW_SUFFIXES[:-1]) + f" or {RAW_SUFFIXES[-1]}"


def raw_file_filter() -> str:
    """A file-dialog filter for the suffixes the compiler reads."""
    return "Articles (" + " ".join(f"*{s}" for s in RAW_SUFFIXES) + ");;All files (*)"


# -- names ------------------------------------------------------------------------------------
def safe_page_name(title: str, limit: int = MAX_NAME) -> str:
    """A title as a page name that is a valid file name on every file system and a valid
    Obsidian link target. ``Ada: a life`` -> ``Ada - a life``; ``CON`` -> ``CON (page)``."""
    text = unicodedata.normalize("NFC", title)
    text = text.replace(":", " -").replace("/", "-").replace("\\", "-")
    text = text.replace('"', "'").replace("\u201c", "'").replace("\u201d", "'")
    text = _UNSAFE_CHARS.sub("", text)
    text = _SPACES.sub(" ", text).strip(" .")
    if len(text) > limit:
        cut = text[:limit]
        text = (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" .,;-\u2013\u2014")
    if not text:
        text = "Untitled"
    if text.split(".")[0].strip().casefold() in _WINDOWS_RESERVED:
        text = f"{text} (page)"
    return text


def new_page_path(target: str) -> str:
    """Where a new page for a link target goes: its folder as written (``folder/Page``), else
    the vault root, as Obsidian does by default. Every part is made a safe name."""
    target = target.strip()
    if target.lower().endswith(PAGE_SUFFIX):
        target = target[:-len(PAGE_SUFFIX)]
    parts = [p for p in target.replace("\\", "/").split("/") if p.strip() not in ("", ".", "..")]
    if not parts:
        return "Untitled" + PAGE_SUFFIX
    folders = [safe_page_name(p).lstrip(".") or "Untitled" for p in parts[:-1]]
    return "/".join([*folders, safe_page_name(parts[-1]) + PAGE_SUFFIX])
