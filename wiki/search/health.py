"""Checksums of the search index's files, so that damage inside a segment is noticed.

Whoosh reads a segment only where a query leads it, so garbage written into the middle of one
(a disk fault, a bad copy, another program) left some searches failing every time and others
returning wrong totals, while the index opened cleanly. Whoosh never rewrites a segment or table
of contents once written (a commit writes new ones and deletes old ones), so each file is summed
once, when it first appears after a commit, and checked against its sum when the index is
opened by the process that writes it, and again by a search when a file's size or modification
time is no longer what it was: any difference marks the index damaged, and it is rebuilt from
the pages.

The sums live in ``commonplace-checksums.json`` next to the files (size and CRC-32 per file). A
file not listed yet (a process killed between a commit and this record) is summed at the next
record; a listed file that is gone is left to Whoosh (a segment still in use and missing does not
open).
"""

from __future__ import annotations

import json
import os
import zlib
from pathlib import Path

CHECKSUMS_FILE = "commonplace-checksums.json"
_READ = 1 << 20


def index_files(index_dir: Path, index_name: str) -> list[Path]:
    """Whoosh's own files of this index (segments and tables of contents), not locks."""
    out = []
    for entry in index_dir.iterdir():
        name = entry.name
        if name.startswith((index_name + "_", "_" + index_name + "_")) \
                and not name.endswith(("WRITELOCK", ".tmp", ".part")) and entry.is_file():
            out.append(entry)
    return sorted(out)


def crc_of(path: Path) -> int:
    crc = 0
    with open(path, "rb") as fh:
        while chunk := fh.read(_READ):
            crc = zlib.crc32(chunk, crc)
    return crc


def _load(index_dir: Path) -> dict[str, list[int]]:
    try:
        data = json.loads((index_dir / CHECKSUMS_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict):
        return {}
    return {k: v for k, v in data.items()
            if isinstance(v, list) and len(v) == 2 and all(isinstance(x, int) for x in v)}


def record(index_dir: Path, index_name: str) -> None:
    """Sum the files a commit added (those already summed keep their sums) and forget the
    ones it deleted. Written atomically: a kill leaves the old record, never half of one."""
    old = _load(index_dir)
    new: dict[str, list[int]] = {}
    for path in index_files(index_dir, index_name):
        size = path.stat().st_size
        known = old.get(path.name)
        new[path.name] = known if known is not None and known[0] == size \
            else [size, crc_of(path)]
    tmp = index_dir / (CHECKSUMS_FILE + ".part")
    tmp.write_text(json.dumps(new, sort_keys=True), encoding="utf-8")
    os.replace(tmp, index_dir / CHECKSUMS_FILE)


def stamps(index_dir: Path, index_name: str) -> dict[str, tuple[int, int]]:
    """(size, mtime) of each file: a few stats, cheap enough for every search. Writing into a
    file changes its stamp, and only then does ``verify`` need to sum it again."""
    out: dict[str, tuple[int, int]] = {}
    try:
        for path in index_files(index_dir, index_name):
            try:
                st = path.stat()
            except OSError:
                continue
            out[path.name] = (st.st_size, st.st_mtime_ns)
    except OSError:
        pass
    return out


def verify(index_dir: Path, index_name: str, only: set[str] | None = None) -> str | None:
    """None when every summed file (of ``only``, if given) still has its size and sum; else
    which one does not."""
    sums = _load(index_dir)
    for path in index_files(index_dir, index_name):
        if only is not None and path.name not in only:
            continue
        known = sums.get(path.name)
        if known is None:
            continue
        try:
            size = path.stat().st_size
            if size != known[0]:
                return f"{path.name} is {size:,} bytes, was {known[0]:,}"
            if crc_of(path) != known[1]:
                return f"{path.name} has changed since it was written"
        except OSError as exc:
            return f"{path.name} cannot be read ({exc.strerror or exc})"
    return None


def forget(index_dir: Path) -> None:
    (index_dir / CHECKSUMS_FILE).unlink(missing_ok=True)
