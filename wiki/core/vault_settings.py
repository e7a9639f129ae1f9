"""The vault's own settings, kept in ``.wiki/settings.json``: today the folders to ignore.

Ignored folders are left out of the vault walk (``wiki.markup.pages.iter_page_paths``) and of
every change the watcher reports (``Vault.update_paths``), so their pages are not listed,
linked, indexed or catalogued in ``index.md``. Everything else in ``.wiki/`` is a cache; this
file is the one thing there a user chose. A rebuild keeps it; a deleted ``.wiki/`` forgets it
(the pages simply come back). A damaged file never stops a vault from opening: it reads as
"nothing ignored" and ``load`` says why.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from wiki.core.fileio import Unreadable, atomic_write, read_bytes
from wiki.core.rules import RAW_DIR, STATE_DIR, is_hidden_part, normalize_rel

SETTINGS_FILE = "settings.json"
MAX_SETTINGS_BYTES = 256 * 1024
MAX_IGNORED = 500


class SettingsError(ValueError):
    """A setting the user typed cannot be kept; ``str(e)`` says why in one line."""


@dataclass(frozen=True)
class VaultSettings:
    ignored_folders: tuple[str, ...] = ()
    problem: str | None = None  # why the file on disk was not understood (then nothing applies)


def settings_path(root: Path) -> Path:
    return Path(root) / STATE_DIR / SETTINGS_FILE


def clean_folder(text: str) -> str:
    """A folder as the user typed it (``Templates/``, ``archive\\\\old``, ``./drafts``) as a
    vault-relative folder path; ``SettingsError`` when it cannot be one."""
    shown = text.strip()
    rel = normalize_rel(shown.replace("\\", "/").strip("/")) if shown else None
    if not shown:
        raise SettingsError("an empty folder name cannot be ignored")
    if rel is None or rel in ("", ".") or Path(shown).is_absolute():
        raise SettingsError(f"“{shown}” is not a folder inside the vault")
    parts = rel.split("/")
    if any(is_hidden_part(p) for p in parts):
        raise SettingsError(f"“{shown}” is a hidden folder: hidden folders are always ignored")
    if parts[0] == RAW_DIR:
        raise SettingsError(f"“{shown}” is in {RAW_DIR}/, which holds raw articles, not pages")
    return rel


def clean_folders(texts: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """Every folder cleaned, duplicates (by case) and folders inside another ignored one
    dropped, sorted; ``SettingsError`` names the first one that cannot be ignored."""
    cleaned = sorted({clean_folder(t).casefold(): clean_folder(t) for t in texts if t.strip()}
                     .values(), key=str.casefold)
    if len(cleaned) > MAX_IGNORED:
        raise SettingsError(f"at most {MAX_IGNORED} folders can be ignored")
    keys = {c.casefold() for c in cleaned}
    return tuple(c for c in cleaned
                 if not any(a in keys for a in _ancestors(c.casefold())))


def _ancestors(rel: str) -> list[str]:
    parts = rel.split("/")
    return ["/".join(parts[:n]) for n in range(1, len(parts))]


def is_ignored(rel: str, folders: tuple[str, ...] | frozenset[str]) -> bool:
    """``rel`` (a vault-relative file or folder path) lies in one of ``folders``; folders
    compare without case, as the user may type ``templates`` for ``Templates``."""
    if not folders:
        return False
    keys = folders if isinstance(folders, frozenset) else ignored_keys(folders)
    parts = rel.casefold().split("/")
    return any("/".join(parts[:n]) in keys for n in range(1, len(parts) + 1))


def ignored_keys(folders: tuple[str, ...]) -> frozenset[str]:
    """The lookup form of ``folders`` for ``is_ignored`` in a loop."""
    return frozenset(f.casefold() for f in folders)


def load(root: Path) -> VaultSettings:
    """The settings on disk; defaults when there is no file, and defaults with ``problem`` set
    when the file is damaged (never an exception)."""
    path = settings_path(root)
    if not path.is_file():
        return VaultSettings()
    try:
        payload, _st, truncated = read_bytes(path, max_bytes=MAX_SETTINGS_BYTES, root=root)
        if truncated:
            raise SettingsError(f"larger than {MAX_SETTINGS_BYTES // 1024} KB")
        data = json.loads(payload.decode("utf-8"))
        raw = data.get("ignored_folders", []) if isinstance(data, dict) else None
        if not isinstance(raw, list) or not all(isinstance(x, str) for x in raw):
            raise SettingsError("ignored_folders is not a list of folder names")
        return VaultSettings(clean_folders(raw))
    except (Unreadable, OSError, UnicodeDecodeError, ValueError) as e:
        return VaultSettings(problem=f"{STATE_DIR}/{SETTINGS_FILE} was not understood "
                                     f"({e}): no folder is ignored")


def save(root: Path, settings: VaultSettings) -> None:
    """Write the settings atomically (other keys a newer version wrote are kept)."""
    path = settings_path(root)
    path.parent.mkdir(parents=True, exist_ok=True)
    data: dict = {}
    if path.is_file():
        try:
            payload, _st, _cut = read_bytes(path, max_bytes=MAX_SETTINGS_BYTES, root=root)
            old = json.loads(payload.decode("utf-8"))
            data = old if isinstance(old, dict) else {}
        except (Unreadable, OSError, UnicodeDecodeError, ValueError):
            data = {}
    data["ignored_folders"] = list(settings.ignored_folders)
    atomic_write(path, json.dumps(data, indent=2, ensure_ascii=False) + "\n")
