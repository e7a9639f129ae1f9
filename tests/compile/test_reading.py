"""Reading raw files: what of a saved page, a copied web page or a Markdown note reaches the
source page (furniture, menus and frontmatter stay out; the article's own title is kept).

The articles are in ``tests/data/review/`` (see its README for their origin).
"""

from __future__ import annotations

from compile_support import TODAY, all_entities, compiled_vault, page, pages, source_of

from wiki.compile import compile_vault


def test_html_cookie_banner_menu_sidebar_and_comments_stay_out(review_vault):
    title, _, body = source_of(review_vault, "raw/blog.html")
    assert title == "Why We Moved Our Build System to Bazel"
    for junk in ("cookies", "Accept all", "Careers", "Recent Posts", "Subscribe", "Share on",
                 "Reply", "Derek Lindgren", "All rights reserved", "dataLayer", "querySelector"):
        assert junk not in body, junk
    assert "Shipwright was written in 2018" in body
    summary = body.split("## Summary", 1)[1].split("##", 1)[0]
    assert "Shipwright" in summary and "cookie" not in summary.casefold()
    assert "Tidewater Labs Inc" not in all_entities(review_vault)  # only in the footer


def test_wrapper_named_like_furniture_keeps_the_article(tmp_path):
    root = tmp_path / "vault"
    (root / "raw").mkdir(parents=True)
    text = " ".join(["Harriet Vance runs the Northfield Orchard Cooperative, which grows"
                     " heritage apples for local cider makers."] * 8)
    (root / "raw/page.html").write_text(
        '<html><body><div class="layout-with-sidebar"><p>' + text + '</p>'
        '<div class="sidebar"><p>Popular tags: apples, cider</p></div></div>'
        '<div id="cookie-notice">We use cookies. Accept</div></body></html>', encoding="utf-8")
    report = compile_vault(root, today=TODAY)
    assert report.errors == []
    _, _, body = source_of(root, "raw/page.html")
    assert "heritage apples" in body
    assert "Popular tags" not in body and "cookies" not in body


def test_markdown_note_with_frontmatter_and_its_own_headings(review_vault):
    title, meta, body = source_of(review_vault, "raw/note.md")
    assert title == "Notes on The Mom Test"
    assert "tags:" not in body and "customer-research" not in body
    assert "Rob Fitzpatrick" in pages(review_vault, "people")
    assert "The Mom Test" in pages(review_vault, "products")  # the book the note is about
    for heading in ("Why I read it", "Bad data", "The core idea", "Related"):
        assert heading not in all_entities(review_vault)


def test_text_copied_from_a_web_page_loses_its_menus_and_share_buttons(scraped_vault):
    title, _, body = source_of(scraped_vault, "raw/lumora.txt")
    assert title == ("Lumora Robotics raises $120 million to bring warehouse robots to "
                     "mid-sized retailers")
    for junk in ("Skip to main content", "Sign in", "Business | Technology", "Share on",
                 "Advertisement", "Read more:", "newsletter", "to your inbox", "Related articles",
                 "Robots are coming for the warehouse night shift", "All rights reserved",
                 "Image:", "## Published"):
        assert junk not in body, junk
    assert "Published Wednesday, 5 June 2024" in body  # kept as text, not made a heading
    assert "Petrova added that Lumora was in early talks" in body
    entities = all_entities(scraped_vault)
    assert "The Company" not in entities and "Company" not in entities
    assert {"Nadia Petrova", "Owen Gallagher", "Rachel Dunmore"} <= pages(scraped_vault, "people")
    meta, _ = page(scraped_vault, "organizations/Lumora Robotics.md")
    assert "Lumora" in meta["aliases"]
    assert not {"Wednesday", "Monday", "Menu", "Search", "Lumora"} & entities


def test_an_articles_own_header_keeps_its_title_and_the_site_name_is_dropped(tmp_path):
    root = compiled_vault(tmp_path / "vault", "loaf.html")
    title, _, body = source_of(root, "raw/loaf.html")
    assert title == "Tending sourdough in a cold kitchen"
    assert "The Slow Loaf" not in body and "Older" not in body and "Home" not in body
    assert "Ingrid Halvorsen" in pages(root, "people")
    meta, _ = page(root, "people/Ingrid Halvorsen.md")
    assert "Halvorsen" in meta["aliases"]


def test_story_title_is_taken_from_a_site_title_without_the_site_name():
    from wiki.compile.reading.sources import html_to_text

    title, text = html_to_text("<html><head><title>Tending sourdough in a cold kitchen | The "
                               "Slow Loaf</title></head><body><p>Winter is hard on a sourdough "
                               "starter.</p></body></html>")
    assert title == "Tending sourdough in a cold kitchen"
    assert "Winter is hard" in text


def test_a_page_about_wiki_links_with_a_marked_section_html_parser_rejects_is_read():
    """``<![[`` (a page quoting wiki-link syntax) made html.parser give up with an exception."""
    from wiki.compile.reading.sources import html_article

    title, text, _info = html_article(
        "<html><head><title>Links</title></head><body><p>Obsidian links look like"
        " <![[Page]]> in the source.</p><p>Second paragraph.</p></body></html>")
    assert title == "Links"
    assert "Second paragraph." in text
    assert "[[Page]]" in text
