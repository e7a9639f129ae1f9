"""Unlinked mentions: pages that name a page without linking to it."""

from __future__ import annotations

import unicodedata


def test_unlinked_mentions_match_both_unicode_forms(write_files, open_vault):
    nfd = unicodedata.normalize("NFD", "Crème Brûlée")
    nfc = unicodedata.normalize("NFC", "Crème Brûlée")
    root = write_files({f"{nfd}.md": "dessert", "A.md": f"I ate a {nfc} yesterday",
                        "B.md": f"also {nfd} here",
                        "C.md": f"---\naliases: [{nfc}]\n---\nthe alias page"})
    vault = open_vault(root)
    assert [m.path for m in vault.unlinked_mentions(f"{nfd}.md")] == ["A.md", "B.md"]
    assert [m.path for m in vault.unlinked_mentions("C.md")] == ["A.md", "B.md"]


def test_unlinked_mentions_skip_links_code_and_longer_words(write_files, open_vault):
    root = write_files({
        "Graph Theory.md": "---\naliases: [graphs]\n---\nbody",
        "A.md": "see [[Other|Graph Theory]] and [Graph Theory](Other.md)",
        "B.md": "code `Graph Theory` here\n\n```\nGraph Theory\n```\n",
        "C.md": "Graph Theoryish and SubGraph Theory",
        "D.md": "I like graphs a lot",
        "E.md": "Plain Graph Theory mention",
        "F.md": "[[Graph Theory]] is linked; Graph Theory again",
        "Other.md": "x",
    })
    vault = open_vault(root)
    assert [m.path for m in vault.unlinked_mentions("Graph Theory.md")] == ["D.md", "E.md"]


def test_unlinked_mentions_while_rebuilding_do_not_crash(write_files, open_vault):
    root = write_files({"Alpha.md": "a", "B.md": "mentions Alpha", "C.md": "[[Alpha]]"})
    vault = open_vault(root)
    seen: list[list[str]] = []

    def progress(done: int, total: int, message: str) -> None:
        if message.startswith("reading pages"):  # the index was reset, the graph is still there
            seen.append([m.path for m in vault.unlinked_mentions("Alpha.md")])

    vault.rebuild(progress)
    assert seen == [[]]
    assert [m.path for m in vault.unlinked_mentions("Alpha.md")] == ["B.md"]

