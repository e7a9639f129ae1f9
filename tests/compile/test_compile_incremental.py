"""Incremental compiles: later articles update existing pages, user edits survive, CLI."""

from __future__ import annotations

import argparse
import datetime as dt
import re
from pathlib import Path

import pytest

from wiki.cli.compile import cmd_build, cmd_ingest
from wiki.compile import build_from, compile_vault
from wiki.compile.writing.writer import NEW_MENTIONS_HEADING

D1, D2, D3 = dt.date(2026, 11, 21), dt.date(2026, 11, 22), dt.date(2026, 11, 23)


def article(title: str, extra: str = "") -> str:
    return f"""{title}

Mira Okafor, chief scientist at Lumen Robotics, spoke about small models this week.
Okafor says that Lumen Robotics will keep shrinking its models. {extra}

Okafor added that Lumen Robotics hires slowly.
"""


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file() and ".wiki" not in p.parts}


def mentions(text: str) -> list[str]:
    return re.findall(r"^- \[\[([^\]|]+)\]\]:", text, flags=re.MULTILINE)


def compiled_then_edited_by_hand(write_files) -> tuple[Path, Path, str]:
    """A vault compiled from one article whose page about Mira the user then edited."""
    root = write_files({"raw/a.txt": article("First Talk About Models")})
    compile_vault(root, today=D1)
    page = root / "people/Mira Okafor.md"
    edited = page.read_text().replace("Chief scientist at Lumen Robotics.",
                                      "My own notes: Mira taught me distillation.")
    page.write_text(edited)
    return root, page, edited


@pytest.fixture(scope="module")
def seeded(tmp_path_factory, request):
    root = tmp_path_factory.mktemp("inc") / "vault"
    build_from(root, Path(request.config.rootpath) / "seeds", today=D1)
    return root


def test_a_later_article_updates_existing_pages_only(seeded):
    root = seeded
    before = snapshot(root)
    (root / "raw/new-interview.txt").write_text(
        "Alex Wang Talks Glasses\n\nAlex Wang, head of Meta Superintelligence Labs, told "
        "Dwarkesh Patel that Meta will ship new glasses. Wang says the glasses matter.\n")
    report = compile_vault(root, only=[root / "raw/new-interview.txt"], today=D2)
    assert report.errors == [] and report.conflicts == []
    assert report.source_pages == {"raw/new-interview.txt": ["sources/Alex Wang Talks Glasses.md"]}
    wang = (root / "people/Alex Wang.md").read_text()
    assert mentions(wang)[-1] == "Alex Wang Talks Glasses" and len(mentions(wang)) == 2
    assert not (root / "people/Wang.md").exists()
    assert "Alex Wang Talks Glasses" in (root / "people/Dwarkesh Patel.md").read_text()
    assert "Alex Wang Talks Glasses" in (root / "organizations/Meta.md").read_text()
    after = snapshot(root)
    changed = {k for k in after if after[k] != before.get(k)}
    assert changed == set(report.written) | {"raw/new-interview.txt"}
    created = {Path(p).stem for p in report.created}
    for rel in changed - {"index.md", "log.md", "raw/new-interview.txt"} - set(report.created):
        text = after[rel][0].decode()
        assert "Alex Wang Talks Glasses" in text or any(f"[[{c}" in text for c in created), rel
    assert len(changed) < 12
    log_before, log_after = before["log.md"][0].decode(), after["log.md"][0].decode()
    assert log_after.startswith(log_before.rstrip("\n"))
    added = log_after[len(log_before.rstrip("\n")):]
    assert "\n## [2026-11-22] ingest | Alex Wang Talks Glasses\n" in added
    assert added.count("\n## [") == 1
    old = next((root / "sources").glob("Krishna Rao on*")).read_text()
    assert "ingested: '2026-11-21'" in old


def test_user_edit_survives_a_compile_that_adds_a_mention(write_files):
    root, page, edited = compiled_then_edited_by_hand(write_files)
    (root / "raw/b.txt").write_text(article("Second Talk About Models"))
    report = compile_vault(root, today=D2)
    text = page.read_text()
    assert text.startswith(edited)  # the user's text, untouched
    assert NEW_MENTIONS_HEADING in text
    assert "[[Second Talk About Models]]" in text.split(NEW_MENTIONS_HEADING)[1]
    assert any("people/Mira Okafor.md" in c for c in report.conflicts)
    assert "people/Mira Okafor.md" in report.updated
    (root / "raw/c.txt").write_text(article("Third Talk About Models"))
    compile_vault(root, today=D3)
    text = page.read_text()
    assert text.startswith(edited) and text.count(NEW_MENTIONS_HEADING) == 1
    assert "[[Third Talk About Models]]" in text.split(NEW_MENTIONS_HEADING)[1]
    assert "[[First Talk About Models]]" in text.split(NEW_MENTIONS_HEADING)[0]


def test_pages_the_user_wrote_are_never_touched(write_files):
    mine = "# Mira Okafor\n\nMy page about Mira, written by hand.\n"
    notes = "---\ndescription: Things I want to remember\n---\n# Ideas\n\nbuy milk\n"
    root = write_files({"people/Mira Okafor.md": mine, "notes/ideas.md": notes,
                        "raw/a.txt": article("First Talk About Models")})
    report = compile_vault(root, today=D1)
    assert (root / "people/Mira Okafor.md").read_text() == mine
    assert (root / "notes/ideas.md").read_text() == notes
    assert any(c.startswith("people/Mira Okafor.md") for c in report.conflicts)
    assert "people/Mira Okafor.md" not in report.written
    index = (root / "index.md").read_text()
    assert "- [[notes/ideas|ideas]] — Things I want to remember" in index
    assert "- [[people/Mira Okafor|Mira Okafor]] — My page about Mira" in index
    # an edited index.md is left alone too
    (root / "index.md").write_text("# My index\n")
    (root / "raw/b.txt").write_text(article("Second Talk About Models"))
    report = compile_vault(root, today=D2)
    assert (root / "index.md").read_text() == "# My index\n"
    assert any(c.startswith("index.md") for c in report.conflicts)


def test_changed_and_removed_raw_files(write_files):
    root = write_files({"raw/a.txt": article("First Talk About Models"),
                        "raw/b.txt": article("Second Talk About Models")})
    compile_vault(root, today=D1)
    (root / "raw/a.txt").write_text(article("First Talk About Models", "A new sentence here."))
    report = compile_vault(root, today=D2)
    assert report.updated and "sources/First Talk About Models.md" in report.updated
    text = (root / "sources/First Talk About Models.md").read_text()
    assert "A new sentence here." in text and "ingested: '2026-11-21'" in text
    (root / "raw/b.txt").unlink()
    report = compile_vault(root, today=D2)
    assert "sources/Second Talk About Models.md" in report.removed
    assert not (root / "sources/Second Talk About Models.md").exists()
    assert mentions((root / "people/Mira Okafor.md").read_text()) == ["First Talk About Models"]


def test_cli_build_and_ingest(tmp_path, capsys):
    src = tmp_path / "src"
    src.mkdir()
    (src / "a.txt").write_text(article("First Talk About Models"))
    vault = tmp_path / "new vault"
    code = cmd_build(argparse.Namespace(source=str(src), vault=str(vault)))
    out = capsys.readouterr().out
    assert code == 0
    assert "created  sources/First Talk About Models.md" in out
    assert "created  people/Mira Okafor.md" in out
    extra = tmp_path / "b.txt"
    extra.write_text(article("Second Talk About Models"))
    code = cmd_ingest(argparse.Namespace(files=[str(extra), str(tmp_path / "missing.txt")],
                                         vault=str(vault)))
    captured = capsys.readouterr()
    out = captured.out
    assert code == 0
    assert "created  sources/Second Talk About Models.md" in out
    assert "updated  people/Mira Okafor.md" in out
    assert "missing.txt: cannot read the file" in captured.err
    assert "missing.txt" not in out
    try:
        from wiki.vault.facade import Vault
    except ImportError:
        return
    v = Vault.open(vault)
    try:
        assert v.find_page("Mira Okafor") == "people/Mira Okafor.md"
        assert v.find_page("Okafor") == "people/Mira Okafor.md"  # alias, indexed
    finally:
        v.close()


def test_an_edited_source_page_is_kept_and_reported(write_files):
    root = write_files({"raw/a.txt": article("First Talk About Models")})
    compile_vault(root, today=D1)
    page = root / "sources/First Talk About Models.md"
    page.write_text(page.read_text() + "\nMy comment on this talk.\n")
    mine = page.read_text()
    (root / "raw/a.txt").write_text(article("First Talk About Models", "One more sentence."))
    report = compile_vault(root, today=D2)
    assert page.read_text() == mine
    assert any(c.startswith("sources/First Talk About Models.md: not updated") for c in
               report.conflicts)
    assert "sources/First Talk About Models.md" not in report.written
    assert compile_vault(root, today=D2).conflicts == []  # reported once, not on every run


def test_progress_is_reported(write_files):
    root = write_files({"raw/a.txt": article("First Talk About Models"),
                        "raw/b.txt": article("Second Talk About Models")})
    calls: list[tuple[int, int, str]] = []
    compile_vault(root, today=D1, progress=lambda d, t, m: calls.append((d, t, m)))
    assert calls and calls[-1][0] == calls[-1][1]
    assert all(0 <= d <= t for d, t, _ in calls)
    assert any("raw/a.txt" in m for _, _, m in calls)


def test_a_user_page_with_an_entity_name_elsewhere_is_not_duplicated(write_files):
    mine = "# Lumen Robotics\n\nMy notes about the company.\n"
    root = write_files({"notes/Lumen Robotics.md": mine,
                        "raw/a.txt": article("First Talk About Models")})
    report = compile_vault(root, today=D1)
    assert not (root / "organizations/Lumen Robotics.md").exists()
    assert (root / "notes/Lumen Robotics.md").read_text() == mine
    assert any("your page notes/Lumen Robotics.md" in c for c in report.conflicts)
    assert "[[Lumen Robotics]]" in (root / "sources/First Talk About Models.md").read_text()


def _lose_derived_state(root: Path) -> None:
    """What a user may do at any time: delete everything Commonplace derived."""
    import shutil

    shutil.rmtree(root / ".wiki")


def test_losing_the_wiki_folder_keeps_the_compiler_updating_its_own_pages(write_files):
    root = write_files({"raw/a.txt": article("First Talk About Models"),
                        "notes/mine.md": "# Mine\n\nA page of my own about Lumen Robotics.\n"})
    compile_vault(root, today=D1)
    mira = root / "people/Mira Okafor.md"
    assert re.search(r"^commonplace: sha1-[0-9a-f]{12}$", mira.read_text(), re.MULTILINE)
    _lose_derived_state(root)
    (root / "raw/b.txt").write_text(article("Second Talk About Models"))
    report = compile_vault(root, today=D2)
    assert report.errors == [] and report.conflicts == []
    assert mentions(mira.read_text()) == ["First Talk About Models", "Second Talk About Models"]
    assert NEW_MENTIONS_HEADING not in mira.read_text()
    index = (root / "index.md").read_text()
    assert index.count("[[Mira Okafor]]") == 1  # listed once, as the compiler's page
    assert "people/Mira Okafor" not in index  # not also among "other pages"
    assert "[[notes/mine|mine]]" in index
    log = (root / "log.md").read_text()
    assert "First Talk About Models" in log and "Second Talk About Models" in log
    assert (root / "notes/mine.md").read_text() == \
        "# Mine\n\nA page of my own about Lumen Robotics.\n"
    again = compile_vault(root, today=D2)  # and it is settled
    assert again.written == [] and again.conflicts == []


def test_losing_the_wiki_folder_still_keeps_the_users_edits(write_files):
    root, page, edited = compiled_then_edited_by_hand(write_files)
    _lose_derived_state(root)
    (root / "raw/b.txt").write_text(article("Second Talk About Models"))
    report = compile_vault(root, today=D2)
    text = page.read_text()
    assert text.startswith(edited)  # the user's text, untouched
    assert "[[Second Talk About Models]]" in text.split(NEW_MENTIONS_HEADING)[1]
    assert any("people/Mira Okafor.md" in c for c in report.conflicts)


def test_a_copied_stamp_does_not_make_a_users_page_ours(write_files):
    root = write_files({"raw/a.txt": article("First Talk About Models")})
    compile_vault(root, today=D1)
    stamped = (root / "people/Mira Okafor.md").read_text()
    stamp_line = next(line for line in stamped.splitlines() if line.startswith("commonplace:"))
    mine = f"---\n{stamp_line}\n---\n# Mira Okafor\n\nMy own page.\n"
    (root / "people/Mira Okafor.md").write_text(mine)
    _lose_derived_state(root)
    (root / "raw/b.txt").write_text(article("Second Talk About Models"))
    compile_vault(root, today=D2)
    text = (root / "people/Mira Okafor.md").read_text()
    assert text.startswith(mine)  # kept; at most new mentions are added below


def test_pages_of_an_older_version_are_stamped_once_unless_edited(write_files):
    import json

    from wiki.compile.writing.writer import sha

    root = write_files({"raw/a.txt": article("First Talk About Models")})
    compile_vault(root, today=D1)
    # make it look like a vault compiled by the version before stamps
    state_path = root / ".wiki/compile-state.json"
    state = json.loads(state_path.read_text())
    for rel, rec in state["pages"].items():
        text = re.sub(r"^commonplace: sha1-[0-9a-f]{12}\n", "", (root / rel).read_text(),
                      flags=re.MULTILINE)
        (root / rel).write_text(text)
        # the records as version 3 wrote them (short keys)
        state["pages"][rel] = {"sha": sha(text), "want": sha(text), "fp": rec["fingerprint"],
                               "kind": rec["kind"], "title": rec["title"],
                               "summary": rec["summary"]}
    state["version"] = 3
    state_path.write_text(json.dumps(state))
    lumen = root / "organizations/Lumen Robotics.md"
    lumen.write_text(lumen.read_text() + "\nMy note.\n")  # edited by the user: left alone
    edited = lumen.read_text()
    report = compile_vault(root, today=D1)
    assert "people/Mira Okafor.md" in report.written
    assert "commonplace: sha1-" in (root / "people/Mira Okafor.md").read_text()
    assert lumen.read_text() == edited
    assert compile_vault(root, today=D1).written == []  # once
    _lose_derived_state(root)
    (root / "raw/b.txt").write_text(article("Second Talk About Models"))
    report = compile_vault(root, today=D2)
    assert "people/Mira Okafor.md" in report.updated
    assert not any(c.startswith("people/Mira Okafor.md") for c in report.conflicts)
    assert lumen.read_text().startswith(edited)  # without a stamp it counts as the user's


OLD_VAULT = Path(__file__).resolve().parent.parent / "data" / "old-vault-v4"


def test_a_vault_of_the_previous_format_is_upgraded_once_and_keeps_the_users_edit(tmp_path):
    """tests/data/old-vault-v4: a vault compiled by the version before typed records (state
    version 4, facts with short keys), whose page people/Sarah McAllister.md the user edited."""
    import json
    import shutil

    root = tmp_path / "vault"
    shutil.copytree(OLD_VAULT, root)
    edited_rel = "people/Sarah McAllister.md"
    edited_before = (root / edited_rel).read_text()
    report = compile_vault(root, today=D2)
    assert report.errors == []
    # every page the user did not touch is what this version makes of the article ...
    fresh = tmp_path / "fresh"
    shutil.copytree(OLD_VAULT / "raw", fresh / "raw")
    compile_vault(fresh, today=D2)
    mine, theirs = snapshot(root), snapshot(fresh)
    assert set(mine) == set(theirs)

    def dateless(data: bytes) -> str:  # the first-ingest date is the old one, rightly
        return re.sub(r"(?m)^(?:ingested|commonplace): .*\n", "", data.decode())

    for rel in mine:
        if rel not in (edited_rel, "log.md"):
            assert dateless(mine[rel][0]) == dateless(theirs[rel][0]), rel
    # ... and the user's edit is kept, the old log's entries too
    assert (root / edited_rel).read_text().startswith(edited_before)
    assert (root / "log.md").read_text().startswith((OLD_VAULT / "log.md").read_text().rstrip())
    state = json.loads((root / ".wiki/compile-state.json").read_text())
    assert state["version"] == 5
    assert state["pages"]["people/Sarah McAllister.md"]["edited"] is True
    facts = (root / ".wiki/compile-facts.jsonl").read_text().splitlines()
    assert json.loads(facts[0])[0] == "#facts-format" and len(facts) == 2
    assert compile_vault(root, today=D2).written == []  # upgraded once
    # the upgraded vault goes on working: a new article updates the pages it mentions
    edited = (root / "people/Sarah McAllister.md").read_text()
    (root / "raw/review.txt").write_text(
        "Sarah McAllister on the new season\n\nCritic Sarah McAllister said the Harbourside "
        "Theatre had chosen well. McAllister has followed Mary K. Donovan since her first "
        "production at the Northern Light Playhouse.\n")
    report = compile_vault(root, today=D2)
    assert report.errors == []
    assert "people/Mary K. Donovan.md" in report.updated
    text = (root / "people/Sarah McAllister.md").read_text()
    assert text.startswith(edited) and "Sarah McAllister on the new season" in text


def test_a_mention_the_user_deleted_from_a_generated_page_stays_deleted(write_files):
    root = write_files({"raw/a.txt": article("First Talk About Models"),
                        "raw/b.txt": article("Second Talk About Models")})
    compile_vault(root, today=D1)
    page = root / "people/Mira Okafor.md"
    text = page.read_text()
    assert mentions(text) == ["First Talk About Models", "Second Talk About Models"]
    kept = [line for line in text.splitlines(keepends=True)
            if not line.startswith("- [[Second Talk About Models]]")]
    page.write_text("".join(kept))  # the user deletes one mention
    (root / "raw/c.txt").write_text(article("Third Talk About Models"))
    compile_vault(root, today=D2)
    again = page.read_text()
    assert "Second Talk About Models]]:" not in again  # the user's deletion wins
    assert "[[Third Talk About Models]]" in again  # a mention that is new is still added
    (root / "raw/d.txt").write_text(article("Fourth Talk About Models"))
    compile_vault(root, today=D3)
    assert "Second Talk About Models]]:" not in page.read_text()


def test_a_generated_page_the_user_renamed_is_not_recreated_under_its_old_name(write_files):
    root = write_files({"raw/a.txt": article("First Talk About Models")})
    compile_vault(root, today=D1)
    old = root / "people/Mira Okafor.md"
    new = root / "people/Dr Mira Okafor.md"
    old.rename(new)  # as Obsidian renames: the text moves unchanged
    (root / "raw/b.txt").write_text(article("Second Talk About Models"))
    report = compile_vault(root, today=D2)
    assert not old.exists()  # two pages with one name would be worse than a stale one
    assert new.exists()
    assert any("renamed it to people/Dr Mira Okafor.md" in c for c in report.conflicts)
    index = (root / "index.md").read_text()
    assert "Dr Mira Okafor]]" in index and "[[Mira Okafor]]" not in index
    compile_vault(root, today=D3)
    assert not old.exists()
