"""Unlinked mentions as a daily user sees them: the real count, everyday-word names that do
not flood the list, and linking one mention from the list (on real files)."""

from __future__ import annotations

import os

import pytest

from wiki.vault.editing import EditConflict, EditError


def test_the_count_is_the_real_total_not_the_first_page(write_files, open_vault):
    files = {"Ada Lovelace.md": "# Ada Lovelace\n"}
    files |= {f"notes/n{i:03}.md": f"Note {i}: Ada Lovelace wrote on engines.\n"
              for i in range(120)}
    vault = open_vault(write_files(files))
    found = vault.unlinked_mention_list("Ada Lovelace.md", limit=50)
    assert found.total == 120
    assert len(found.mentions) == 50
    assert found.mentions[0].path == "notes/n000.md"
    assert found.mentions[0].context == "Note 0: Ada Lovelace wrote on engines."


def test_names_that_are_everyday_words_do_not_flood_the_list(write_files, open_vault):
    root = write_files({
        "Index.md": "# Index\n",
        "Default.md": "# Default\n",
        "todo.md": "things\n",
        "Anthropic.md": "# Anthropic\n",
        "a.md": "Set the default value; an index of terms. todo: tidy up.\n",
        "b.md": "The default is fine. See the index at the back.\n",
        "c.md": "Index the files first. Default settings apply.\n",
        "d.md": "The full list is in the Index, kept by the Default team.\n",
        "e.md": "- Index of ideas\n# Default\n",
        "f.md": "Anthropic released a model. We asked anthropic again.\n",
        "g.md": "a todo list and another todo\n",
        "h.md": "one more todo\n",
    })
    vault = open_vault(root)
    # "index"/"default" are used as words on several pages: only "the Index" counts
    assert [m.path for m in vault.unlinked_mentions("Index.md")] == ["d.md"]
    index_mention = vault.unlinked_mentions("Index.md")[0]
    assert index_mention.text == "Index" and "in the Index" in index_mention.context
    assert [m.path for m in vault.unlinked_mentions("Default.md")] == ["d.md"]
    # a lower-case name that is an everyday word: nothing tells the page from the word
    assert vault.unlinked_mention_list("todo.md").total == 0
    # a rare name still matches at a sentence start and in any case
    assert [m.path for m in vault.unlinked_mentions("Anthropic.md")] == ["f.md"]


def test_a_rare_one_word_name_matches_in_any_case(write_files, open_vault):
    root = write_files({"Zettelkasten.md": "x\n", "a.md": "my zettelkasten grows\n",
                        "b.md": "Zettelkasten. A method.\n"})
    vault = open_vault(root)
    assert vault.unlinked_mention_list("Zettelkasten.md").total == 2


def test_link_this_mention_writes_a_link_in_that_file(write_files, open_vault):
    root = write_files({
        "people/Ada Lovelace.md": "---\naliases: [the Countess]\n---\n# Ada\n",
        "notes/a.md": "---\ntags: [x]\n---\n# Notes\n\nEarly on, Ada Lovelace wrote notes.\n"
                      "Ada Lovelace again.\n",
        "notes/b.md": "We met the countess at noon.\n",
    })
    vault = open_vault(root)
    found = vault.unlinked_mention_list("people/Ada Lovelace.md")
    assert found.total == 2
    by_path = {m.path: m for m in found.mentions}
    vault.link_unlinked_mention(by_path["notes/a.md"], "people/Ada Lovelace.md")
    text = (root / "notes/a.md").read_text(encoding="utf-8")
    assert text == ("---\ntags: [x]\n---\n# Notes\n\nEarly on, [[Ada Lovelace]] wrote notes.\n"
                    "Ada Lovelace again.\n")
    vault.link_unlinked_mention(by_path["notes/b.md"], "people/Ada Lovelace.md")
    assert (root / "notes/b.md").read_text() == \
        "We met [[Ada Lovelace|the countess]] at noon.\n"
    # the vault knows at once: a.md is a backlink now, b.md too; nothing is left unlinked
    # but the second "Ada Lovelace" of a.md, which sits on a page that links already
    assert {m.path for m in vault.backlinks("people/Ada Lovelace.md")} == {"notes/a.md",
                                                                         "notes/b.md"}
    assert vault.unlinked_mention_list("people/Ada Lovelace.md").total == 0


def test_a_shared_name_links_by_path(write_files, open_vault):
    root = write_files({"people/Mercury.md": "planet? no, a singer\n",
                        "planets/Mercury.md": "a planet\n",
                        "a.md": "Mercury was hot.\n"})
    vault = open_vault(root)
    [mention] = [m for m in vault.unlinked_mentions("planets/Mercury.md")]
    vault.link_unlinked_mention(mention, "planets/Mercury.md")
    assert (root / "a.md").read_text() == "[[planets/Mercury|Mercury]] was hot.\n"
    assert vault.resolve("planets/Mercury", "a.md") == "planets/Mercury.md"


def test_a_mention_that_moved_along_its_line_is_still_linked(write_files, open_vault):
    root = write_files({"Ada Lovelace.md": "x\n", "a.md": "Ada Lovelace here.\n"})
    vault = open_vault(root)
    [mention] = vault.unlinked_mentions("Ada Lovelace.md")
    (root / "a.md").write_text("Yes, Ada Lovelace here.\n")  # edited in another program
    vault.link_unlinked_mention(mention, "Ada Lovelace.md")
    assert (root / "a.md").read_text() == "Yes, [[Ada Lovelace]] here.\n"


def test_a_vanished_mention_is_a_clear_error_and_the_file_is_untouched(write_files,
                                                                      open_vault):
    root = write_files({"Ada Lovelace.md": "x\n", "a.md": "Ada Lovelace here.\n"})
    vault = open_vault(root)
    [mention] = vault.unlinked_mentions("Ada Lovelace.md")
    (root / "a.md").write_text("Someone else entirely.\n")
    with pytest.raises(EditError, match="no longer names the page on line 1"):
        vault.link_unlinked_mention(mention, "Ada Lovelace.md")
    assert (root / "a.md").read_text() == "Someone else entirely.\n"


def test_a_change_between_read_and_write_is_a_conflict(write_files, open_vault, monkeypatch):
    import wiki.vault.link_mention as lm

    root = write_files({"Ada Lovelace.md": "x\n", "a.md": "Ada Lovelace here.\n"})
    vault = open_vault(root)
    [mention] = vault.unlinked_mentions("Ada Lovelace.md")
    real_read = lm.read_for_edit

    def read_then_someone_writes(r, rel):
        got = real_read(r, rel)
        (root / "a.md").write_text("Ada Lovelace here, edited elsewhere.\n")
        os.utime(root / "a.md", ns=(1, 1))
        return got

    monkeypatch.setattr(lm, "read_for_edit", read_then_someone_writes)
    with pytest.raises(EditConflict):
        vault.link_unlinked_mention(mention, "Ada Lovelace.md")
    assert (root / "a.md").read_text() == "Ada Lovelace here, edited elsewhere.\n"
