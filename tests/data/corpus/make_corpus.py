"""How this corpus was made (kept for the record; it needs local clones of the repositories at
the commits named in SOURCES.md, passed as MIRROR=/path/to/clones).

Most files are copied byte for byte. Two kinds are re-packaged, with their text unchanged:
- news/: GOV.UK news stories are stored by GOV.UK's publishing-api as JSON examples; each is
  written out as the HTML page body GOV.UK serves (title, description, date, organisation, body).
- clipper/: Rust blog posts re-saved in the form Obsidian's Web Clipper writes (its default
  template's frontmatter: title, source, author as [[link]], published, created, description,
  tags), with the post's Markdown body.
"""

from __future__ import annotations

import html
import json
import os
import subprocess
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent
MIRROR = Path(os.environ.get("MIRROR", "/work/.mirror"))
RUST = "rust-lang+blog.rust-lang.org"
CHANGELOG = "thechangelog+transcripts"
GOVUK = "alphagov+publishing-api"
MELODIE = "ABM4ALL+Melodie"
MELODIE_PAPER_COMMIT = "fb28b6eb9172bf7b07f421f9d720c51005de5722"

BLOG = ["traits", "stabilizing-naked-functions", "switching-to-v0-mangling-on-nightly",
        "Async-await-hits-beta", "the-foundation-conversation",
        "welcoming-the-rust-innovation-lab", "supply-chain-attack-on-arrayref",
        "4-Years-Of-Rust"]
NEWSLETTER = ["inside-rust/this-development-cycle-in-cargo-1.86",
              "inside-rust/this-development-cycle-in-cargo-1.92"]
CLIPPER = ["six-years-of-rust", "updates-to-rusts-wasi-targets", "what-is-rust-2018",
           "2025-09-crates-io-phishing-campaign"]
TRANSCRIPTS = ["practicalai/practical-ai-12.md", "gotime/go-time-284.md",
               "podcast/the-changelog-466.md"]
NEWS = ["best-practice-government-response", "best-practice-news-story",
        "best-practice-press-release", "news_article", "news_article_press_release",
        "news_article_with_image_caption"]
PAGES = ["docs/html/introduction.html", "docs/html/tutorial.html",
         "docs/html/gallery/covid_contagion_network.html",
         "docs/html/gallery/covid_contagion_calibrator.html"]


def show(repo: str, path: str, commit: str = "HEAD") -> bytes:
    return subprocess.run(["git", "-C", str(MIRROR / repo / "repo"), "show", f"{commit}:{path}"],
                          check=True, capture_output=True).stdout


def put(rel: str, data: bytes | str) -> None:
    target = HERE / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data.encode() if isinstance(data, str) else data)


def rust_meta(text: str) -> tuple[dict, str]:
    _, front, body = text.split("+++", 2)
    return tomllib.loads(front), body.lstrip("\n")


def main() -> None:
    for name in BLOG:
        put(f"blog/{name}.md", show(RUST, f"content/{name}.md"))
    for name in NEWSLETTER:
        put(f"newsletter/{name.rpartition('/')[2]}.md", show(RUST, f"content/{name}.md"))
    put("newsletter/changelog-news-174.md", show(CHANGELOG, "news/changelog-news-174.md"))
    for name in CLIPPER:
        meta, body = rust_meta(show(RUST, f"content/{name}.md").decode())
        path = meta.get("path", name).strip("/")
        date = "-".join(path.split("/")[:3]) if path[:4].isdigit() else ""
        authors = "".join(f'\n  - "[[{a}]]"' for a in meta.get("authors", []))
        desc = meta.get("description", "").replace('"', "'")
        put(f"clipper/{name}.md",
            f'---\ntitle: "{meta["title"]}"\nsource: "https://blog.rust-lang.org/{path}/"\n'
            f"author:{authors}\npublished: {date}\ncreated: 2026-11-30\n"
            f'description: "{desc}"\ntags:\n  - "clippings"\n---\n{body}')
    for rel in TRANSCRIPTS:
        put(f"transcript/{rel.rpartition('/')[2]}", show(CHANGELOG, rel))
    for name in NEWS:
        d = json.loads(show(GOVUK, f"content_schemas/examples/news_article/frontend/{name}.json"))
        orgs = ", ".join(o["title"] for o in d.get("links", {}).get("organisations", []))
        date = d.get("first_public_at") or d.get("first_published_at") or ""
        put(f"news/{d['base_path'].rpartition('/')[2]}.html",
            f"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
            f"<title>{html.escape(d['title'])} - GOV.UK</title>\n"
            f"<meta name=\"description\" content=\"{html.escape(d.get('description', ''))}\">\n"
            f"<meta property=\"article:published_time\" content=\"{date}\">\n"
            f"<meta name=\"govuk:organisations\" content=\"{html.escape(orgs)}\">\n"
            f"</head><body><main><article>\n<h1>{html.escape(d['title'])}</h1>\n"
            f"<p class=\"lead\">{html.escape(d.get('description', ''))}</p>\n"
            f"<p class=\"meta\">From: {html.escape(orgs)}. Published {date[:10]}.</p>\n"
            f"{d['details']['body']}\n</article></main></body></html>\n")
    for rel in PAGES:
        put(f"page/{rel.rpartition('/')[2]}", show(MELODIE, rel))
    put("paper/melodie-paper.pdf", show(MELODIE, "paper/paper.pdf", MELODIE_PAPER_COMMIT))
    put("paper/melodie-paper.md", show(MELODIE, "paper/paper.md", MELODIE_PAPER_COMMIT))
    put("LICENSES/rust-blog-LICENSE-MIT", show(RUST, "LICENSE-MIT"))
    put("LICENSES/rust-blog-LICENSE-APACHE", show(RUST, "LICENSE-APACHE"))
    put("LICENSES/changelog-transcripts-LICENSE", show(CHANGELOG, "LICENSE"))
    put("LICENSES/govuk-publishing-api-LICENCE", show(GOVUK, "LICENCE"))
    put("LICENSES/melodie-LICENSE.txt", show(MELODIE, "LICENSE.txt", MELODIE_PAPER_COMMIT))


if __name__ == "__main__":
    main()
