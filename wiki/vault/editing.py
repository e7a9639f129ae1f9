"""Saving edits safely: etags, atomic writes, conflict detection, creating missing pages.

An ``Etag`` (mtime, size, sha1) is taken when editing begins; ``save_page`` refuses to write
when the file on disk no longer matches it (``EditConflict``), so an edit never silently
overwrites a change made by another program. Writes go to a temp file in the same folder,
are fsynced and renamed over the page, keeping its permission bits.
"""

from __future__ import annotations

import hashlib
import os
import re
import stat
import tempfile
from dataclasses import dataclass
from pathlib import Path

from wiki.core.paths import is_hidden_part, normalize_rel

_UNSAFE = re.compile(r'[\\/:*?"<>|#^\[\]\x00-\x1f]')
_SPACES = re.compile(r"\s+")
MAX_NAME = 120


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
    if not clean.lower().endswith(".md"):
        raise EditError(f"{clean!r} is not a Markdown page (.md)")
    base = Path(root).resolve()
    target = base / clean
    try:
        target.parent.resolve().relative_to(base)
    except (ValueError, OSError) as exc:
        raise EditError(f"{clean!r} is outside the vault") from exc
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
        data = path.read_bytes()
        st = path.stat()
    except OSError as exc:
        raise EditError(f"cannot read {rel}: {exc.strerror or exc}") from exc
    if b"\x00" in data[:8192]:
        raise EditError(f"{rel} looks like a binary file; it cannot be edited as text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise EditError(f"{rel} is not valid UTF-8; it cannot be edited safely") from exc
    return text, Etag.of_bytes(data, st)


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
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise EditError(f"cannot save {path.name}: {exc.strerror or exc}") from exc
    _fsync_dir(path.parent)
    return Etag.of_bytes(data, path.stat())


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def safe_name(name: str) -> str:
    """A page name that is a valid file name everywhere (and a valid Obsidian link target)."""
    name = _SPACES.sub(" ", _UNSAFE.sub(" ", name)).strip().strip(".").strip()
    return name[:MAX_NAME].rstrip() or "Untitled"


def new_page_path(target: str) -> str:
    """Where a page for a missing link target goes: its folder as written (``folder/Page``),
    else the vault root, like Obsidian's default. Each path part is made file-system safe."""
    target = target.strip().removesuffix(".md").removesuffix(".MD")
    parts = [p for p in target.replace("\\", "/").split("/") if p.strip() not in ("", ".", "..")]
    if not parts:
        return "Untitled.md"
    folders = [safe_name(p).lstrip(".") or "Untitled" for p in parts[:-1]]
    return "/".join([*folders, safe_name(parts[-1]) + ".md"])


def create_page(root: Path | str, rel: str, title: str) -> Etag:
    """Create a new page ``rel`` containing ``# title``. Never overwrites: ``EditError`` if a
    file with that name exists already."""
    path = page_file(root, rel)
    data = f"# {title.strip() or path.stem}\n\n".encode()
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
