"""The vault's ``.wiki`` folder, checked before anything is written there: it must be a folder
inside the vault (never write derived state elsewhere, never call a stray file "another
process"), and files must be creatable in it."""

from __future__ import annotations

import os
from pathlib import Path

from wiki.core.fileio import inside

LOCK_FILE = "write.lock"


def problem(root: Path, state: Path) -> str | None:
    """Why ``state`` cannot be the vault's ``.wiki`` folder, in words for the user; or None."""
    if state.is_symlink():
        target = os.path.realpath(state)
        if not inside(target, os.path.realpath(root)):
            return (f"{state} is a link to {target}, outside the vault; Commonplace keeps "
                    "its index inside the vault: remove the link")
    if state.exists() and not state.is_dir():
        return (f"{state} is a file, not a folder; Commonplace keeps its index there: "
                "move or delete that file")
    lock = state / LOCK_FILE
    if lock.is_dir() and not lock.is_symlink():
        return f"{lock} is a folder; it must be Commonplace's lock file: delete it"
    return None


def unwritable(state: Path) -> OSError | None:
    """None when files can be made in ``.wiki`` (a read-only disk, or a folder without write
    permission, lets the writer lock be opened yet refuses the database its journal)."""
    test = state / f".write-test-{os.getpid()}"
    try:
        test.write_bytes(b"")
        test.unlink()
    except OSError as exc:
        return exc
    return None
