"""The search index's Whoosh schema, page → document, the query language (parsing, `path:`
rewriting, query words, checks) and the "did you mean" word list."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import process
from rapidfuzz.distance import Levenshtein
from whoosh import query as wq
from whoosh.analysis import StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, TEXT, Schema
from whoosh.qparser import AndGroup, FieldAliasPlugin, MultifieldParser, QueryParser

from wiki.core.model import Page

# Bump when the schema or what goes into a document changes: old indexes are then rebuilt.
SCHEMA_VERSION = 2  # 2: text is indexed in Unicode NFC

SEARCH_FIELDS = ("head", "body")  # what a plain word searches
HEAD_BOOST = {"head": 3.0}
FIELD_ALIASES = {"tags": ["tag"], "aliases": ["alias"]}
_OPERATORS = {"AND", "OR", "NOT", "ANDNOT", "ANDMAYBE"}


# Words: letters and digits, joined by '.' (3.14, e.g) or '_' (snake_case); Markdown's * and _
# emphasis marks and apostrophes split words (so "Ada's" finds "Ada").
WORD_PATTERN = r"[^\W_]+(?:[._][^\W_]+)*"


def make_schema() -> Schema:
    stem = StemmingAnalyzer(expression=WORD_PATTERN, cachesize=-1)
    return Schema(
        path=ID(unique=True, stored=True, sortable=True),
        # `path:` prefix filters, lower-cased: every ancestor folder ("a/", "a/b/"), the parent
        # folder ("/" at the top) and the file name. A whole folder is then one posting list.
        folders=KEYWORD(commas=True),
        parent=ID(),
        fname=ID(),
        # title + aliases + file name: one field, so that a word costs two postings lookups
        head=TEXT(analyzer=stem),
        title=TEXT(stored=True, analyzer=stem),  # for `title:` filters
        aliases=TEXT(stored=True, analyzer=stem),  # for `alias:` filters
        tags=KEYWORD(lowercase=True, commas=True, scorable=True),
        type=KEYWORD(lowercase=True, commas=True),
        body=TEXT(stored=True, analyzer=stem, chars=True),
    )


def nfc(text: str) -> str:
    return text if text.isascii() else unicodedata.normalize("NFC", text)


def page_document(page: Page) -> dict[str, str]:
    """The Whoosh document for one page. Text is normalised to NFC, as queries are, so a name
    typed on one system finds it written decomposed on another (macOS file names)."""
    name = page.path.rpartition("/")[2].removesuffix(".md")
    tags = {t.strip().lstrip("#").strip().replace(",", " ") for t in page.tags if t}
    title = page.title or name
    aliases = "\n".join(a for a in page.aliases if a)
    head = [title, aliases] if name.lower() == title.lower() else [title, aliases, name]
    parent, _, fname = page.path.lower().rpartition("/")
    parts = parent.split("/") if parent else []
    folders = ",".join("/".join(parts[: i + 1]) + "/" for i in range(len(parts)))
    return {
        "path": page.path,
        "folders": folders,
        "parent": parent + "/",
        "fname": fname,
        "head": nfc("\n".join(head)),
        "title": nfc(title),
        "aliases": nfc(aliases),
        "tags": ",".join(sorted(t for t in tags if t)),
        "type": (page.type or "").replace(",", " "),
        "body": nfc(page.body),
    }


def make_parser(schema: Schema) -> QueryParser:
    # The title boost is applied to the score (a query boost): an index-time field_boost only
    # multiplies term frequency, which BM25 saturates, so long bodies would still win.
    parser = MultifieldParser(list(SEARCH_FIELDS), schema, fieldboosts=HEAD_BOOST,
                              group=AndGroup)
    parser.add_plugin(FieldAliasPlugin(FIELD_ALIASES))
    return parser


def path_prefix_query(prefix: str) -> wq.Query:
    """Pages whose path starts with ``prefix`` (case-insensitive)."""
    prefix = prefix.lower().lstrip("/")
    if not prefix:
        return wq.Every()
    if prefix.endswith("/"):
        return wq.Term("folders", prefix)
    parent, _, stem = prefix.rpartition("/")
    in_parent = wq.And([wq.Term("parent", parent + "/"), wq.Prefix("fname", stem)])
    return wq.Or([wq.Prefix("folders", prefix), in_parent])


def rewrite(q: wq.Query) -> wq.Query:
    """`path:x` means "path starts with x", case-insensitively; `prefix*` is ranked."""
    if isinstance(q, (wq.Term, wq.Prefix, wq.Wildcard)) and q.fieldname == "path":
        return path_prefix_query(str(q.text).split("*")[0])
    if isinstance(q, (wq.Prefix, wq.Wildcard)):
        # Whoosh scores a prefix that expands to several words as 1.0 per page (in indexes of
        # up to 5000 pages), so `prot*` listed pages in index order. Score the words instead.
        q.constantscore = False
        return q
    if isinstance(q, wq.Phrase) and q.fieldname == "path":
        return path_prefix_query(" ".join(q.words))
    if isinstance(q, wq.Term) and q.fieldname == "tags":  # tag:ml also finds ml/core, as Obsidian
        tag = str(q.text).lstrip("#")
        return wq.Or([wq.Term("tags", tag), wq.Prefix("tags", tag.rstrip("/") + "/")])
    if q.is_leaf():
        return q
    return q.apply(rewrite)


@dataclass(frozen=True, slots=True)
class QueryWord:
    """A word as the user wrote it in the query, with where it is."""

    text: str  # without a trailing '*'
    start: int
    end: int
    field: str | None  # the field filter it sits under, if any
    prefix: bool = False


_TOKEN = re.compile(r'(?P<field>[A-Za-z_]+):(?=\S)|(?P<quote>")|(?P<word>[^\W_][\w\'-]*\*?|\*)')
_KNOWN = {"title", "aliases", "alias", "head", "body", "tags", "tag", "type", "path"}
TEXT_FILTERS = (None, "title", "aliases", "alias", "head", "body")  # words worth highlighting


def positive_terms(q: wq.Query, reader, field: str) -> list[bytes]:
    """Terms of ``field`` that a matching page may contain (not those under NOT), expanded."""
    out: list[bytes] = []

    def walk(node: wq.Query) -> None:
        if isinstance(node, wq.Not):
            return
        if isinstance(node, wq.AndNot):
            walk(node.a)
            return
        if node.is_leaf():
            if getattr(node, "fieldname", None) == field:
                for f, t in node.existing_terms(reader, phrases=True, expand=True):
                    if f == field and t not in out:
                        out.append(t)
            return
        for child in node.children():
            walk(child)

    walk(q)
    return out


def query_words(qstring: str) -> list[QueryWord]:
    """Words of a query string (operators and field names left out)."""
    words: list[QueryWord] = []
    field: str | None = None
    in_quote = False
    quote_field: str | None = None
    for m in _TOKEN.finditer(qstring):
        if m.group("field") is not None and m.group("field").lower() in _KNOWN:
            field = m.group("field").lower()
            continue
        if m.group("quote"):
            in_quote = not in_quote
            quote_field = field if in_quote else None
            field = None
            continue
        w = m.group("word")
        if w is None or w == "*" or (w in _OPERATORS and not in_quote):
            field = None
            continue
        prefix = w.endswith("*")
        text = w.rstrip("*").strip("'-")
        if text:
            words.append(QueryWord(text, m.start(), m.start() + len(w.rstrip("*")),
                                   quote_field if in_quote else field, prefix))
        field = None
    return words


def check_query(qstring: str) -> str | None:
    """One clear line when the query cannot mean anything sensible; None when it is fine."""
    if qstring.count('"') % 2:
        return 'unbalanced quotes: add the closing "'
    depth = 0
    in_quote = False
    for ch in qstring:
        if ch == '"':
            in_quote = not in_quote
        elif not in_quote and ch == "(":
            depth += 1
        elif not in_quote and ch == ")":
            depth -= 1
            if depth < 0:
                return "unbalanced parentheses: a ')' has no matching '('"
    if depth:
        return "unbalanced parentheses: a '(' is never closed"
    m = re.search(r"(?:^|\s)([A-Za-z_]+):(?=\s|$)", qstring)
    if m and m.group(1).lower() in _KNOWN:
        return f"'{m.group(1)}:' needs something to search for after the colon"
    toks = qstring.split()
    if toks and (toks[0] in _OPERATORS - {"NOT"} or toks[-1] in _OPERATORS):
        return f"'{toks[0] if toks[0] in _OPERATORS else toks[-1]}' needs words on both sides"
    return None


_SPELL_WORD = re.compile(r"[^\W\d_]{3,}")


class SpellWords:
    """Words the pages use as written (not stemmed), with how many pages use each: the
    dictionary for "did you mean". Kept in a text file beside the index; it only grows, which is
    harmless because a suggestion is only offered when it finds something."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.counts: Counter[str] = Counter()
        self._mtime_ns = -1
        self._pending: Counter[str] = Counter()

    @staticmethod
    def words_of(page: Page) -> set[str]:
        text = " ".join((page.title, " ".join(page.aliases), page.body)).lower()
        return set(_SPELL_WORD.findall(text))

    def add(self, counts: Counter[str]) -> None:
        """Count these words (call with the index lock held: searches read the counts)."""
        self._pending.update(w for w in counts if w not in self.counts)
        self.counts.update(counts)

    def flush(self) -> None:
        """Append words seen for the first time since the last flush."""
        if not self._pending:
            return
        with self.path.open("a", encoding="utf-8") as f:
            f.write("".join(f"{w}\t{self.counts[w]}\n" for w in self._pending))
        self._pending.clear()
        self._mtime_ns = self.path.stat().st_mtime_ns

    def reset(self) -> None:
        self.counts.clear()
        self._pending.clear()
        self._mtime_ns = -1

    def load(self) -> None:
        """(Re)read the file if it changed on disk (another process may be writing it)."""
        try:
            mtime = self.path.stat().st_mtime_ns
            if mtime == self._mtime_ns:
                return
            lines = self.path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            return
        counts: Counter[str] = Counter()
        for line in lines:
            word, _, n = line.partition("\t")
            if word:
                counts[word] = max(counts[word], int(n) if n.isdigit() else 1)
        self.counts = counts
        self._mtime_ns = mtime

    def known(self, word: str) -> bool:
        return word.lower() in self.counts

    def suggest(self, word: str) -> str | None:
        """The closest known word (edit distance 1-2, the most used on ties), or None."""
        word = word.lower()
        if len(word) < 3 or not self.counts:
            return None
        maxdist = 1 if len(word) <= 4 else 2
        found = process.extract(word, list(self.counts), scorer=Levenshtein.distance,
                                score_cutoff=maxdist, limit=20)
        found = [(w, d) for w, d, _ in found if w != word]
        if not found:
            return None
        return min(found, key=lambda wd: (wd[1], -self.counts[wd[0]], wd[0]))[0]


def cache_missing_length_columns() -> None:
    """Whoosh slowness workaround: a field without a length column (ID, KEYWORD, spelling
    fields) costs a ``stat()`` per posting when a segment is written, because the miss is not
    cached. Segments are immutable, so caching the miss is safe. Called by wiki.search.index."""
    from whoosh.codec import whoosh3

    cls = whoosh3.W3PerDocReader
    if getattr(cls, "_commonplace_patched", False):
        return
    original = cls._cached_reader

    def _cached_reader(self, fieldname, column):
        readers = self._readers
        if fieldname not in readers:
            readers[fieldname] = original(self, fieldname, column)
        return readers[fieldname]

    cls._cached_reader = _cached_reader
    cls._commonplace_patched = True


def merge_small_segments(writer, segments):
    """Whoosh merge policy: keep the big segments (from bulk builds: a fifth of the pages or
    more), merge all the others into one. Whoosh's MERGE_SMALL leaves many one-page segments
    behind, and each one slows every search."""
    from whoosh.reading import SegmentReader

    if len(segments) <= 1:
        return segments
    total = sum(s.doc_count_all() for s in segments)
    keep = [s for s in segments if s.doc_count_all() * 5 >= total and s.doc_count_all() > 100]
    rest = [s for s in segments if s not in keep]
    if len(rest) < 2:
        return segments
    for seg in rest:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return keep
