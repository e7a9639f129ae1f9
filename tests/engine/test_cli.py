"""Every `wiki` command through the real entry point (a subprocess running `python -m wiki`)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from support import run_wiki as wiki


@pytest.fixture
def cli_vault(write_files) -> Path:
    return write_files({
        "Home.md": "# Home\n\nRead [[Deep Learning]] and [[People/Ada Lovelace|Ada]].\n",
        "Deep Learning.md": "---\naliases: [DL]\ntags: [ml]\n---\n# Deep Learning\n\n"
                            "Neural networks learned from data. Ada Lovelace would approve.\n",
        "People/Ada Lovelace.md": "# Ada Lovelace\n\nWrote about the engine. See [[Nowhere]].\n",
        "empty.md": "",
    })


def test_index_prints_counts(cli_vault):
    result = wiki("index", vault=cli_vault)
    assert result.returncode == 0, result.stderr
    assert "4 pages indexed" in result.stdout
    result = wiki("index", "--rebuild", vault=cli_vault)
    assert result.returncode == 0 and "4 pages indexed" in result.stdout


def test_search_json(cli_vault):
    result = wiki("search", "neural networks", "--json", vault=cli_vault)
    assert result.returncode == 0, result.stderr
    hits = json.loads(result.stdout)
    assert hits[0]["path"] == "Deep Learning.md"
    assert set(hits[0]) == {"path", "title", "score", "snippet"}
    assert "**" in hits[0]["snippet"]


def test_search_suggests_on_no_results(cli_vault):
    result = wiki("search", "nueral", vault=cli_vault)
    assert result.returncode == 0
    assert "did you mean" in result.stderr


def test_show_json_by_alias(cli_vault):
    result = wiki("show", "DL", "--json", vault=cli_vault)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["path"] == "Deep Learning.md"
    assert data["aliases"] == ["DL"]
    assert data["tags"] == ["ml"]
    assert [b["path"] for b in data["backlinks"]] == ["Home.md"]
    assert "Read" in data["backlinks"][0]["context"]
    ada = json.loads(wiki("show", "people/ada lovelace.md", "--json", vault=cli_vault).stdout)
    assert ada["links"] == [{"target": "Nowhere", "path": None, "text": "Nowhere"}]
    assert [m["path"] for m in ada["unlinked_mentions"]] == ["Deep Learning.md"]


def test_lint_json(cli_vault):
    result = wiki("lint", "--json", vault=cli_vault)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert {"path": "People/Ada Lovelace.md", "target": "Nowhere", "line": 3} in \
        data["broken_links"]
    assert "empty.md" in data["empty_pages"]
    assert "Home.md" in data["orphans"]


def test_errors_are_one_line_exit_2(cli_vault, tmp_path):
    missing = wiki("index", vault=tmp_path / "no-such-vault")
    assert missing.returncode == 2
    assert missing.stderr.startswith("wiki: no vault at") and "Traceback" not in missing.stderr
    unknown = wiki("show", "No Such Page", vault=cli_vault)
    assert unknown.returncode == 2 and "no page named" in unknown.stderr
    bad = wiki("search", "title:(", vault=cli_vault)
    assert "Traceback" not in bad.stderr


def test_wiki_vault_environment_variable(cli_vault):
    import os

    env = dict(os.environ, WIKI_VAULT=str(cli_vault))
    result = wiki("search", "engine", "--json", env=env)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)[0]["path"] == "People/Ada Lovelace.md"


def test_an_empty_vault_reopens_without_warnings(tmp_path):
    vault = tmp_path / "empty"
    vault.mkdir()
    assert wiki("index", vault=vault).returncode == 0
    again = wiki("index", vault=vault)
    assert again.returncode == 0 and again.stderr == ""  # not "search index was damaged"
    assert again.stdout.startswith("0 pages indexed")


def test_build_after_the_wiki_folder_was_deleted(tmp_path, seeds_dir):
    import shutil

    vault = tmp_path / "v"
    assert wiki("build", "--from", str(seeds_dir), vault=vault).returncode == 0
    shutil.rmtree(vault / ".wiki")
    rebuilt = wiki("build", "--from", str(seeds_dir), vault=vault)
    assert rebuilt.returncode == 0
    assert " 0 conflict(s)" in rebuilt.stdout  # its own pages are still recognised as its own
    after = wiki("index", vault=vault)
    assert after.stderr == ""  # the build left the vault fully indexed: nothing to repair
    found = json.loads(wiki("search", "superintelligence", "--json", vault=vault).stdout)
    assert found


@pytest.mark.parametrize("limit", ["0", "-1"])
def test_search_limit_must_be_positive(write_files, limit):
    root = write_files({"A.md": "hello world"})
    result = wiki("search", "hello", "--limit", limit, vault=root)
    assert result.returncode == 2
    assert "must be 1 or more" in result.stderr
    assert "A.md" not in result.stdout

