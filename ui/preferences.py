"""The app's own settings (theme, page font, reopening the last page), read from and written to
``QSettings`` in one place, and the last page shown per vault.

The folders a vault ignores are the vault's setting, not the app's: they live in the vault's
``.wiki/settings.json`` (``wiki.core.vault_settings``), so every program that opens the vault
(the CLI, ``wiki watch``, the MCP server) agrees on them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSettings

THEMES = ("system", "light", "dark")
THEME_LABELS = {"system": "System", "light": "Light", "dark": "Dark"}
MIN_SIZE, MAX_SIZE = 8, 32  # the page font size the dialog offers, in points
_KEY = "preferences"


@dataclass(frozen=True)
class Preferences:
    theme: str = "system"
    page_font: str = ""  # a font family; "" is the app's font
    page_size: int = 0  # points; 0 follows the app's font
    reopen_last_page: bool = True


def _as_bool(value: object, default: bool) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return default if value is None else bool(value)


def _as_int(value: object) -> int:
    try:
        return int(str(value))
    except (TypeError, ValueError):
        return 0


def load(settings: QSettings) -> Preferences:
    """What is saved; anything unreadable (an edited ini file) falls back to its default."""
    theme = str(settings.value(f"{_KEY}/theme", "system") or "system")
    size = _as_int(settings.value(f"{_KEY}/page_size", 0))
    return Preferences(
        theme=theme if theme in THEMES else "system",
        page_font=str(settings.value(f"{_KEY}/page_font", "") or ""),
        page_size=size if MIN_SIZE <= size <= MAX_SIZE else 0,
        reopen_last_page=_as_bool(settings.value(f"{_KEY}/reopen_last_page"), True),
    )


def save(settings: QSettings, prefs: Preferences) -> None:
    settings.setValue(f"{_KEY}/theme", prefs.theme)
    settings.setValue(f"{_KEY}/page_font", prefs.page_font)
    settings.setValue(f"{_KEY}/page_size", prefs.page_size)
    settings.setValue(f"{_KEY}/reopen_last_page", prefs.reopen_last_page)
    settings.sync()


# -- the last page of each vault ----------------------------------------------------------------
def _vault_key(root: Path | str) -> str:
    """A settings group per vault folder (a hash: paths hold characters ini keys cannot)."""
    return "vaults/" + hashlib.sha1(str(Path(root)).encode("utf-8")).hexdigest()[:16]


def remember_page(settings: QSettings, root: Path | str, path: str) -> None:
    settings.setValue(f"{_vault_key(root)}/last_page", path)


def page_to_reopen(settings: QSettings, root: Path | str) -> str | None:
    """The page last shown in this vault, when the user wants it back (None otherwise)."""
    if not load(settings).reopen_last_page:
        return None
    value = settings.value(f"{_vault_key(root)}/last_page")
    if not value and settings.value("vault/last_page_vault") == str(root):
        value = settings.value("vault/last_page")  # kept by versions before per-vault pages
    return str(value) if value else None
