"""What a user types into the search box: `type:` as the results show it (folder names,
plurals, either spelling) and a phrase still being typed."""

from __future__ import annotations

from pathlib import Path

import pytest

from wiki.markup.pages import read_page
from wiki.search.index import SearchIndex
from wiki.search.query import check_query, close_open_phrase, type_forms

NOTES = {
    "people/Ada Lovelace.md": "---\ntype: person\n---\nAda wrote half a program.\n",
    "people/Grace Hopper.md": "Grace wrote a compiler; no type in her front matter.\n",
    "organizations/Acme.md": "---\ntype: organization\n---\nAcme makes half a phrase book.\n",
    "notes/Guild.md": "---\ntype: organisation\n---\nA guild of phrasebooks, in whole.\n",
    "sources/Paper.md": "---\ntype: source\n---\nHalf a phrase is better than none.\n",
    "Personal Log.md": "Persons of interest: none. A half a phrase here too.\n",
}


@pytest.fixture
def ix(write_files, tmp_path: Path):
    root = write_files(NOTES)
    index = SearchIndex(tmp_path / "state" / "index")
    index.open()
    index.build([read_page(root, rel) for rel in NOTES], total=len(NOTES))
    yield index
    index.close()


def found(ix: SearchIndex, q: str) -> set[str]:
    res = ix.search(q, limit=50)
    assert res.error is None, res.error
    return {h.path for h in res.hits}


PEOPLE = {"people/Ada Lovelace.md", "people/Grace Hopper.md"}
ORGS = {"organizations/Acme.md", "notes/Guild.md"}


@pytest.mark.parametrize("query, expected", [
    ("type:person", PEOPLE),
    ("type:people", PEOPLE),
    ("type:People", PEOPLE),
    ("type:persons", PEOPLE),
    ("type:people/", PEOPLE),
    ("type:organizations", ORGS),
    ("type:organisations", ORGS),
    ("type:organisation", ORGS),
    ("type:sources", {"sources/Paper.md"}),
    ("type:source", {"sources/Paper.md"}),
    ("type:people grace", {"people/Grace Hopper.md"}),
    ("type:concept", set()),
])
def test_type_accepts_what_the_results_show(ix, query, expected):
    assert found(ix, query) == expected


def test_type_does_not_match_words_that_merely_start_alike(ix):
    # "Personal Log.md" is not a person; the plural/singular rules are exact forms, not prefixes
    assert "Personal Log.md" not in found(ix, "type:persons")
    assert {"person", "people", "persons"} <= type_forms("people")
    assert {"organization", "organisation", "organizations"} <= type_forms("organisations")


@pytest.mark.parametrize("typed", ['"half a phr', '"half a phrase', '"half a ', '"half',
                                   'acme "half a phr', '"half a phr*'])
def test_a_phrase_being_typed_is_no_error_and_searches_what_is_typed(ix, typed):
    assert check_query(typed) is None
    res = ix.search(typed)
    assert res.error is None
    assert res.hits, typed


def test_a_phrase_being_typed_finds_the_pages_with_those_words_in_order(ix):
    assert close_open_phrase('"half a phr') == '"half a" phr*'
    assert found(ix, '"half a phr') == {"organizations/Acme.md", "sources/Paper.md",
                                        "Personal Log.md"}
    # the closed phrase still means exactly the phrase
    assert found(ix, '"half a phrase"') == {"organizations/Acme.md", "sources/Paper.md",
                                            "Personal Log.md"}
    assert found(ix, 'acme "half a phr') == {"organizations/Acme.md"}


def test_other_mistakes_are_still_reported():
    assert check_query('"half" (a') == "unbalanced parentheses: a '(' is never closed"
