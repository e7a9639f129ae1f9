"""Link and #tag extraction: every Obsidian link form, never inside code."""

from __future__ import annotations

import pytest

from wiki.markup.links import CONTEXT_CHARS, extract_links, inline_tags, mask_code


def one(body: str):
    links = extract_links(body)
    assert len(links) == 1, links
    return links[0]


def targets(body: str) -> list[str]:
    return [link.target for link in extract_links(body)]


@pytest.mark.parametrize(
    ("body", "target", "heading", "text", "embed"),
    [
        ("[[Page]]", "Page", None, None, False),
        ("[[Page|shown text]]", "Page", None, "shown text", False),
        ("[[Page#Heading]]", "Page", "Heading", None, False),
        ("[[Page#Heading|text]]", "Page", "Heading", "text", False),
        ("[[#Heading]]", "", "Heading", None, False),
        ("[[folder/Page]]", "folder/Page", None, None, False),
        ("[[Page.md]]", "Page.md", None, None, False),
        ("![[Page]]", "Page", None, None, True),
        ("![[diagram.png]]", "diagram.png", None, None, True),
        ("[[Page#^block1]]", "Page", "^block1", None, False),
        ("[[Andrej Karpathy]]", "Andrej Karpathy", None, None, False),
        ("[[Ünïcödé Ñame|ß]]", "Ünïcödé Ñame", None, "ß", False),
        ("[[C# notes]]", "C", "notes", None, False),  # '#' always starts the heading
        ("[[a|b|c]]", "a", None, "b|c", False),  # the first '|' splits
        ("[[Page\\|text]]", "Page", None, "text", False),  # escaped bar in a table
        ("[[ Spaced  ]]", "Spaced", None, None, False),
    ],
)
def test_wiki_link_forms(body, target, heading, text, embed):
    link = one(f"before {body} after")
    assert (link.target, link.heading, link.text, link.embed, link.kind) == (
        target, heading, text, embed, "wiki")


@pytest.mark.parametrize(
    ("body", "target", "heading"),
    [
        ("[t](path.md)", "path.md", None),
        ("[t](path.md#h)", "path.md", "h"),
        ("[t](<My Note.md>)", "My Note.md", None),
        ("[t](My%20Note.md)", "My Note.md", None),
        ("[t](../up/Caf%C3%A9.md#Sec%20two)", "../up/Café.md", "Sec two"),
        ('[t](sub/x.md "a title")', "sub/x.md", None),
        ("[t](X.MD)", "X.MD", None),
    ],
)
def test_markdown_links_to_pages(body, target, heading):
    link = one(f"see {body}.")
    assert (link.target, link.heading, link.text, link.kind) == (target, heading, "t", "markdown")


@pytest.mark.parametrize(
    "body",
    [
        "[web](https://example.com/page.md)",
        "[web](http://example.com/a.md)",
        "[mail](mailto:me@example.com)",
        "[app](obsidian://open?file=x.md)",
        "[pdf](doc.pdf)",
        "![](picture.png)",
        "![alt](img/photo.jpg)",
        "[anchor](#heading)",
        "[[]]",
        "[not a link] (x.md)",
    ],
)
def test_not_page_links(body):
    assert extract_links(body) == []


def test_order_of_appearance_mixed_kinds():
    body = "[m](one.md) then [[Two]]\n![[Three]] and [x](<four.md>)"
    assert targets(body) == ["one.md", "Two", "Three", "four.md"]


@pytest.mark.parametrize(
    "body",
    [
        "`[[Code]]`",
        "``[[Code]]``",
        "``a ` [[Code]] ` b``",
        "```[[Code]]```",
        "text `x\n[[Code]]` spans lines",
        "```\n[[Code]]\n```",
        "```python\nx = '[[Code]]'\n```",
        "~~~\n[[Code]]\n~~~",
        "````\n```\n[[Code]]\n```\n````",
        "~~~~\n[[Code]]\n~~~\n[[Code]]\n~~~~",
        "```\n[[Code]]\nnever closed",
        "para\n\n    [[Code]]\n    more",
        "\t[[Code]]",
        "- item\n  ```\n  [[Code]]\n  ```",
        "[t](`x.md`)",
        "\\[[Code]]",
    ],
)
def test_nothing_in_code_or_escaped(body):
    assert "Code" not in targets(body)


def test_escaped_bang_is_a_plain_link():
    link = one("\\![[Page]]")
    assert (link.target, link.embed) == ("Page", False)


def test_code_span_backticks_must_match():
    # an unmatched backtick run is literal text, so the link after it counts
    assert targets("a `` b [[Real]] ` c") == ["Real"]
    # a code span does not cross a blank line
    assert targets("a `open\n\n[[Real]] `") == ["Real"]


def test_links_after_code_still_found():
    body = "```\n[[No]]\n```\n[[Yes]] and `[[No]]` and [[Also]]\n\n    [[No]]\n\n[[Last]]"
    assert targets(body) == ["Yes", "Also", "Last"]


def test_indented_lines_in_lists_are_not_code():
    body = "- parent\n    - child [[Child]]\n\n    continued [[Continued]]\n"
    assert targets(body) == ["Child", "Continued"]


def test_indented_continuation_of_paragraph_is_not_code():
    assert targets("para line\n    [[Lazy]]") == ["Lazy"]


def test_line_numbers_are_one_based_in_body():
    body = "first\n\n```\n[[No]]\n```\nsix [[Six]]\r\nseven [[Seven]]"
    assert [(x.target, x.line) for x in extract_links(body)] == [("Six", 6), ("Seven", 7)]


def test_context_is_the_paragraph():
    body = "Intro.\n\nThe first line\nmentions [[Target]] here\nand ends.\n\nOther paragraph."
    assert one(body).context == "The first line mentions [[Target]] here and ends."


def test_context_of_list_item_is_that_item():
    body = "Heading text\n- one\n- two [[Target]] two\n- three\n"
    assert one(body).context == "two [[Target]] two"
    assert one("1. [ ] task [[T]]").context == "task [[T]]"


def test_context_heading_line_only():
    assert one("## About [[T]]\nbody text").context == "About [[T]]"


def test_long_context_trimmed_around_link():
    words = " ".join(f"word{i}" for i in range(200))
    body = f"{words} [[Target]] {words}"
    ctx = one(body).context
    assert len(ctx) <= CONTEXT_CHARS + 2
    assert "[[Target]]" in ctx
    assert ctx.startswith("…") and ctx.endswith("…")
    centre = ctx.index("[[Target]]")
    assert abs(centre - (len(ctx) - centre - len("[[Target]]"))) < 60


def test_context_collapses_every_kind_of_whitespace():
    """Tabs, runs of spaces, line breaks and Unicode spaces (no-break, line separator) each
    read as one space, in a short paragraph and around a link in a long one."""
    assert one("a\t\t[[T]]\u00a0\u2028 b").context == "a [[T]] b"
    words = "\t ".join(f"w{i}" for i in range(150))
    ctx = one(f"{words}\r\n[[Target]]\u3000 {words}").context
    assert "  " not in ctx and "\t" not in ctx and "\u3000" not in ctx
    assert "w149 [[Target]] w0 w1" in ctx and ctx.startswith("…") and ctx.endswith("…")


def test_context_ends_at_breaks_on_windows_line_endings():
    body = "Intro.\r\n\r\nFirst line\r\nmentions [[T]] here.\r\n- item\r\n# Head"
    assert one(body).context == "First line mentions [[T]] here."


def test_mask_code_keeps_length_and_lines():
    body = "a `b` c\n```\ncode\n```\nd ``e``"
    masked = mask_code(body)
    assert len(masked) == len(body)
    assert masked.count("\n") == body.count("\n")
    assert "code" not in masked and "`" not in masked
    assert masked.startswith("a     c") and masked.endswith("d      ")


def test_mask_code_no_code_is_identity():
    body = "plain [[text]] #tag"
    assert mask_code(body) is body


def test_inline_tags():
    body = (
        "# Heading\n## Sub\n#tag at start, #nested/tag and #tag-with-dash.\n"
        "#123 and #2024/05 are not tags but #y2024 is. url http://x.com/p#frag "
        "issue#12 `#code` [[Page#Heading]] #Tag again #Ünïcode\n```\n#fenced\n```\n"
    )
    assert inline_tags(body) == ["tag", "nested/tag", "tag-with-dash", "y2024", "Ünïcode"]


def test_inline_tags_trailing_punctuation():
    assert inline_tags("(#a) #b, #c. #d!") == ["a", "b", "c", "d"]


def test_many_links_one_page():
    body = "\n".join(f"- [[Page {i}]]" for i in range(500))
    links = extract_links(body)
    assert len(links) == 500
    assert links[499].target == "Page 499" and links[499].line == 500


def test_context_of_huge_paragraph_is_clipped():
    body = "".join(f"line {i} with [[L{i}]] in it\n" for i in range(3000))
    links = extract_links(body)
    assert len(links) == 3000
    mid = links[1500]
    assert mid.context.startswith("…") and mid.context.endswith("…")
    assert "[[L1500]]" in mid.context and len(mid.context) <= CONTEXT_CHARS + 2
    assert links[0].context.startswith("line 0 with [[L0]]")


def test_link_fragment_is_not_a_tag():
    assert inline_tags("[see](#section) and [x](note.md#part) and (#real)") == ["real"]


def test_escaped_hash_is_not_a_tag():
    assert inline_tags("\\#nope #yes") == ["yes"]


def test_wiki_link_inside_markdown_link_text():
    assert targets("[see [[Inner]]](other.md)") == ["Inner"]


def test_markdown_link_text_with_brackets():
    link = one("[a [b] c](x.md)")
    assert (link.target, link.text) == ("x.md", "a [b] c")


def test_embed_after_text_and_crlf_fence():
    body = "wow![[Pic]]\r\n```\r\n[[No]]\r\n```\r\n[[Yes]]\r\n"
    assert [(x.target, x.embed, x.line) for x in extract_links(body)] == [
        ("Pic", True, 1), ("Yes", False, 5)]
