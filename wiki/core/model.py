"""Plain data types shared by the engine, the compiler, the watcher and the app."""

from __future__ import annotations

from dataclasses import dataclass, field

# Page flags: reasons a page loaded, but not cleanly. The UI and `wiki lint` show them.
FLAG_MALFORMED_FRONTMATTER = "malformed-frontmatter"
FLAG_INVALID_UTF8 = "invalid-utf8"
FLAG_BINARY = "binary"
FLAG_TRUNCATED = "truncated"
FLAG_EMPTY = "empty"
FLAG_UNREADABLE = "unreadable"


@dataclass(frozen=True, slots=True)
class Link:
    """One link as written in a page.

    ``target`` is the page part as written (``folder/Page`` of ``[[folder/Page#H|t]]``), URL-decoded
    for Markdown links and without a ``.md`` suffix removed; it is ``""`` for a same-page link
    such as ``[[#Heading]]``. ``kind`` is ``"wiki"`` or ``"markdown"``.
    """

    target: str
    heading: str | None = None
    text: str | None = None
    embed: bool = False
    kind: str = "wiki"
    line: int = 0  # 1-based line in the page body (after frontmatter)
    context: str = ""  # the paragraph or line around the link, trimmed for display


@dataclass(slots=True)
class Page:
    """A parsed Markdown page. ``path`` is vault-relative with forward slashes."""

    path: str
    title: str
    body: str = ""
    aliases: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    type: str | None = None
    frontmatter: dict = field(default_factory=dict)
    links: list[Link] = field(default_factory=list)
    flags: list[str] = field(default_factory=list)
    mtime_ns: int = 0
    size: int = 0
    problem: str | None = None  # a one-line human message when flags are set


@dataclass(frozen=True, slots=True)
class PageInfo:
    """Light page metadata, kept in memory for every page of the vault."""

    path: str
    title: str
    aliases: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    type: str | None = None
    flags: tuple[str, ...] = ()

    @property
    def folder(self) -> str:
        return self.path.rpartition("/")[0]

    @property
    def name(self) -> str:
        """File name without ``.md``: what ``[[name]]`` matches."""
        return self.path.rpartition("/")[2].removesuffix(".md")


@dataclass(frozen=True, slots=True)
class ResolvedLink:
    link: Link
    path: str | None  # None: the target does not exist yet


@dataclass(frozen=True, slots=True)
class Mention:
    """A backlink or an unlinked mention: which page, and the text around it."""

    path: str
    title: str
    context: str
    line: int = 0
    offset: int = -1  # an unlinked mention: where the name starts in the page body
    text: str = ""  # an unlinked mention: the name as the page writes it


@dataclass(frozen=True, slots=True)
class Hit:
    path: str
    title: str
    score: float
    snippet: str  # plain text, matched terms marked **like this**
    snippet_html: str  # HTML-escaped, matched terms in <b class="match">…</b>
    terms: tuple[str, ...] = ()  # the words that matched, for highlighting the opened page


@dataclass(slots=True)
class SearchResults:
    query: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    suggestion: str | None = None  # "did you mean" when nothing matched
    error: str | None = None  # a bad query: one clear line
    # While the search index is still being filled in (first open): the hits come from the
    # first ``indexed`` of ``index_total`` pages. None when search sees every page.
    indexed: int | None = None
    index_total: int | None = None


@dataclass(slots=True)
class ChangeSummary:
    """What one engine operation changed. Widgets look only at what they show."""

    added: set[str] = field(default_factory=set)
    modified: set[str] = field(default_factory=set)
    removed: set[str] = field(default_factory=set)
    # Pages whose outgoing links or backlinks may look different now.
    links_changed: set[str] = field(default_factory=set)
    warnings: list[str] = field(default_factory=list)
    rebuilt: bool = False
    # (file, one-line reason) of the files in raw/ the compiler refused: an unsupported type
    # (``unsupported_files``), a scan without text, a file that is not UTF-8 ...
    compile_errors: list[tuple[str, str]] = field(default_factory=list)
    unsupported_files: list[str] = field(default_factory=list)

    @property
    def pages_changed(self) -> set[str]:
        return self.added | self.modified | self.removed

    def is_empty(self) -> bool:
        return not (self.added or self.modified or self.removed or self.links_changed
                    or self.rebuilt or self.compile_errors)

    def merge(self, other: ChangeSummary) -> None:
        self.added |= other.added
        self.modified |= other.modified
        self.removed |= other.removed
        self.links_changed |= other.links_changed
        self.warnings.extend(other.warnings)
        self.rebuilt = self.rebuilt or other.rebuilt
        self.compile_errors.extend(other.compile_errors)
        self.unsupported_files.extend(other.unsupported_files)
