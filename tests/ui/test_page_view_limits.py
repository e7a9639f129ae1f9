"""Issue 14, items 9 and 14 in the page view: a mail link never attaches a file, and a page of
megabytes renders off the search thread. Real PageView, real vault, clicks as a user makes them."""

from __future__ import annotations

import threading

import pytest
from test_ui_support import click_link, page_view_context, shown_page_view

from wiki.markup.render import parse_href

MAIL = ("# Contact\n\n[write to us](mailto:team@example.org?subject=Hi&attach=/etc/passwd) and "
        '<a href="mailto:x@example.org?%61ttachment=~/.ssh/id_rsa;body=hello">raw html</a>\n')


def _huge_page() -> str:
    line = ("Ada met [[Charles Babbage]] in **London** and wrote [notes](Notes.md) on the "
            "engine, with a stray [ bracket and a stray <b tag. ")
    return "# Huge\n\n" + line * (1_500_000 // len(line)) + "\n"


@pytest.fixture
def ctx(write_files, qtbot):
    with page_view_context(qtbot, write_files({"Contact.md": MAIL, "Huge.md": _huge_page(),
                        "Small.md": "# Small\n\nneedle in a small page\n"})) as context:
        yield context


@pytest.fixture
def view(ctx, qtbot):
    return shown_page_view(ctx, qtbot)


@pytest.mark.parametrize("href, expected", [
    ("mailto:a@b.org?subject=Hi&attach=/etc/passwd", "mailto:a@b.org?subject=Hi"),
    ("MAILTO:a@b.org?ATTACHMENT=x&body=b", "MAILTO:a@b.org?body=b"),
    ("mailto:a@b.org?%61ttach=x;subject=s", "mailto:a@b.org?subject=s"),
    ("mailto:a@b.org?attachments=a", "mailto:a@b.org"),
    ("mailto:a@b.org?cc=c@d.org&subject=ok", "mailto:a@b.org?cc=c@d.org&subject=ok"),
])
def test_mail_links_keep_only_the_fields_of_a_message(href, expected):
    assert parse_href(href) == ("external", expected, "")


def test_clicking_a_mail_link_never_asks_to_attach_a_file(view, qtbot, monkeypatch):
    opened: list[str] = []
    monkeypatch.setattr("ui.views.page_view.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toString()))
    with qtbot.waitSignal(view.page_loaded, timeout=10_000):
        view.open_page("Contact.md")
    for text in ("team@example.org", "x@example.org"):
        with qtbot.waitSignal(view.status_message) as said:
            click_link(qtbot, view.browser, lambda href, t=text: t in href)
        assert "without the file" in said.args[0]
    assert len(opened) == 2
    assert all("attach" not in url.lower() and "passwd" not in url and "ssh" not in url
               for url in opened), opened
    assert opened[0].startswith("mailto:team@example.org") and "subject=Hi" in opened[0]


def test_a_search_answers_while_a_huge_page_is_rendering(ctx, view, qtbot, monkeypatch):
    import ui.views.page_view as page_view_module

    started, release = threading.Event(), threading.Event()
    real = page_view_module.render_vault_page

    def slow_render(*args, **kwargs):  # the real renderer, held until the search has answered
        started.set()
        release.wait(60)
        return real(*args, **kwargs)

    monkeypatch.setattr(page_view_module, "render_vault_page", slow_render)
    view.open_page("Huge.md")
    assert started.wait(10)
    found = []
    ctx.tasks.query("search", ctx.vault.search, "needle", on_done=found.append)
    qtbot.waitUntil(lambda: bool(found), timeout=10_000)  # not behind the page
    assert [h.path for h in found[0].hits] == ["Small.md"]
    with qtbot.waitSignal(view.page_loaded, timeout=120_000) as shown:
        release.set()
    assert shown.args == ["Huge.md"]
    assert "Charles Babbage" in view.browser.toPlainText()[:2000]


def _long_table(rows: int) -> str:
    return "# Measurements\n\n| row | value | note |\n| --- | --- | --- |\n" + "".join(
        f"| row {i} | **{i * 7}** | [[Charles Babbage]] measured it |\n" for i in range(rows))


def test_a_long_page_shows_its_start_and_the_whole_page_on_request(ctx, view, qtbot):
    """A page of hundreds of thousands of characters (here a table, the slowest Markdown per
    character) shows its start at once with a notice; "Show the whole page" renders the rest."""
    (ctx.vault.root / "Table.md").write_text(_long_table(8_000), encoding="utf-8")
    ctx.vault.refresh()
    with qtbot.waitSignal(view.page_loaded, timeout=60_000):
        view.open_page("Table.md")
    text = view.browser.toPlainText()
    assert "row 0" in text and "row 7999" not in text
    assert "This page is long" in text and "Show the whole page" in text
    with qtbot.waitSignal(view.page_loaded, timeout=120_000):
        click_link(qtbot, view.browser, lambda href: href == "commonplace:whole-page")
    text = view.browser.toPlainText()
    assert "row 7999" in text and "This page is long" not in text
    assert "Charles Babbage" in text
