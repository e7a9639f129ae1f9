"""Deleting a page the way Obsidian does: to the system trash, or to ``.trash/`` in the vault
when the system has none (a network drive, a container), and undoing it.

``delete_page`` keeps the page's bytes in the returned ``Deleted`` record, so ``restore`` can
put the page back exactly as it was wherever it went, and never over a file that has taken its
place since.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

from wiki.core import fileio
from wiki.vault.editing import MAX_EDIT_BYTES, EditError, page_file

VAULT_TRASH = ".trash"  # Obsidian's folder for "move to Obsidian trash"


@dataclass(frozen=True)
class Deleted:
    path: str  # the page's vault path
    data: bytes  # its content when deleted
    where: str  # "system trash" or the vault path of the copy in .trash/


def _send_to_system_trash(file: Path) -> bool:
    try:
        from send2trash import send2trash
        from send2trash.exceptions import TrashPermissionError
    except ImportError:
        return False
    try:
        send2trash(str(file))
    except (TrashPermissionError, OSError):
        return False
    return not os.path.lexists(file)


def delete_page(vault, rel: str, *, system_trash: bool = True):
    """Move page ``rel`` to the trash; returns (Deleted, the vault's change summary)."""
    file = page_file(vault.root, rel)
    try:
        data, _st, truncated = fileio.read_bytes(file, max_bytes=MAX_EDIT_BYTES, root=vault.root)
    except fileio.Unreadable as exc:
        raise EditError(f"cannot delete {rel}: {exc}") from exc
    if truncated:
        raise EditError(f"{rel} is too large to delete with undo; use your file manager")
    where = "system trash"
    if not (system_trash and _send_to_system_trash(file)):
        where = _to_vault_trash(vault.root, file, rel)
    summary = vault.update_paths([rel])
    return Deleted(rel, data, where), summary


def _to_vault_trash(root: Path, file: Path, rel: str) -> str:
    trash = root / VAULT_TRASH
    trash.mkdir(exist_ok=True)
    name = rel.rpartition("/")[2]
    target = trash / name
    if target.exists():
        stem = name[:-3]
        target = trash / f"{stem} {time.strftime('%Y-%m-%d %H%M%S')}.md"
        n = 1
        while target.exists():
            target = trash / f"{stem} {time.strftime('%Y-%m-%d %H%M%S')} {n}.md"
            n += 1
    try:
        os.rename(file, target)
    except OSError as exc:
        raise EditError(f"cannot move {rel} to {VAULT_TRASH}/: {exc.strerror or exc}") from exc
    return f"{VAULT_TRASH}/{target.name}"


def restore(vault, deleted: Deleted):
    """Undo ``delete_page``: the page comes back with the same content; the vault's change
    summary. ``EditError`` when a file of that name exists again (it is left alone)."""
    file = page_file(vault.root, deleted.path)
    if os.path.lexists(file):
        raise EditError(f"{deleted.path} exists again; the deleted page was not restored over it")
    file.parent.mkdir(parents=True, exist_ok=True)
    fileio.atomic_write(file, deleted.data)
    if deleted.where.startswith(VAULT_TRASH + "/"):
        copy = vault.root / deleted.where
        try:
            if copy.read_bytes() == deleted.data:
                copy.unlink()
        except OSError:
            pass
    return vault.update_paths([deleted.path])
