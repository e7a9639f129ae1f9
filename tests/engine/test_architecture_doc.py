"""docs/ARCHITECTURE.md stays true: every module of the engine and the app is listed in it."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "ARCHITECTURE.md"


def _listed() -> set[str]:
    return set(re.findall(r"`([\w/.]+\.py|[\w/]+/)`", DOC.read_text(encoding="utf-8")))


def _names(rel: str) -> set[str]:
    """The ways a table may name a module: its path, its path inside its subsystem folder
    (`reading/sources.py` in the compiler's table), its file name in a row of siblings, or
    its folder when the folder is described as a whole."""
    parts = rel.split("/")
    names = {rel, parts[-1]}
    names.update("/".join(parts[i:]) for i in range(1, len(parts)))
    names.update("/".join(parts[:i]) + "/" for i in range(3, len(parts)))  # a sub-subsystem
    return names


def test_every_module_is_in_the_architecture_doc():
    listed = _listed()
    missing = []
    for package in ("wiki", "ui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            rel = path.relative_to(ROOT).as_posix()
            if path.name in ("__init__.py", "__main__.py"):
                continue
            if not _names(rel) & listed:
                missing.append(rel)
    assert not missing, f"add these modules to docs/ARCHITECTURE.md: {missing}"


def test_the_doc_names_no_module_that_does_not_exist():
    for name in _listed():
        if name.startswith(("wiki/", "ui/")) and name.endswith(".py"):
            assert (ROOT / name).exists(), f"docs/ARCHITECTURE.md lists {name}, which is gone"
