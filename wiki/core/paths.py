"""Where vaults live: the per-user default vault, ``--vault`` / ``WIKI_VAULT``, the seeds."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_path

SEEDS_DIR = Path(__file__).resolve().parents[2] / "seeds"


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
