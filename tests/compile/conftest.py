"""Vaults compiled once per test session from the review articles in ``tests/data/review/``."""

from __future__ import annotations

from pathlib import Path

import pytest
from compile_support import compiled_vault


@pytest.fixture(scope="session")
def review_vault(tmp_path_factory) -> Path:
    """A blog page, a Markdown note, a wire story, a transcript, a short note and a profile."""
    return compiled_vault(tmp_path_factory.mktemp("review") / "vault", "blog.html", "note.md",
                          "news.txt", "interview.txt", "short.txt", "profile.txt")


@pytest.fixture(scope="session")
def scraped_vault(tmp_path_factory) -> Path:
    """Text copied from a news page with its menus, and a reading note with person headings."""
    return compiled_vault(tmp_path_factory.mktemp("review2") / "vault", "lumora.txt",
                          "reading.md")


@pytest.fixture(scope="session")
def theatre_vault(tmp_path_factory) -> Path:
    return compiled_vault(tmp_path_factory.mktemp("review3") / "vault", "theatre.txt")
