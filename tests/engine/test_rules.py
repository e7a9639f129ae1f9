"""wiki.core.rules: the watcher, the compiler and the import dialog share one set of rules."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ui.operations.importing import IMPORT_FILTER
from wiki.compile import compile_vault, ingest_files
from wiki.compile.reading.sources import BadInput, read_raw
from wiki.core.rules import (
    RAW_SUFFIXES,
    is_page_path,
    is_raw_path,
    new_page_path,
    safe_page_name,
)
from wiki.watch.events import PAGE, RAW, classify

CANDIDATES = [".txt", ".md", ".markdown", ".html", ".htm", ".TXT", ".Markdown", ".HTM",
              ".pdf", ".docx", ".epub", ".png", ".json", ".rst", ""]
ARTICLE = "A Day at the Lab\n\nAda Lovelace visited the Analytical Engine with Charles Babbage.\n"


def _compiler_accepts(tmp_path: Path, suffix: str) -> bool:
    path = tmp_path / f"article{suffix}"
    path.write_text(ARTICLE, encoding="utf-8")
    try:
        read_raw(path)
    except BadInput as exc:  # a .pdf holding text is refused, but as a bad PDF, not a bad type
        return "unsupported file type" not in str(exc)
    return True


def _dialog_accepts(suffix: str) -> bool:
    articles = IMPORT_FILTER.split(";;")[0]
    patterns = re.findall(r"\*(\.\w+)", articles)
    return bool(suffix) and suffix.lower() in patterns


@pytest.mark.parametrize("suffix", CANDIDATES)
def test_watcher_compiler_and_import_dialog_accept_the_same_suffixes(tmp_path, suffix):
    watcher = is_raw_path(f"raw/article{suffix}")  # what the watcher takes for an article
    compiler = _compiler_accepts(tmp_path, suffix)
    dialog = _dialog_accepts(suffix)
    assert watcher == compiler == dialog == suffix.lower().endswith(RAW_SUFFIXES)
    # every file of raw/ still goes to the compiler, which names one it cannot read
    assert classify(f"raw/article{suffix}") == RAW


def test_a_markdown_file_dropped_into_raw_is_an_article_for_the_watcher():
    # the bug this module removed: the watcher had its own list without ".markdown"
    assert classify("raw/notes.markdown") == RAW
    assert is_raw_path("raw/sub/notes.markdown")
    assert classify("raw/.hidden.md") is None and classify("raw/.git/x.md") is None
    assert classify("notes.markdown") is None  # outside raw/ only .md files are pages
    assert classify("notes.md") == PAGE and is_page_path("notes.md")
    assert not is_page_path("raw/notes.md") and not is_page_path(".obsidian/x.md")


def test_import_refuses_what_the_watcher_ignores_with_the_same_suffix_list(tmp_path, vault_dir):
    odd = tmp_path / "slides.pptx"
    odd.write_bytes(b"PK\x03\x04")
    report = ingest_files(vault_dir, [odd])
    assert len(report.errors) == 1
    message = report.errors[0][1]
    assert all(s in message for s in RAW_SUFFIXES)
    assert not (vault_dir / "raw/slides.pptx").exists()


@pytest.mark.parametrize("title, name", [
    ("Ada: a life", "Ada - a life"),
    ("What is AI?", "What is AI"),
    ("C/C++ notes", "C-C++ notes"),
    ("CON", "CON (page)"),
    ("  ...  ", "Untitled"),
    ('He said "hi"', "He said 'hi'"),
])
def test_safe_page_names(title, name):
    assert safe_page_name(title) == name
    if "/" not in title:  # in a link target a slash names a folder
        assert new_page_path(title) == name + ".md"
    else:
        assert new_page_path(title) == "C/C++ notes.md"


def test_a_page_the_user_creates_and_the_compiler_creates_get_the_same_file_name(vault_dir):
    title = "Ada: a life? Notes on <Lovelace>"
    raw = vault_dir / "raw"
    raw.mkdir()
    (raw / "ada.md").write_text(f"---\ntitle: '{title}'\n---\n\n{ARTICLE}", encoding="utf-8")
    report = compile_vault(vault_dir)
    sources = [p for pages in report.source_pages.values() for p in pages]
    assert len(sources) == 1
    compiled_name = sources[0].rpartition("/")[2]
    assert compiled_name == new_page_path(title)
    assert (vault_dir / sources[0]).is_file()
