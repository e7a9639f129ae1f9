"""A faster Whoosh writer for building a whole index at once.

Whoosh's ``SegmentWriter`` spends most of a bulk build on work that a one-shot build does not
need: the analyzer's generator chain makes a ``Token`` object per word, a sorting pool holds one
tuple per posting and sorts them all at commit, and writing each posting reads that document's
field length back from disk. ``BulkWriter`` produces the same segment (the same terms, postings,
positions, lengths and stored fields, byte for byte) with:

- the terms straight from ``Analyzer.word_values`` (one loop, with word caches shared by all
  documents), not a ``Token`` object per word, and their values encoded as Whoosh encodes them
  without its per-posting loop where a word occurs once (``fast_encoder``);
- postings gathered per term in arrays, in document order, so nothing is sorted but the terms;
- field lengths kept in memory and posting blocks filled a block at a time, the small ones not
  compressed (``COMPRESS_FROM``);
- the long posting lists written a second time as flat arrays (``fast_postings``), for search,
  with the positions kept while adding (not decoded back from the values).

It relies on Whoosh's own codec objects for every byte it writes. ``bulk_supported`` says
whether this Whoosh version has the internals it uses; otherwise callers use ``ix.writer()``.
"""

from __future__ import annotations

import io
from array import array
from collections.abc import Callable, Iterator
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import (
    W3FieldWriter,
    W3PostingsWriter,
    byte_to_length,
    length_to_byte,
)
from whoosh.formats import Characters, Positions
from whoosh.system import pack_uint
from whoosh.writing import SegmentWriter

from wiki.search.analysis import Analyzer
from wiki.search.whoosh_internals import fast_postings

WordValues = list[tuple[bytes, int, float, bytes]]


def analyzer_plan(analyzer: Any) -> Analyzer | None:
    """The analyzer when it is ours (whose ``word_values`` the bulk writer calls directly)."""
    return analyzer if type(analyzer) is Analyzer else None


def fast_word_values(plan: Analyzer, fmt: Any, text: str) -> WordValues:
    """``field.index(text)`` for a Positions or Characters field analysed by ``plan``."""
    boost = fmt.field_boost
    encode = fast_encoder(fmt)
    return [(w.encode("utf-8"), len(p), len(p) * boost, encode(p))
            for w, p in plan.word_values(text).items()]


_ONE = pack_uint(1)
_CHARACTERS_ENCODE = Characters.encode
_POSITIONS_ENCODE = Positions.encode
Encoder = Callable[[list[tuple[int, int, int]]], bytes]


def fast_encoder(fmt: Any) -> Encoder:
    """What encodes a word's (position, start, end) entries for a Positions or Characters
    field: the format's own ``encode``, except that a word found once in the text (most words
    of a page) skips its loop when that ``encode`` is Whoosh's (a count and a protocol-2
    pickle of the deltas: the same bytes)."""
    kind = type(fmt)
    whole = fmt.encode
    if kind is Characters:
        if kind.encode is not _CHARACTERS_ENCODE:
            return whole

        def characters(entries: list[tuple[int, int, int]]) -> bytes:
            if len(entries) == 1:
                pos, start, end = entries[0]
                return _ONE + dumps([(pos, start, end - start)], 2)
            return whole(entries)
        return characters
    if kind is Positions and kind.encode is _POSITIONS_ENCODE:
        def positions(entries: list[tuple[int, int, int]]) -> bytes:
            if len(entries) == 1:
                return _ONE + dumps([entries[0][0]], 2)
            return whole([e[0] for e in entries])
        return positions
    return lambda entries: whole([e[0] for e in entries])


def bulk_supported() -> bool:
    """Whether this Whoosh has the writer internals BulkWriter fills in directly."""
    needed = ("_ids", "_weights", "_values", "_minlength", "_maxlength", "_maxweight",
              "_blocklimit", "_write_block", "_compression")
    try:
        probe = W3PostingsWriter(io.BytesIO(), blocklimit=128)
        probe.start_postings(Positions(), None)
    except Exception:  # noqa: BLE001 - a Whoosh we do not know: use its own writer
        return False
    fields_writer_ok = "_postwriter" in W3FieldWriter.__init__.__code__.co_names
    return fields_writer_ok and all(hasattr(probe, a) for a in needed)


class _TermPostings:
    """A term's postings in document order; in a field analysed by the plan, also each
    posting's positions (``counts`` of them each, all in ``positions``) for ``fast_postings``,
    which would otherwise decode them back from the values."""

    __slots__ = ("counts", "docs", "positions", "values", "weights")

    def __init__(self) -> None:
        self.docs = array("I")
        self.weights = array("f")
        self.values: list[bytes] = []
        self.counts = array("I")
        self.positions = array("I")


class BulkWriter(SegmentWriter):
    """A SegmentWriter for adding many documents in one commit, faster. Deletions and merges
    work as in Whoosh; only adding and the final segment write are different."""

    def __init__(self, ix: Any, **kwargs: Any) -> None:
        super().__init__(ix, **kwargs)
        self._terms: dict[str, dict[bytes, _TermPostings]] = {}
        self.postings = 0  # how many are held in memory
        self._lengths: dict[str, array] = {}  # field -> quantised length per document
        self._plans: dict[str, Analyzer | None] = {}
        self._encoders: dict[str, Encoder] = {}
        self.fast_min: int | None = None  # fast_postings.MIN_POSTINGS unless set (the probe)
        for name, field in self.schema.items():
            if field.vector or field.separate_spelling():
                raise ValueError(f"BulkWriter does not support vectors or spelling ({name})")
            fast = field.indexed and type(field.format) in (Positions, Characters)
            self._plans[name] = analyzer_plan(field.analyzer) if fast else None
            if fast:
                self._encoders[name] = fast_encoder(field.format)

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
                if field.indexed:
                    boost = self._field_boost(fields, name, docboost)
                    plan = self._plans[name]
                    terms = self._terms.get(name)
                    if terms is None:
                        terms = self._terms[name] = {}
                    if plan is not None and isinstance(value, str):
                        length = self._add_analysed(terms, plan, field.format,
                                                    self._encoders[name], value, docnum, boost)
                    else:
                        items = field.index(value)
                        if not isinstance(items, list):
                            items = list(items)
                        self.postings += len(items)
                        for tbytes, freq, weight, vbytes in items:
                            tp = terms.get(tbytes)
                            if tp is None:
                                tp = terms[tbytes] = _TermPostings()
                            tp.docs.append(docnum)
                            tp.weights.append(weight * boost)
                            tp.values.append(vbytes)
                            length += freq
                    if field.scorable:
                        lens = self._lengths.get(name)
                        if lens is None:
                            lens = self._lengths[name] = array("I")
                        lens.extend([0] * (docnum + 1 - len(lens)))
                        lens[docnum] = _quantised(length)
                    else:
                        length = 0
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

    def _add_analysed(self, terms: dict[bytes, _TermPostings], plan: Analyzer, fmt: Any,
                      encode: Encoder, text: str, docnum: int, boost: float) -> int:
        """Add the postings of a Positions or Characters field's text analysed by ``plan``
        (what ``fast_word_values`` gives, without the list between); returns its length."""
        field_boost = fmt.field_boost
        values = plan.word_values(text)
        length = 0
        for word, entries in values.items():
            tbytes = word.encode("utf-8")
            tp = terms.get(tbytes)
            if tp is None:
                tp = terms[tbytes] = _TermPostings()
            freq = len(entries)
            tp.docs.append(docnum)
            tp.weights.append(freq * field_boost * boost)  # (Whoosh's order)
            tp.values.append(encode(entries))
            tp.counts.append(freq)
            tp.positions.extend([e[0] for e in entries])
            length += freq
        self.postings += len(values)
        return length

    def _flush_segment(self) -> None:
        self.perdocwriter.close()
        fw = self.fieldwriter
        for name in sorted(self._terms):
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
                   if self._plans.get(name) is not None}  # (positions kept in the values)
        fast_postings.write(self.newsegment, self.storage, self._terms, formats, self.fast_min)
        self._terms.clear()
        fw.close()


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
