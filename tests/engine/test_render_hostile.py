"""Issue 14, item 9: rendering stays linear in the length of a paragraph, a table or a list,
and the guards that make it so change nothing a reader sees."""

from __future__ import annotations

import random
import time

import pytest
from markdown.inlinepatterns import LinkInlineProcessor

from wiki.markup import render_guard
from wiki.markup.render import render_page


def _render(text: str) -> str:
    return render_page(text, resolve=lambda target: None).html


def _words(vocabulary: list[str], size: int, seed: int = 1) -> str:
    rnd = random.Random(seed)
    out, n = [], 0
    while n < size:
        word = rnd.choice(vocabulary)
        out.append(word)
        n += len(word) + 1
    return " ".join(out)


@pytest.mark.parametrize("vocabulary", [
    ["alpha", "[beta", "gamma", "delta"],  # stray "[": 77 s for 100 KB before
    ["alpha", "<beta", "gamma", "<a", "delta"],  # stray "<x": 15 s for 100 KB before
])
def test_a_long_paragraph_of_stray_brackets_renders_quickly_and_whole(vocabulary):
    text = "# T\n\n" + _words(vocabulary, 100_000) + " THE-END\n"
    started = time.perf_counter()
    html = _render(text)
    assert time.perf_counter() - started < 10  # about 0.1 s; 15 to 77 s before
    assert "THE-END" in html and html.count("gamma") == text.count("gamma")
    assert render_guard.LT not in html
    if "<beta" in text:
        assert html.count("&lt;beta") == text.count("<beta")  # shown as text, not dropped


def test_the_bracket_search_answers_as_python_markdowns_own():
    rnd = random.Random(3)
    original = LinkInlineProcessor.getText
    for _ in range(3000):
        data = "".join(rnd.choice("[]ab (") for _ in range(rnd.randrange(1, 60)))
        index = rnd.randrange(0, len(data))
        mine = render_guard._get_text(None, data, index)
        theirs = original(None, data, index)
        assert mine[2] == theirs[2] and (not mine[2] or mine == theirs), (data, index)


def test_a_paragraph_in_pieces_renders_as_one(monkeypatch):
    line = ("Ada met [[Charles Babbage]] in **London**, wrote [notes](Notes.md) and `code` "
            "on ==the engine== with $x^2$ and a #tag. ")
    text = "# T\n\n" + line * 900 + "\n\nAfter.\n"  # about 100 KB in one paragraph
    pieces = _render(text)
    monkeypatch.setattr(render_guard, "CHUNK", 10**9)  # one piece: Python-Markdown as it is
    whole = _render(text)
    assert pieces == whole
    assert pieces.count("<p>") == whole.count("<p>") == 2


def test_cuts_fall_where_marks_are_balanced():
    units = ["a", "word", "**bold words**", "[[Page Name]]", "`some code`", "[link](x.md)",
             "==marked text==", "$x + y$"]
    text = _words(units, 200_000, seed=5)
    parts = render_guard.chunks(text, 16_000)
    assert "".join(parts) == text and len(parts) > 10
    assert all(render_guard.balanced(p) for p in parts)
    junk = _words(["a", "**b", "[c", "`d"], 100_000)  # nothing balances: cut at whitespace
    assert "".join(render_guard.chunks(junk, 16_000)) == junk


@pytest.mark.parametrize("kind", ["paragraph", "table", "list"])
def test_time_grows_about_linearly_with_size(kind):
    def page(n: int) -> str:
        rnd = random.Random(n)
        cells = ["alpha", "[[Link]]", "**b**", "[x](y.md)", "`c`", "[d", "<e"]
        if kind == "paragraph":
            return "# T\n\n" + " ".join(rnd.choice(cells) for _ in range(n)) + "\n"
        if kind == "table":
            return "| a | b |\n|---|---|\n" + "".join(
                f"| {rnd.choice(cells)} | {rnd.choice(cells)} |\n" for _ in range(n // 2))
        return "".join(f"- {rnd.choice(cells)} {rnd.choice(cells)}\n" for _ in range(n // 2))

    def best(n: int) -> float:
        text = page(n)
        times = []
        for _ in range(2):
            started = time.perf_counter()
            _render(text)
            times.append(time.perf_counter() - started)
        return min(times)

    small, large = best(2_500), best(20_000)
    assert large / small < 8 * 2.5  # 8 times the text: linear is 8, quadratic 64


@pytest.mark.parametrize("text, what", [
    ("".join("  " * i + "- item\n" for i in range(3000)), "Lists"),  # minutes before
    ("".join("> " * i + "[!note] deep\n" for i in range(500)), "Quotes"),  # 12 s before
])
def test_lists_and_quotes_nested_hundreds_deep_are_shown_as_text_at_once(text, what):
    started = time.perf_counter()
    page = render_page(text, resolve=lambda target: None)
    assert time.perf_counter() - started < 10
    assert page.problem and page.problem.startswith(f"{what} nest too deeply")
    assert "item" in page.html or "deep" in page.html


def test_deep_indentation_inside_a_code_fence_is_still_formatted():
    code = "```yaml\n" + " " * 120 + "- deep: value\n```\n"
    page = render_page("# T\n\n- a\n  - b\n\n" + code, resolve=lambda target: None)
    assert page.problem is None and "<li>" in page.html and "deep" in page.html


def test_no_inline_pattern_matches_text_without_the_characters_it_needs():
    from wiki.markup.render import _Renderers

    md = _Renderers._make(with_toc=True)[0]
    names = [item.name for item in md.inlinePatterns._priority]
    unknown = set(names) - set(render_guard.PATTERN_NEEDS)
    assert not unknown, f"add these to render_guard.PATTERN_NEEDS: {unknown}"
    rnd = random.Random(11)
    alphabet = [chr(c) for c in range(1, 0x250)]
    for name in names:
        plain = [c for c in alphabet if c not in render_guard.PATTERN_NEEDS[name]]
        regex = md.inlinePatterns[name].getCompiledRegExp()
        for _ in range(400):
            text = "".join(rnd.choice(plain) for _ in range(rnd.randrange(1, 40)))
            assert regex.search(text) is None, (name, text)
    assert isinstance(md.treeprocessors["inline"], render_guard.QuickInline)


def test_the_quick_inline_pass_renders_what_python_markdown_renders(monkeypatch):
    rnd = random.Random(5)
    bits = ["word", "**b**", "*i*", "_u_", "`c`", "[[Page]]", "[[P|shown]]", "[l](x.md)",
            "![i](a.png)", "<b>x</b>", "&amp;", "#tag", "==m==", "~~s~~", "$x$", "\\*",
            "<http://a.b>", "[^1]", "^[note]", "[ref]", "x  \nline", "| a | b |"]
    pages = ["\n\n".join(" ".join(rnd.choice(bits) for _ in range(30)) for _ in range(8))
             + "\n\n[^1]: a note\n[ref]: http://r.example\n" for _ in range(20)]
    quick = [_render(p) for p in pages]
    monkeypatch.setattr(render_guard, "_TRIGGER", __import__("re").compile(r"[\s\S]"))
    monkeypatch.setattr(render_guard, "PATTERN_NEEDS", {})
    from wiki.markup import render as render_module

    monkeypatch.setattr(render_module, "_local", render_module._Renderers())
    assert [_render(p) for p in pages] == quick
