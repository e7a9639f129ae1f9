"""The compiler on the real seeds: what a reader finds in the generated wiki."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest

from wiki.compile import build_from, compile_vault
from wiki.markup.frontmatter import split_frontmatter

TODAY = dt.date(2026, 11, 21)
ENTITY_DIRS = ("people", "organizations", "products", "concepts")


@pytest.fixture(scope="module")
def built(tmp_path_factory, request) -> tuple[Path, object]:
    seeds = Path(request.config.rootpath) / "seeds"
    root = tmp_path_factory.mktemp("seedvault") / "vault"
    report = build_from(root, seeds, today=TODAY)
    return root, report


def page(root: Path, rel: str) -> tuple[dict, str]:
    meta, body, _, err = split_frontmatter((root / rel).read_text(encoding="utf-8"))
    assert err is None, f"{rel}: {err}"
    return meta, body


def sources(root: Path) -> dict[str, tuple[dict, str]]:
    return {p.name: page(root, f"sources/{p.name}") for p in sorted((root / "sources").iterdir())}


def entity_titles(root: Path) -> dict[str, str]:
    """title -> folder, for every entity page."""
    out = {}
    for folder in ENTITY_DIRS:
        for p in (root / folder).glob("*.md"):
            out[page(root, f"{folder}/{p.name}")[0]["title"]] = folder
    return out


def mentioned_in(body: str) -> list[str]:
    part = body.split("## Mentioned in", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^- \[\[([^\]|]+)", part, flags=re.MULTILINE)


def test_nine_posts_of_the_tag_page_and_the_profile(built):
    root, report = built
    assert report.errors == []
    by_raw = report.source_pages
    tag = next(v for k, v in by_raw.items() if k.startswith("raw/000_"))
    assert len(tag) == 9
    titles = sorted(m["title"] for m, _ in sources(root).values())
    assert len(titles) == 10
    assert "Alex Wang on Leaving Scale to Run Meta Superintelligence Labs, MuseSpark, Personal " \
           "Super Intelligence, and Building an Economy of Agents" in titles
    assert "Composer: Building a Fast Frontier Model with Reinforcement Learning" in titles
    for meta, _ in sources(root).values():
        assert meta["type"] == "source"
        assert meta["source"].startswith("raw/")
        assert str(meta["ingested"]) == "2026-11-21"
        assert meta["entities"], meta["title"]


def test_source_page_reads_well(built):
    root, _ = built
    meta, body = next(v for k, v in sources(root).items() if k.startswith("Alex Wang on"))
    summary = body.split("## Summary", 1)[1].split("\n## ", 1)[0]
    assert summary.strip().startswith("Wang explains that Meta Superintelligence Labs")
    assert "## Key points" in body
    assert "\n- Meta Superintelligence Labs (MSL) is the umbrella" in body
    full = body.split("## Full text", 1)[1]
    assert "## Key Takeaways" in full and "## Thoughts" in full  # headings recovered
    assert "\n- Wang says Llama was not on a frontier trajectory" in full  # • became a list
    assert full.count("[[Alex Wang]]") == 1  # first mention linked, once
    assert "[[Meta Superintelligence Labs]]" in full
    assert "Alex Wang" in meta["entities"] and "Meta" in meta["entities"]
    assert "**People:**" in body and "[[Kylie Robinson]]" in body
    assert "contentReference" not in (root / "sources").joinpath(
        next(k for k in sources(root) if k.startswith("Alex Wang on"))).read_text()


def test_profile_posts_are_compiled(built):
    root, _ = built
    meta, body = next(v for k, v in sources(root).items() if k.startswith("Posts by"))
    assert meta["title"] == "Posts by Dan Mason (@danmason)"
    assert body.count("A statement on the comments from Secretary of War") == 3  # once, + label
    assert "Failing to Understand the Exponential, Again?" in body
    assert "My pleasure to come on [[Dwarkesh Patel|Dwarkesh]] last week" in body
    assert "[[Andrej Karpathy|@karpathy]]" in body
    owner_meta, _ = page(root, "people/Dan Mason.md")
    assert "@danmason" in owner_meta["aliases"]


@pytest.mark.parametrize("rel, source_prefix, desc", [
    ("people/Alex Wang.md", "Alex Wang on", "Head of Meta Superintelligence Labs."),
    ("people/Krishna Rao.md", "Krishna Rao on", "Chief Financial Officer of Anthropic."),
    ("people/Dario Amodei.md", "Dario Amodei on", "Anthropic CEO."),
    ("products/QwQ-32B.md", "Alibaba Cloud Unveils",
     "A reasoning model developed by Alibaba Cloud."),
])
def test_main_entities_have_pages_linking_back(built, rel, source_prefix, desc):
    root, _ = built
    meta, body = page(root, rel)
    assert meta["description"] == desc
    assert any(s.startswith(source_prefix) for s in mentioned_in(body))


def test_organizations_link_back_to_the_right_sources(built):
    root, _ = built
    meta, body = page(root, "organizations/Meta.md")
    assert meta["type"] == "organization"
    linked = mentioned_in(body)
    assert any(s.startswith("Alex Wang on") for s in linked)
    assert not any(s.startswith("Composer") for s in linked)
    _, body = page(root, "organizations/Anthropic.md")
    assert any(s.startswith("Krishna Rao on") for s in mentioned_in(body))
    meta, _ = page(root, "organizations/Meta Superintelligence Labs.md")
    assert "MSL" in meta["aliases"]


def test_short_names_and_handles_merge_into_one_person(built):
    root, _ = built
    titles = entity_titles(root)
    meta, body = page(root, "people/Dwarkesh Patel.md")
    assert {"Dwarkesh", "Patel"} <= set(meta["aliases"])
    assert "Dwarkesh" not in titles and "Patel" not in titles
    linked = mentioned_in(body)
    assert any(s.startswith("Posts by Dan Mason") for s in linked)
    assert any(s.startswith("Dwarkesh Patel - From Podcasting") for s in linked)
    meta, body = page(root, "people/Andrej Karpathy.md")
    assert {"Karpathy", "@karpathy"} <= set(meta["aliases"])
    assert "Karpathy" not in titles and "Wang" not in titles


def test_concepts_recur_across_sources(built):
    root, _ = built
    meta, body = page(root, "concepts/Reinforcement learning.md")
    assert meta["type"] == "concept" and "RL" in meta["aliases"]
    assert len(mentioned_in(body)) >= 5
    assert (root / "concepts/Vibe coding.md").exists()
    assert "## Related" in body


JUNK = {"key takeaways", "detailed summary", "thoughts", "tldw", "tl;dw", "summary", "he", "she",
        "it", "they", "the", "this", "that", "however", "watch", "january", "december", "monday",
        "november", "ai", "ceo", "us", "wrap up", "final thoughts", "born", "released", "seeing",
        "failing", "imagine", "pull", "reading", "yelling", "x", "2025", "2026", "tag"}


def test_no_junk_pages(built):
    root, _ = built
    titles = entity_titles(root)
    assert len(titles) >= 40
    headings = set()
    for _, body in sources(root).values():
        full = body.split("## Full text", 1)[1]
        headings |= {h.casefold() for h in re.findall(r"^## (.+)$", full, flags=re.MULTILINE)}
    for title in titles:
        assert title.casefold() not in JUNK, title
        assert title.casefold() not in headings, title
        assert title[:1].isupper() or title[:1].isdigit() or title[0] in "@x", title
        assert not re.fullmatch(r"[\d\W]+", title), title


def test_index_and_log(built):
    root, _ = built
    index = (root / "index.md").read_text()
    for group in ("## Sources (10)", "## People (", "## Organizations (", "## Products and "
                  "models (", "## Concepts ("):
        assert group in index
    assert "- [[Alex Wang]] — Head of Meta Superintelligence Labs." in index
    n_pages = sum(1 for _ in root.glob("*/*.md")) - len(list((root / "raw").glob("*.md")))
    assert index.count("\n- [[") == n_pages
    log = (root / "log.md").read_text()
    assert len(re.findall(r"^## \[2026-11-21\] ingest \| ", log, flags=re.MULTILINE)) == 10


def snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(root).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in root.rglob("*") if p.is_file() and ".wiki" not in p.parts}


def test_second_compile_changes_nothing(built):
    root, _ = built
    before = snapshot(root)
    report = compile_vault(root, today=TODAY + dt.timedelta(days=3))
    assert (report.created, report.updated, report.written) == ([], [], [])
    again = build_from(root, Path(__file__).resolve().parents[2] / "seeds")
    assert again.written == [] and again.errors == []
    assert snapshot(root) == before


def test_same_input_same_output(tmp_path, seeds_dir):
    a, b = tmp_path / "a", tmp_path / "b"
    build_from(a, seeds_dir, today=TODAY)
    shutil.copytree(seeds_dir, tmp_path / "copy")
    build_from(b, tmp_path / "copy", today=TODAY)
    files_a = {k: v[0] for k, v in snapshot(a).items()}
    files_b = {k: v[0] for k, v in snapshot(b).items()}
    assert files_a == files_b
