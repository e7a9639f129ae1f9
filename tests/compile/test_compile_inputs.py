"""Raw inputs of every format and layout, and bad input: one clear message, the rest compiled."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

from wiki.compile import compile_vault, ingest_files
from wiki.compile.reading.articles import split_text
from wiki.markup.frontmatter import split_frontmatter

TODAY = dt.date(2026, 11, 21)

PLAIN = """The Quiet Rise of Small Models

Mira Okafor, chief scientist at Lumen Robotics, spent the spring shrinking models.
Okafor says that knowledge distillation lets a small model keep most of what a large one knows.
Lumen Robotics ships the results on warehouse arms:contentReference[oaicite:3]{index=3}.

Key Takeaways

• Knowledge distillation moves skill from a big model to a small one.
• Okafor expects knowledge distillation to matter more than raw scale.

Thoughts

Lumen Robotics is a company to watch, and Okafor is worth following.
"""

MARKDOWN = """---
title: Notes on Tidal Energy
tags: [energy]
---
# Notes on Tidal Energy

Tidal power is predictable. Jonas Lindqvist, founder of Northwave Energy, argues
that tidal turbines will outlast wind farms because tides never stop.

## Why it matters

Lindqvist says Northwave Energy will build three tidal turbines by 2030, and the
Northwave Energy team believes tidal turbines beat offshore wind on reliability.
"""

HTML = """<!doctype html><html><head><title>Site | Harbor Cranes</title>
<style>body { color: red }</style>
<script>var tracking = "SECRET_TRACKER"; document.write("ad");</script></head>
<body>
<nav><a href="/">Home</a> <a href="/about">About us</a> NAVIGATION_LINKS</nav>
<header>SITE_HEADER Subscribe now</header>
<main>
<h1>Automated Harbor Cranes Arrive in Rotterdam</h1>
<p>Ingrid Vos, head of operations at Portline Logistics, said the cranes run all night.</p>
<p>Vos says Portline Logistics bought forty cranes from Kranbau Systems this year.</p>
<ul><li>Cranes are remote controlled.</li><li>Portline Logistics plans more.</li></ul>
<script>console.log("INLINE_SCRIPT")</script>
</main>
<aside>SIDEBAR_ADS</aside>
<footer>FOOTER_COPYRIGHT</footer>
</body></html>
"""

TWO_ARTICLES_HTML = """<html><body>
<article><h1>First Story About Orchards</h1>
<p>Clara Mendes, an orchard keeper in Vermont, grafts apple trees every spring.
Mendes says grafting is patient work and the orchard needs care.</p></article>
<article><h1>Second Story About Bridges</h1>
<p>Tomas Berg, an engineer at Fjord Bridges, inspects cables twice a year.
Berg says the cables outlast the deck and Fjord Bridges agrees.</p></article>
</body></html>
"""

DIGEST = """# Weekly digest: batteries

Solid state batteries keep improving. Priya Raman, a chemist at Voltaic Labs, says solid
state batteries will reach cars soon. Voltaic Labs published two papers this month and Raman
presented both of them at a conference, where solid state batteries were the main topic.

# Weekly digest: heat pumps

Heat pumps now outsell gas boilers in several countries. Voltaic Labs does not make heat
pumps, but Priya Raman thinks heat pumps and solid state batteries belong together in homes
that want to leave gas behind; she said so at length in an interview this week.
"""


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read(root: Path, rel: str) -> tuple[dict, str]:
    meta, body, _, err = split_frontmatter((root / rel).read_text(encoding="utf-8"))
    assert err is None
    return meta, body


def test_plain_text_article(write_files):
    root = write_files({"raw/small-models.txt": PLAIN})
    report = compile_vault(root, today=TODAY)
    assert report.errors == []
    assert report.source_pages == {"raw/small-models.txt":
                                   ["sources/The Quiet Rise of Small Models.md"]}
    meta, body = read(root, "sources/The Quiet Rise of Small Models.md")
    assert meta["title"] == "The Quiet Rise of Small Models"
    assert "## Key Takeaways" in body and "## Thoughts" in body
    assert "\n- Knowledge distillation moves skill" in body
    assert "oaicite" not in body and "contentReference" not in body
    assert "[[Mira Okafor]]" in body
    person, pbody = read(root, "people/Mira Okafor.md")
    assert person["type"] == "person" and "Okafor" in person["aliases"]
    assert person["description"] == "Chief scientist at Lumen Robotics."
    assert "[[The Quiet Rise of Small Models]]" in pbody
    org, _ = read(root, "organizations/Lumen Robotics.md")
    assert org["type"] == "organization"


def test_markdown_article_with_frontmatter(write_files):
    root = write_files({"raw/tidal.md": MARKDOWN})
    report = compile_vault(root, today=TODAY)
    assert report.errors == []
    meta, body = read(root, "sources/Notes on Tidal Energy.md")
    assert meta["source"] == "raw/tidal.md"
    assert "## Why it matters" in body
    assert "Jonas Lindqvist, founder of Northwave Energy, argues that tidal turbines" in body
    person, _ = read(root, "people/Jonas Lindqvist.md")
    assert person["description"] == "Founder of Northwave Energy."
    assert (root / "organizations/Northwave Energy.md").exists()


def test_html_main_content_without_scripts_or_navigation(write_files):
    root = write_files({"raw/cranes.html": HTML})
    report = compile_vault(root, today=TODAY)
    assert report.errors == []
    [rel] = report.source_pages["raw/cranes.html"]
    assert rel == "sources/Automated Harbor Cranes Arrive in Rotterdam.md"
    everything = "".join(p.read_text() for p in root.rglob("*.md") if "raw" not in p.parts)
    for junk in ("SECRET_TRACKER", "INLINE_SCRIPT", "NAVIGATION_LINKS", "SITE_HEADER",
                 "SIDEBAR_ADS", "FOOTER_COPYRIGHT", "color: red"):
        assert junk not in everything
    _, body = read(root, rel)
    assert "[[Ingrid Vos]], head of operations at" in body
    assert "\n- Cranes are remote controlled." in body
    assert (root / "organizations/Portline Logistics.md").exists()


def test_html_with_two_articles_and_a_markdown_digest(write_files):
    root = write_files({"raw/stories.htm": TWO_ARTICLES_HTML, "raw/digest.md": DIGEST})
    report = compile_vault(root, today=TODAY)
    assert report.errors == []
    assert report.source_pages["raw/stories.htm"] == [
        "sources/First Story About Orchards.md", "sources/Second Story About Bridges.md"]
    assert report.source_pages["raw/digest.md"] == [
        "sources/Weekly digest - batteries.md", "sources/Weekly digest - heat pumps.md"]
    meta, body = read(root, "people/Priya Raman.md")
    assert "A chemist at Voltaic Labs." == meta["description"]
    assert "[[Weekly digest - batteries]]" in body and "[[Weekly digest - heat pumps]]" in body
    assert (root / "people/Tomas Berg.md").exists() and (root / "people/Clara Mendes.md").exists()


def test_layout_detection_does_not_depend_on_names():
    profile = "Jo Smith\n1,204 posts\n\n@josmith\nBaker. Runner.\n\nFirst post here.\n\n" \
              "Second post, longer, about bread.\n\nFirst post here.\n"
    [seg] = split_text(profile)
    assert seg.kind == "profile"
    assert seg.meta["handle"] == "@josmith" and seg.meta["name"] == "Jo Smith"
    assert seg.meta["posts"] == ["First post here.", "Second post, longer, about bread."]
    body = "word " * 80
    tag_page = f"My Blog\n\n• First Long Post Title Here\n\n{body}\n\n• Second Long Post Title\n" \
               f"\n{body}\n• a list item.\n• another item.\n"
    assert [s.title for s in split_text(tag_page)] == ["First Long Post Title Here",
                                                       "Second Long Post Title"]
    single = f"One Title\n\n{body}\n\n• just a list item in an article\n• another one\n"
    assert len(split_text(single)) == 1


def test_bad_inputs_give_one_message_each_and_the_rest_compiles(write_files):
    big = ("All work and no play makes a very long file. " * 50 + "\n") * 9000  # ~20 MB
    root = write_files({
        "raw/good.txt": PLAIN,
        "raw/empty.txt": "",
        "raw/blank.md": "   \n\n  ",
        "raw/image.txt": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4,
        "raw/latin.txt": bytes(range(128, 256)) * 40,
        "raw/huge.txt": big,
        "raw/scripts.html": "<html><head><script>" + "x=1;" * 5000 + "</script></head>"
                            "<body><script>alert(1)</script><nav>menu</nav></body></html>",
        "raw/slides.pdf": b"%PDF-1.4",  # cut off after its first line
        "raw/slides.pptx": b"PK\x03\x04",
    })
    report = compile_vault(root, today=TODAY)
    errors = dict(report.errors)
    assert set(errors) == {"raw/empty.txt", "raw/blank.md", "raw/image.txt", "raw/latin.txt",
                           "raw/huge.txt", "raw/scripts.html", "raw/slides.pdf",
                           "raw/slides.pptx"}
    assert "empty" in errors["raw/empty.txt"] and "empty" in errors["raw/blank.md"]
    assert "binary" in errors["raw/image.txt"]
    assert "UTF-8" in errors["raw/latin.txt"] or "binary" in errors["raw/latin.txt"]
    assert "too large" in errors["raw/huge.txt"] and "MB" in errors["raw/huge.txt"]
    assert "no readable text" in errors["raw/scripts.html"]
    assert "not a readable PDF" in errors["raw/slides.pdf"]
    assert "unsupported file type '.pptx'" in errors["raw/slides.pptx"]
    assert all("\n" not in m for m in errors.values())
    assert report.source_pages == {"raw/good.txt": ["sources/The Quiet Rise of Small Models.md"]}
    assert sorted(p.name for p in (root / "sources").iterdir()) == [
        "The Quiet Rise of Small Models.md"]


def test_missing_vault_and_missing_file_are_reported(tmp_path):
    report = compile_vault(tmp_path / "nowhere")
    assert report.errors and "does not exist" in report.errors[0][1]
    root = tmp_path / "v"
    root.mkdir()
    report = ingest_files(root, [tmp_path / "no-such-file.txt"])
    assert len(report.errors) == 1 and "cannot read" in report.errors[0][1]


def test_raw_files_are_never_modified(write_files):
    root = write_files({"raw/a.txt": PLAIN, "raw/b.md": MARKDOWN, "raw/c.html": HTML})
    before = {p.name: (sha(p), p.stat().st_mtime_ns) for p in (root / "raw").iterdir()}
    compile_vault(root, today=TODAY)
    compile_vault(root, today=TODAY)
    after = {p.name: (sha(p), p.stat().st_mtime_ns) for p in (root / "raw").iterdir()}
    assert before == after


def test_ingest_never_overwrites_a_different_raw_file(write_files, tmp_path):
    root = write_files({"raw/article.txt": PLAIN})
    compile_vault(root, today=TODAY)
    incoming = tmp_path / "in" / "article.txt"
    incoming.parent.mkdir()
    incoming.write_text(MARKDOWN.split("---\n", 2)[2])
    report = ingest_files(root, [incoming], today=TODAY)
    assert (root / "raw/article.txt").read_text() == PLAIN
    assert (root / "raw/article (2).txt").read_text() == incoming.read_text()
    assert report.source_pages == {"raw/article (2).txt": ["sources/Notes on Tidal Energy.md"]}
    again = ingest_files(root, [incoming], today=TODAY)  # the same file again: no new copy
    assert again.written == [] and not (root / "raw/article (3).txt").exists()


def test_same_titles_get_distinct_pages(write_files):
    same = "Same Title Here\n\nGreta Lindholm, founder of Fjord Labs, spoke. Lindholm says hi.\n"
    root = write_files({"raw/one.txt": same, "raw/two.txt": same + "\nA second version.\n",
                        "raw/three.txt": "Greta Lindholm\n\nA profile of the founder of "
                                         "Fjord Labs. Greta Lindholm started Fjord Labs.\n"})
    report = compile_vault(root, today=TODAY)
    assert report.errors == []
    pages = sorted(p for v in report.source_pages.values() for p in v)
    assert pages == ["sources/Greta Lindholm (source).md", "sources/Same Title Here (2).md",
                     "sources/Same Title Here.md"]
    assert (root / "people/Greta Lindholm.md").exists()


def test_ingest_refuses_unsupported_files_without_copying_them(tmp_path: Path):
    vault = tmp_path / "vault"
    vault.mkdir()
    blob = tmp_path / "photo.bin"
    blob.write_bytes(b"\x00\x01" * 1000)
    article = tmp_path / "note.txt"
    article.write_text("A Short Note\n\nAda Lovelace wrote about the Analytical Engine. "
                       "Ada Lovelace is remembered.\n", encoding="utf-8")
    report = ingest_files(vault, [blob, article])
    assert [f for f, _ in report.errors] == [str(blob)]
    assert "unsupported file type" in report.errors[0][1]
    assert sorted(p.name for p in (vault / "raw").iterdir()) == ["note.txt"]
    assert report.source_pages


PAPER = Path(__file__).resolve().parent.parent / "data" / "corpus" / "paper" / "melodie-paper.pdf"
# A valid one-page PDF with no text on it, as a scanner makes them (without the image).
SCANNED_PDF = (b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
               b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
               b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]>>endobj\n"
               b"trailer<</Root 1 0 R>>\n%%EOF\n")


def test_a_paper_as_pdf_compiles_with_its_title_abstract_and_headings(write_files):
    root = write_files({"raw/paper.pdf": PAPER.read_bytes()})
    report = compile_vault(root, today=TODAY)
    assert report.errors == []
    meta, body = read(root, "sources/Melodie - Agent-based Modeling in Python.md")
    assert meta["title"] == "Melodie: Agent-based Modeling in Python"
    summary = body.split("## Summary", 1)[1].split("\n## ", 1)[0].strip()
    assert "Melodie" in summary and summary.endswith(".")  # whole sentences
    assert "Agent-based models (ABMs) characterize physical" in body  # words kept apart
    assert "### Statement of need" in body  # the paper's sections, under the page's own
    assert (root / "products/Melodie.md").exists()


def test_a_pdf_without_text_gets_a_clear_message(write_files):
    root = write_files({"raw/scan.pdf": SCANNED_PDF, "raw/good.txt": PLAIN})
    report = compile_vault(root, today=TODAY)
    errors = dict(report.errors)
    assert set(errors) == {"raw/scan.pdf"}
    assert "no text in this PDF" in errors["raw/scan.pdf"] and "OCR" in errors["raw/scan.pdf"]
