"""Issue 14, item 14: field names are case-insensitive, and a field that does not exist is
named instead of silently matching nothing. A real vault and index, searched as a user types."""

from __future__ import annotations

import pytest
from support import run_wiki

from wiki.vault.facade import Vault

PAGES = {
    "Foo Bar.md": "---\ntags: [ml]\ntype: person\naliases: [Fooey]\n---\nhello world foo\n",
    "Other.md": "bar:baz is written here, at 10:30, see http://x.y/z and foo\n",
}


@pytest.fixture
def vault(write_files):
    with Vault.open(write_files(PAGES)) as v:
        v.refresh()
        yield v


@pytest.mark.parametrize("query", ["Title:foo", "TITLE:foo", "title:foo", "TAG:ml", "Tags:ml",
                                   "Type:person", "PATH:foo", "Alias:fooey", "ALIASES:Fooey"])
def test_field_names_are_case_insensitive(vault, query):
    result = vault.search(query)
    assert result.error is None and [h.path for h in result.hits] == ["Foo Bar.md"], query


def test_an_unknown_field_that_matches_nothing_is_named(vault):
    result = vault.search("xyz:hello")
    assert not result.hits
    assert result.error and "'xyz:' is not a field" in result.error and "title:" in result.error


def test_colons_in_ordinary_words_still_search_as_text(vault):
    for query in ("bar:baz", "10:30", "http://x.y/z"):
        result = vault.search(query)
        assert result.error is None and [h.path for h in result.hits] == ["Other.md"], query
    assert vault.search('"Title:foo"').error is None  # a phrase is left as written


def test_the_cli_says_unknown_field_in_one_line(write_files):
    root = write_files(PAGES)
    result = run_wiki("search", "Nope:hello", vault=root)
    assert result.returncode == 2 and "'Nope:' is not a field" in result.stderr
    assert result.stderr.strip().count("\n") == 0 and "Traceback" not in result.stderr
    assert run_wiki("search", "Title:foo", vault=root).stdout.startswith("Foo Bar.md")
