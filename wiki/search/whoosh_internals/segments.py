"""Whoosh workarounds that reach into its private internals (verified against whoosh-reloaded
2.7.5, the version range pinned in pyproject.toml): a cached length-column miss, index files
read where they are mapped instead of copied, a merge policy, the segment count, and a
searcher that sees the latest commit."""

from __future__ import annotations

import io

from whoosh.searching import Searcher


def cache_missing_length_columns() -> None:
    """Whoosh slowness workaround: a field without a length column (ID, KEYWORD, spelling
    fields) costs a ``stat()`` per posting when a segment is written, because the miss is not
    cached. Segments are immutable, so caching the miss is safe. Applied by wiki.search.index."""
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


BIG_SEGMENT = 1_000  # a segment of this many pages came from a bulk build (or a part of one)


class MappedRaw(io.RawIOBase):
    """A raw read-only file over a memoryview (of a memory-mapped segment), for
    ``io.BufferedReader``: small reads and seeks are served by its buffer, in C, and nothing
    but the buffer is copied (``io.BytesIO`` would copy the whole view first)."""

    def __init__(self, view: memoryview) -> None:
        super().__init__()
        self._view = view
        self._pos = 0

    def readable(self) -> bool:
        return True

    def seekable(self) -> bool:
        return True

    def readinto(self, b) -> int:
        pos = self._pos
        n = max(0, min(len(b), len(self._view) - pos))
        b[:n] = self._view[pos:pos + n]
        self._pos = pos + n
        return n

    def seek(self, pos: int, whence: int = 0) -> int:
        base = 0 if whence == 0 else self._pos if whence == 1 else len(self._view)
        self._pos = max(0, base + pos)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def close(self) -> None:
        self._view = memoryview(b"")
        super().close()


def mapped_reader(view: memoryview) -> io.BufferedReader:
    return io.BufferedReader(MappedRaw(view), buffer_size=16_384)


def read_mapped_files_in_place() -> None:
    """Whoosh memory workaround: a file inside a compound segment is a ``BufferFile`` over the
    segment's memory map, but it wraps the view in ``io.BytesIO``, which copies it: opening an
    index copied every segment into memory (about 500 MB at 100,000 notes, all read from disk
    on open). Reading through ``mapped_reader`` leaves the bytes in the map; the OS pages in
    what a search touches. ``BufferFile.__init__`` is not called for a map: it would still
    make (and drop) that copy, reading every page of the map into the process. Applied by
    wiki.search.index."""
    from whoosh.filedb import structfile

    cls = structfile.BufferFile
    if getattr(cls, "_commonplace_patched", False):
        return
    original = cls.__init__

    def init_mapped(self, buf, name=None, onclose=None):
        if not isinstance(buf, memoryview):
            original(self, buf, name=name, onclose=onclose)
            return
        # BufferFile.__init__'s attributes, without its io.BytesIO(buf): that copy read every
        # byte of the map, so each open paged the whole index in (resident: ~90% of it)
        self._buf = buf
        self._name = name
        self.file = mapped_reader(buf)
        self.onclose = onclose
        self.is_real = False
        self.is_closed = False

    cls.__init__ = init_mapped
    cls._commonplace_patched = True


def merge_small_segments(writer, segments):
    """Whoosh merge policy: keep the big segments (from bulk builds and their parts built in
    worker processes: a fifth of the pages, or BIG_SEGMENT pages, or more), merge all the others
    into one. Whoosh's MERGE_SMALL leaves many one-page segments behind, and each one slows
    every search; merging the parts of a 100k build would rewrite the whole index."""
    from whoosh.reading import SegmentReader

    if len(segments) <= 1:
        return segments
    total = sum(s.doc_count_all() for s in segments)
    keep = [s for s in segments if s.doc_count_all() > 100 and (
        s.doc_count_all() * 5 >= total or s.doc_count_all() >= BIG_SEGMENT)]
    rest = [s for s in segments if s not in keep]
    if len(rest) < 2:
        return segments
    for seg in rest:
        reader = SegmentReader(writer.storage, writer.schema, seg)
        writer.add_reader(reader)
        reader.close()
    return keep


def segment_count(ix) -> int:
    """How many segments the index has (Whoosh has no public call for it)."""
    return len(ix._segments())  # noqa: SLF001


def refreshed(searcher: Searcher) -> Searcher:
    """A searcher that sees the latest commit (the same one when nothing changed)."""
    if searcher.up_to_date():
        return searcher
    # Not searcher.refresh(): it reuses segment readers and misses deletions committed to an
    # existing segment (a deleted page stayed searchable). A new searcher costs a few ms.
    ix = searcher._ix  # noqa: SLF001
    searcher.close()
    return ix.searcher()
