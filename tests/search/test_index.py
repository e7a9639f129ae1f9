"""SearchIndex: a real on-disk Whoosh index over pages read from real files."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from wiki.core.model import Page
from wiki.markup.pages import read_page
from wiki.search.index import DAMAGED, OUTDATED, VERSION_FILE, IndexBusy, SearchIndex

NOTES = {
    "concepts/Reinforcement Learning.md": (
        "---\naliases: [RL]\ntags: [ml, ml/core]\ntype: concept\n---\n"
        "# Reinforcement Learning\n\nAn agent **learned** by trial and error, see "
        "[[Markov Decision Process|MDP]]. It is the state of the art for games.\n"),
    "people/Ada Lovelace.md": (
        "---\ntype: person\ntags: [history]\naliases: [Countess of Lovelace]\n---\n"
        "Ada wrote notes on the analytical engine. She kept learning mathematics.\n"),
    "sources/Deep Learning Book.md": (
        "---\ntype: source\ntags: [reading]\n---\n"
        "A long book. The art of the state is discussed; Ada Lovelace is mentioned once.\n"),
    "Engine Notes.md": (
        "Notes about the steam engine, the engine room and engine maintenance. "
        "Learning curves of engine work. <script>alert(1)</script>\n"),
}


@pytest.fixture
def pages(write_files) -> list[Page]:
    root = write_files(NOTES)
    return [read_page(root, rel) for rel in NOTES]


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "state" / "index"


@pytest.fixture
def ix(index_dir: Path, pages: list[Page]):
    index = SearchIndex(index_dir)
    assert index.open() == []
    assert index.created and not index.was_reset
    index.build(pages, total=len(pages))
    yield index
    index.close()


def paths(index: SearchIndex, q: str) -> list[str]:
    res = index.search(q)
    assert res.error is None, res.error
    return [h.path for h in res.hits]


def page(path: str, body: str, **kw) -> Page:
    return Page(path=path, title=path.rpartition("/")[2].removesuffix(".md"), body=body, **kw)


def test_stemming_finds_other_word_forms(ix):
    assert "concepts/Reinforcement Learning.md" in paths(ix, "learns")
    hit = next(h for h in ix.search("learning").hits if h.path.startswith("concepts/"))
    assert "**learned**" in hit.snippet


def test_words_are_anded_and_operators_work(ix):
    assert paths(ix, "ada engine") == ["people/Ada Lovelace.md"]
    assert set(paths(ix, "analytical OR steam")) == {"people/Ada Lovelace.md", "Engine Notes.md"}
    assert paths(ix, "engine NOT steam") == ["people/Ada Lovelace.md"]
    assert paths(ix, "engine AND NOT analytical") == ["Engine Notes.md"]
    assert set(paths(ix, "(steam OR analytical) engine")) == {"people/Ada Lovelace.md",
                                                             "Engine Notes.md"}


def test_phrase_needs_the_words_in_order(ix):
    assert paths(ix, '"state of the art"') == ["concepts/Reinforcement Learning.md"]
    assert set(paths(ix, "state art")) == {"concepts/Reinforcement Learning.md",
                                           "sources/Deep Learning Book.md"}


def test_prefix_search(ix):
    assert paths(ix, "reinf*") == ["concepts/Reinforcement Learning.md"]
    assert ix.search("reinf*").hits[0].terms == ("reinf",)


@pytest.mark.parametrize("query, expected", [
    ("title:ada", ["people/Ada Lovelace.md"]),
    ("tag:ml", ["concepts/Reinforcement Learning.md"]),
    ("tag:#core", []),  # nested tags match from the top: ml/core is found by tag:ml
    ("tag:ML/core", ["concepts/Reinforcement Learning.md"]),
    ("tags:history", ["people/Ada Lovelace.md"]),
    ("type:Person", ["people/Ada Lovelace.md"]),
    ("path:people/", ["people/Ada Lovelace.md"]),
    ("path:Peo", ["people/Ada Lovelace.md"]),
    ("path:Engine", ["Engine Notes.md"]),
    ('path:"sources/Deep Learning Book.md"', ["sources/Deep Learning Book.md"]),
    ("alias:rl", ["concepts/Reinforcement Learning.md"]),
    ("alias:countess", ["people/Ada Lovelace.md"]),
    ("path:people/ engine", ["people/Ada Lovelace.md"]),
    ("type:source ada", ["sources/Deep Learning Book.md"]),
])
def test_field_filters(ix, query, expected):
    assert paths(ix, query) == expected


def test_plain_words_search_aliases_and_file_names(ix):
    assert paths(ix, "rl") == ["concepts/Reinforcement Learning.md"]
    assert paths(ix, "countess") == ["people/Ada Lovelace.md"]
    assert paths(ix, "notes engine maintenance") == ["Engine Notes.md"]


def test_title_match_ranks_above_body_matches(ix):
    ix.update([page("Workshop.md", "The boiler, the boiler room, boiler pressure and a boiler.",
                    ),
               Page("Machines/Steam Boilers.md", "Steam Boilers", "Pipes and valves."),
               page("Kettle.md", "Pipes.", aliases=["Small boiler"])], [])
    assert paths(ix, "boiler") == ["Machines/Steam Boilers.md", "Kettle.md", "Workshop.md"]


def test_snippet_marks_terms_and_is_tidy(ix):
    hit = ix.search("mdp").hits[0]
    assert "**MDP**" in hit.snippet
    assert "[[" not in hit.snippet and "Markov Decision Process|" not in hit.snippet
    assert '<b class="match">MDP</b>' in hit.snippet_html
    assert hit.terms == ("mdp",)
    assert len(hit.snippet) <= 260
    steam = ix.search("alert").hits[0]
    assert "&lt;script&gt;" in steam.snippet_html and "<script>" not in steam.snippet_html


def test_snippet_of_a_link_reads_as_its_text(ix):
    ix.update([page("a.md", "Intro. See [[zoo/Quokka Facts|this page]] and [[Wombat]].")], [])
    assert "**Quokka** Facts (this page)" in ix.search("quokka").hits[0].snippet
    assert ix.search("wombat").hits[0].snippet == "Intro. See this page and **Wombat**."


def test_title_only_match_shows_start_of_body(ix):
    hit = ix.search("title:book").hits[0]
    assert hit.path == "sources/Deep Learning Book.md"
    assert hit.snippet.startswith("A long book.")
    assert "**" not in hit.snippet


def test_terms_are_the_words_as_written(ix):
    hit = ix.search("Learning engine").hits[0]
    assert hit.path == "Engine Notes.md"
    assert hit.terms == ("Learning", "engine")


def test_suggestion_for_misspelling(ix):
    res = ix.search("reinforcment lerning")
    assert res.hits == [] and res.error is None
    assert res.suggestion == "reinforcement learning"
    assert ix.search("zzzqqq").suggestion is None
    assert ix.search("learning").suggestion is None


@pytest.mark.parametrize("query", ['"state" (of', "(engine", "engine)", "title:", "AND engine",
                                   "engine OR"])
def test_bad_query_gives_one_line_error(ix, query):
    res = ix.search(query)
    assert res.error and "\n" not in res.error
    assert res.hits == []


def test_empty_query(ix):
    res = ix.search("   ")
    assert res.hits == [] and res.error is None and res.total == 0


def test_update_and_delete(ix):
    assert paths(ix, "zeppelin") == []
    ix.update([page("people/Ada Lovelace.md", "Ada flew a zeppelin.")], [])
    assert paths(ix, "zeppelin") == ["people/Ada Lovelace.md"]
    assert paths(ix, "analytical") == []  # the old text is gone
    ix.update([], ["people/Ada Lovelace.md", "not/indexed.md"])
    assert paths(ix, "zeppelin") == []
    assert ix.doc_count() == 3
    assert ix.all_paths() == set(NOTES) - {"people/Ada Lovelace.md"}


def test_merge_if_idle(ix):
    for i in range(4):
        ix.update([page(f"extra/n{i}.md", f"quokka number {i}")], [])
    hits = ix.search("quokka").hits  # one segment per update: snippets still line up
    assert len(hits) == 4 and all(h.snippet.startswith("**quokka** number") for h in hits)
    assert ix.merge_if_idle() is True
    assert ix.merge_if_idle() is False  # the build's segment and one for the updates
    assert len(paths(ix, "quokka")) == 4


def test_build_replaces_everything_and_reports_progress(ix, pages):
    calls = []
    ix.build(pages[:2], progress=lambda d, t, m: calls.append((d, t)))
    assert ix.doc_count() == 2
    assert calls[-1] == (2, 2)


@pytest.mark.parametrize("bulk", [True, False], ids=["bulk-writer", "whoosh-writer"])
def test_build_in_several_segments_or_with_whoosh_writer(index_dir, pages, monkeypatch, bulk):
    import wiki.search.index

    monkeypatch.setattr(wiki.search.index, "BULK_WRITER", bulk)
    monkeypatch.setattr(wiki.search.index, "BULK_MAX_POSTINGS", 30)  # a segment every page or two
    index = SearchIndex(index_dir)
    index.open()
    index.build(pages, total=len(pages))
    segments = index._segment_count()
    assert (segments > 1) if bulk else (segments == 1)
    assert index.all_paths() == set(NOTES)
    assert paths(index, "ada engine") == ["people/Ada Lovelace.md"]
    assert "**learned**" in index.search("learning").hits[0].snippet
    index.close()


def test_phrase_candidates(ix):
    assert ix.phrase_candidates("Ada Lovelace") == ["sources/Deep Learning Book.md"]
    assert ix.phrase_candidates("analytical engine") == ["people/Ada Lovelace.md"]
    assert ix.phrase_candidates("the") == []


def test_reopen_keeps_the_index(ix, index_dir):
    ix.close()
    again = SearchIndex(index_dir)
    assert again.open() == []
    assert not again.was_reset and not again.created
    assert again.doc_count() == len(NOTES)
    assert again.search("lerning").suggestion == "learning"
    again.close()


def _toc(index_dir: Path) -> Path:
    return next(index_dir.glob("_MAIN_*.toc"))


@pytest.mark.parametrize("damage", ["delete_all", "delete_toc", "truncate_toc", "garbage_toc",
                                    "garbage_segments", "delete_version", "garbage_version"])
def test_damaged_index_is_rebuilt_empty(ix, index_dir, damage):
    ix.close()
    (index_dir / "keep-me.txt").write_text("not ours")
    if damage == "delete_all":
        for f in index_dir.iterdir():
            if f.name != "keep-me.txt":
                f.unlink()
    elif damage == "delete_toc":
        _toc(index_dir).unlink()
    elif damage == "truncate_toc":
        _toc(index_dir).write_bytes(b"")
    elif damage == "garbage_toc":
        _toc(index_dir).write_bytes(b"\x00garbage" * 50)
    elif damage == "garbage_segments":
        for f in index_dir.glob("MAIN_*"):
            if f.suffix != ".toc" and "LOCK" not in f.name:
                f.write_bytes(b"garbage")
    elif damage == "delete_version":
        (index_dir / VERSION_FILE).unlink()
    else:
        (index_dir / VERSION_FILE).write_text("{not json")
    again = SearchIndex(index_dir)
    assert again.open() == [DAMAGED]
    assert again.was_reset
    assert again.doc_count() == 0 and again.search("learning").hits == []
    assert (index_dir / "keep-me.txt").read_text() == "not ours"
    again.update([page("a.md", "fresh start")], [])
    assert paths(again, "fresh") == ["a.md"]
    again.close()
    third = SearchIndex(index_dir)
    assert third.open() == [] and not third.was_reset
    third.close()


def test_version_mismatch_rebuilds(ix, index_dir):
    ix.close()
    (index_dir / VERSION_FILE).write_text(json.dumps({"schema": -1}))
    again = SearchIndex(index_dir)
    assert again.open() == [OUTDATED]
    assert again.was_reset and again.doc_count() == 0
    again.close()


def _snapshot(d: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in d.iterdir()}


def test_readonly_never_writes(ix, index_dir, tmp_path):
    missing = tmp_path / "nothing" / "index"
    ro = SearchIndex(missing, readonly=True)
    assert ro.open() == []
    assert ro.search("learning").hits == [] and ro.doc_count() == 0
    assert not missing.exists()

    before = _snapshot(index_dir)
    ro = SearchIndex(index_dir, readonly=True)
    assert ro.open() == []
    assert paths(ro, "learning")
    assert ro.search("lerning").suggestion == "learning"
    with pytest.raises(IndexBusy):
        ro.update([page("x.md", "x")], [])
    with pytest.raises(IndexBusy):
        ro.build([page("x.md", "x")])
    assert ro.merge_if_idle() is False
    assert _snapshot(index_dir) == before

    ix.update([page("new.md", "wombat")], [])  # the writing side commits...
    assert paths(ro, "wombat") == ["new.md"]  # ...and the reader sees it
    ix.update([], ["new.md"])
    ro.refresh()
    assert paths(ro, "wombat") == []
    ro.close()


def test_readonly_does_not_repair_damage(ix, index_dir):
    ix.close()
    _toc(index_dir).write_bytes(b"junk")
    before = _snapshot(index_dir)
    ro = SearchIndex(index_dir, readonly=True)
    assert len(ro.open()) == 1 and not ro.was_reset
    assert ro.search("learning").hits == []
    assert _snapshot(index_dir) == before


HOLD_LOCK = """
import sys, time
from whoosh import index
ix = index.open_dir(sys.argv[1], indexname="MAIN")
w = ix.writer()
print("locked", flush=True)
time.sleep(60)
"""


def test_lock_held_by_another_process_then_released_when_it_dies(ix, index_dir):
    proc = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(index_dir)],
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "locked"
        ix.lock_timeout = 0.2
        with pytest.raises(IndexBusy, match="another Commonplace process"):
            ix.update([page("x.md", "x")], [])
    finally:
        proc.kill()  # a crash: the lock file stays behind, the lock itself dies with it
        proc.wait()
    assert any("WRITELOCK" in p.name for p in index_dir.iterdir())
    ix.update([page("x.md", "platypus")], [])
    assert paths(ix, "platypus") == ["x.md"]


def test_searches_while_another_thread_writes(ix):
    errors: list[str] = []

    def searcher() -> None:
        for _ in range(40):
            res = ix.search("engine OR learning")
            if res.error:
                errors.append(res.error)

    t = threading.Thread(target=searcher)
    t.start()
    for i in range(10):
        ix.update([page(f"w/{i}.md", "engine learning")], [])
    t.join()
    assert errors == []
    assert len(paths(ix, "engine learning")) >= 10


def test_words_together_rank_above_words_apart(index_dir: Path):
    ix = SearchIndex(index_dir)
    ix.open()
    ix.update([
        Page(path="products/Open Code.md", title="Open Code",
             body="Open Code writes code. Related: Vibes, Claude."),
        Page(path="sources/Talk.md",
             title="Andrej Karpathy on Vibe Coding vs Agentic Engineering: Why He Feels More "
                   "Behind Than Ever in 2026",
             body="The speaker talks about agents, engineering, models and tools at length. " * 8
             + "He coined vibe coding."),
    ], [])
    assert paths(ix, "vibe coding")[0] == "sources/Talk.md"
    # Query syntax switches the bonus off, and matching stays the same.
    assert set(paths(ix, "vibe AND coding")) == {"sources/Talk.md", "products/Open Code.md"}
    ix.close()


def test_composed_and_decomposed_spellings_find_each_other(index_dir: Path):
    import unicodedata

    ix = SearchIndex(index_dir)
    ix.open()
    decomposed = unicodedata.normalize("NFD", "Café Zoë")
    ix.update([Page(path="a.md", title=decomposed, body=f"Notes from {decomposed}.")], [])
    assert paths(ix, unicodedata.normalize("NFC", "café")) == ["a.md"]
    assert paths(ix, unicodedata.normalize("NFC", "title:zoë")) == ["a.md"]
    ix.close()


def test_prefix_search_ranks_by_relevance_not_index_order(index_dir: Path):
    ix = SearchIndex(index_dir)
    ix.open()
    # Pages indexed first that mention a word starting with "prot" once, in passing ...
    words = ["protest", "protocol", "prototype", "protagonist", "protest", "protocol"]
    ix.build([Page(path=f"notes/n{i}.md", title=f"Note {i}",
                   body=f"Today a {w} came up, among many other things we talked about.")
              for i, w in enumerate(words)]
             + [Page(path="biology/Folding.md", title="Folding",
                     body="Protein folding: how a protein finds its shape. Proteins fold.")])
    # ... rank below the page that is about proteins, as they do when searching "protein"
    assert paths(ix, "protein")[0] == "biology/Folding.md"
    assert paths(ix, "prot*")[0] == "biology/Folding.md"
    ix.close()
