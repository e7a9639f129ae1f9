"""Phase 2 of a first open reads the pages phase 1 parsed (wiki/vault/page_stash.py) instead of
the files again, except where a file changed since; the stash never outlives the first open."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiki.markup.pages import read_page
from wiki.vault import first_read, page_stash
from wiki.vault.facade import Vault

N = 1_300  # two of phase 1's chunks of 1,000


def _write_vault(root: Path, n: int = N) -> None:
    (root / "notes").mkdir(parents=True)
    for i in range(n):
        (root / "notes" / f"Note {i:04d}.md").write_text(
            f"---\naliases: [N{i}]\ntags: [t{i % 7}]\ncreated: 2024-01-0{1 + i % 9}\n---\n"
            f"# Note {i}\n\nSee [[Note {(i + 1) % n:04d}]] and #inline{i % 3}.\n\n"
            f"A {'zanzibar' if i % 2 else 'quokka'} paragraph.\n", encoding="utf-8")


@pytest.fixture
def files_read(monkeypatch) -> list[str]:
    """The pages phase 2 read from their files, not from the stash."""
    read: list[str] = []

    def reading(root, rel, **kwargs):
        read.append(rel)
        return read_page(root, rel, **kwargs)

    monkeypatch.setattr(page_stash, "read_page", reading)
    return read


def _stashed(root: Path, rels: list[str]) -> page_stash.StashedReader:
    stash = page_stash.new_stash_dir(root / ".wiki")
    first_read.rows_of(root, rels, stash, 0)
    return page_stash.StashedReader(root, stash, [rels[0]])


def test_a_stashed_page_is_the_page_read_from_its_file(tmp_path, files_read):
    _write_vault(tmp_path, 20)
    rels = sorted(f"notes/{p.name}" for p in (tmp_path / "notes").iterdir())
    reader = _stashed(tmp_path, rels)
    for rel in rels:
        assert reader(rel) == read_page(tmp_path, rel, links=False)
    assert files_read == []  # every page came from the stash
    changed = tmp_path / rels[3]
    changed.write_text("---\ntitle: Changed\n---\nNew words entirely.\n", encoding="utf-8")
    assert reader(rels[3]).title == "Changed" and "New words" in reader(rels[3]).body
    assert files_read == [rels[3], rels[3]]  # changed since phase 1: read from the file


@pytest.mark.parametrize("damage", ["missing", "garbage", "cut short"])
def test_a_lost_or_damaged_stash_only_means_reading_the_files(tmp_path, damage):
    _write_vault(tmp_path, 10)
    rels = sorted(f"notes/{p.name}" for p in (tmp_path / "notes").iterdir())
    reader = _stashed(tmp_path, rels)
    chunk = page_stash.chunk_file(reader.stash_dir, 0)
    if damage == "missing":
        chunk.unlink()
    elif damage == "garbage":
        chunk.write_bytes(b"\x80\x04not marshal data at all" * 10)
    else:
        chunk.write_bytes(chunk.read_bytes()[:200])
    assert [reader(rel) for rel in rels] == [read_page(tmp_path, rel, links=False)
                                             for rel in rels]


def test_a_first_open_indexes_phase_ones_pages_and_the_files_changed_since(
        tmp_path, monkeypatch, files_read):
    _write_vault(tmp_path)
    monkeypatch.setattr(first_read, "PARALLEL_MIN", 100)  # phase 1 in worker processes
    with Vault.open(tmp_path) as vault:
        vault.refresh(search_later=True)
        stash_root = tmp_path / ".wiki" / page_stash.STASH_DIR
        assert len(list(stash_root.glob("*/*.marshal"))) == 2  # one file per chunk
        edited = tmp_path / "notes" / "Note 0007.md"
        edited.write_text("# Note 7\n\nNow about a wombat, and longer than before.\n",
                          encoding="utf-8")
        assert vault.fill_search_index(lambda *_: None) is True
        assert files_read == ["notes/Note 0007.md"]  # only the file changed since phase 1
        assert [h.path for h in vault.search("wombat").hits] == ["notes/Note 0007.md"]
        assert vault.search("zanzibar").total == N // 2 - 1  # (Note 7 said zanzibar)
        assert vault.search("inline1").total > 400  # inline tags and frontmatter came along
        assert not stash_root.exists()  # gone once the index is filled


def test_the_stash_is_deleted_when_the_vault_closes_before_search_is_filled(tmp_path,
                                                                            monkeypatch):
    _write_vault(tmp_path)
    monkeypatch.setattr(first_read, "PARALLEL_MIN", 100)
    with Vault.open(tmp_path) as vault:
        vault.refresh(search_later=True)
        assert (tmp_path / ".wiki" / page_stash.STASH_DIR).is_dir()
    assert not (tmp_path / ".wiki" / page_stash.STASH_DIR).exists()
    with Vault.open(tmp_path) as vault:  # the next open fills the index from the files
        vault.refresh()
        assert vault.search("quokka").total == N // 2


def test_no_stash_without_room_on_the_disk(tmp_path, monkeypatch):
    _write_vault(tmp_path)
    monkeypatch.setattr(first_read, "PARALLEL_MIN", 100)
    full = type("Usage", (), {"free": 10 << 20})()  # 10 MB free: less than 4x the pages + 256 MB
    monkeypatch.setattr(page_stash.shutil, "disk_usage", lambda _path: full)
    with Vault.open(tmp_path) as vault:
        vault.refresh(search_later=True)
        assert not (tmp_path / ".wiki" / page_stash.STASH_DIR).exists()
        assert vault.fill_search_index(lambda *_: None) is True  # read from the files
        assert vault.search("quokka").total == N // 2
