"""Whoosh's codec with the postings of the text fields kept as flat arrays, for bulk builds.

Whoosh's own codec (W3) writes each term's postings as blocks of 128 pickled, compressed
(ids, weights, encoded values): building them costs Python work for every posting, and that is
most of a first index. A segment written by ``BulkWriter`` stores the postings of its analysed
text fields (``flat_fields``) instead as a few arrays for the whole field, built with numpy
(``flat_build.FlatFieldBuilder``): every posting's docnum, weight and position count, every
occurrence's position, start and end character, and where each term's postings and occurrences
begin. The term dictionary, the other fields, stored fields and lengths are W3's own: each term
still has a W3 term info (weight, frequency, lengths, ids) in the terms table, whose extent is
the term's number in the arrays.

Reading goes through Whoosh as before: ``FlatCodec.terms_reader`` gives a terms reader whose
matchers for those fields are ``ListMatcher``s over the arrays, the encoded values made only
when asked for (``LazyValues``: merges and Whoosh's own highlighting ask; phrase matching asks
for positions, which come straight from the arrays). The segment pickles this codec, so a
segment built this way is read this way wherever it moves; Whoosh's writer reads it through
the same matchers when it merges it into a W3 segment.

File layout (``<segment>.cpflat``, little-endian, inside the compound segment file): magic,
header length (u64), a pickled header ({field: {array: (offset, dtype, count)}}), then the
arrays, each at an offset that is a multiple of 8.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np
from whoosh.codec.whoosh3 import W3Codec, W3TermsReader
from whoosh.formats import Characters, Positions
from whoosh.matching import ListMatcher
from whoosh.reading import TermNotFound

from wiki.search.whoosh_internals.segment_files import header_of, prologue, read_in_place

EXT = ".cpflat"
MAGIC = b"CPFLAT1\n"
VERSION = 1
# what each field holds: term_posts/term_tokens (T + 1 starts), docs, weights, counts (P),
# positions, starts, ends (K)
ARRAYS = ("term_posts", "term_tokens", "docs", "weights", "counts", "positions", "starts",
          "ends")

# A W3 term info, packed as W3TermInfo.to_bytes packs one that is not inlined:
# flags, total weight, doc frequency, min and max length bytes, max weight, first and last id,
# then the extent (here: the term's number in the arrays, and its doc frequency)
TERMINFO = np.dtype([("flags", "u1"), ("weight", ">f4"), ("df", ">u4"), ("minlen", "u1"),
                     ("maxlen", "u1"), ("maxweight", ">f4"), ("minid", ">u4"),
                     ("maxid", ">u4"), ("offset", ">i8"), ("length", ">i4")])


class FlatCodec(W3Codec):
    """W3, except that the postings of ``flat_fields`` are read from the segment's flat
    arrays (a segment records the codec that wrote it)."""

    def __init__(self, flat_fields: Sequence[str] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.flat_fields = tuple(sorted(flat_fields))

    def terms_reader(self, storage: Any, segment: Any) -> FlatTermsReader:
        tiname = segment.make_filename(self.TERMS_EXT)
        tilen = storage.file_length(tiname)
        tifile = storage.open_file(tiname)
        postfile = segment.open_file(storage, self.POSTS_EXT)
        flat = load(storage, segment) if self.flat_fields else None
        return FlatTermsReader(self, tifile, tilen, postfile, flat)


class FlatTermsReader(W3TermsReader):
    """W3's terms reader; the terms of the flat fields are matched from the arrays."""

    def __init__(self, codec: Any, dbfile: Any, length: int, postfile: Any,
                 flat: FlatData | None) -> None:
        super().__init__(codec, dbfile, length, postfile)
        self.flat = flat

    def matcher(self, fieldname: str, tbytes: bytes, format_: Any, scorer: Any = None) -> Any:
        flat = self.flat
        if flat is None or fieldname not in flat.fields:
            return super().matcher(fieldname, tbytes, format_, scorer)
        terminfo = self.term_info(fieldname, tbytes)
        return flat.matcher(fieldname, terminfo._offset, format_, scorer=scorer,  # noqa: SLF001
                            term=(fieldname, tbytes), terminfo=terminfo)

    def term_number(self, fieldname: str, tbytes: bytes) -> int | None:
        """The term's number in the flat arrays of its field, or None (not there)."""
        if self.flat is None or fieldname not in self.flat.fields:
            return None
        try:
            return int(self.term_info(fieldname, tbytes)._offset)  # noqa: SLF001
        except TermNotFound:
            return None


class LazyValues:
    """One term's postings in a flat field, as the list of their encoded values a matcher
    holds: each encoded only when it is read; positions and characters straight from the
    arrays (where each posting's occurrences begin is worked out for this term only, when
    first needed)."""

    __slots__ = ("_at", "_cache", "_field", "_fmt", "_n", "_post", "_term")

    def __init__(self, field: FlatField, fmt: Any, term: int) -> None:
        self._field = field
        self._fmt = fmt
        self._term = term
        self._post, end = field.postings(term)
        self._n = end - self._post
        self._at: list[int] | None = None
        self._cache: dict[int, bytes] = {}

    def __len__(self) -> int:
        return self._n

    def __bool__(self) -> bool:
        return self._n > 0

    def __getitem__(self, i: int) -> bytes:
        if not 0 <= i < self._n:
            raise IndexError(i)
        got = self._cache.get(i)
        if got is None:
            if type(self._fmt) is Characters:
                got = self._fmt.encode(self.characters(i))
            else:
                got = self._fmt.encode(self.positions(i))
            self._cache[i] = got
        return got

    def __iter__(self) -> Iterator[bytes]:
        return (self[i] for i in range(self._n))

    def _occurrences(self, i: int) -> tuple[int, int]:
        if self._at is None:
            f = self._field
            at = np.zeros(self._n + 1, dtype=np.int64)
            np.cumsum(f.counts[self._post:self._post + self._n], out=at[1:])
            self._at = (at + int(f.term_tokens[self._term])).tolist()
        return self._at[i], self._at[i + 1]

    def count(self, i: int) -> int:
        return int(self._field.counts[self._post + i])

    def positions(self, i: int) -> list[int]:
        a, b = self._occurrences(i)
        return self._field.positions[a:b].tolist()

    def characters(self, i: int) -> list[tuple[int, int, int]]:
        a, b = self._occurrences(i)
        f = self._field
        return list(zip(f.positions[a:b].tolist(), f.starts[a:b].tolist(),
                        f.ends[a:b].tolist(), strict=True))


class FlatMatcher(ListMatcher):
    """A ListMatcher over one term's flat postings; positions and characters come from the
    arrays, not from decoding values."""

    def __init__(self, ids: list[int], weights: list[float], values: LazyValues, format: Any,
                 scorer: Any = None, position: int = 0, all_weights: Any = None,
                 term: Any = None, terminfo: Any = None) -> None:
        super().__init__(ids, weights, values, format, scorer, position, all_weights, term,
                         terminfo)

    def copy(self) -> FlatMatcher:
        return FlatMatcher(self._ids, self._weights, self._values, self._format, self._scorer,
                           self._i, self._all_weights, self._term, self._terminfo)

    def value_as(self, astype: str) -> Any:
        values: LazyValues = self._values
        if astype == "positions":
            return values.positions(self._i)
        if astype == "characters" and type(self._format) is Characters:
            return values.characters(self._i)
        if astype in ("frequency", "weight") and type(self._format) in (Positions, Characters):
            return values.count(self._i)
        return super().value_as(astype)


class FlatField:
    """One field's arrays in a segment's flat file (numpy views, nothing copied)."""

    def __init__(self, arrays: dict[str, np.ndarray]) -> None:
        self.term_posts = arrays["term_posts"]
        self.term_tokens = arrays["term_tokens"]
        self.docs = arrays["docs"]
        self.weights = arrays["weights"]
        self.counts = arrays["counts"]
        self.positions = arrays["positions"]
        self.starts = arrays["starts"]
        self.ends = arrays["ends"]

    def postings(self, term: int) -> tuple[int, int]:
        return int(self.term_posts[term]), int(self.term_posts[term + 1])


class FlatData:
    """The flat arrays of one segment's flat fields."""

    def __init__(self, fields: dict[str, FlatField]) -> None:
        self.fields = fields

    def arrays(self, field: str, term: int) -> tuple[np.ndarray, np.ndarray]:
        """The term's docnums and weights (views)."""
        f = self.fields[field]
        a, b = f.postings(term)
        return f.docs[a:b], f.weights[a:b]

    def positions(self, field: str, term: int) -> tuple[np.ndarray, np.ndarray]:
        """How many occurrences each of the term's postings has, and their positions."""
        f = self.fields[field]
        a, b = f.postings(term)
        return f.counts[a:b], f.positions[int(f.term_tokens[term]):int(f.term_tokens[term + 1])]

    def matcher(self, field: str, number: int, fmt: Any, *, scorer: Any = None,
                term: Any = None, terminfo: Any = None) -> FlatMatcher:
        """A matcher of the postings of term ``number`` of ``field``."""
        f = self.fields[field]
        a, b = f.postings(number)
        return FlatMatcher(f.docs[a:b].tolist(), f.weights[a:b].tolist(),
                           LazyValues(f, fmt, number), fmt, scorer=scorer, term=term,
                           terminfo=terminfo)


def write(segment: Any, storage: Any, fields: dict[str, dict[str, np.ndarray]]) -> None:
    """Write the segment's flat file: ``fields`` maps each flat field to its ARRAYS."""
    header: dict[str, dict[str, tuple[int, str, int]]] = {}
    blobs: list[bytes] = []
    at = 0
    for name in sorted(fields):
        entry: dict[str, tuple[int, str, int]] = {}
        for key in ARRAYS:
            arr = np.ascontiguousarray(fields[name][key])
            kind = arr.dtype.newbyteorder("<").str
            data = arr.astype(kind, copy=False).tobytes()
            entry[key] = (at, kind, len(arr))
            pad = -len(data) % 8
            blobs.append(data + b"\0" * pad)
            at += len(data) + pad
        header[name] = entry
    f = segment.create_file(storage, EXT)
    try:
        f.write(prologue(MAGIC, {"version": VERSION, "fields": header}))
        for blob in blobs:
            f.write(blob)
    finally:
        f.close()


def load(storage: Any, segment: Any) -> FlatData | None:
    """The segment's flat arrays, read in place from its memory map where it has one; None
    when it has no flat file."""
    name = segment.make_filename(EXT)
    if not storage.file_exists(name):
        return None
    buf = read_in_place(storage, name)
    got = header_of(buf, MAGIC)
    if got is None:
        raise ValueError(f"{name} is not a flat postings file")
    header, base = got
    if not isinstance(header, dict) or header.get("version") != VERSION:
        raise ValueError(f"{name} has a version this Commonplace does not know")
    fields: dict[str, FlatField] = {}
    for fname, entry in header["fields"].items():
        arrays = {}
        for key in ARRAYS:
            offset, kind, count = entry[key]
            dtype = np.dtype(kind)
            if base + offset + dtype.itemsize * count > len(buf):
                raise ValueError(f"{name} is shorter than its header says")
            arrays[key] = np.frombuffer(buf, dtype, count, base + offset)
        fields[fname] = FlatField(arrays)
    return FlatData(fields)
