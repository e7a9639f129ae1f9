"""What a reader finds on a source page made from a real article: its real title, its own
description or abstract as the summary (else two or three whole sentences, never a byline),
key points that do not repeat the summary, the article's headings under the page's own, and
a person page for each author, whatever form the article was saved in.

The articles are real and nobody here wrote them: ``tests/data/papers/``,
``tests/data/sources/`` and the corpus of ``tests/data/corpus/`` (see their READMEs).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from compile_support import DATA, TODAY, page, source_of

from wiki.compile import compile_vault

PAPERS = DATA / "papers"
SOURCES = DATA / "sources"
CORPUS = DATA / "corpus"


def vault_of(root: Path, *files: Path) -> Path:
    (root / "raw").mkdir(parents=True)
    for f in files:
        shutil.copyfile(f, root / "raw" / f.name)
    report = compile_vault(root, today=TODAY)
    assert report.errors == [], report.errors
    return root


def summary_of(body: str) -> str:
    return body.split("## Summary\n", 1)[1].split("\n## ", 1)[0].strip()


def key_points_of(body: str) -> list[str]:
    if "## Key points\n" not in body:
        return []
    part = body.split("## Key points\n", 1)[1].split("\n## ", 1)[0]
    return [line[2:] for line in part.splitlines() if line.startswith("- ")]


def full_text_of(body: str) -> str:
    return body.split("## Full text\n", 1)[1]


def words(text: str) -> str:
    text = re.sub(r"\[\[(?:[^\]|]*\|)?([^\]]*)\]\]", r"\1", text)
    return " ".join(re.findall(r"\w+", text.casefold()))


def mentioned_in(root: Path, person: str) -> str:
    _, body = page(root, f"people/{person}.md")
    return body.split("## Mentioned in", 1)[1].split("\n## ", 1)[0]


@pytest.fixture(scope="module")
def papers(tmp_path_factory) -> Path:
    return vault_of(tmp_path_factory.mktemp("papers") / "vault",
                    PAPERS / "ethereum-yellow-paper.pdf", PAPERS / "gobba-paper.pdf")


def test_a_papers_abstract_is_its_summary_and_its_metadata_names_the_author(papers: Path):
    name, meta, body = source_of(papers, "raw/ethereum-yellow-paper.pdf")
    assert meta["title"] == ("Ethereum Yellow Paper: a formal specification of Ethereum, a "
                             "programmable blockchain")
    assert meta["author"] == ["[[Gavin Wood]]"]  # not "others as per https://…"
    summary = summary_of(body)
    # both paragraphs of the abstract, whole sentences
    assert summary.startswith("The blockchain paradigm when coupled with cryptographically")
    assert "Ethereum implements this paradigm in a generalised manner." in summary
    assert summary.endswith(".") and "Abstract" not in summary
    assert f"[[{name}]]: Author of this article." in mentioned_in(papers, "Gavin Wood")
    full = full_text_of(body)
    assert "DR. GAVIN WOOD" not in full and "BYZANTIUM REVISION" not in full  # front matter
    assert "(cid:" not in body
    assert "Viktor Trón" in full  # an accent set apart ("Tr´on") joins its letter
    for point in key_points_of(body):  # statements, never a formula ("Tn ∈ P256 ∧ …")
        assert len(re.findall(r"[A-Za-z]{3,}", point)) >= 6, point
        assert words(point) not in words(summary), point
    assert re.search(r"^```\n.*∈.*\n```$", full, flags=re.MULTILINE | re.DOTALL)  # formulas


def test_a_paper_without_author_metadata_names_its_authors_from_the_first_page(papers: Path):
    name, meta, body = source_of(papers, "raw/gobba-paper.pdf")
    assert meta["title"] == "The gobba functional programming language. WORK IN PROGRESS DRAFT"
    # "Alessandro Cheli / Course taught by Prof. Gianluigi Ferrari / and Prof. Francesca Levi":
    # the author, not the course's teachers
    assert meta["author"] == ["[[Alessandro Cheli]]"]
    assert meta["published"] == "2020-01-19"
    assert summary_of(body).startswith("gobba is a dynamically typed and purely functional")
    assert f"[[{name}]]: Author of this article." in mentioned_in(papers, "Alessandro Cheli")
    full = full_text_of(body)
    assert full.lstrip().startswith("### Abstract")  # title, authors and logo caption gone
    assert "\n### 1 Installing gobba\n" in full
    assert "\n### download the source code" not in full  # a "# comment" of a listing
    assert not any(p.startswith("Alessandro Cheli Course") for p in key_points_of(body))


def test_a_jekyll_post_names_its_author_and_keeps_its_reference_links(tmp_path: Path):
    root = vault_of(tmp_path / "vault", SOURCES / "jekyll-procedural-macros.md")
    name, meta, body = source_of(root, "raw/jekyll-procedural-macros.md")
    assert name == "Procedural Macros in Rust 2018" and meta["author"] == ["[[Alex Crichton]]"]
    assert "layout" not in meta and "post" not in summary_of(body).split()[:1]
    assert f"[[{name}]]: Author of this article." in mentioned_in(root, "Alex Crichton")
    # "[procedural macros]" in the text works because each definition is still on its own line
    assert "\n[procedural macros]: https://doc.rust-lang.org/reference/procedural-macros.html\n" \
        in body
    assert "\n[RFC 1566]: https://github.com/rust-lang/rfcs/" in body


def test_a_saved_docutils_page_is_one_article_by_its_meta_author(tmp_path: Path):
    root = vault_of(tmp_path / "vault", SOURCES / "docutils-quickstart.html")
    report = compile_vault(root, today=TODAY)
    assert report.errors == []
    [only] = [p.name for p in (root / "sources").iterdir()]  # not one page per <h1> section
    name, meta, body = source_of(root, "raw/docutils-quickstart.html")
    assert name == "A ReStructuredText Primer" == meta["title"]
    assert meta["author"] == ["[[Richard Jones]]"]  # from <meta name="author">
    assert f"[[{name}]]: Author of this article." in mentioned_in(root, "Richard Jones")
    summary = summary_of(body)
    assert not summary.startswith(("Author:", "Richard Jones"))  # never the byline table
    assert "Docutils | Overview" not in body  # the menu line
    full = full_text_of(body)
    for section in ("Structure", "Text styles", "Lists", "Sections", "Images", "What Next?"):
        assert f"\n### {section}\n" in full, section  # the page's sections, under its own
    assert "- Structure\n- Text styles" not in full  # the table of contents is navigation


def test_web_clipper_author_links_and_toml_authors_get_person_pages(tmp_path: Path):
    root = vault_of(tmp_path / "vault", CORPUS / "clipper" / "updates-to-rusts-wasi-targets.md",
                    CORPUS / "blog" / "stabilizing-naked-functions.md")
    name, meta, _ = source_of(root, "raw/updates-to-rusts-wasi-targets.md")
    assert meta["author"] == ["[[Yosh Wuyts]]"]  # author: - "[[Yosh Wuyts]]"
    assert f"[[{name}]]: Author of this article." in mentioned_in(root, "Yosh Wuyts")
    name, meta, _ = source_of(root, "raw/stabilizing-naked-functions.md")
    assert meta["author"] == ["[[Folkert de Vries]]"]  # authors = ["Folkert de Vries"]
    assert f"[[{name}]]" in mentioned_in(root, "Folkert de Vries")


SENTENCE_END = (".", "!", "?", "…", ".)", '."', ".”", "!”", "?”", "!)", "?)")


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    files = sorted(p for p in CORPUS.glob("*/*") if p.suffix in (".md", ".html", ".pdf")
                   and p.parent.name != "LICENSES")  # (not SOURCES.md, the corpus's README)
    return vault_of(tmp_path_factory.mktemp("corpus") / "vault", *files)


def test_every_summary_is_whole_sentences_and_no_key_point_repeats_it(corpus: Path):
    seen = 0
    raws = {p.name: p for p in CORPUS.rglob("*") if p.is_file()}
    for path in sorted((corpus / "sources").glob("*.md")):
        meta, body = page(corpus, f"sources/{path.name}")
        summary = summary_of(body)
        assert summary and summary != "—", path.name
        assert not re.match(r"(?:by|posted by|author:|\*\*[^*]+:\*\*|[A-Z][A-Z .]+: )",
                            summary, flags=re.IGNORECASE), (path.name, summary)
        assert not summary.endswith(":"), (path.name, summary)  # no lead-in left dangling
        own = _description(raws[meta["source"].removeprefix("raw/")])
        if own is None or words(own) not in words(summary):  # (their own words, as written)
            assert summary.endswith(SENTENCE_END), (path.name, summary)
        for point in key_points_of(body):
            assert words(point) not in words(summary), (path.name, point)
        prose = re.sub(r"^(`{3,})[^\n]*\n.*?^\1\s*$", "", full_text_of(body),
                       flags=re.MULTILINE | re.DOTALL)  # (a "# comment" in code is no heading)
        assert not re.search(r"^#{1,2} ", prose, flags=re.MULTILINE), path.name  # nested
        seen += 1
    assert seen == 30


def _description(raw: Path) -> str | None:
    """The description the article gives of itself, if any (frontmatter or meta tag)."""
    if raw.suffix == ".pdf":
        return None
    text = raw.read_text(encoding="utf-8")
    m = re.search(r'^description\s*[:=]\s*"?(.+?)"?\s*$', text[:3000], flags=re.MULTILINE) \
        or re.search(r'<meta name="description" content="([^"]+)"', text)
    return m.group(1) if m else None


def test_the_lead_is_summarised_where_it_says_what_the_subject_is(corpus: Path):
    _, _, body = source_of(corpus, "raw/melodie-paper.pdf")
    assert summary_of(body).startswith("Melodie is a general framework for developing "
                                       "agent-based models (ABMs) in Python.")
    _, _, body = source_of(corpus, "raw/stabilizing-naked-functions.md")
    assert not summary_of(body).endswith("For example:")
