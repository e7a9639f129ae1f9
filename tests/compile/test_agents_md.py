"""AGENTS.md: written once at the vault root on the first build, then the user's."""

from __future__ import annotations

from support import run_wiki

from wiki.compile.build import build_from


def test_first_build_writes_agents_md_once(tmp_path, seeds_dir):
    root = tmp_path / "vault"
    report = build_from(root, seeds_dir)
    agents = root / "AGENTS.md"
    assert "AGENTS.md" in report.created
    text = agents.read_text()
    for part in ("raw/", "sources/", "people/", "organizations/", "products/", "concepts/",
                 "answers/", "index.md", "log.md", "## [YYYY-MM-DD] ingest | Title",
                 "wiki search", "wiki show", "wiki ingest", "wiki mcp"):
        assert part in text, part
    assert not text.startswith("---")  # no frontmatter stamp: it is the user's from now on
    assert "AGENTS" not in (root / "index.md").read_text()

    agents.write_text(text + "\nOur own rule: cite the source page.\n")
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "new.txt").write_text("A New Article\n\nGrace Hopper built a compiler at "
                                   "Remington Rand. Grace Hopper liked COBOL.\n")
    report = build_from(root, extra)
    assert "AGENTS.md" not in report.created + report.updated
    assert agents.read_text().endswith("Our own rule: cite the source page.\n")

    agents.unlink()  # deleted by the user: stays deleted
    (extra / "other.txt").write_text("Another Article\n\nAda Lovelace wrote notes on the "
                                     "engine. Ada Lovelace met Charles Babbage.\n")
    build_from(root, extra)
    assert not agents.exists()


def test_a_users_agents_md_is_never_replaced(write_files, seeds_dir):
    root = write_files({"AGENTS.md": "# My agents file\n"})
    report = build_from(root, seeds_dir)
    assert "AGENTS.md" not in report.created
    assert (root / "AGENTS.md").read_text() == "# My agents file\n"


def test_lint_does_not_call_agents_md_an_orphan(tmp_path, seeds_dir):
    root = tmp_path / "vault"
    build_from(root, seeds_dir)
    result = run_wiki("lint", vault=root)
    assert result.returncode == 0
    assert "orphan: AGENTS.md" not in result.stdout
