"""wiki.markup.render: every link form, embeds, highlighting, sanitising, headings."""

from __future__ import annotations

import re

from wiki.markup.render import extract_section, parse_href, render_page, sanitize, table_depth

PAGES = {
    "Alpha": "Alpha.md",
    "alpha": "Alpha.md",
    "notes/Beta": "notes/Beta.md",
    "Beta": "notes/Beta.md",
    "notes/Beta.md": "notes/Beta.md",
    "Gamma": "Gamma.md",
}


def resolve(target: str) -> str | None:
    return PAGES.get(target)


def render(text: str, **kw):
    return render_page(text, resolve=resolve, **kw)


def anchors(html: str) -> list[tuple[str, str]]:
    """(href, text) of every link, in order."""
    return [(m.group(1), re.sub(r"<[^>]+>", "", m.group(2)))
            for m in re.finditer(r'<a[^>]*href="([^"]*)"[^>]*>(.*?)</a>', html, re.S)]


def test_every_wiki_link_form():
    html = render(
        "[[Alpha]] [[Alpha|the first]] [[Alpha#Some Heading]] [[#Local Part]] "
        "[[notes/Beta]] [[Beta#Über Café|cafe]]\n\n## Local Part\n"
    ).html
    assert anchors(html) == [
        ("wiki:Alpha.md", "Alpha"),
        ("wiki:Alpha.md", "the first"),
        ("wiki:Alpha.md#some-heading", "Alpha › Some Heading"),
        ("#local-part", "Local Part"),
        ("wiki:notes/Beta.md", "notes/Beta"),
        ("wiki:notes/Beta.md#%C3%BCber-caf%C3%A9", "cafe"),
    ]
    assert '<h2 id="local-part">' in html


def test_spaces_in_paths_are_quoted_and_round_trip():
    page = render_page("[[My Page#A B]]", resolve=lambda t: "sub dir/My Page.md")
    (href, _text), = anchors(page.html)
    assert href == "wiki:sub%20dir/My%20Page.md#a-b"
    assert parse_href(href) == ("page", "sub dir/My Page.md", "a-b")


def test_links_in_code_stay_code():
    html = render("Use `[[Alpha]]` here.\n\n```\n[[Alpha]] and ![[Alpha]]\n```\n").html
    assert anchors(html) == []
    assert "<code>[[Alpha]]</code>" in html
    assert "[[Alpha]] and ![[Alpha]]" in html


def test_escaped_wiki_link_is_literal():
    html = render(r"not a link: \[[Alpha]]").html
    assert anchors(html) == []
    assert "[[Alpha]]" in html


def test_missing_link_gets_missing_class():
    html = render("see [[No Such Page]]").html
    assert '<a class="missing" href="wiki-missing:No%20Such%20Page">No Such Page</a>' in html
    assert parse_href("wiki-missing:No%20Such%20Page") == ("missing", "No Such Page", "")


def test_alias_link_inside_table_cell():
    html = render("| a | b |\n|---|---|\n| [[Alpha\\|first]] | two |\n").html
    assert anchors(html) == [("wiki:Alpha.md", "first")]
    assert "<td>two</td>" in html


def test_markdown_links_to_md_become_wiki_links():
    html = render("[beta](notes/Beta.md#Part%20Two) [gone](gone.md) [web](https://example.org)"
                  " [mail](mailto:a@b.c)").html
    assert anchors(html) == [
        ("wiki:notes/Beta.md#part-two", "beta"),
        ("wiki-missing:gone.md", "gone"),
        ("https://example.org", "web"),
        ("mailto:a@b.c", "mail"),
    ]


def test_embed_renders_page_inline_one_level_deep():
    loaded: list[str] = []

    def loader(path: str) -> str:
        loaded.append(path)
        return "---\ntags: [x]\n---\n# Gamma\n\nGamma body with [[Alpha]] and ![[Gamma]] again."

    html = render("Before\n\n![[Gamma]]\n\nAfter", embed_loader=loader).html
    assert loaded == ["Gamma.md"]  # the nested ![[Gamma]] is not loaded again
    assert 'class="embed"' in html
    assert "Gamma body with" in html
    assert "tags:" not in html
    # the embed's own embed became a link card, not another box
    assert html.count('class="embed"') == 1
    assert '<span class="embed-card">↪ <a href="wiki:Gamma.md">Gamma</a></span>' in html
    assert html.index("Before") < html.index("Gamma body") < html.index("After")


def test_embed_of_a_section_shows_only_that_section():
    text = "# G\n\nintro\n\n## Part\n\npart text\n\n### Sub\n\nsub text\n\n## Next\n\nnext text\n"
    html = render("![[Gamma#Part]]", embed_loader=lambda p: text).html
    assert "part text" in html and "sub text" in html
    assert "intro" not in html and "next text" not in html


def test_embed_without_loader_or_missing_is_a_link_card():
    html = render("![[Gamma]] ![[Nowhere]]").html
    assert anchors(html) == [("wiki:Gamma.md", "Gamma"), ("wiki-missing:Nowhere", "Nowhere")]
    assert html.count("embed-card") == 2


def test_image_embed(tmp_path):
    img = tmp_path / "pic.png"
    img.write_bytes(b"\x89PNG\r\n\x1a\n")

    def asset(name: str) -> str | None:
        return "vault:pic.png" if name == "pic.png" else None

    html = render("![[pic.png|200]] ![[lost.png]]", resolve_asset=asset).html
    assert '<img alt="pic.png" src="vault:pic.png" width="200">' in html
    assert "lost.png (missing image)" in html


def test_frontmatter_becomes_a_meta_line():
    page = render("---\ntitle: Real Title\ntags: [ai, '#ml']\naliases: [AI]\n---\n# Heading\n")
    assert page.html.startswith('<p class="meta">')
    assert "#ai" in page.html and "#ml" in page.html and "also: AI" in page.html
    assert "title:" not in page.html
    assert page.title == "Real Title"


def test_malformed_frontmatter_is_reported_not_raised():
    page = render("---\ntags: [unclosed\n---\nbody text\n")
    assert page.problem and "YAML" in page.problem
    assert 'class="problem"' in page.html and "body text" in page.html


def test_headings_have_stable_unique_ids():
    page = render("# Intro\n\n## Same\n\n## Same\n\n### Ünïcode & more!\n")
    assert page.headings == [(1, "Intro", "intro"), (2, "Same", "same"), (2, "Same", "same_1"),
                             (3, "Ünïcode & more!", "ünïcode-more")]
    assert render("# Intro\n").headings == [(1, "Intro", "intro")]  # cached instance was reset


def test_highlight_terms_whole_words_in_text_only():
    html = render(
        "Learning about learning, not learnings. [[Alpha|learning link]] "
        "[x](https://e.org/learning) `learning code`\n\n# Learning\n",
        highlight_terms=["learning"],
    ).html
    assert html.count('<span class="match">') == 4  # 2 in text, 1 in link text, 1 in heading
    assert 'href="https://e.org/learning"' in html
    assert "<code>learning code</code>" in html
    assert "learnings" in html and "learnings</span>" not in html
    assert '<h1 id="learning">' in html  # the anchor is not affected


def test_highlight_does_not_break_inline_html_placeholders():
    html = render("a <b>1</b> 1 &amp; 1", highlight_terms=["1", "amp"]).html
    assert "<b>" in html and "&amp;" in html
    assert html.count('class="match"') == 3


def test_scripts_styles_frames_and_event_handlers_dropped():
    html = render(
        '<script>alert(1)</script>\n\n<style>p{}</style>\n\n<iframe src="x"></iframe>\n\n'
        'text <b onclick="evil()" onmouseover=evil>bold</b> <a href="javascript:evil()">j</a>\n'
    ).html
    low = html.lower()
    assert "<script" not in low and "alert" not in low and "<style" not in low
    assert "<iframe" not in low and "onclick" not in low and "onmouseover" not in low
    assert "javascript:" not in low
    assert "<b>bold</b>" in html
    # A relative image with no vault to find it in is removed, not left to the viewer.
    assert sanitize('<img src=x onerror="a()">') == "<img>"


def test_parse_href_refuses_other_schemes():
    assert parse_href("#intro") == ("anchor", "", "intro")
    assert parse_href("https://a.b/c")[0] == "external"
    for bad in ("file:///etc/passwd", "javascript:alert(1)", "data:text/html,x", "ftp://x"):
        assert parse_href(bad)[0] == "refused"


def test_extract_section_ignores_fenced_headings():
    body = "## A\n```\n## B\n```\nend A\n## B\nb\n"
    assert extract_section(body, "B") == "## B\nb\n"
    assert extract_section(body, "Z") is None


def test_large_page_renders():
    para = ("Some text with [[Alpha]] and [[Missing One]] and **bold** and `code`. " * 8) + "\n\n"
    text = "".join(f"## Section {i}\n\n{para}" for i in range(90))
    assert len(text) > 50_000
    page = render(text, highlight_terms=["text"])
    assert len(page.headings) == 90
    assert page.html.count('class="missing"') == 90 * 8
    assert page.html.count('<span class="match">text</span>') == 90 * 8


def test_pathological_nesting_falls_back_to_plain_text():
    page = render("- " * 1500 + "deep <b>text</b>")
    assert page.problem and "plain text" in page.problem
    assert "deep &lt;b&gt;text&lt;/b&gt;" in page.html
    assert render("# Fine\n").headings == [(1, "Fine", "fine")]  # the cached instance recovers


def test_nested_quotes_and_tables_stay_cheap_for_qt():
    html = render("> outer\n>\n> > inner\n> > > innermost\n\nafter").html
    assert table_depth(html) == 1  # only the outer quote is a (barred) table
    assert html.count('class="quote"') == 1 and "<blockquote>" in html
    deep = render("<table><tr><td>" * 40 + "x")
    assert deep.problem and "plain text" in deep.problem
    assert table_depth(deep.html) == 1 and "&lt;table&gt;" in deep.html


def test_images_outside_the_vault_are_not_loaded():
    from wiki.markup.render import render_page

    html = render_page("![x](file:///etc/passwd) ![y](/etc/hosts) ![z](../../secret.png)",
                       resolve=lambda t: None, resolve_asset=lambda name: None).html
    assert "file:///etc" not in html
    assert 'src="/etc/hosts"' not in html
    assert 'src="../../secret.png"' not in html
