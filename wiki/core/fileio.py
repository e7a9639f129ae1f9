"""Reading and writing the user's files: one bounded read, one decoding policy, one atomic write.

Every module that reads a page, a raw article or an attachment goes through ``read_bytes`` (never
more than a limit, never a FIFO or a device, never outside the vault when a root is given) and
``decode`` (the same answer for the same bytes everywhere). Every write goes through
``atomic_write``: a temporary file in the same folder, flushed, fsynced and renamed over the
target, keeping its permission bits, so a crash leaves the old file or the new one, never half.
"""

from __future__ import annotations

import codecs
import os
import re
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

SNIFF_BYTES = 8192  # a NUL byte in the first 8 KiB means binary (as git decides)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_UTF16_BOMS = (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)


class Unreadable(Exception):
    """The file cannot be read; ``str(e)`` is the reason in a few words ("permission denied")."""


@dataclass(frozen=True, slots=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-16", or "cp1252" (a legacy Windows file)
    lossy: bool = False  # undecodable bytes were replaced with U+FFFD
    binary: bool = False  # not text at all: ``text`` is empty

    @property
    def problem(self) -> str | None:
        """One line for the user when the bytes were not clean UTF-8 text, else None."""
        if self.binary:
            return "binary file, not text"
        if self.lossy:
            return "not valid UTF-8: undecodable bytes were replaced"
        if self.encoding == "cp1252":
            return "not UTF-8: read as Windows-1252 text"
        return None


def inside(real: str, root_real: str) -> bool:
    """``real`` (a resolved path) is ``root_real`` or below it."""
    return real == root_real or real.startswith(root_real.rstrip(os.sep) + os.sep)


def within(root: Path | str, path: Path | str) -> bool:
    """Writing or deleting ``path`` stays inside ``root``: its folder is not a link out of the
    vault, nor is the file itself."""
    root_real = os.path.realpath(root)
    parent = os.path.dirname(os.path.abspath(path))
    if not inside(os.path.realpath(parent), root_real):
        return False
    return not os.path.islink(path) or inside(os.path.realpath(path), root_real)


def os_reason(exc: OSError) -> str:
    if isinstance(exc, IsADirectoryError):
        return "is a directory"
    if isinstance(exc, FileNotFoundError):
        return "file not found"
    if isinstance(exc, PermissionError):
        return "permission denied"
    return exc.strerror or exc.__class__.__name__


def read_bytes(path: Path | str, *, max_bytes: int,
               root: Path | str | None = None) -> tuple[bytes, os.stat_result, bool]:
    """(at most ``max_bytes`` bytes, stat, truncated). Raises :class:`Unreadable`.

    With ``root``, a path that resolves outside it (a symlink out of the vault) is refused.
    Only regular files are read: a FIFO, socket or device would block or never end."""
    try:
        real, st = _resolved(path)
        if root is not None and not inside(real, real_folder(os.path.abspath(root))):
            raise Unreadable("the file is outside the vault")
        if stat.S_ISDIR(st.st_mode):
            raise Unreadable("is a directory")
        if not stat.S_ISREG(st.st_mode):
            raise Unreadable("not a regular file")
        # O_NONBLOCK: a FIFO swapped in after the stat cannot block the open
        fd = os.open(real, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
        try:
            st = os.fstat(fd)
            if not stat.S_ISREG(st.st_mode):
                raise Unreadable("not a regular file")
            data = _read_to_end(fd, st.st_size, max_bytes + 1)
        finally:
            os.close(fd)
    except OSError as exc:
        raise Unreadable(os_reason(exc)) from None
    truncated = len(data) > max_bytes
    return (data[:max_bytes] if truncated else data), st, truncated


def _read_to_end(fd: int, size: int, limit: int) -> bytes:
    """At most ``limit`` bytes of ``fd`` until its end, asked for in a read of the size the
    file has (and more while it grows). A buffered ``read(limit)`` allocates ``limit`` bytes
    first: with the 2 MB limit of a page, that was three quarters of the time a small page
    took to read."""
    parts: list[bytes] = []
    got = 0
    want = min(size + 1, limit)
    while got < limit:
        piece = os.read(fd, want)
        if not piece:
            break
        parts.append(piece)
        got += len(piece)
        want = min(1 << 16, limit - got)
    return parts[0] if len(parts) == 1 else b"".join(parts)


_REAL_FOLDERS: dict[str, tuple[str, tuple[int, int]]] = {}
_MAX_REAL_FOLDERS = 4096


def real_folder(folder: str) -> str:
    """``os.path.realpath(folder)`` for an absolute folder, remembered: reading a page resolves
    its folder and the vault's root, and ``realpath`` costs a Python loop and an ``lstat`` per
    part of the path. A remembered answer is used only while ``folder`` is still the same
    directory (device and inode, one ``stat``): a folder swapped for a link elsewhere is a
    different directory, and is resolved again."""
    st = os.stat(folder)
    ident = (st.st_dev, st.st_ino)
    known = _REAL_FOLDERS.get(folder)
    if known is not None and known[1] == ident:
        return known[0]
    real = os.path.realpath(folder)
    if len(_REAL_FOLDERS) >= _MAX_REAL_FOLDERS:
        _REAL_FOLDERS.clear()
    _REAL_FOLDERS[folder] = (real, ident)
    return real


def _resolved(path: Path | str) -> tuple[str, os.stat_result]:
    """(``os.path.realpath(path)``, its stat), with the folder's part remembered
    (``real_folder``); one ``lstat`` tells a link, whose target is then resolved, from a file."""
    folder, name = os.path.split(os.path.abspath(path))
    if not name or name in (".", ".."):
        real = os.path.realpath(path)
        return real, os.stat(real)
    try:
        real = os.path.join(real_folder(folder), name)
    except OSError:  # no such folder: realpath says where it would be, stat() says why not
        real = os.path.realpath(path)
        return real, os.stat(real)
    st = os.lstat(real)
    if stat.S_ISLNK(st.st_mode):
        real = os.path.realpath(real)
        st = os.stat(real)
    return real, st


def walk_files(root: Path | str, folder: str) -> Iterator[tuple[str, Path, str | None]]:
    """Every file below ``root/folder``: (vault-relative path, path, None) for a file that may
    be read, (rel, path, reason) for one that must not be (a link out of the vault, a FIFO or
    device, a name that is not UTF-8). Hidden files and folders are skipped; a link to a folder
    inside the vault is not followed (its files are reached where they really are)."""
    root_real = os.path.realpath(root)
    stack = [folder.strip("/")]
    while stack:
        rel_dir = stack.pop()
        try:
            with os.scandir(os.path.join(root_real, rel_dir)) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError:
            continue
        for entry in entries:
            if entry.name.startswith("."):
                continue
            rel = f"{rel_dir}/{entry.name}"
            path = Path(root_real) / rel
            try:
                rel.encode("utf-8")
            except UnicodeEncodeError:
                shown = rel.encode("utf-8", "replace").decode("utf-8")
                yield shown, path, "the file name is not valid UTF-8: rename the file"
                continue
            try:
                if entry.is_symlink():
                    real = os.path.realpath(entry.path)
                    if not inside(real, root_real):
                        yield rel, path, "a link to a file outside the vault: not read"
                    elif os.path.isfile(real):
                        yield rel, path, None
                    continue
                if entry.is_dir(follow_symlinks=False):
                    stack.append(rel)
                elif entry.is_file(follow_symlinks=False):
                    yield rel, path, None
                else:
                    yield rel, path, "not a regular file (a pipe, socket or device): not read"
            except OSError:
                continue


def looks_binary(data: bytes) -> bool:
    return not data.startswith(_UTF16_BOMS) and b"\x00" in data[:SNIFF_BYTES]


def decode(data: bytes, *, truncated: bool = False) -> Decoded:
    """Bytes to text, the same way for pages, raw articles and the editor.

    UTF-8 (a BOM is dropped); UTF-16 with a BOM; a NUL byte or many control characters mean
    binary; text that is not UTF-8 but nearly all ASCII is a legacy Windows-1252 file; anything
    else is UTF-8 with the bad bytes replaced (``lossy``). A character cut by ``truncated`` is
    dropped, not counted as bad."""
    if data.startswith(_UTF16_BOMS):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            text = data[:len(data) - len(data) % 2].decode("utf-16", errors="replace")
            return Decoded(text, "utf-16", lossy=not truncated)
        return Decoded(text, "utf-16")
    if looks_binary(data):
        return Decoded("", "utf-8", binary=True)
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        if truncated and exc.reason == "unexpected end of data" and exc.start >= len(data) - 3:
            try:
                text = data[:exc.start].decode("utf-8")
            except UnicodeDecodeError:
                return _not_utf8(data)
        else:
            return _not_utf8(data)
    if _too_many_controls(text):
        return Decoded("", "utf-8", binary=True)
    return Decoded(text, "utf-8")


def _not_utf8(data: bytes) -> Decoded:
    sample = data[:65536]
    high = sum(1 for b in sample if b >= 0x80)
    if high / max(1, len(sample)) < 0.1:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            pass
        else:
            if not _too_many_controls(text):
                return Decoded(text, "cp1252")
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8", lossy=True)


def _too_many_controls(text: str) -> bool:
    sample = text[:65536]
    return len(_CONTROL.findall(sample)) > max(8, len(sample) // 100)


def read_text(path: Path | str, *, max_bytes: int, root: Path | str | None = None) -> Decoded:
    """``read_bytes`` then ``decode``. Raises :class:`Unreadable`."""
    data, _st, truncated = read_bytes(path, max_bytes=max_bytes, root=root)
    return decode(data, truncated=truncated)


def atomic_write(path: Path, data: bytes | str, *, durable: bool = True) -> os.stat_result:
    """Replace ``path`` with ``data`` (str is written as UTF-8 with ``\\n`` line ends) through a
    temporary file in the same folder; keeps the file's permission bits. ``durable`` fsyncs the
    file and its folder, so the new text survives a power cut once this returns."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
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
            fh.write(payload)
            if durable:
                fh.flush()
                os.fsync(fh.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    if durable:
        fsync_dir(path.parent)
    return path.stat()


def create_new(path: Path, data: bytes | str) -> bool:
    """Create ``path`` holding ``data``, whole or not at all, and only if no file has that name:
    the data goes to a temporary file, which then gets the name by a hard link (never replaces
    a file, even one created meanwhile). False when the name is taken."""
    payload = data.encode("utf-8") if isinstance(data, str) else data
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".~", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(payload)
            fh.flush()
            os.fsync(fh.fileno())
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)
        try:
            os.link(tmp, path)
        except FileExistsError:
            return False
    finally:
        try:
            os.unlink(tmp)
        except OSError:
            pass
    fsync_dir(path.parent)
    return True


def fsync_dir(folder: Path) -> None:
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
