"""Segments built by another process, taken into the index by one commit (no rewrite).

A Whoosh index is a table of contents (``_MAIN_<gen>.toc``) listing immutable segments, each a
set of files named ``MAIN_<segment id>.<ext>``. A worker process builds its pages into an index
of its own (same schema, same index name); ``adopt_segments`` moves that index's segment files
into ours and commits a table of contents listing our segments and its: Whoosh's own
``commit(mergetype=...)`` writes the TOC, so readers see all of the pages or none of them. It
relies on the TOC and segment file layout of whoosh-reloaded 2.7.x (the version pinned).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from whoosh.filedb.filestore import FileStorage
from whoosh.index import TOC


def part_segments(part_dir: Path, indexname: str) -> list[Any]:
    """The segments of the index in ``part_dir`` (its latest TOC); [] when it has none."""
    storage = FileStorage(str(part_dir))
    if TOC._latest_generation(storage, indexname) < 0:  # noqa: SLF001
        return []
    return list(TOC.read(storage, indexname).segments)


def segment_files(part_dir: Path, segment: Any) -> list[str]:
    prefix = f"{segment.segment_id()}."
    return sorted(name for name in os.listdir(part_dir) if name.startswith(prefix))


def adopt_segments(writer: Any, part_dir: Path, indexname: str) -> int:
    """Move the segments of the index in ``part_dir`` into ``writer``'s index and commit them
    with its segments (``writer`` holds the index's write lock, has nothing added, and is
    finished by this call). Returns how many documents were adopted."""
    segments = part_segments(part_dir, indexname)
    target = Path(writer.storage.folder)
    try:
        for segment in segments:
            if segment.deleted_count():
                raise ValueError("a part index with deletions cannot be adopted")
            for name in segment_files(part_dir, segment):
                os.replace(part_dir / name, target / name)
    except BaseException:
        writer.cancel()  # a file moved already is no segment's: the next commit removes it
        raise

    def keep_ours_and_add_theirs(_writer: Any, ours: list[Any]) -> list[Any]:
        return list(ours) + segments

    writer.commit(mergetype=keep_ours_and_add_theirs)
    return sum(s.doc_count_all() for s in segments)
