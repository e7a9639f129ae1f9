"""Helpers for the compiler tests (not collected): build a vault from stored articles, read what
the compiler made of it."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

from wiki.compile import compile_vault
from wiki.markup.frontmatter import split_frontmatter

DATA = Path(__file__).resolve().parent / "data"
REVIEW = DATA / "review"
TODAY = dt.date(2024, 3, 20)
ENTITY_FOLDERS = ("people", "organizations", "products", "concepts")


def compiled_vault(root: Path, *names: str, data: Path = REVIEW) -> Path:
    """A vault at ``root`` whose ``raw/`` holds the named files of ``data``, compiled."""
    (root / "raw").mkdir(parents=True)
    for name in names:
        shutil.copyfile(data / name, root / "raw" / name)
    report = compile_vault(root, today=TODAY)
    assert report.errors == [], report.errors
    return root


def pages(root: Path, folder: str) -> set[str]:
    return {p.stem for p in (root / folder).glob("*.md")} if (root / folder).is_dir() else set()


def page(root: Path, rel: str) -> tuple[dict, str]:
    meta, body, _, err = split_frontmatter((root / rel).read_text(encoding="utf-8"))
    assert err is None
    return meta, body


def source_of(root: Path, raw: str) -> tuple[str, dict, str]:
    """(page name, frontmatter, body) of the source page made from the raw file ``raw``."""
    for p in sorted((root / "sources").glob("*.md")):
        meta, body = page(root, f"sources/{p.name}")
        if meta.get("source") == raw:
            return p.stem, meta, body
    raise AssertionError(f"no source page for {raw}")


def all_entities(root: Path) -> set[str]:
    return set().union(*(pages(root, f) for f in ENTITY_FOLDERS))
