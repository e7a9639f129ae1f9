"""Where Obsidian would put a new note or a pasted attachment, from ``.obsidian/app.json``.

Obsidian keeps these choices in the vault (``newFileLocation``: ``root``, ``current`` or
``folder`` with ``newFileFolderPath``; ``attachmentFolderPath``: ``/`` for the vault root,
``./`` or ``./sub`` relative to the note, else a folder of the vault), so a vault edited in
both programs puts files in the same places. A missing, unreadable or odd ``app.json`` means
the defaults: new notes at the root, attachments next to the note.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from wiki.core.rules import RAW_DIR, is_hidden_part, new_page_path, normalize_rel

APP_JSON = Path(".obsidian") / "app.json"
MAX_APP_JSON = 1 << 20


@dataclass(frozen=True, slots=True)
class ObsidianSettings:
    new_file_location: str = "root"  # root | current | folder
    new_file_folder: str = ""
    attachment_folder: str = "./"

    @classmethod
    def read(cls, root: Path | str) -> ObsidianSettings:
        try:
            file = Path(root) / APP_JSON
            if file.stat().st_size > MAX_APP_JSON:
                return cls()
            data = json.loads(file.read_text(encoding="utf-8-sig"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(data, dict):
            return cls()

        def text(key: str, default: str) -> str:
            value = data.get(key)
            return value.strip() if isinstance(value, str) and value.strip() else default

        location = text("newFileLocation", "root")
        return cls(location if location in ("root", "current", "folder") else "root",
                   text("newFileFolderPath", ""), text("attachmentFolderPath", "./"))


def _folder_of(rel: str) -> str:
    return rel.rpartition("/")[0]


def _vault_folder(folder: str) -> str:
    """A folder inside the vault (``""`` for the root); hidden folders, ``raw/`` and paths that
    leave the vault fall back to the root."""
    clean = normalize_rel(folder.strip().strip("/")) if folder.strip().strip("/") else ""
    if not clean or any(is_hidden_part(p) for p in clean.split("/")) \
            or clean.split("/")[0] == RAW_DIR:
        return ""
    return clean


def new_note_folder(settings: ObsidianSettings, current_page: str | None) -> str:
    """The folder a new note goes into (``""``: the vault root)."""
    if settings.new_file_location == "current" and current_page:
        return _folder_of(current_page)
    if settings.new_file_location == "folder":
        return _vault_folder(settings.new_file_folder)
    return ""


def new_note_path(root: Path | str, target: str, current_page: str | None = None) -> str:
    """The page a missing link ``target`` (or File > New Page) creates: a target with a folder
    keeps it (``[[folder/Page]]``), else the note goes where Obsidian would put it."""
    rel = new_page_path(target)
    if "/" in rel:
        return rel
    folder = new_note_folder(ObsidianSettings.read(root), current_page)
    return f"{folder}/{rel}" if folder else rel


def attachment_folder(root: Path | str, page: str) -> str:
    """The folder an attachment pasted into ``page`` goes into (``""``: the vault root)."""
    setting = ObsidianSettings.read(root).attachment_folder
    if setting == "/":
        return ""
    if setting == "." or setting.startswith("./"):
        sub = setting[2:].strip("/")
        base = _folder_of(page)
        return _vault_folder(f"{base}/{sub}" if base and sub else base or sub)
    return _vault_folder(setting)
