"""YAML frontmatter splitting and the tolerant value helpers."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from wiki.markup.frontmatter import as_str, as_str_list, as_tag_list, json_safe, split_frontmatter


def test_no_frontmatter():
    assert split_frontmatter("# Title\nbody") == ({}, "# Title\nbody", 0, None)


def test_basic_frontmatter():
    text = "---\ntitle: Hello\ntags: [a, b]\n---\n# Body\ntext\n"
    meta, body, offset, error = split_frontmatter(text)
    assert meta == {"title": "Hello", "tags": ["a", "b"]}
    assert body == "# Body\ntext\n"
    assert offset == 4
    assert error is None
    assert text.splitlines()[offset] == "# Body"


def test_dots_close_and_crlf():
    meta, body, offset, error = split_frontmatter("---\r\na: 1\r\n...\r\nbody\r\n")
    assert (meta, body, offset, error) == ({"a": 1}, "body\r\n", 3, None)


def test_empty_frontmatter_and_no_body():
    assert split_frontmatter("---\n---\n") == ({}, "", 2, None)
    assert split_frontmatter("---\na: 1\n---") == ({"a": 1}, "", 3, None)


def test_dates_stay_objects():
    meta, *_ = split_frontmatter("---\ncreated: 2024-05-01\n---\n")
    assert meta["created"] == dt.date(2024, 5, 1)


def test_invalid_yaml_reports_line():
    text = "---\ntitle: ok\nbad: [unclosed\nmore: x\n---\nbody"
    meta, body, offset, error = split_frontmatter(text)
    assert meta == {} and body == text and offset == 0
    assert error.startswith("frontmatter is not valid YAML: line ")
    assert "\n" not in error


def test_tab_indent_yaml_error_is_one_line():
    meta, body, _, error = split_frontmatter("---\na:\n\t- b\n---\n")
    assert meta == {} and error and "\n" not in error


@pytest.mark.parametrize("yaml_text", ["- a\n- b", "just a string", "42"])
def test_non_mapping(yaml_text):
    text = f"---\n{yaml_text}\n---\nbody"
    meta, body, offset, error = split_frontmatter(text)
    assert meta == {} and body == text and offset == 0
    assert "not a YAML mapping" in error


def test_unterminated():
    text = "---\ntitle: x\nno end here\n"
    meta, body, offset, error = split_frontmatter(text)
    assert meta == {} and body == text and "not closed" in error


def test_only_a_first_line_dash_opens():
    text = "intro\n---\na: 1\n---\n"
    assert split_frontmatter(text) == ({}, text, 0, None)
    assert split_frontmatter("----\na: 1\n----\n")[0] == {}


def test_unsafe_yaml_tag_rejected():
    meta, _, _, error = split_frontmatter("---\nx: !!python/object/apply:os.system ['ls']\n---\n")
    assert meta == {} and error.startswith("frontmatter is not valid YAML")


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, []),
        ("one", ["one"]),
        ("a, b ,c", ["a", "b", "c"]),
        (["x", None, "y", {"k": 1}, ["n"], 3, "x"], ["x", "y", "3"]),
        (["has, comma"], ["has, comma"]),
        ([dt.date(2024, 1, 2)], ["2024-01-02"]),
        ({"a": 1}, []),
        ("", []),
    ],
)
def test_as_str_list(value, expected):
    assert as_str_list(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("#a, b", ["a", "b"]),
        (["#x", "y/z", "#x"], ["x", "y/z"]),
        ("one two", ["one", "two"]),
        (None, []),
        # Obsidian: each list item is one tag, and a tag has no spaces, brackets or only digits
        (["[[Oracle SQL Injection]]", "web/xss", "two words", "2024", "y2k"], ["web/xss", "y2k"]),
    ],
)
def test_as_tag_list(value, expected):
    assert as_tag_list(value) == expected


def test_as_str():
    assert as_str("  entity ") == "entity"
    assert as_str(["list"]) is None
    assert as_str(None) is None and as_str("   ") is None
    assert as_str(dt.date(2020, 2, 3)) == "2020-02-03"


def test_json_safe():
    meta, *_ = split_frontmatter(
        "---\ncreated: 2024-05-01T10:00:00\nd: 2024-05-01\n1: one\nn: [1, {x: 2020-01-01}]\n---\n")
    safe = json_safe(meta)
    json.dumps(safe)
    assert safe["created"] == "2024-05-01T10:00:00"
    assert safe["1"] == "one"
    assert safe["n"] == [1, {"x": "2020-01-01"}]
