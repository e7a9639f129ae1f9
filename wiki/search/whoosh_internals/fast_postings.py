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

File layout (little-endian): magic, header length (u64), header (a pickle: format version and
{field: {term bytes: (start, count)}}), padding to 8 bytes, then every listed term's docnums
(uint32), then their weights (float32), in header order.
"""

from __future__ import annotations

import pickle
import struct
from array import array
from typing import Any

import numpy as np

EXT = ".cpfast"
MAGIC = b"CPFAST1\n"
VERSION = 1
MIN_POSTINGS = 64  # a shorter list is one block: Whoosh reads it about as fast
_HEAD = struct.Struct("<Q")


class FastPostings:
    """The listed terms of one segment: ``get(field, tb)`` -> (docnums, weights) or None."""

    __slots__ = ("_buf", "_ids_at", "_table", "_weights_at")

    def __init__(self, buf: Any, table: dict[str, dict[bytes, tuple[int, int]]],
                 ids_at: int, weights_at: int) -> None:
        self._buf = buf
        self._table = table
        self._ids_at = ids_at
        self._weights_at = weights_at

    def get(self, field: str, tb: bytes) -> tuple[np.ndarray, np.ndarray] | None:
        terms = self._table.get(field)
        where = terms.get(tb) if terms is not None else None
        if where is None:
            return None
        start, count = where
        ids = np.frombuffer(self._buf, np.uint32, count, self._ids_at + 4 * start)
        weights = np.frombuffer(self._buf, np.float32, count, self._weights_at + 4 * start)
        return ids, weights

    def __len__(self) -> int:
        return sum(len(t) for t in self._table.values())


def write(segment: Any, storage: Any, terms: dict[str, dict[bytes, Any]],
          min_postings: int | None = None) -> int:
    """Write the file for a segment being built from ``terms`` ({field: {term: postings with
    ``docs`` array("I") and ``weights`` array("f")}}), listing the terms with at least
    ``min_postings`` (default MIN_POSTINGS); returns how many it lists (none: no file)."""
    least = MIN_POSTINGS if min_postings is None else min_postings
    table: dict[str, dict[bytes, tuple[int, int]]] = {}
    ids = array("I")
    weights = array("f")
    for field in sorted(terms):
        for tb in sorted(terms[field]):
            tp = terms[field][tb]
            if len(tp.docs) < least:
                continue
            table.setdefault(field, {})[tb] = (len(ids), len(tp.docs))
            ids.extend(tp.docs)
            weights.extend(tp.weights)
    if not table:
        return 0
    if ids.itemsize != 4 or weights.itemsize != 4:
        raise ValueError("array('I') or array('f') is not 4 bytes here")
    header = pickle.dumps({"version": VERSION, "terms": table}, protocol=4)
    at = len(MAGIC) + _HEAD.size + len(header)
    pad = -at % 8
    f = segment.create_file(storage, EXT)
    try:
        f.write(MAGIC + _HEAD.pack(len(header)) + header + b"\0" * pad)
        f.write(_little(ids).tobytes())
        f.write(_little(weights).tobytes())
    finally:
        f.close()
    return sum(len(t) for t in table.values())


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
    segment = reader.segment()
    storage = reader._storage  # noqa: SLF001
    name = segment.make_filename(EXT)
    if not storage.file_exists(name):
        return None
    buf = _mapped(storage, name)
    if buf is None:
        f = storage.open_file(name)
        try:
            buf = f.read()
        finally:
            f.close()
    if bytes(buf[:len(MAGIC)]) != MAGIC:
        return None
    (size,) = _HEAD.unpack_from(buf, len(MAGIC))
    start = len(MAGIC) + _HEAD.size
    header = pickle.loads(bytes(buf[start:start + size]))
    if not isinstance(header, dict) or header.get("version") != VERSION:
        return None
    table = header["terms"]
    at = start + size
    at += -at % 8
    total = sum(count for terms in table.values() for _, count in terms.values())
    if at + 8 * total > len(buf):
        raise ValueError(f"{name} is shorter than its header says")
    if struct.pack("=I", 1) != struct.pack("<I", 1):
        return None  # a big-endian machine: read the blocks, as Whoosh does
    return FastPostings(buf, table, at, at + 4 * total)


def _mapped(storage: Any, name: str) -> memoryview | None:
    """A view of the file inside the segment's memory map, or None (not mapped)."""
    compound = getattr(storage, "a", storage)  # SegmentReader wraps it in an OverlayStorage
    source = getattr(compound, "_source", None)
    if source is None or not hasattr(compound, "range"):
        return None
    offset, length = compound.range(name)
    return memoryview(source)[offset:offset + length]
