"""A faster Whoosh writer for building a whole index at once.

Whoosh's ``SegmentWriter`` spends most of a bulk build on work that a one-shot build does not
need: the analyzer's generator chain makes a ``Token`` object per word, a sorting pool holds one
tuple per posting and sorts them all at commit, and each posting is encoded and pickled into
its blocks one at a time. ``BulkWriter`` builds a segment that reads the same (the same terms,
postings, positions, characters, lengths and stored fields: ``probe`` checks it against
Whoosh's writer) with:

- the text fields our analyzer analyses kept flat (``flat_codec``): analysed a batch of pages
  at a time with numpy (``flat_build``), their postings stored as arrays, not as blocks; the
  segment records ``FlatCodec``, which reads them;
- the other fields' postings gathered per term in arrays, in document order, so nothing is
  sorted but the terms; their blocks filled a block at a time, the small ones not compressed
  (``COMPRESS_FROM``), and their long posting lists written a second time as flat arrays for
  search (``fast_postings``);
- field lengths kept in memory.

``bulk_supported`` says whether this Whoosh version has the internals it fills in; otherwise
callers use ``ix.writer()``.
"""

from __future__ import annotations

import io
from array import array
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import (
    LENGTHS_COLUMN,
    W3FieldWriter,
    W3PerDocWriter,
    W3PostingsWriter,
    _lenfield,
    byte_to_length,
    length_to_byte,
)
from whoosh.formats import Characters, Positions
from whoosh.system import pack_ushort
from whoosh.writing import SegmentWriter

from wiki.search.analysis import Analyzer
from wiki.search.whoosh_internals import fast_postings, flat_codec
from wiki.search.whoosh_internals.flat_build import FlatFieldBuilder, Vocabulary, spelling_counts
from wiki.search.whoosh_internals.flat_codec import FlatCodec


def analyzer_plan(analyzer: Any) -> Analyzer | None:
    """The analyzer when it is ours (whose ``word_values`` the bulk writer calls directly)."""
    return analyzer if type(analyzer) is Analyzer else None


def bulk_supported() -> bool:
    """Whether this Whoosh has the writer internals BulkWriter fills in directly."""
    needed = ("_ids", "_weights", "_values", "_minlength", "_maxlength", "_maxweight",
              "_blocklimit", "_write_block", "_compression")
    try:
        probe = W3PostingsWriter(io.BytesIO(), blocklimit=128)
        probe.start_postings(Positions(), None)
    except Exception:  # noqa: BLE001 - a Whoosh we do not know: use its own writer
        return False
    fields_writer_ok = all(name in W3FieldWriter.__init__.__code__.co_names
                           for name in ("_postwriter", "_tindex", "_fieldmap"))
    perdoc_ok = all(hasattr(W3PerDocWriter, a) for a in ("_has_column", "_create_column",
                                                           "_get_column"))
    perdoc_ok = perdoc_ok and "_fieldlengths" in W3PerDocWriter.__init__.__code__.co_names
    return fields_writer_ok and perdoc_ok and all(hasattr(probe, a) for a in needed)


class _TermPostings:
    """A term's postings in document order (a field kept in Whoosh's own format)."""

    __slots__ = ("docs", "values", "weights")

    def __init__(self) -> None:
        self.docs = array("I")
        self.weights = array("f")
        self.values: list[bytes] = []


CHARS_PER_WORD = 6
INDEXED_CACHE = 20_000  # values of the fields kept in Whoosh's format, remembered


class BulkWriter(SegmentWriter):
    """A SegmentWriter for adding many documents in one commit, faster. Deletions and merges
    work as in Whoosh; only adding and the final segment write are different."""

    def __init__(self, ix: Any, spell: Callable[[str], list[str]] | None = None,
                 spell_fields: Sequence[str] = (), **kwargs: Any) -> None:
        """``spell``: what words for "did you mean" a word holds; with it, the writer counts
        how many documents hold each, over ``spell_fields`` (``spell_counts`` once committed)."""
        plans = {name: analyzer_plan(field.analyzer) for name, field in ix.schema.items()
                 if field.indexed and field.scorable
                 and type(field.format) in (Positions, Characters)}
        flat = sorted(name for name, plan in plans.items() if plan is not None)
        kwargs.setdefault("codec", FlatCodec(flat_fields=flat))
        super().__init__(ix, **kwargs)
        codec_flat = getattr(self.codec, "flat_fields", ())
        self._flat: dict[str, FlatFieldBuilder] = {}
        vocab: Vocabulary | None = None
        for name in codec_flat:
            plan = plans.get(name)
            if plan is None:
                raise ValueError(f"the codec keeps {name} flat, but it is not ours to analyse")
            vocab = vocab or Vocabulary(plan, spell)
            self._flat[name] = FlatFieldBuilder(vocab, self.schema[name].format.field_boost,
                                                spelling=spell is not None and name in spell_fields)
        self._vocab = vocab
        self.spell_counts: Counter[str] | None = None
        self._terms: dict[str, dict[bytes, _TermPostings]] = {}
        self._held = 0  # postings (and occurrences of the flat fields) held in memory
        self._lengths: dict[str, array] = {}  # field -> quantised length per document
        self._indexed: dict[tuple[str, str], list] = {}  # what field.index() gave a value
        self.fast_min: int | None = None  # fast_postings.MIN_POSTINGS unless set (the probe)
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise ValueError(f"BulkWriter does not support vectors or spelling ({name})")

    def add_document(self, **fields: Any) -> None:
        self._check_state()
        schema = self.schema
        docnum = self.docnum
        perdoc = self.perdocwriter
        docboost = self._doc_boost(fields)
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields.get(name)
                if value is None:
                    continue
                field = schema[name]
                length = 0
                flat = self._flat.get(name)
                if flat is not None:
                    if not isinstance(value, str):
                        raise TypeError(f"{name}: the bulk writer indexes text, not "
                                        f"{type(value).__name__}")
                    analysed = flat.add(docnum, value, self._field_boost(fields, name, docboost))
                    if analysed:  # (a document's length is added once its batch is analysed)
                        self._add_lengths(name, analysed)
                elif field.indexed:
                    length = self._add_postings(name, field, value, docnum,
                                                self._field_boost(fields, name, docboost))
                stored = fields.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, stored if field.stored else None, length)
                column = field.column_type
                if column and stored is not None:
                    perdoc.add_column_value(name, column, field.to_column_value(stored))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    def _add_postings(self, name: str, field: Any, value: Any, docnum: int,
                      boost: float) -> int:
        """Add one field's postings of a document kept in Whoosh's own format; returns the
        length to store (0 for a field that is not scorable)."""
        terms = self._terms.get(name)
        if terms is None:
            terms = self._terms[name] = {}
        length = 0
        key = (name, value) if isinstance(value, str) and not field.unique else None
        items = self._indexed.get(key) if key is not None else None
        if items is None:
            items = field.index(value)
            if not isinstance(items, list):
                items = list(items)
            if key is not None and len(self._indexed) < INDEXED_CACHE:
                self._indexed[key] = items  # folders, tags, types: a few values, many pages
        self._held += len(items)
        for tbytes, freq, weight, vbytes in items:
            tp = terms.get(tbytes)
            if tp is None:
                tp = terms[tbytes] = _TermPostings()
            tp.docs.append(docnum)
            tp.weights.append(weight * boost)
            tp.values.append(vbytes)
            length += freq
        if not field.scorable:
            return 0
        lens = self._lengths.get(name)
        if lens is None:
            lens = self._lengths[name] = array("I")
        lens.extend([0] * (docnum + 1 - len(lens)))
        lens[docnum] = _quantised(length)
        return length

    def _add_lengths(self, name: str, analysed: list[tuple[int, int]]) -> None:
        """Record the lengths of a flat field's documents, once their batch is analysed:
        what ``perdoc.add_field`` does with a length, for documents already finished."""
        perdoc = self.perdocwriter
        column = _lenfield(name)
        writer = None
        lens = self._lengths.get(name)
        if lens is None:
            lens = self._lengths[name] = array("I")
        total = 0
        for docnum, length in analysed:
            if not length:
                continue
            if writer is None:  # (made once a document has a length, as Whoosh does)
                if not perdoc._has_column(column):  # noqa: SLF001
                    perdoc._create_column(column, LENGTHS_COLUMN)  # noqa: SLF001
                writer = perdoc._get_column(column)  # noqa: SLF001
            writer.add(docnum, length_to_byte(length))
            lens.extend([0] * (docnum + 1 - len(lens)))
            lens[docnum] = _quantised(length)
            total += length
            self._held += length
        perdoc._fieldlengths[name] += total  # noqa: SLF001

    @property
    def postings(self) -> int:
        """About how many postings this writer holds in memory (text not analysed yet
        counted as a word every CHARS_PER_WORD characters)."""
        return self._held + sum(f.pending_chars for f in self._flat.values()) // CHARS_PER_WORD

    def _flush_segment(self) -> None:
        for name, flat in self._flat.items():
            self._add_lengths(name, flat.analyse())
        if self._vocab is not None and self._vocab.spell is not None:
            self.spell_counts = spelling_counts(
                self._vocab, [p for f in self._flat.values() for p in f.spelled])
        self.perdocwriter.close()
        fw = self.fieldwriter
        flat_arrays: dict[str, dict] = {}
        for name in sorted(set(self._terms) | set(self._flat)):
            if name in self._flat:
                arrays = self._write_flat_terms(fw, name)
                if arrays:
                    flat_arrays[name] = arrays
                continue
            terms = self._terms[name]
            if not terms:
                continue
            lengths = self._lengths.get(name)
            fw.start_field(name, self.schema[name])
            pw = fw._postwriter  # noqa: SLF001
            level = pw._compression  # noqa: SLF001
            try:
                for tbytes in sorted(terms):
                    fw.start_term(tbytes)
                    _fill_postings(pw, terms[tbytes], lengths, level)
                    fw.finish_term()
            finally:
                pw._compression = level  # noqa: SLF001
            fw.finish_field()
        formats = {name: self.schema[name].format for name in self._terms
                   if type(self.schema[name].format) in (Positions, Characters)}
        fast_postings.write(self.newsegment, self.storage, self._terms, formats, self.fast_min)
        if self._flat:
            flat_codec.write(self.newsegment, self.storage, flat_arrays)
        self._terms.clear()
        fw.close()

    def _write_flat_terms(self, fw: Any, name: str) -> dict | None:
        """A flat field's terms into the segment's terms table, each with its W3 term info;
        returns its arrays for the flat file (None: no terms)."""
        lengths = self._lengths.get(name)
        quantised = np.frombuffer(lengths, dtype=np.uint32) if lengths else np.zeros(0, np.uint32)
        need = self.docnum
        if len(quantised) < need:
            quantised = np.concatenate((quantised, np.zeros(need - len(quantised), np.uint32)))
        terms, infos, arrays = self._flat[name].postings(quantised.astype(np.int64))
        if not terms:
            return None
        fw.start_field(name, self.schema[name])
        prefix = pack_ushort(fw._fieldid)  # noqa: SLF001
        add = fw._tindex.add  # noqa: SLF001
        size = flat_codec.TERMINFO.itemsize
        for i, tb in enumerate(terms):
            add(prefix + tb, infos[i * size:(i + 1) * size])
        fw.finish_field()
        return arrays


_LENGTH_CACHE: dict[int, int] = {}


def _quantised(length: int) -> int:
    """The length Whoosh reads back from its one-byte length column."""
    got = _LENGTH_CACHE.get(length)
    if got is None:
        got = _LENGTH_CACHE[length] = byte_to_length(length_to_byte(length)) if length else 0
    return got


def _chunks(n: int, size: int) -> Iterator[tuple[int, int]]:
    for start in range(0, n, size):
        yield start, min(n, start + size)


# A block of fewer postings is written uncompressed: zlib's header and checksum (6 bytes) eat
# what it saves on a few dozen bytes, and compressing a block is most of its cost. (Whoosh
# means to skip pickles under 20 bytes, but sets the level again on the next line.) Each
# block says whether it is compressed, and Whoosh's reader reads both.
COMPRESS_FROM = 8


def _fill_postings(pw: W3PostingsWriter, tp: _TermPostings, lengths: array | None,
                   level: int) -> None:
    """Put a term's postings into the postings writer a block at a time: what add_posting()
    does one posting at a time (the last block is left buffered for finish_postings()),
    compressed at ``level`` unless the block is small."""
    docs, weights, values = tp.docs, tp.weights, tp.values
    n = len(docs)
    for start, end in _chunks(n, pw._blocklimit):  # noqa: SLF001
        pw._compression = level if end - start >= COMPRESS_FROM else 0  # noqa: SLF001
        ids = docs[start:end]
        block_weights = weights[start:end]
        pw._ids = ids  # noqa: SLF001
        pw._weights = block_weights  # noqa: SLF001
        pw._values = [v for v in values[start:end] if v]  # noqa: SLF001
        pw._maxweight = max(0, max(block_weights))  # noqa: SLF001
        if lengths is not None:
            lens = [lengths[d] for d in ids if d < len(lengths) and lengths[d]]
            pw._minlength = min(lens) if lens else None  # noqa: SLF001
            pw._maxlength = max(lens) if lens else 0  # noqa: SLF001
        else:
            pw._minlength, pw._maxlength = None, 0  # noqa: SLF001
        if end < n:
            pw._write_block()  # noqa: SLF001
