"""wiki lint on real temporary vaults: what a gardener of the vault wants to fix."""

from __future__ import annotations

from support import run_wiki as wiki

from wiki.vault.lint import lint


def test_lint_does_not_report_embeds_of_existing_attachments(write_files, open_vault):
    root = write_files({"A.md": "![[pic.png]] ![[assets/diagram.svg]] [[doc.pdf]] "
                                "![[sounds/clip.mp3]] [[Gone.pdf]] [[Missing]]",
                        "assets/pic.png": "png", "assets/diagram.svg": "svg",
                        "doc.pdf": "pdf", "media/sounds/clip.mp3": "mp3"})
    vault = open_vault(root)
    targets = [b["target"] for b in lint(vault).broken_links]
    assert targets == ["Gone.pdf", "Missing"]


def test_lint_reports_file_line_numbers_of_broken_links(write_files):
    root = write_files({"A.md": "---\ntitle: A\naliases: [x]\n---\n\nsee [[Missing]]\n"})
    result = wiki("lint", vault=root)
    assert result.returncode == 0, result.stderr
    assert "A.md:6 -> [[Missing]]" in result.stdout


def test_lint_names_duplicates_as_spelled(write_files, open_vault):
    root = write_files({"Graph Theory.md": "[[notes/Graph Theory]]",
                        "notes/Graph Theory.md": "[[Graph Theory]]"})
    vault = open_vault(root)
    assert lint(vault).duplicate_names == [
        {"name": "Graph Theory", "paths": ["Graph Theory.md", "notes/Graph Theory.md"]}]


def test_lint_orphans_ignore_self_links_like_obsidian(write_files, open_vault):
    root = write_files({"Self.md": "see [[Self]] and [[#Top]]", "A.md": "[[B]]", "B.md": "b"})
    vault = open_vault(root)
    assert lint(vault).orphans == ["A.md", "Self.md"]
    assert vault.backlinks("Self.md") == []

