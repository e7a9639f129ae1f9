"""What the watcher needs to know about files: which events matter, and where the vault lives.

Kept apart from the watcher itself so the rules (what is a page, a raw article, an editor's
temp file; whether the vault is on a network drive) read in one place.
"""

from __future__ import annotations

import os
from pathlib import Path

from wiki.core.rules import RAW_DIR, is_hidden_part, is_page_path, is_raw_path, is_valid_name

PAGE, RAW = "page", "raw"
TEMP_SUFFIXES = (".swp", ".swx", ".swo", ".tmp", "~", ".part", ".crdownload", ".partial")
TEMP_NAMES = frozenset({"4913"})  # vim's "can I write here" probe
NETWORK_FS = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "9p", "afs", "fuse.sshfs",
                        "fuse.rclone", "davfs", "fuse.davfs2", "ncpfs", "glusterfs", "ceph"})

def classify(rel: str) -> str | None:
    """``PAGE`` for a page, ``RAW`` for a file in ``raw/`` (an article, or a file the compiler
    will refuse with a message), None for anything to ignore (hidden files and folders,
    ``.wiki/``, editor temp files, other file types outside ``raw/``)."""
    parts = rel.split("/")
    name = parts[-1]
    if any(is_hidden_part(p) or not p for p in parts) or name in TEMP_NAMES \
            or name.endswith(TEMP_SUFFIXES):
        return None
    if parts[0] == RAW_DIR:
        # any file in raw/ goes to the compiler, which reads articles and names what it cannot
        # read ("unsupported file type '.docx'"): a file dropped there is never silently ignored
        return RAW if len(parts) > 1 and (is_raw_path(rel) or is_valid_name(rel)) else None
    return PAGE if is_page_path(rel) else None


def scan_dir(root: Path, folder: str) -> list[str]:
    """Every file below ``root/folder`` as vault-relative paths, hidden folders skipped."""
    found: list[str] = []
    base = root / folder
    if not base.is_dir():
        return found
    for dirpath, dirnames, filenames in os.walk(base):
        dirnames[:] = [d for d in dirnames if not is_hidden_part(d)]
        rel_dir = Path(dirpath).relative_to(root).as_posix()
        found.extend(f"{rel_dir}/{name}" for name in filenames if not is_hidden_part(name))
    return found


def network_fs_type(root: Path) -> str | None:
    """The file-system type when the vault is on a network drive (inotify misses remote
    changes there), from /proc/self/mounts; None elsewhere or when unknown."""
    try:
        mounts = Path("/proc/self/mounts").read_text().splitlines()
        target = str(root.resolve())
    except OSError:
        return None
    best, best_type = "", None
    for line in mounts:
        fields = line.split()
        if len(fields) < 3:
            continue
        point = fields[1].replace("\\040", " ")
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) >= len(best):
            best, best_type = point, fields[2]
    return best_type if best_type in NETWORK_FS else None
