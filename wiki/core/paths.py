"""Where vaults live, and vault-relative path helpers."""

from __future__ import annotations

import os
from pathlib import Path, PurePosixPath

from platformdirs import user_data_path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"
STATE_DIR_NAME = ".wiki"
RAW_DIR = "raw"  # raw articles: compiler input, never pages


def default_vault_path() -> Path:
    """The per-user default vault, e.g. ``~/.local/share/Commonplace/vault`` on Linux."""
    return user_data_path("Commonplace", appauthor=False) / "vault"


def vault_from_args(arg: str | os.PathLike[str] | None) -> Path:
    """``--vault`` wins, then ``WIKI_VAULT``, then the default vault."""
    if arg:
        return Path(arg).expanduser().resolve()
    env = os.environ.get("WIKI_VAULT")
    if env:
        return Path(env).expanduser().resolve()
    return default_vault_path()


def is_hidden_part(name: str) -> bool:
    return name.startswith(".")


def to_rel(root: Path, path: Path) -> str | None:
    """Vault-relative posix path of ``path``, or None when it is outside the vault."""
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return None


def normalize_rel(rel: str) -> str | None:
    """Clean a vault-relative path; None if it would leave the vault."""
    parts: list[str] = []
    for part in PurePosixPath(rel.replace("\\", "/")).parts:
        if part in ("", ".", "/"):
            continue
        if part == "..":
            if not parts:
                return None
            parts.pop()
            continue
        parts.append(part)
    return "/".join(parts) if parts else None
