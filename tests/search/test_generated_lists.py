"""A word found only in a link list the compiler generated (a source page's Mentions, an entity
page's Related, the source links of "Mentioned in", index.md, log.md) does not make a page a
search hit, and snippets come from what a page says itself.

The vault is compiled from real articles of ``tests/data/corpus/`` (the Rust blog and the Cargo
newsletter, which name each other's people, teams and projects) and searched with the real
index.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from wiki.compile import compile_vault
from wiki.markup.own_text import own_text
from wiki.markup.pages import read_page
from wiki.vault.facade import Vault

CORPUS = Path(__file__).resolve().parent.parent / "data" / "corpus"
WORDS = ["Foundation", "GitHub", "Cargo", "Rustls", "Microsoft", "crates.io", "Leadership"]


@pytest.fixture(scope="module")
def vault(tmp_path_factory):
    root = tmp_path_factory.mktemp("lists") / "vault"
    (root / "raw").mkdir(parents=True)
    for folder in ("blog", "clipper", "newsletter"):
        for f in sorted((CORPUS / folder).glob("*.md")):
            shutil.copyfile(f, root / "raw" / f.name)
    (root / "My notes.md").write_text("# My notes\n\nRelated: GitHub, Cargo and Rustls.\n",
                                      encoding="utf-8")  # a user's own list is their text
    assert compile_vault(root).errors == []
    v = Vault.open(root, create=True)
    v.refresh()
    yield v
    v.close()


def says(text: str, word: str) -> bool:
    # (search stems words: "Foundations" is a hit for "Foundation")
    return re.search(rf"(?<!\w){re.escape(word)}(?:s|es)?(?!\w)", text,
                     flags=re.IGNORECASE) is not None


def test_a_word_only_in_generated_link_lists_makes_no_hit(vault: Vault):
    only_listed = 0
    for word in WORDS:
        hits = vault.search(word, limit=500).hits
        assert hits, word
        for hit in hits:
            page = read_page(vault.root, hit.path)
            named = " ".join([page.title, *page.aliases, hit.path])
            assert says(own_text(page), word) or says(named, word), (word, hit.path, hit.snippet)
        found = {h.path for h in hits}
        for info in vault.pages():
            page = read_page(vault.root, info.path)
            if says(page.body, word) and not says(own_text(page), word) \
                    and not says(" ".join([page.title, *page.aliases, info.path]), word):
                only_listed += 1  # listed there, and rightly no hit
                assert info.path not in found
    assert only_listed >= 10  # the lists do name these words: the check above was not idle


def test_snippets_come_from_what_the_page_says(vault: Vault):
    for word in WORDS:
        for hit in vault.search(word, limit=50).hits:
            own = " ".join(own_text(read_page(vault.root, hit.path)).split()).casefold()
            for piece in hit.snippet.strip("…").split("…"):
                plain = " ".join(piece.replace("**", "").split()).casefold()
                words = re.findall(r"\w+", plain)
                if len(words) >= 3:  # (the snippet's words, in the page's own order)
                    assert " ".join(words[:3]) in " ".join(re.findall(r"\w+", own)), \
                        (hit.path, piece)
            assert "Related" not in hit.snippet or hit.path == "My notes.md", hit


def test_the_catalogue_and_the_log_are_found_by_name_not_by_what_they_list(vault: Vault):
    assert "index.md" not in {h.path for h in vault.search("Rustls", limit=500).hits}
    assert "log.md" not in {h.path for h in vault.search("Cargo", limit=500).hits}
    assert vault.search("index", limit=5).hits[0].path == "index.md"
    mine = {h.path for h in vault.search("Rustls", limit=500).hits}
    assert "My notes.md" in mine  # a user's page is searched whole, "Related:" and all
