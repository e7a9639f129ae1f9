"""Our own files inside a Whoosh segment (``fast_postings``' and ``flat_codec``'s): read in
place from the compound segment's memory map, with a magic line and a pickled header."""

from __future__ import annotations

import mmap
import os
import pickle
import struct
from typing import Any

HEAD = struct.Struct("<Q")  # the header's length, after the magic line


def read_in_place(storage: Any, name: str) -> Any:
    """The file's bytes: a view into the segment's memory map where it has one (nothing
    copied), else read whole."""
    compound = getattr(storage, "a", storage)  # a SegmentReader's storage is an OverlayStorage
    source = getattr(compound, "_source", None)
    if source is not None and hasattr(compound, "range"):
        offset, length = compound.range(name)
        return memoryview(source)[offset:offset + length]
    mapped = _map_of_our_own(compound, name)
    if mapped is not None:
        return mapped
    f = storage.open_file(name)
    try:
        return f.read()
    finally:
        f.close()


def _map_of_our_own(compound: Any, name: str) -> memoryview | None:
    """The file mapped by us, where Whoosh did not map it (a compound segment it read without
    a map, a segment that is not compound): a view, not a copy of it in memory."""
    try:
        real = getattr(compound, "_file", None)
        if hasattr(compound, "range") and real is not None and hasattr(real, "fileno"):
            offset, length = compound.range(name)
            whole = mmap.mmap(real.fileno(), 0, access=mmap.ACCESS_READ)
            return memoryview(whole)[offset:offset + length]
        folder = getattr(compound, "folder", None)
        if isinstance(folder, str) and not hasattr(compound, "range"):
            with open(os.path.join(folder, name), "rb") as fh:
                return memoryview(mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ))
    except (OSError, ValueError, AttributeError, TypeError, NameError):
        pass  # (an empty file cannot be mapped; a storage we do not know: read it)
    return None


def header_of(buf: Any, magic: bytes) -> tuple[Any, int] | None:
    """The unpickled header of a file that starts with ``magic``, and where its data
    begins (a multiple of 8); None when it is not such a file."""
    if bytes(buf[:len(magic)]) != magic:
        return None
    (size,) = HEAD.unpack_from(buf, len(magic))
    start = len(magic) + HEAD.size
    header = pickle.loads(bytes(buf[start:start + size]))
    at = start + size
    return header, at + -at % 8


def prologue(magic: bytes, header: Any) -> bytes:
    """What such a file starts with: the magic line, the pickled header, padding to 8."""
    head = pickle.dumps(header, protocol=4)
    start = len(magic) + HEAD.size + len(head)
    return magic + HEAD.pack(len(head)) + head + b"\0" * (-start % 8)
