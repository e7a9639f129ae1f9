"""Main-content extraction from whole saved web pages: today's walker against trafilatura and
readability-lxml, on the saved pages in tests/data (Sphinx documentation pages with navigation,
sidebar, search and footer; GOV.UK news pages; the review blog and WordPress pages).

    python -m bench.bench_html_extract

For each page the reference is its own markup: the paragraphs (<p>) inside the article element
(``itemprop=articleBody``, else ``<article>``, else ``<main>``) are the content; the text of
navigation, header, footer, aside and furniture-named elements outside it is the furniture.
Prints, per extractor, the share of content paragraphs found (whitespace-normalised), the share
of furniture lines that leaked in, and the median time per page. trafilatura and readability-lxml
are optional: an extractor that is not installed is skipped.
"""

from __future__ import annotations

import re
import statistics
import time
from pathlib import Path

from bs4 import BeautifulSoup

from wiki.compile.reading.sources import html_article

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
PAGES = sorted([*(DATA / "corpus" / "page").glob("*.html"),
                *(DATA / "corpus" / "news").glob("*.html"),
                DATA / "review" / "blog.html", DATA / "review" / "loaf.html"])
FURNITURE = re.compile(r"sidebar|nav|footer|menu|cookie|breadcrumb|header|banner|related|share",
                       re.IGNORECASE)


def norm(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", " ", text).casefold().split())


def reference(html: str) -> tuple[list[str], list[str]]:
    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript"]):
        tag.decompose()
    ref = soup.find(attrs={"itemprop": "articleBody"}) or soup.find("article") or soup.find("main")
    content = [norm(p.get_text(" ")) for p in (ref.find_all("p") if ref else [])]
    content = [c for c in content if len(c) >= 40]
    inside = norm(ref.get_text(" ")) if ref else ""
    furniture: list[str] = []
    for tag in soup.find_all(True):
        names = " ".join([tag.name, *(tag.get("class") or []), str(tag.get("id") or "")])
        if tag.name in ("nav", "header", "footer", "aside") or FURNITURE.search(names):
            if ref is not None and (ref in tag.parents or tag is ref or tag in ref.parents):
                continue
            for line in tag.get_text("\n").split("\n"):
                line = norm(line)
                if len(line) >= 12 and line not in inside:
                    furniture.append(line)
    return content, sorted(set(furniture))


def walker(html: str) -> str:
    return html_article(html)[1]


def extractors() -> dict:
    found = {"walker (today)": walker}
    try:
        import trafilatura

        found["trafilatura"] = lambda html: trafilatura.extract(html, include_comments=False) or ""
    except ImportError:
        pass
    try:
        from readability import Document

        def readability(html: str) -> str:
            summary = Document(html).summary(html_partial=True)
            return BeautifulSoup(summary, "html.parser").get_text("\n")

        found["readability-lxml"] = readability
    except ImportError:
        pass
    return found


def main() -> None:
    refs = {p: reference(p.read_text(encoding="utf-8")) for p in PAGES}
    print(f"{len(PAGES)} saved pages, {sum(len(c) for c, _ in refs.values())} content paragraphs, "
          f"{sum(len(f) for _, f in refs.values())} furniture lines")
    for name, extract in extractors().items():
        found = total = leaked = furniture = 0
        times: list[float] = []
        worst: list[tuple[float, str]] = []
        for page in PAGES:
            html = page.read_text(encoding="utf-8")
            t0 = time.perf_counter()
            text = norm(extract(html))
            times.append(time.perf_counter() - t0)
            content, furn = refs[page]
            hit = sum(1 for c in content if c in text)
            found, total = found + hit, total + len(content)
            leak = sum(1 for f in furn if f in text)
            leaked, furniture = leaked + leak, furniture + len(furn)
            if content:
                worst.append((hit / len(content), page.name))
        worst.sort()
        print(f"{name:18} content found {found / max(1, total):6.1%}  furniture leaked "
              f"{leaked / max(1, furniture):6.1%}  median {statistics.median(times) * 1000:5.1f} "
              f"ms/page  weakest: {worst[0][1]} ({worst[0][0]:.0%})")


if __name__ == "__main__":
    main()
