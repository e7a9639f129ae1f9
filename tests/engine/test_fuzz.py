"""Fuzzing (Hypothesis) the stages that read what users and the web hand us: frontmatter, link
extraction, page reading, rendering, and the compiler's reading stage. Each must return for any
input, without an exception, in bounded time. About a minute in all.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wiki.compile.reading.articles import articles_from
from wiki.compile.reading.sources import BadInput, decode_article, html_to_text, read_raw
from wiki.core.fileio import decode
from wiki.markup.frontmatter import split_frontmatter
from wiki.markup.links import extract_links, inline_tags
from wiki.markup.pages import read_page
from wiki.markup.render import render_page

# Pieces of Markdown, Obsidian syntax, YAML and HTML, glued at random: far more likely than
# random characters to reach the parsers' corners.
PIECES = ["---\n", "\n", "\n\n", " ", "    ", "\t", "# ", "## ", "- ", "1. ", "> ", "> [!note] ",
          "[[", "]]", "|", "#", "#tag", "^", "![[", "[", "](", ")", "(", "`", "```", "~~~", "*",
          "**", "_", "==", "~~", "%%", "$", "$$", "<", ">", "</", "<div>", "</div>", "<img src=",
          "<!--", "-->", "&amp;", "&", "&a ", "*a", "key: ", "- [ ] ", "- [x] ", "[^1]", "\\",
          "http://x.y/z", "mailto:a@b", "file:///etc/passwd", "../", "é", "中文", "\u200b", "\r\n",
          "\x00", "\ufeff", "Ada Lovelace", "The Analytical Engine", "word"]
markdownish = st.lists(st.sampled_from(PIECES) | st.text(max_size=5), max_size=60).map("".join)
FAST = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
LIMIT_S = 2.0


def _timed(fn, *args, **kwargs):
    started = time.perf_counter()
    result = fn(*args, **kwargs)
    assert time.perf_counter() - started < LIMIT_S, f"{fn.__name__} took too long"
    return result


@FAST
@given(markdownish)
def test_frontmatter_and_links_never_fail(text):
    meta, body, offset, error = _timed(split_frontmatter, text)
    assert isinstance(meta, dict) and offset >= 0
    assert error is None or "\n" not in error
    links = _timed(extract_links, body)
    for link in links:
        assert link.line >= 1
    _timed(inline_tags, body)


@FAST
@given(markdownish)
def test_rendering_never_fails(text):
    rendered = _timed(render_page, text, resolve=lambda target: None)
    assert isinstance(rendered.html, str)


@FAST
@given(st.binary(max_size=400) | markdownish.map(lambda s: s.encode("utf-8", "surrogatepass")))
def test_reading_any_bytes_as_a_page(tmp_path_factory, data):
    root = tmp_path_factory.mktemp("fuzz")
    (root / "page.md").write_bytes(data)
    page = _timed(read_page, root, "page.md")
    assert page.path == "page.md" and isinstance(page.body, str)
    decoded = _timed(decode, data)
    assert decoded.binary or isinstance(decoded.text, str)


@FAST
@given(markdownish, st.sampled_from(["txt", "md", "html"]))
def test_the_compilers_reading_stage_never_fails(tmp_path_factory, text, suffix):
    folder = tmp_path_factory.mktemp("raw")
    path = Path(folder) / f"article.{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        raw = _timed(read_raw, path)
    except BadInput as exc:
        assert "\n" not in str(exc)
        return
    articles = _timed(articles_from, "raw/article." + suffix, raw.text, raw.title)
    for article in articles:
        assert article.title.strip()


@FAST
@given(st.recursive(st.sampled_from(["text", "Ada Lovelace", " ", "<br>", "&nbsp;", "é"]),
                    lambda inner: st.tuples(st.sampled_from(["div", "p", "li", "ul", "h1", "h2",
                                                             "table", "td", "script", "nav",
                                                             "article", "span", "a"]),
                                            st.lists(inner, max_size=4)).map(
                        lambda t: f"<{t[0]}>{''.join(t[1])}</{t[0]}>"),
                    max_leaves=40))
def test_html_to_text_never_fails(html):
    title, text = _timed(html_to_text, f"<html><body>{html}</body></html>")
    assert isinstance(text, str)


@pytest.mark.parametrize("depth", [10, 500, 5000])
def test_html_of_any_depth(depth):
    html = "<div>" * depth + "<p>Deep text</p>" + "</div>" * depth
    title, text = _timed(html_to_text, html)
    assert "Deep text" in text


def test_decode_article_refuses_only_with_one_line():
    for data in (b"", b"\x00\x01", b"\xff\xfe" + "wide".encode("utf-16-le"), bytes(range(256))):
        try:
            decode_article(data)
        except BadInput as exc:
            assert "\n" not in str(exc)
