"""Images pasted or dropped into a page: saved as attachment files of the vault (never over an
existing file) and embedded with the shortest ``![[…]]`` that finds them.

Where they go is Obsidian's ``attachmentFolderPath`` (``wiki.vault.obsidian_settings``);
their names are Obsidian's too (``Pasted image 20261201093000.png``), numbered on a clash.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from wiki.vault.editing import EditError
from wiki.vault.obsidian_settings import attachment_folder

IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp", ".bmp")
MAX_ATTACHMENT = 50 * 1024 * 1024


def is_image_name(name: str) -> bool:
    return name.lower().endswith(IMAGE_SUFFIXES)


def _write_new(path: Path, data: bytes) -> bool:
    """Create ``path`` with ``data``; False when it exists already."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except FileExistsError:
        return False
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError:
        path.unlink(missing_ok=True)
        raise
    return True


def save_attachment(root: Path | str, page: str, data: bytes, name: str) -> str:
    """Save ``data`` for ``page`` under ``name`` (a file name; numbered if taken) in the
    attachment folder; returns the vault-relative path of the new file."""
    if len(data) > MAX_ATTACHMENT:
        raise EditError(f"{name} is larger than {MAX_ATTACHMENT // (1024 * 1024)} MB")
    base = Path(root)
    folder = attachment_folder(base, page)
    stem, dot, suffix = Path(name).name.rpartition(".")
    stem, suffix = (stem, f".{suffix}") if dot else (suffix, "")
    stem = stem.strip().replace("/", " ").replace("\\", " ") or "attachment"
    target_dir = base / folder if folder else base
    try:
        target_dir.mkdir(parents=True, exist_ok=True)
        for n in range(1, 1000):
            file_name = f"{stem}{suffix}" if n == 1 else f"{stem} {n}{suffix}"
            if _write_new(target_dir / file_name, data):
                return f"{folder}/{file_name}" if folder else file_name
    except OSError as exc:
        raise EditError(f"cannot save {name}: {exc.strerror or exc}") from exc
    raise EditError(f"no free name for {name} in {folder or 'the vault root'}")


def pasted_image_name(suffix: str = ".png", now: float | None = None) -> str:
    """Obsidian's name for a pasted image."""
    stamp = time.strftime("%Y%m%d%H%M%S", time.localtime(now))
    return f"Pasted image {stamp}{suffix}"


def embed_for(page: str, attachment: str) -> str:
    """``![[…]]`` for ``attachment`` in ``page``: its file name when it sits next to the page
    or at the vault root (found there by name), else its path in the vault."""
    folder, _, name = attachment.rpartition("/")
    page_folder = page.rpartition("/")[0]
    return f"![[{name if folder in ('', page_folder) else attachment}]]"
