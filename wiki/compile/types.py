"""Data types of the compiler: articles split from raw files, and the compile report."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from wiki.core.rules import is_raw_file, raw_suffix_list

HEADING = "heading"
PARA = "para"
BULLET = "bullet"
NUMBER = "number"
CODE = "code"  # a fenced code block: kept in the full text, never read for names


@dataclass(frozen=True, slots=True)
class Block:
    """One cleaned block of an article: a heading (with its level, 1-6), a paragraph, a list item
    or a code block."""

    kind: str
    text: str
    level: int = 0


@dataclass(slots=True)
class ArticleMeta:
    """What a file says about its article (``reading.metadata`` reads it)."""

    title: str = ""
    authors: list[str] = field(default_factory=list)
    date: str = ""  # ISO date (YYYY-MM-DD) when known
    description: str = ""
    url: str = ""
    site: str = ""
    tags: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Article:
    """One article found in a raw file, cleaned into blocks.

    ``raw`` is the vault-relative raw path (``raw/x.txt``), ``index`` its position in that file.
    ``kind`` is ``"article"`` or ``"profile"`` (a social profile holding many short posts; then
    ``meta`` has ``name``, ``handle``, ``bio`` and ``posts``). ``info`` is what the file says
    about the article (frontmatter, HTML meta tags, PDF metadata): title, authors, date, ...
    """

    title: str
    blocks: list[Block]
    raw: str
    index: int = 0
    kind: str = "article"
    meta: dict = field(default_factory=dict)
    info: ArticleMeta = field(default_factory=ArticleMeta)

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)


@dataclass(slots=True)
class CompileReport:
    """What one compile did. Page paths are vault-relative (``people/Andrej Karpathy.md``).

    ``conflicts`` holds one line per page the user changed (or wrote) that the compiler would
    have changed; ``errors`` holds ``(file, message)`` for inputs that could not be compiled
    (``unsupported`` names those refused for their type: a ``.docx``, a photo in ``raw/``);
    ``written`` is every path created, changed or removed (for the index); ``source_pages`` maps
    each compiled raw file to the source pages made from it; ``already_imported`` each
    ingested file that was in ``raw/`` already to its source pages.
    """

    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)
    errors: list[tuple[str, str]] = field(default_factory=list)
    unsupported: list[str] = field(default_factory=list)
    written: list[str] = field(default_factory=list)
    source_pages: dict[str, list[str]] = field(default_factory=dict)
    # an ingested file whose bytes were in raw/ already (nothing copied): file -> the source
    # pages made from that raw file before (empty when it never compiled)
    already_imported: dict[str, list[str]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.errors

    def refuse(self, rel: str, path: Path, message: str) -> None:
        """Report a file of ``raw/`` that cannot be compiled (and, when it is not an article
        the compiler reads at all, name it in ``unsupported``)."""
        self.errors.append((rel, message))
        if not is_raw_file(path):
            self.unsupported.append(rel)


def unsupported_message(path: Path) -> str:
    """One line naming what is wrong with a file the compiler does not read."""
    return f"unsupported file type '{path.suffix or path.name}' (use {raw_suffix_list()})"
