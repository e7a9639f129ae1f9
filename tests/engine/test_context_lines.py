"""Context lines of backlinks and unlinked mentions read as text, never as raw Markdown."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from wiki.markup.context_text import readable
from wiki.vault.facade import Vault

GOLDEN_SEEDS = Path(__file__).resolve().parent.parent / "data" / "golden" / "seeds"
RAW_MARKUP = re.compile(r"\[\[|\]\]|\]\(|^\s*(?:[-*+] |#{1,6} |> )|\*\*")


@pytest.mark.parametrize("raw, shown", [
    ("…ess|MDP]] and [[Policy#Greedy|greedy]] policies", "…MDP and greedy policies"),
    ("- ## See [[Ada Lovelace]]", "See Ada Lovelace"),
    ("- [ ] call [[Bob]] **now**", "call Bob now"),
    ("> quoted [a link](http://x.org) and `code`", "quoted a link and code"),
    ("we read [[Ada Lov…", "we read Ada Lov…"),
    ("1. [[Page#Heading]] is here ^block-1", "Page > Heading is here"),
    ("#tag stays a tag", "#tag stays a tag"),
    ("2 * 3 = 6", "2 * 3 = 6"),
])
def test_readable(raw, shown):
    assert readable(raw) == shown


def test_backlink_and_mention_contexts_in_a_vault(write_files):
    root = write_files({
        "Ada Lovelace.md": "# Ada\n",
        "Babbage.md": "- ## Worked with [[Ada Lovelace|Ada]] on the **engine**\n"
                      "- [[Ada Lovelace]], [[Babbage]]\n",
        "Notes.md": "> Ada Lovelace wrote [the notes](http://example.org) in `1843`\n",
    })
    vault = Vault.open(root)
    try:
        vault.refresh()
        contexts = [m.context for m in vault.backlinks("Ada Lovelace.md")]
        assert contexts == ["Worked with Ada on the engine", ""]  # the second is only a link
        [mention] = vault.unlinked_mentions("Ada Lovelace.md")
        assert mention.context == "Ada Lovelace wrote the notes in 1843"
    finally:
        vault.close()


def test_no_raw_markup_in_any_context_of_the_seed_wiki(tmp_path):
    root = tmp_path / "seeds"
    shutil.copytree(GOLDEN_SEEDS, root)
    vault = Vault.open(root)
    try:
        vault.refresh()
        seen = 0
        for info in vault.pages()[:40]:
            for m in vault.backlinks(info.path) + vault.unlinked_mentions(info.path):
                seen += 1
                assert not RAW_MARKUP.search(m.context), (info.path, m.path, m.context)
        assert seen > 100
    finally:
        vault.close()
