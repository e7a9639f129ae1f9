"""What the app remembers per vault in QSettings (open tabs, recent pages, bookmarks of a
vault that is not an Obsidian vault): one JSON value per vault under ``<name>/<key>``, the key
a hash of the vault's folder (QSettings keys cannot hold every character a path can)."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings


def vault_key(root: Path | str) -> str:
    return hashlib.sha1(str(Path(root)).encode("utf-8", "surrogateescape")).hexdigest()[:16]


def load(settings: QSettings, name: str, root: Path | str, default: Any) -> Any:
    """The value saved for this vault, or ``default`` when there is none or it is damaged."""
    raw = settings.value(f"{name}/{vault_key(root)}")
    if not isinstance(raw, str) or not raw:
        return default
    try:
        value = json.loads(raw)
    except ValueError:
        return default
    return value if isinstance(value, type(default)) else default


def save(settings: QSettings, name: str, root: Path | str, value: Any) -> None:
    settings.setValue(f"{name}/{vault_key(root)}", json.dumps(value, ensure_ascii=False))
