"""The long posting lists of a bulk-built segment, kept a second time as flat arrays.

Whoosh stores postings in blocks of 128, each a zlib-compressed pickle of (ids, weights,
values): reading one block costs ~150 µs, so a word found in 90,000 of 100,000 notes costs
~100 ms to read before any scoring. ``BulkWriter`` has each term's docnums and weights in arrays
already; for the terms with at least ``MIN_POSTINGS`` postings it writes them once more into
one file of the segment (``<segment>.cpfast``, packed into the compound ``.seg`` with the
others, so it is summed by the index's health check, moved with the segment when a part is
adopted, and deleted by Whoosh with the segment). ``fastsearch`` reads them in place from the
segment's memory map: numpy views, nothing decoded. Segments written by Whoosh's own writer
(updates, merges, fallbacks) have no such file and are read block by block, as before.

Where the field keeps positions, the file holds them too (how many per posting, then all of
them): a phrase is then checked without decoding a block (a block read costs ~150 µs,
and the phrase bonus of a two-word query needs one per candidate and word).

File layout (little-endian): magic, header length (u64), header (a pickle: format version,
{field: {term bytes: (start, count, counts start, positions start, positions count)}} and the
totals), padding to 8 bytes, then every listed term's docnums (uint32), their weights
(float32), the position counts and the positions (uint16 when every one fits, else uint32:
the header's ``width``), in header order.
"""

from __future__ import annotations

import pickle
import struct
from array import array
from typing import Any

import numpy as np
from whoosh.formats import Characters, Positions

from wiki.search.whoosh_internals.segment_files import header_of, prologue, read_in_place

EXT = ".cpfast"
MAGIC = b"CPFAST1\n"
VERSION = 2  # 2: positions too (a version-1 file still gives docnums and weights)
MIN_POSTINGS = 64  # a shorter list is one block: Whoosh reads it about as fast


class FastPostings:
    """The listed terms of one segment: ``get(field, tb)`` -> (docnums, weights) or None;
    ``positions(field, tb)`` -> (how many positions each posting has, all of them) or None."""

    __slots__ = ("_buf", "_counts_at", "_flat", "_ids_at", "_positions_at", "_table",
                 "_weights_at", "_width")

    def __init__(self, buf: Any, table: dict[str, dict[bytes, tuple[int, ...]]],
                 at: tuple[int, int, int, int], width: Any = np.uint32,
                 flat: Any = None) -> None:
        self._buf = buf
        self._table = table
        self._ids_at, self._weights_at, self._counts_at, self._positions_at = at
        self._width = width  # the type of the counts and positions
        self._flat = flat  # the segment's FlatTermsReader, when its text fields are flat

    def _flat_number(self, field: str, tb: bytes) -> int | None:
        return self._flat.term_number(field, tb) if self._flat is not None else None

    def _where(self, field: str, tb: bytes) -> tuple[int, ...] | None:
        terms = self._table.get(field)
        return terms.get(tb) if terms is not None else None

    def get(self, field: str, tb: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        number = self._flat_number(field, tb)
        if number is not None:
            return self._flat.flat.arrays(field, number)
        where = self._where(field, tb)
        if where is None:
            return None
        start, count = where[0], where[1]
        ids = np.frombuffer(self._buf, np.uint32, count, self._ids_at + 4 * start)
        weights = np.frombuffer(self._buf, np.float32, count, self._weights_at + 4 * start)
        return ids, weights

    def positions(self, field: str, tb: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        number = self._flat_number(field, tb)
        if number is not None:
            return self._flat.flat.positions(field, number)
        where = self._where(field, tb)
        if where is None or len(where) < 5 or where[2] < 0:
            return None
        _, count, cstart, pstart, pcount = where
        size = np.dtype(self._width).itemsize
        counts = np.frombuffer(self._buf, self._width, count, self._counts_at + size * cstart)
        positions = np.frombuffer(self._buf, self._width, pcount,
                                  self._positions_at + size * pstart)
        return counts, positions

    def __len__(self) -> int:
        """How many terms it has arrays for (the flat fields' too)."""
        flat = self._flat.flat.fields.values() if self._flat is not None else ()
        return (sum(len(t) for t in self._table.values())
                + sum(len(f.term_posts) - 1 for f in flat))


def write(segment: Any, storage: Any, terms: dict[str, dict[bytes, Any]],
          formats: dict[str, Any], min_postings: int | None = None) -> int:
    """Write the file for a segment being built from ``terms`` ({field: {term: postings with
    ``docs`` array("I"), ``weights`` array("f") and encoded ``values``}}), listing the terms
    with at least ``min_postings`` (default MIN_POSTINGS), with their positions in fields
    whose ``formats`` keep them; returns how many it lists (none: no file)."""
    least = MIN_POSTINGS if min_postings is None else min_postings
    table: dict[str, dict[bytes, tuple[int, ...]]] = {}
    ids = array("I")
    weights = array("f")
    counts: list[np.ndarray] = []
    positions: list[np.ndarray] = []
    ncounts = npositions = 0
    for field in sorted(terms):
        fmt = formats.get(field)
        for tb in sorted(terms[field]):
            tp = terms[field][tb]
            if len(tp.docs) < least:
                continue
            entry: tuple[int, ...] = (len(ids), len(tp.docs), -1, -1, 0)
            flat = _positions_of(tp, fmt) if fmt is not None else None
            if flat is not None and len(flat[1]) == len(tp.docs):
                pos, cnt = flat
                entry = (len(ids), len(tp.docs), ncounts, npositions, len(pos))
                counts.append(cnt)
                positions.append(pos)
                ncounts += len(cnt)
                npositions += len(pos)
            table.setdefault(field, {})[tb] = entry
            ids.extend(tp.docs)
            weights.extend(tp.weights)
    if not table:
        return 0
    if ids.itemsize != 4 or weights.itemsize != 4:
        raise ValueError("array('I') or array('f') is not 4 bytes here")
    # two bytes a number where they fit (positions past 65,535 need a page of ~400 KB)
    width = 2 if all(len(a) == 0 or int(a.max()) < 1 << 16
                     for a in counts + positions) else 4
    header = {"version": VERSION, "terms": table, "counts": ncounts, "positions": npositions,
              "width": width}
    f = segment.create_file(storage, EXT)
    try:
        f.write(prologue(MAGIC, header))
        f.write(_little(ids).tobytes())
        f.write(_little(weights).tobytes())
        kind = f"<u{width}"
        for part in counts:
            f.write(part.astype(kind).tobytes())
        for part in positions:
            f.write(part.astype(kind).tobytes())
    finally:
        f.close()
    return sum(len(t) for t in table.values())


def _positions_of(tp: Any, fmt: Any) -> tuple[np.ndarray, np.ndarray] | None:
    """A term's positions and how many each posting has: as the writer kept them while
    adding, else decoded from its values."""
    counts, positions = getattr(tp, "counts", None), getattr(tp, "positions", None)
    if counts is not None and positions is not None and len(counts) == len(tp.docs):
        return np.frombuffer(positions, np.uint32), np.frombuffer(counts, np.uint32)
    return positions_of_many(fmt, tp.values)


def positions_of_many(fmt: Any, values: list[bytes]) -> tuple[np.ndarray, np.ndarray] | None:
    """The positions in many encoded posting values of a Positions or Characters field, all
    in one array, and how many each value holds; decoded with one ``pickle.loads`` (each value
    is a length and a pickled list of deltas: ~3 µs to decode one at a time). None for another
    format or an encoding this does not know."""
    kind = type(fmt)
    if kind not in (Positions, Characters):
        return None
    if not values:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    bodies = []
    for v in values:
        if v[4:6] != b"\x80\x02":  # protocol 2, as Whoosh's encode() writes it
            return None
        bodies.append(v[6:-1] if v[-1:] == b"." else v[6:])
    try:
        lists = pickle.loads(b"\x80\x02](" + b"".join(bodies) + b"e.")
    except Exception:  # noqa: BLE001 - not the encoding expected: decode one at a time
        return None
    if not isinstance(lists, list) or len(lists) != len(values):
        return None
    counts = np.array([len(codes) for codes in lists], dtype=np.int64)
    if kind is Characters:  # (position delta, start delta, length) per occurrence
        deltas = [code[0] for codes in lists for code in codes]
    else:
        deltas = [d for codes in lists for d in codes]
    return restarting_sums(deltas, counts), counts


def restarting_sums(deltas: list[int], counts: Any) -> np.ndarray:
    """The running sum of ``deltas``, restarted from 0 at each run of ``counts`` of them (the
    delta encoding of Whoosh's positions in a value and of docnums in a block)."""
    sums = np.cumsum(np.array(deltas, dtype=np.int64))
    counts = np.asarray(counts, dtype=np.int64)
    firsts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    before = np.concatenate(([0], sums))[firsts]
    return sums - np.repeat(before, counts)


def _little(values: array) -> array:
    if struct.pack("=I", 1) == struct.pack("<I", 1):
        return values
    swapped = array(values.typecode, values)
    swapped.byteswap()
    return swapped


def load(reader: Any) -> FastPostings | None:
    """The segment's file, read in place from its memory map where it has one; None when the
    segment has no such file (written by Whoosh's own writer) or it is not one we know."""
    cached: FastPostings | None | bool = getattr(reader, "_cp_fast_postings", False)
    if cached is None or isinstance(cached, FastPostings):
        return cached
    got = _load(reader)
    try:
        reader._cp_fast_postings = got  # noqa: SLF001 - segments never change: cache per reader
    except AttributeError:
        pass
    return got


def _load(reader: Any) -> FastPostings | None:
    terms = getattr(reader, "_terms", None)
    flat = terms if getattr(terms, "flat", None) is not None else None
    got = _load_file(reader)
    if flat is None:
        return got
    if got is None:
        return FastPostings(b"", {}, (0, 0, 0, 0), flat=flat)
    got._flat = flat  # noqa: SLF001
    return got


def _load_file(reader: Any) -> FastPostings | None:
    segment = reader.segment()
    storage = reader._storage  # noqa: SLF001
    name = segment.make_filename(EXT)
    if not storage.file_exists(name):
        return None
    buf = read_in_place(storage, name)
    got = header_of(buf, MAGIC)
    if got is None:
        return None
    header, at = got
    if not isinstance(header, dict) or header.get("version") not in (1, VERSION):
        return None
    table = header["terms"]
    total = sum(entry[1] for terms in table.values() for entry in terms.values())
    ncounts, npositions = header.get("counts", 0), header.get("positions", 0)
    width = header.get("width", 4)
    if width not in (2, 4):
        return None
    if at + 8 * total + width * (ncounts + npositions) > len(buf):
        raise ValueError(f"{name} is shorter than its header says")
    if struct.pack("=I", 1) != struct.pack("<I", 1):
        return None  # a big-endian machine: read the blocks, as Whoosh does
    counts_at = at + 8 * total
    return FastPostings(buf, table, (at, at + 4 * total, counts_at, counts_at + width * ncounts),
                        np.uint16 if width == 2 else np.uint32)
