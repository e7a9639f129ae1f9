"""Link resolution (Obsidian rules), backlink keys and CLI page lookup."""

from __future__ import annotations

import pytest

from wiki.core.model import PageInfo
from wiki.markup.links import extract_links
from wiki.vault.resolve import Resolver


def info(path: str, *aliases: str, title: str | None = None) -> PageInfo:
    name = path.rpartition("/")[2].removesuffix(".md")
    return PageInfo(path=path, title=title or name, aliases=tuple(aliases))


@pytest.fixture
def resolver() -> Resolver:
    return Resolver([
        info("index.md"),
        info("Note.md"),
        info("deep/nested/Note.md"),
        info("people/Andrej Karpathy.md", "Karpathy", "AK"),
        info("people/Ada.md", title="Ada Lovelace"),
        info("archive/people/Ada.md"),
        info("projects/alpha/Plan.md"),
        info("projects/beta/Plan.md"),
        info("projects/beta/Notes.md"),
        info("Café Crème.md", "coffee"),
        info("zz/Shared.md"),
        info("aa/Shared.md"),
        info("topics/Other.md", "Note Alias"),
    ])


@pytest.mark.parametrize(
    ("target", "source", "expected"),
    [
        ("Note", "index.md", "Note.md"),  # shortest path wins a name tie
        ("note", "index.md", "Note.md"),
        ("NOTE.md", "index.md", "Note.md"),
        ("Andrej Karpathy", "index.md", "people/Andrej Karpathy.md"),
        ("andrej karpathy", "projects/beta/Notes.md", "people/Andrej Karpathy.md"),
        ("Karpathy", "index.md", "people/Andrej Karpathy.md"),  # alias
        ("ak", "index.md", "people/Andrej Karpathy.md"),
        ("Ada", "index.md", "people/Ada.md"),  # fewer folders wins
        ("Shared", "index.md", "aa/Shared.md"),  # same depth and length: alphabetical
        ("café crème", "index.md", "Café Crème.md"),
        ("CAFÉ CRÈME", "index.md", "Café Crème.md"),
        ("Cafe\u0301 Cre\u0300me", "index.md", "Café Crème.md"),  # NFD spelling (macOS)
        ("coffee", "index.md", "Café Crème.md"),
        ("Nope", "index.md", None),
        ("", "people/Ada.md", "people/Ada.md"),  # [[#Heading]] is the page itself
        # path-qualified
        ("people/Ada", "index.md", "people/Ada.md"),
        ("archive/people/Ada", "index.md", "archive/people/Ada.md"),
        ("nested/Note", "index.md", "deep/nested/Note.md"),  # unique suffix match
        ("deep/nested/Note.md", "index.md", "deep/nested/Note.md"),
        ("PEOPLE/ada", "index.md", "people/Ada.md"),
        ("alpha/Plan", "projects/beta/Notes.md", "projects/alpha/Plan.md"),
        ("beta/Plan", "index.md", "projects/beta/Plan.md"),
        ("/Note", "deep/nested/Note.md", "Note.md"),  # rooted
        ("./Plan", "projects/alpha/x.md", "projects/alpha/Plan.md"),
        ("../beta/Plan", "projects/alpha/x.md", "projects/beta/Plan.md"),
        ("wrong/Ada", "index.md", None),
        # never outside the vault
        ("../../etc/passwd", "people/Ada.md", None),
        ("../Note", "index.md", None),
        ("../../Note", "people/Ada.md", None),
    ],
)
def test_resolve_wiki(resolver, target, source, expected):
    assert resolver.resolve(target, source) == expected


def test_relative_path_beats_root_path():
    r = Resolver([info("a/b/c.md"), info("b/c.md")])
    assert r.resolve("b/c", "a/x.md") == "a/b/c.md"
    assert r.resolve("b/c", "index.md") == "b/c.md"
    assert r.resolve("b/c", "z/x.md") == "b/c.md"


def test_ambiguous_suffix_prefers_shortest():
    r = Resolver([info("x/long/sub/P.md"), info("y/sub/P.md")])
    assert r.resolve("sub/P", "index.md") == "y/sub/P.md"


def test_name_beats_alias():
    r = Resolver([info("a/b/Thing.md"), info("Other.md", "Thing")])
    assert r.resolve("Thing", "x.md") == "a/b/Thing.md"


def test_alias_ties_shortest_path():
    r = Resolver([info("long/folder/A.md", "same"), info("B.md", "same")])
    assert r.resolve("same", "x.md") == "B.md"


@pytest.mark.parametrize(
    ("target", "source", "expected"),
    [
        ("Notes.md", "projects/beta/Plan.md", "projects/beta/Notes.md"),
        ("../alpha/Plan.md", "projects/beta/Notes.md", "projects/alpha/Plan.md"),
        ("people/Ada.md", "index.md", "people/Ada.md"),
        ("people/Ada.md", "projects/beta/Notes.md", "people/Ada.md"),  # root fallback
        ("/people/Ada.md", "projects/beta/Notes.md", "people/Ada.md"),
        ("Café Crème.md", "index.md", "Café Crème.md"),
        ("../../../etc/passwd.md", "projects/beta/Notes.md", None),
        ("missing.md", "index.md", None),
    ],
)
def test_resolve_markdown(resolver, target, source, expected):
    assert resolver.resolve(target, source, "markdown") == expected


def test_resolve_extracted_markdown_link(resolver):
    (link,) = extract_links("[x](../../Caf%C3%A9%20Cr%C3%A8me.md)")
    assert resolver.resolve_link(link, "deep/nested/Note.md") == "Café Crème.md"


def test_add_remove_update(resolver):
    assert resolver.resolve("New Page", "index.md") is None
    resolver.add(info("inbox/New Page.md", "fresh"))
    assert resolver.resolve("new page", "index.md") == "inbox/New Page.md"
    assert resolver.resolve("fresh", "index.md") == "inbox/New Page.md"
    resolver.add(info("inbox/New Page.md"))  # aliases changed
    assert resolver.resolve("fresh", "index.md") is None
    resolver.remove("Note.md")
    assert resolver.resolve("Note", "index.md") == "deep/nested/Note.md"
    resolver.remove("not/there.md")  # no error
    assert len(resolver) == 13
    resolver.clear()
    assert len(resolver) == 0 and resolver.resolve("Ada", "index.md") is None


def test_page_keys(resolver):
    keys = Resolver.page_keys(info("a/b/Andrej Karpathy.md", "Karpathy"))
    assert keys == {"a/b/andrej karpathy", "b/andrej karpathy", "andrej karpathy", "karpathy"}


@pytest.mark.parametrize(
    ("target", "source", "kind"),
    [
        ("Note", "index.md", "wiki"),
        ("ak", "index.md", "wiki"),
        ("nested/Note", "index.md", "wiki"),
        ("alpha/Plan", "projects/beta/Notes.md", "wiki"),
        ("../beta/Plan", "projects/alpha/x.md", "wiki"),
        ("", "people/Ada.md", "wiki"),
        ("Notes.md", "projects/beta/Plan.md", "markdown"),
        ("../alpha/Plan.md", "projects/beta/Notes.md", "markdown"),
        ("CAFÉ CRÈME", "index.md", "wiki"),
    ],
)
def test_resolved_link_has_a_key_of_its_page(resolver, target, source, kind):
    path = resolver.resolve(target, source, kind)
    assert path is not None
    keys = resolver.link_keys(target, source, kind)
    assert set(keys) & Resolver.page_keys(resolver.get(path))


def test_link_keys_are_normalized(resolver):
    assert resolver.link_keys("Andrej Karpathy", "index.md") == ["andrej karpathy"]
    assert "people/andrej karpathy" in resolver.link_keys("People/Andrej Karpathy.md", "x.md")
    assert resolver.link_keys("../../etc/passwd", "a.md") == []


def test_key_property_over_many_targets(resolver):
    pages = resolver.infos()
    sources = [p.path for p in pages]
    names = ["Note", "ada", "people/ada", "Plan", "../Plan", "beta/plan", "nested/note", "AK",
             "coffee", "/note", "x/../Note", "Shared"]
    for source in sources:
        for target in names:
            for kind in ("wiki", "markdown"):
                t = target + ".md" if kind == "markdown" else target
                path = resolver.resolve(t, source, kind)
                if path is not None:
                    keys = set(resolver.link_keys(t, source, kind))
                    assert keys & Resolver.page_keys(resolver.get(path)), (t, source, kind)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("people/Ada.md", "people/Ada.md"),
        ("people/Ada", "people/Ada.md"),
        ("PEOPLE/ADA.MD", "people/Ada.md"),
        ("Ada", "people/Ada.md"),
        ("Karpathy", "people/Andrej Karpathy.md"),
        ("ada lovelace", "people/Ada.md"),  # title
        ("Note Alias", "topics/Other.md"),
        ("nothing", None),
        ("", None),
        ("../outside", None),
    ],
)
def test_find(resolver, name, expected):
    assert resolver.find(name) == expected


def test_paths_named_and_duplicates(resolver):
    assert resolver.paths_named("note") == ["Note.md", "deep/nested/Note.md"]
    assert resolver.paths_named("Nope") == []
    dups = resolver.duplicate_names()
    assert dups["plan"] == ["projects/beta/Plan.md", "projects/alpha/Plan.md"]  # shorter first
    assert "andrej karpathy" not in dups


def test_large_vault_incremental():
    r = Resolver(info(f"f{i % 50}/Page {i}.md") for i in range(10_000))
    assert len(r) == 10_000
    r.add(info("Page 17.md"))
    assert r.resolve("page 17", "x.md") == "Page 17.md"
    r.remove("Page 17.md")
    assert r.resolve("page 17", "x.md") == "f17/Page 17.md"
