from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from wiki.compile.build import build_from
from wiki.core.paths import SEEDS_DIR as SEEDS
from wiki.vault.facade import Vault


@pytest.fixture(scope="session")
def _compiled_seeds(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("seeds") / "vault"
    report = build_from(root, SEEDS)
    assert report.ok, report.errors
    with Vault.open(root) as vault:
        vault.refresh()
    return root


@pytest.fixture
def seed_vault(_compiled_seeds: Path, tmp_path: Path) -> Path:
    """The seed articles compiled and indexed in a temporary vault (a fresh copy per test)."""
    root = tmp_path / "seed-vault"
    shutil.copytree(_compiled_seeds, root, ignore=shutil.ignore_patterns("write.lock"))
    return root


@pytest.fixture
def no_llm_env(monkeypatch):
    for var in ("URL", "MODEL", "KEY", "TIMEOUT", "CONTEXT"):
        monkeypatch.delenv(f"COMMONPLACE_LLM_{var}", raising=False)


@pytest.fixture(scope="session")
def real_llm(tmp_path_factory):
    """llama.cpp's server running SmolLM2-135M on 127.0.0.1 (see tests/real_llm.py)."""
    from real_llm import start_server

    yield from start_server(tmp_path_factory.mktemp("llama") / "server.log")
