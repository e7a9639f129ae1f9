"""The full-text search index (Whoosh): open or rebuild, bulk build, incremental update, search.

The index is a disposable cache in its own folder: on a version change or any damage it is wiped
and recreated empty (``was_reset``) and the caller feeds every page again. One thread writes; any
thread may search (one shared searcher, refreshed after each commit, behind a lock).

Builds use the bulk writer and searches the fast scorer (``whoosh_internals``), each self-tested
once per process; on any fault of either, the fault is logged and Whoosh's own writer or
collector does the work, with the same results.
"""

from __future__ import annotations

import functools
import json
import logging
import os
import pickle
import re
import shutil
import struct
import sys
import threading
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from whoosh import index as wi
from whoosh import query as wq
from whoosh.collectors import TopCollector
from whoosh.index import LockError
from whoosh.searching import Searcher

from wiki.core.model import Hit, Page, SearchResults
from wiki.core.scripts import no_space_runs
from wiki.search import health, snippets
from wiki.search.analysis import fold
from wiki.search.query import (
    TEXT_FILTERS,
    QueryWord,
    check_query,
    close_open_phrase,
    exact_bonus,
    field_names,
    make_parser,
    positive_terms,
    query_words,
    rewrite,
    unknown_field_error,
)
from wiki.search.schema import SCHEMA_VERSION, SPELL_FIELDS, make_schema, nfc, page_document
from wiki.search.spelling import SpellWords
from wiki.search.whoosh_internals import fastsearch, probe
from wiki.search.whoosh_internals.adopt import adopt_segments
from wiki.search.whoosh_internals.bulk import BulkWriter, bulk_supported
from wiki.search.whoosh_internals.segments import (
    cache_missing_length_columns,
    merge_small_segments,
    read_mapped_files_in_place,
    refreshed,
    segment_count,
)

INDEX_NAME = "MAIN"
VERSION_FILE = "commonplace-index.json"
WORDS_FILE = "commonplace-words.txt"
# (size, mtime) of each file when its checksum was last recorded: on open, only the files whose
# stamp moved since are summed before the index is used; the others on a thread of their own
STAMPS_FILE = "commonplace-stamps.json"
BULK_WRITER = bulk_supported()  # whoosh_internals/bulk.py: Whoosh's segment, faster
# A bulk build holds its postings in memory (about 75 bytes each); past this many it commits a
# segment and starts the next (about 60,000 notes of a few pages each).
BULK_MAX_POSTINGS = 12_000_000
MAX_SEGMENTS = 8  # past this many segments, an update also merges the small ones
DAMAGED = "search index was damaged and has been rebuilt"
BEING_REBUILT = ("the search index is damaged and is being rebuilt from the pages; "
                 "search again in a moment")
DAMAGED_READONLY = ("the search index is damaged; the Commonplace process that writes this "
                    "vault rebuilds it")
OUTDATED = "search index was from another version of Commonplace and has been rebuilt"

# What reading damaged bytes raises (Whoosh unpacks, unpickles and decompresses them); any
# other failure of a search is no sign of damage.
READ_FAULTS = (OSError, EOFError, struct.error, zlib.error, pickle.UnpicklingError, ValueError,
               IndexError, KeyError, UnicodeDecodeError, OverflowError, MemoryError)

Progress = Callable[[int, int, str], None]
log = logging.getLogger(__name__)


_SYNTAX = re.compile(r'["():*]|\b(?:AND|OR|NOT)\b')  # the user wrote query syntax: no bonus
MAX_PHRASE_WORDS = 8
PHRASE_HEAD_BOOST = 6.0
PHRASE_BODY_BOOST = 1.5


class IndexBusy(Exception):
    """Another process holds the index's write lock."""


cache_missing_length_columns()  # a Whoosh speed fix, see whoosh_internals/segments.py
read_mapped_files_in_place()  # a Whoosh memory fix (no copy of every segment), same module


@functools.cache
def fast_search_fault() -> str | None:
    """Why the fast scorer cannot be trusted with this Whoosh (probed once), or None."""
    schema = make_schema()
    parser = make_parser(schema)
    fault = probe.probe_fast_search(schema, probe.sample_documents(),
                                    lambda qs: rewrite(parser.parse(qs)))
    if fault:
        log.warning("search: %s; Whoosh's collector answers every search (slower)", fault)
    return fault


@functools.cache
def bulk_writer_fault() -> str | None:
    """Why the bulk writer cannot be trusted with this Whoosh (probed once), or None."""
    fault = probe.probe_bulk_writer(make_schema(), probe.sample_documents())
    if fault:
        log.warning("search index: %s; building with Whoosh's own writer (slower)", fault)
    return fault


MAX_FORMS = 8


def written_forms(body: str, chars: dict[str, list[tuple[int, int]]],
                  terms: tuple[str, ...]) -> tuple[str, ...]:
    """How the page writes the matched words where that differs by its accents ("enthält" for
    the query word "enthalt"), so that the opened page marks them too."""
    if not terms:
        return ()
    folded = {fold(t.lower()) for t in terms}
    lowered = {t.lower() for t in terms}
    out: list[str] = []
    for spans in chars.values():
        for start, end in spans[:MAX_FORMS]:
            form = body[start:end]
            low = form.lower()
            if low not in lowered and fold(low) in folded and form not in out:
                out.append(form)
                if len(out) >= MAX_FORMS:
                    return tuple(out)
    return tuple(out)


class SearchIndex:
    def __init__(self, index_dir: Path, *, readonly: bool = False,
                 lock_timeout: float = 5.0) -> None:
        self.index_dir = Path(index_dir)
        self.readonly = readonly
        self.lock_timeout = lock_timeout
        self.was_reset = False  # the index was damaged or outdated and is now empty
        self.created = False  # there was no index: it is new and empty
        self._schema = make_schema()
        self._parser = make_parser(self._schema)
        self._analyzer = self._schema["body"].analyzer
        self._ix: wi.Index | None = None
        self._searcher: Searcher | None = None
        self._lock = threading.RLock()
        self._words = SpellWords(self.index_dir / WORDS_FILE)
        self._fast_fault: str | None = None  # why the fast path is off, if it is
        # Why the index was found damaged while in use (a read error), until it is rebuilt;
        # ``on_damage(reason)`` is told once, so that the writer rebuilds it in the background.
        self.damage: str | None = None
        self.on_damage: Callable[[str], None] | None = None
        self._stamps: dict[str, tuple[int, int]] = {}  # the files as last checked (health)
        self._verify_later: set[str] = set()  # files to sum once the index is open

    # ----- opening -----
    def open(self) -> list[str]:
        """Open the index, creating it when missing and rebuilding it (empty) when damaged."""
        with self._lock:
            self._close_searcher()
            self.damage = None
            # (fastsearch.ENABLED is a switch for benchmarks: off, there is nothing to probe)
            self._fast_fault = fast_search_fault() if fastsearch.ENABLED else None
            if self.readonly:
                problem = self._probe()
                if problem == "missing":
                    return []
                if problem:
                    return ["search index is damaged; searches stay empty until it is rebuilt"]
                return []
            problem = self._probe()
            if problem is None:
                self._words.load()
                return []
            if problem == "missing" and os.path.lexists(self.index_dir) \
                    and not self.index_dir.is_dir():
                # a file (or a dangling link) where the index folder belongs: the folder is
                # derived state inside .wiki/, so it is replaced and the index rebuilt
                self.index_dir.unlink()
                problem = "damaged"
            self.index_dir.mkdir(parents=True, exist_ok=True)
            self._wipe()
            self._create()
            if problem == "missing":
                self.created = True
                return []
            self.was_reset = True
            return [OUTDATED if problem == "version" else DAMAGED]

    def _probe(self) -> str | None:
        """None when the index opens cleanly (and keep it open); else what is wrong."""
        d = self.index_dir
        if not d.is_dir():
            return "missing"  # never built (an emptied folder counts as damaged: files were lost)
        try:
            meta = json.loads((d / VERSION_FILE).read_text(encoding="utf-8"))
            if meta.get("schema") != SCHEMA_VERSION:
                return "version"
        except (OSError, ValueError, AttributeError):
            return "damaged"
        if not self.readonly:  # the writer checks every file against its checksum
            now = health.stamps(d, INDEX_NAME)
            recorded = self._recorded_stamps()
            moved = {name for name, stamp in now.items() if recorded.get(name) != stamp}
            changed = health.verify(d, INDEX_NAME, only=moved)
            if changed:
                log.warning("search index: %s; rebuilding it", changed)
                return "damaged"
            self._stamps = now
            self._verify_later = set(now) - moved
            if moved:  # summed just now: at these stamps they need not be summed on open again
                self._save_stamps()
        try:
            ix = wi.open_dir(str(d), indexname=INDEX_NAME, readonly=self.readonly)
            if set(ix.schema.names()) != set(self._schema.names()):
                return "version"
            with ix.searcher() as s:
                reader = s.reader()
                first = next(iter(reader.all_doc_ids()), None)  # not a list of every id
                if first is not None:  # an empty index (an empty vault) has no columns
                    last = reader.doc_count_all() - 1
                    while last > first and reader.is_deleted(last):
                        last -= 1
                    reader.stored_fields(first)
                    reader.stored_fields(last)
                    col = reader.column_reader("path")
                    col[last]
                    reader.doc_frequency("body", "a")
        except Exception:  # noqa: BLE001 - any failure to read means "damaged"
            return "damaged"
        self._ix = ix
        if self._verify_later:
            self._verify_in_background(self._verify_later)
            self._verify_later = set()
        return None

    def _save_stamps(self) -> None:
        try:
            tmp = self.index_dir / (STAMPS_FILE + ".part")
            tmp.write_text(json.dumps(self._stamps, sort_keys=True), encoding="utf-8")
            os.replace(tmp, self.index_dir / STAMPS_FILE)
        except OSError as exc:  # only costs summing them all on the next open
            log.info("search index: cannot save the files' stamps (%s)", exc)

    def _recorded_stamps(self) -> dict[str, tuple[int, int]]:
        try:
            data = json.loads((self.index_dir / STAMPS_FILE).read_text(encoding="utf-8"))
            return {k: (v[0], v[1]) for k, v in data.items()}
        except (OSError, ValueError, AttributeError, TypeError, IndexError, KeyError):
            return {}

    def _verify_in_background(self, names: set[str]) -> None:
        """Sum the files whose stamps have not moved since they were summed (damage that
        keeps a file's size and time: a disk fault), beside whatever the caller does next:
        0.3 s at 100,000 notes. Damage found is reported as a search would (``on_damage``:
        the writer rebuilds the index in the background); unless the index has had another
        commit meanwhile, whose merges may have deleted the very files being read."""
        generation = self._ix.latest_generation() if self._ix is not None else None

        def verify() -> None:
            if sys.platform.startswith("linux"):  # the lowest priority: never slows an open
                try:
                    os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), 19)
                except OSError:
                    pass
            try:
                problem = health.verify(self.index_dir, INDEX_NAME, only=names)
            except OSError:  # the index was wiped or rebuilt meanwhile: nothing left to check
                return
            if problem is None:
                return
            with self._lock:
                if self._ix is None or self._ix.latest_generation() != generation:
                    return
            log.warning("search index: %s; rebuilding it", problem)
            self._mark_damaged(problem)

        threading.Thread(target=verify, daemon=True, name="index-verify").start()

    def _wipe(self) -> None:
        """Delete this index's own files (and nothing else in the folder)."""
        if self._ix is not None:
            self._ix.close()
            self._ix = None
        for entry in self.index_dir.iterdir():
            name = entry.name
            if name.startswith((INDEX_NAME + "_", "_" + INDEX_NAME + "_")) or \
                    name in (VERSION_FILE, WORDS_FILE, health.CHECKSUMS_FILE, STAMPS_FILE) or \
                    name.endswith(".tmp"):
                if entry.is_dir() and not entry.is_symlink():
                    shutil.rmtree(entry, ignore_errors=True)
                else:
                    entry.unlink(missing_ok=True)
        self._words.reset()

    def _create(self) -> None:
        self._ix = wi.create_in(str(self.index_dir), self._schema, indexname=INDEX_NAME)
        tmp = self.index_dir / (VERSION_FILE + ".part")
        tmp.write_text(json.dumps({"schema": SCHEMA_VERSION}), encoding="utf-8")
        os.replace(tmp, self.index_dir / VERSION_FILE)
        self._record()

    def _record(self) -> None:
        """Checksum the files of the last commit (``health``); a failure only costs the check."""
        try:
            health.record(self.index_dir, INDEX_NAME)
            self._stamps = health.stamps(self.index_dir, INDEX_NAME)
            self._save_stamps()
        except OSError as exc:
            log.warning("search index: cannot record checksums (%s)", exc)

    def close(self) -> None:
        with self._lock:
            self._close_searcher()
            if self._ix is not None:
                self._ix.close()
                self._ix = None

    # ----- searcher -----
    def _close_searcher(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def _get_searcher(self) -> Searcher | None:
        """The shared searcher (call with the lock held); None when there is no index."""
        if self._ix is None:
            if not self.readonly or self._probe() is not None:
                return None
        assert self._ix is not None
        if self._searcher is None:
            self._searcher = self._ix.searcher()
        elif self.readonly:  # another process writes: pick up its commits
            self._searcher = refreshed(self._searcher)
        return self._searcher

    def _refresh(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher = refreshed(self._searcher)

    def refresh(self) -> None:
        """See commits made by another process (read-only searches also do this themselves)."""
        with self._lock:
            if self._ix is None or self._searcher is None:
                self._get_searcher()
            else:
                self._refresh()

    # ----- writing -----
    def _writer(self, *, bulk: bool = False, **kwargs):
        if self.readonly:
            raise IndexBusy("the search index is open read-only")
        if self._ix is None:
            raise RuntimeError("SearchIndex.open() was not called")
        try:
            if bulk:
                return BulkWriter(self._ix, spell=SpellWords.words_in, spell_fields=SPELL_FIELDS,
                                  timeout=self.lock_timeout, **kwargs)
            return self._ix.writer(timeout=self.lock_timeout, **kwargs)
        except LockError:
            raise IndexBusy("the search index is being written by another Commonplace process"
                            ) from None

    def build(self, pages: Iterable[Page], *, total: int | None = None,
              progress: Progress | None = None, append: bool = False) -> None:
        """Index every page into an empty index (emptied first if needed), in one commit (one
        per BULK_MAX_POSTINGS postings on huge vaults). With ``append``, pages not in the index
        yet are added as a new segment to what is there (the batches of a first open)."""
        if self.readonly:
            raise IndexBusy("the search index is open read-only")
        if not append and self.doc_count():
            with self._lock:
                self._close_searcher()
                self._wipe()
                self._create()
        bulk = BULK_WRITER and bulk_writer_fault() is None
        writer = self._writer(bulk=bulk, limitmb=256)
        pending: list[Page] = []  # pages of the bulk writer's segment not yet committed
        done = 0
        words: Counter[str] = Counter()
        try:
            for page in pages:
                doc = page_document(page)
                try:
                    writer.add_document(**doc)
                except Exception as e:
                    if not bulk:
                        raise
                    writer, bulk = self._without_bulk(writer, e, pending, words), False
                    writer.add_document(**doc)
                if bulk:
                    pending.append(page)  # (its words are counted by the writer)
                else:
                    words.update(SpellWords.words_of(page))
                done += 1
                if progress is not None and done % 200 == 0:
                    progress(done, total or 0, "indexing pages")
                if bulk and writer.postings >= BULK_MAX_POSTINGS:
                    try:
                        writer.commit(merge=False)  # bounds the memory of huge builds
                    except Exception as e:  # noqa: BLE001 - Whoosh's writer takes over
                        writer, bulk = self._without_bulk(writer, e, pending, words), False
                    else:
                        words.update(writer.spell_counts or {})
                        writer = self._writer(bulk=True, limitmb=256)
                    pending.clear()
            try:
                writer.commit(merge=False)
            except Exception as e:
                if not bulk:
                    raise
                writer, bulk = self._without_bulk(writer, e, pending, words), False
                writer.commit(merge=False)
            else:
                if bulk:
                    words.update(writer.spell_counts or {})
        except BaseException:
            writer.cancel()
            raise
        with self._lock:
            self._words.add(words)
            self._words.flush()
            self.damage = None
        self._record()
        if progress is not None:
            progress(done, total or done, "search index built")
        self._refresh()

    def adopt(self, part_dir: Path) -> int:
        """Take in, by one commit and without rewriting them, the pages of the index another
        process built in ``part_dir`` with a ``SearchIndex`` of its own (see
        wiki/search/parallel.py), and its words for "did you mean". Returns how many."""
        writer = self._writer()
        added = adopt_segments(writer, Path(part_dir), INDEX_NAME)
        words = SpellWords(Path(part_dir) / WORDS_FILE)
        words.load()
        with self._lock:
            self._words.add(words.counts)
            self._words.flush()
        self._record()  # the adopted segments are summed too (only files new to the record)
        self._refresh()
        return added

    def _without_bulk(self, writer, fault: Exception, pending: list[Page], words: Counter[str]):
        """The bulk writer failed: log it, drop its uncommitted segment, and go on with
        Whoosh's own writer, starting again from the pages that segment held (their words
        for "did you mean" are counted here: the bulk writer counted them)."""
        log.warning("search index: the bulk writer failed (%s: %s); building with Whoosh's "
                    "own writer", type(fault).__name__, fault)
        writer.cancel()
        writer = self._writer(limitmb=256)
        for page in pending:
            writer.add_document(**page_document(page))
            words.update(SpellWords.words_of(page))
        return writer

    def update(self, pages: Sequence[Page], removed: Sequence[str]) -> None:
        """Replace these pages and delete these paths, in one commit."""
        if not pages and not removed:
            return
        writer = self._writer()
        try:
            for path in removed:
                writer.delete_by_term("path", path)
            for page in pages:
                writer.update_document(**page_document(page))
            if self._segment_count() >= MAX_SEGMENTS:
                writer.commit(mergetype=merge_small_segments)
            else:
                writer.commit(merge=False)
        except BaseException:
            writer.cancel()
            raise
        self._record()
        words: Counter[str] = Counter()
        for page in pages:
            words.update(SpellWords.words_of(page))
        with self._lock:
            self._words.add(words)
            self._words.flush()
        self._refresh()

    def _segment_count(self) -> int:
        return segment_count(self._ix) if self._ix is not None else 0

    def merge_if_idle(self) -> bool:
        """Merge the segments left by updates into one; True if it merged. Call when idle."""
        if self.readonly or self._segment_count() <= 1:
            return False
        before = self._segment_count()
        writer = self._writer()
        try:
            writer.commit(mergetype=merge_small_segments)
        except BaseException:
            writer.cancel()
            raise
        self._record()
        self._refresh()
        return self._segment_count() < before

    # ----- reading -----
    def generation(self) -> int | None:
        """Which commit the index is at (Whoosh's table-of-contents generation: every commit
        makes a new one), or None when it is not open."""
        with self._lock:
            return self._ix.latest_generation() if self._ix is not None else None

    def doc_count(self) -> int:
        with self._lock:
            s = self._get_searcher()
            return s.doc_count() if s is not None else 0

    def all_paths(self) -> set[str]:
        with self._lock:
            s = self._get_searcher()
            if s is None or s.doc_count() == 0:
                return set()  # an empty index's reader has no columns
            reader = s.reader()
            col = reader.column_reader("path")
            return {col[d] for d in reader.all_doc_ids()}

    def phrase_candidates(self, phrase: str, limit: int = 200) -> list[str]:
        """Paths whose body may contain ``phrase`` (its words in order, stopwords aside)."""
        toks = [(t.text, t.pos) for t in self._analyzer(phrase, positions=True)]
        if not toks:
            return []
        if len(toks) == 1:
            q: wq.Query = wq.Term("body", toks[0][0])
        else:
            gap = max(b[1] - a[1] for a, b in zip(toks, toks[1:], strict=False))
            q = wq.Phrase("body", [t for t, _ in toks], slop=max(1, gap))
        with self._lock:
            s = self._get_searcher()
            if s is None:
                return []
            col = s.reader().column_reader("path")
            out: list[str] = []
            for docnum in s.docs_for_query(q):
                out.append(col[docnum])
                if len(out) >= limit:
                    break
            return out

    def search(self, query: str, limit: int = 20, offset: int = 0) -> SearchResults:
        """Search titles, aliases, file names and bodies; never raises for a bad query.
        ``offset`` skips the best ``offset`` hits (the next page of a list that shows the
        first ones already: snippets are made only for the hits returned). An exact name or
        alias goes first when it is among the first ``limit`` hits of the first page."""
        offset = max(0, offset)
        res = SearchResults(query=query)
        qs = close_open_phrase(nfc(query.strip()))
        if not qs:
            return res
        qs, unknown_fields = field_names(qs, set(self._schema.names()))
        res.error = check_query(qs)
        if res.error:
            return res
        if self.damage is not None:
            res.error = BEING_REBUILT
            return res
        changed = self._files_changed()
        if changed:
            res.error = self._mark_damaged(changed)
            return res
        try:
            base = self._parse(qs, bonus=False)
            bonus = self._phrase_bonus(qs)
        except Exception as e:  # noqa: BLE001 - the parser is lenient; this is a last resort
            res.error = f"could not understand the query: {e}"
            return res
        words = [w for w in query_words(qs) if w.field in TEXT_FILTERS]
        exact = exact_bonus(words, self._analyzer) if base is not wq.NullQuery else None
        if exact is not None:
            base = wq.AndMaybe(base, exact)
        parsed = wq.AndMaybe(base, bonus) if bonus is not None else base
        with self._lock:
            try:
                s = self._get_searcher()
                if s is None or base is wq.NullQuery:
                    return res
                # Every match is scored: an exact total. fastsearch scores whole posting lists
                # (the phrase bonus only on the best candidates); None for queries it does not
                # know, which Whoosh's collector then scores (no block skipping: exact total).
                top = self._fast_top(s, base, offset + max(1, limit), bonus)
                if top is not None:
                    res.total = top.total
                    hits = [(s.stored_fields(d), d, score) for d, score in top.hits[offset:]]
                else:
                    collector = TopCollector(limit=offset + max(1, limit), usequality=False,
                                             replace=0)
                    s.search_with_collector(parsed, collector)
                    results = collector.results()
                    res.total = len(results)
                    hits = [(results.fields(i), results.docnum(i), results.score(i))
                            for i in range(offset, results.scored_length())]
                if hits:
                    terms = positive_terms(parsed, s.reader(), "body")
                    docnums = [d for _, d, _ in hits]
                    chars = self._fast_chars(top, terms, docnums)
                    if chars is None:
                        chars = snippets.term_chars(s, "body", terms, docnums)
                    runs = [r for w in words if not w.prefix for r in no_space_runs(w.text)]
                    res.hits = [self._hit(f, score, chars[d], words, runs)
                                for f, d, score in hits]
                    if not offset:
                        res.hits = _exact_names_first(res.hits, [f for f, _, _ in hits], qs)
                elif not offset:
                    res.suggestion = self._suggest(s, qs, words)
                    if unknown_fields and res.suggestion is None:
                        res.error = unknown_field_error(unknown_fields)
            except Exception as e:  # noqa: BLE001 - a damaged segment must not crash the UI
                res.hits, res.total, res.suggestion = [], 0, None
                res.error = self._read_failed(e)
        return res

    def _read_failed(self, fault: Exception) -> str:
        """A search could not read the index: it is damaged. The writer marks it so (every
        search says so from now on) and tells ``on_damage`` once; a reader only says so."""
        reason = f"{type(fault).__name__}: {fault}"
        if not isinstance(fault, READ_FAULTS):
            log.warning("search failed (%s)", reason)
            return f"search failed: {fault}"
        log.warning("search index: a search failed (%s): the index is damaged", reason)
        return self._mark_damaged(reason)

    def _files_changed(self) -> str | None:
        """What changed in a file of the index behind this writer's back (health), or None.
        A few stats per search; a file is summed only when its stamp moved."""
        if self.readonly or self._ix is None:
            return None
        now = health.stamps(self.index_dir, INDEX_NAME)
        moved = {name for name, stamp in now.items() if self._stamps.get(name) != stamp}
        if not moved:
            return None
        problem = health.verify(self.index_dir, INDEX_NAME, only=moved)
        if problem is None:
            self._stamps = now
        return problem

    def _mark_damaged(self, reason: str) -> str:
        if self.readonly:
            return DAMAGED_READONLY
        first = self.damage is None
        self.damage = reason
        if first and self.on_damage is not None:
            try:
                self.on_damage(reason)
            except Exception:  # noqa: BLE001 - the search answers whatever a listener does
                log.exception("search index: on_damage failed")
        return BEING_REBUILT

    def _fast_top(self, s: Searcher, q: wq.Query, limit: int,
                  bonus: wq.Query | None) -> fastsearch.Ranked | None:
        """fastsearch's answer, or None: then Whoosh's collector answers. Any failure of the
        fast path (a changed Whoosh internal) is logged once and turns it off for this index."""
        if self._fast_fault is not None:
            return None
        try:
            return fastsearch.top_docs(s, q, limit, bonus)
        except Exception as e:  # noqa: BLE001 - Whoosh's own collector is always there
            self._fast_failed(e)
            return None

    def _fast_chars(self, top: fastsearch.Ranked | None, terms: list[bytes],
                    docnums: list[int]) -> dict[int, dict[str, list[tuple[int, int]]]] | None:
        if top is None or self._fast_fault is not None:
            return None
        try:
            return top.term_chars("body", terms, docnums)
        except Exception as e:  # noqa: BLE001 - snippets.term_chars reads them the Whoosh way
            self._fast_failed(e)
            return None

    def _fast_failed(self, fault: Exception) -> None:
        self._fast_fault = f"{type(fault).__name__}: {fault}"
        log.warning("search: the fast path failed (%s); Whoosh's collector answers from now on",
                    self._fast_fault)

    def _parse(self, qs: str, bonus: bool = True) -> wq.Query:
        """The query; with ``bonus``, AndMaybe the phrase bonus (see _phrase_bonus)."""
        # '?' is a Whoosh wildcard, but people end questions with it: "what is a monad?"
        parsed = rewrite(self._parser.parse(qs.replace("?", " ")))
        extra = self._phrase_bonus(qs) if bonus else None
        return wq.AndMaybe(parsed, extra) if extra is not None else parsed

    def _phrase_bonus(self, qs: str) -> wq.Query | None:
        """For plain several-word queries, pages where the words stand together rank higher:
        "vibe coding" puts a page titled "... Vibe Coding ..." above one named "Open Code"."""
        if _SYNTAX.search(qs) or len(qs.split()) < 2:  # one word (or one run of Chinese...)
            return None
        toks = [t.text for t in self._analyzer(qs.replace("?", " "))]
        if not 2 <= len(toks) <= MAX_PHRASE_WORDS:
            return None
        return wq.Or([wq.Phrase("head", toks, boost=PHRASE_HEAD_BOOST),
                      wq.Phrase("body", toks, boost=PHRASE_BODY_BOOST)])

    def _hit(self, fields: dict, score: float, chars: dict[str, list[tuple[int, int]]],
             words: list[QueryWord], runs: list[str]) -> Hit:
        body = fields.get("body", "")
        plain, rich = snippets.hit_snippet(body, snippets.whole_runs(chars, runs))
        title = fields.get("title", "")
        matched = set(chars)
        if words:
            head = f"{title} {fields.get('aliases', '')} {fields.get('path', '')}"
            matched.update(t.text for t in self._analyzer(head.replace("/", " ")))
        terms = self._terms(words, matched)
        return Hit(path=fields["path"], title=title, score=float(score), snippet=plain,
                   snippet_html=rich, terms=terms + written_forms(body, chars, terms))

    def _terms(self, words: list[QueryWord], matched: set[str]) -> tuple[str, ...]:
        """The query's words (as written) that this page matched."""
        out: list[str] = []
        for w in words:
            if w.prefix:
                ok = any(t.startswith(w.text.lower()) for t in matched)
            else:
                ok = any(t.text in matched for t in self._analyzer(w.text))
            if ok and w.text not in out:
                out.append(w.text)
        return tuple(out)

    def _suggest(self, s: Searcher, qs: str, words: list[QueryWord]) -> str | None:
        """A corrected query string that finds something, or None."""
        spell = self._words
        if self.readonly:
            spell.load()
        fixed = qs
        for w in reversed(words):  # right to left keeps earlier offsets valid
            if w.prefix or not list(self._analyzer(w.text)) or spell.known(w.text):
                continue  # a prefix, a stopword, or a word that the pages use as written
            sugg = spell.suggest(w.text)
            if sugg:
                fixed = fixed[:w.start] + sugg + fixed[w.end:]
        if fixed == qs:
            return None
        try:
            q = self._parse(fixed, bonus=False)
            return fixed if q.matcher(s).is_active() else None  # stops at the first match
        except Exception:  # noqa: BLE001
            return None


def _exact_names_first(hits: list[Hit], fields: list[dict], qs: str) -> list[Hit]:
    """A plain query that is exactly a page's name, file name or alias puts that page first
    (as Obsidian's switcher does): "Properties" finds "Properties" before "Properties view",
    "anthropic" the page with the alias "Anthropic" before "Anthrop Stats" (one stem)."""
    if _SYNTAX.search(qs):
        return hits
    want = " ".join(nfc(qs).split()).casefold()

    def named(hit: Hit, stored: dict) -> bool:
        aliases = (a.strip().casefold() for a in stored.get("aliases", "").split("\n"))
        return (hit.title.casefold() == want or want in aliases
                or hit.path.rpartition("/")[2][:-3].casefold() == want)

    exact = [h for h, f in zip(hits, fields, strict=True) if named(h, f)]
    chosen = {id(h) for h in exact}
    return exact + [h for h in hits if id(h) not in chosen] if exact else hits
