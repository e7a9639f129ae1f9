"""Page names as Obsidian gives them: the file name (or a frontmatter title), never a heading;
shared names told apart by folder; links resolve as before."""

from __future__ import annotations

import json

from support import run_wiki

from wiki.markup.render import render_vault_page
from wiki.vault.facade import Vault


def _vault(write_files):
    root = write_files({
        "AFL Harness.md": "# Default\n\nA harness. See [[projects/a/Todo]].\n",
        "projects/a/Todo.md": "# Todo\n\n- one\n",
        "projects/b/Todo.md": "no heading here, links [[AFL Harness]]\n",
        "Todo.md": "top-level todo\n",
        "Why.md": "---\ntitle: 'Why: a question?'\n---\n# Something else\n",
    })
    vault = Vault.open(root)
    vault.refresh()
    return root, vault


def test_file_name_is_the_name_and_shared_names_show_their_folder(write_files):
    root, vault = _vault(write_files)
    with vault:
        assert vault.page_info("AFL Harness.md").title == "AFL Harness"
        assert vault.page_info("Why.md").title == "Why: a question?"
        assert vault.label("AFL Harness.md") == "AFL Harness"
        assert vault.label("projects/a/Todo.md") == "Todo (projects/a)"
        assert vault.label("projects/b/Todo.md") == "Todo (projects/b)"
        assert vault.label("Todo.md") == "Todo (/)"
        # Links resolve exactly as before: by file name, shortest path first.
        assert vault.resolve("Todo", "AFL Harness.md") == "Todo.md"
        assert vault.resolve("Default", "Why.md") is None  # a heading is not a name
        backlinks = vault.backlinks("AFL Harness.md")
        assert [m.title for m in backlinks] == ["Todo (projects/b)"]
        search = vault.search("AFL Harness")
        assert search.hits[0].path == "AFL Harness.md"
        assert search.hits[0].title == "AFL Harness"


def test_page_view_shows_inline_title_only_without_a_heading(write_files):
    root, vault = _vault(write_files)
    with vault:
        plain = render_vault_page(vault, "projects/b/Todo.md")
        assert plain.html.startswith('<h1 class="inline-title">Todo (projects/b)</h1>')
        headed = render_vault_page(vault, "AFL Harness.md")
        assert "inline-title" not in headed.html and headed.title == "AFL Harness"


def test_show_json_reports_the_name_in_title(write_files):
    root, vault = _vault(write_files)
    vault.close()
    result = run_wiki("show", "AFL Harness", "--json", vault=root)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["title"] == "AFL Harness"


def test_an_old_cache_with_heading_titles_is_rebuilt(write_files):
    """A `.wiki/` written when headings were names must not keep showing them."""
    root, vault = _vault(write_files)
    vault.close()
    import sqlite3

    db = sqlite3.connect(root / ".wiki" / "state.sqlite")
    db.execute("UPDATE pages SET title = 'Default' WHERE path = 'AFL Harness.md'")
    db.execute("UPDATE meta SET value = '5' WHERE key = 'schema'")
    db.commit()
    db.close()
    with Vault.open(root) as again:
        again.refresh()
        assert again.page_info("AFL Harness.md").title == "AFL Harness"


def test_searching_a_page_name_finds_that_page_first(write_files):
    root = write_files({
        "Editing/Properties.md": "Properties are data about a note.\n",
        "Plugins/Properties view.md": "# Properties view\n\n" + "Properties, properties and "
                                      "more properties in the properties view. " * 20,
        "UI/Workspace.md": "A workspace of workspaces.\n",
        "Plugins/Workspaces.md": "Save layouts.\n",
    })
    with Vault.open(root) as vault:
        vault.refresh()
        assert vault.search("Properties").hits[0].path == "Editing/Properties.md"
        assert vault.search("properties").hits[0].path == "Editing/Properties.md"
        assert vault.search("Workspaces").hits[0].path == "Plugins/Workspaces.md"
        assert vault.search("Properties view").hits[0].path == "Plugins/Properties view.md"


def test_searching_an_alias_finds_its_page_before_pages_that_share_a_stem(write_files):
    root = write_files({
        "organisations/Anthropic PBC.md": "---\naliases: [Anthropic]\n---\nA company. "
                                          + " ".join(f"w{i}" for i in range(400)) + "\n",
        "Anthrop Stats.md": "Anthrop stats: " + "anthropic " * 30 + "\n",
    })
    with Vault.open(root) as vault:
        vault.refresh()
        assert [h.path for h in vault.search("anthropic").hits] == [
            "organisations/Anthropic PBC.md", "Anthrop Stats.md"]
        assert vault.search("anthrop stats").hits[0].path == "Anthrop Stats.md"


def test_the_next_page_of_results_continues_the_first_without_repeats(write_files):
    root = write_files({f"notes/Grazer {i:03}.md": f"A zebra grazes{' and grazes' * (i % 7)}.\n"
                        for i in range(130)})
    with Vault.open(root) as vault:
        vault.refresh()
        whole = [h.path for h in vault.search("grazes", 130).hits]
        pages = [h.path for offset in (0, 50, 100)
                 for h in vault.search("grazes", 50, offset=offset).hits]
        assert pages == whole and len(set(pages)) == 130
        last = vault.search("grazes", 50, offset=100)
        assert last.total == 130 and len(last.hits) == 30
        beyond = vault.search("grazes", 50, offset=130)
        assert beyond.hits == [] and beyond.total == 130 and beyond.suggestion is None
        # the same through Whoosh's collector (a query the fast path leaves to it)
        slow = [h.path for h in vault.search('"zebra grazes"~2', 130).hits]
        assert [h.path for offset in (0, 60, 120) for h in
                vault.search('"zebra grazes"~2', 60, offset=offset).hits] == slow
