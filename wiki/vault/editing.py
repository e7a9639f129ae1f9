"""Saving edits safely: etags, atomic writes, conflict detection, creating missing pages.

An ``Etag`` (mtime, size, sha1) is taken when editing begins; ``save_page`` refuses to write
when the file on disk no longer matches it (``EditConflict``), so an edit never silently
overwrites a change made by another program. Writes go to a temp file in the same folder,
are fsynced and renamed over the page, keeping its permission bits.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from wiki.core import fileio
from wiki.core.rules import (
    RAW_DIR,
    has_page_suffix,
    is_hidden_part,
    is_valid_name,
    new_page_path,
    normalize_rel,
)

__all__ = ["EditConflict", "EditError", "Etag", "create_page", "current_etag", "new_page_path",
           "page_file", "read_for_edit", "save_page"]

MAX_EDIT_BYTES = 20_000_000


class EditError(Exception):
    """The edit cannot be done; ``str(e)`` is one line for the user."""


class EditConflict(EditError):
    """The file changed on disk since editing began."""


@dataclass(frozen=True, slots=True)
class Etag:
    mtime_ns: int
    size: int
    sha1: str

    @classmethod
    def of_bytes(cls, data: bytes, st: os.stat_result) -> Etag:
        return cls(st.st_mtime_ns, st.st_size, hashlib.sha1(data).hexdigest())


def page_file(root: Path | str, rel: str) -> Path:
    """The file of a vault-relative page path; ``EditError`` if it is outside the vault, in a
    hidden folder or not a ``.md`` file."""
    clean = normalize_rel(rel)
    if clean is None:
        raise EditError(f"{rel!r} is outside the vault")
    if any(is_hidden_part(part) for part in clean.split("/")):
        raise EditError(f"{clean!r} is in a hidden folder; Commonplace does not edit there")
    if not has_page_suffix(clean):
        raise EditError(f"{clean!r} is not a Markdown page (.md)")
    if clean.split("/")[0] == RAW_DIR:
        raise EditError(f"{clean!r} is in {RAW_DIR}/, which holds the raw articles the compiler "
                        "reads; pages cannot be created or edited there")
    if not is_valid_name(clean):
        raise EditError(f"{clean!r}: the name is not valid UTF-8")
    base = Path(root).resolve()
    target = base / clean
    if not fileio.within(base, target):  # a folder, or the page itself, links out of the vault
        raise EditError(f"{clean!r} is outside the vault")
    return target


def current_etag(path: Path) -> Etag | None:
    """The etag of the file now, or None if it does not exist."""
    try:
        data = path.read_bytes()
        st = path.stat()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise EditError(f"cannot read {path.name}: {exc.strerror or exc}") from exc
    return Etag.of_bytes(data, st)


def read_for_edit(root: Path | str, rel: str) -> tuple[str, Etag]:
    """The page text to put in the editor, and its etag for ``save_page``."""
    path = page_file(root, rel)
    try:
        data, st, truncated = fileio.read_bytes(path, max_bytes=MAX_EDIT_BYTES, root=root)
    except fileio.Unreadable as exc:
        raise EditError(f"cannot read {rel}: {exc}") from exc
    if truncated:
        raise EditError(f"{rel} is larger than {MAX_EDIT_BYTES // 1_000_000} MB; "
                        "edit it in another program")
    decoded = fileio.decode(data)
    if decoded.binary:
        raise EditError(f"{rel} looks like a binary file; it cannot be edited as text")
    if decoded.encoding != "utf-8" or decoded.lossy:
        raise EditError(f"{rel} is not UTF-8 text ({decoded.problem or decoded.encoding}); "
                        "it cannot be edited safely")
    return decoded.text, Etag.of_bytes(data, st)


def save_page(root: Path | str, rel: str, text: str, expected: Etag | None) -> Etag:
    """Write ``text`` to the page atomically and return the new etag.

    ``expected`` is the etag from ``read_for_edit`` (None: the file must not exist yet).
    Raises ``EditConflict`` when the file on disk does not match it."""
    path = page_file(root, rel)
    now = current_etag(path)
    if now != expected and not (now and expected and now.sha1 == expected.sha1
                                and now.size == expected.size):
        if now is None:
            raise EditConflict(f"{rel} was deleted or moved since you began editing")
        raise EditConflict(f"{rel} changed on disk since you began editing")
    return _atomic_write(path, text.encode("utf-8"))


def _atomic_write(path: Path, data: bytes) -> Etag:
    try:
        st = fileio.atomic_write(path, data)
    except OSError as exc:
        raise EditError(f"cannot save {path.name}: {exc.strerror or exc}") from exc
    return Etag.of_bytes(data, st)


def create_page(root: Path | str, rel: str, title: str) -> Etag:
    """Create a new page ``rel`` containing ``# title``. Never overwrites: ``EditError`` if a
    file with that name exists already."""
    path = page_file(root, rel)
    title = title.strip() or path.stem
    head = ""
    if title != path.stem:  # "Ada: a life" lives in "Ada - a life.md": keep the title and let
        # links written with it resolve (Obsidian reads the same frontmatter)
        head = "---\n" + yaml.safe_dump({"title": title, "aliases": [title]},
                                        allow_unicode=True, sort_keys=False) + "---\n"
    data = f"{head}# {title}\n\n".encode()
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError as exc:
        raise EditError(f"{rel} exists already") from exc
    except OSError as exc:
        raise EditError(f"cannot create {rel}: {exc.strerror or exc}") from exc
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    return Etag.of_bytes(data, path.stat())
