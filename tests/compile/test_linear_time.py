"""No input makes the compiler go quadratic: a regular expression that backtracks over a long
run (one capitalised token of 40 KB once took 225 s, holding the watcher's only worker) would
show here as the time growing with the square of the input.

Each hostile input is compiled at two sizes, four times apart, and the CPU time of the larger
must grow about as the size does (4x; 16x is quadratic), measured in the same run, so a busy
machine slows both alike. How fast the compiler is belongs to ``bench/bench_compile.py``; this
only checks how its time grows.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from wiki.compile import compile_vault

SMALL = 6_000
GROWTH = 4
MAX_RATIO = 9.0  # linear is 4; quadratic would be 16
PROSE = ("Ada Lovelace wrote the first program for the Analytical Engine, which Charles "
         "Babbage designed in London. ")

# name -> a function making about ``n`` characters of that input
HOSTILE = {
    "one capitalised token": lambda n: "Title\n\nThe " + "A" * n + " appears. " + PROSE,
    "capitalised words": lambda n: "Title\n\n" + "Alpha " * (n // 6) + ".",
    "initials": lambda n: "Title\n\n" + "A. " * (n // 3),
    "one lowercase token": lambda n: "Title\n\nthe " + "a" * n + " end.",
    "brackets": lambda n: "Title\n\n" + PROSE + "[" * n + PROSE,
    "wiki brackets": lambda n: "Title\n\n" + PROSE + "[[" * (n // 2) + "]]" + PROSE,
    "backticks": lambda n: "Title\n\n" + PROSE + "`a" * (n // 2) + PROSE,
    "asterisks": lambda n: "Title\n\n" + PROSE + "**" * (n // 2) + PROSE,
    "dollars": lambda n: "Title\n\n" + PROSE + "$a " * (n // 3) + PROSE,
    "angle brackets": lambda n: "Title\n\n" + PROSE + "<" * n + PROSE,
    "a long address": lambda n: "Title\n\n" + PROSE + "https://a.example/" + "ab/" * (n // 3),
    "parentheses": lambda n: "Title\n\n" + PROSE + "(" * n + PROSE,
    "speaker labels": lambda n: "**Ada Lovelace:** " * (n // 18),
    "shouted labels": lambda n: "ADA LOVELACE: " * (n // 14),
    "numbered lines": lambda n: "Title\n\n" + "1. " * (n // 3),
    "a long heading": lambda n: "# " + "Word " * (n // 5) + "\n\n" + PROSE,
    "table cells": lambda n: "Title\n\n" + "| a " * (n // 4) + "|\n",
    "annotations": lambda n: "Title\n\n" + PROSE + "\\[" * (n // 2) + PROSE,
    "hyphens and dots": lambda n: "Title\n\n" + ".-" * (n // 2) + PROSE,
    "many short sentences": lambda n: "Title\n\n" + "Ada Lovelace. " * (n // 14),
    "one long line of prose": lambda n: "Title\n\n" + (PROSE * (n // len(PROSE) + 1))[:n],
    "ref definitions": lambda n: "Title\n\n" + PROSE + "\n\n" + "[a]: b\n" * (n // 7),
}


def _cpu_compile(root: Path, text: str, suffix: str = ".md") -> float:
    (root / "raw").mkdir(parents=True)
    (root / "raw" / f"article{suffix}").write_text(text, encoding="utf-8")
    start = time.process_time()
    report = compile_vault(root)
    spent = time.process_time() - start
    assert all("too large" not in m for _, m in report.errors)
    return spent


def _ratio(tmp_path: Path, make, suffix: str = ".md") -> tuple[float, float, float]:
    _cpu_compile(tmp_path / "warm", make(SMALL // 4), suffix)  # imports, caches
    small = min(_cpu_compile(tmp_path / f"s{i}", make(SMALL), suffix) for i in range(2))
    large = min(_cpu_compile(tmp_path / f"l{i}", make(SMALL * GROWTH), suffix)
                for i in range(2))
    return large / max(small, 0.02), small, large  # (a floor: 20 ms is noise, not work)


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_markdown_compiles_in_linear_time(tmp_path: Path, name: str):
    ratio, small, large = _ratio(tmp_path, HOSTILE[name])
    assert ratio < MAX_RATIO, f"{name}: {small:.3f} s -> {large:.3f} s (x{ratio:.1f})"


@pytest.mark.parametrize("name", ["nested tags", "unclosed tags", "many paragraphs"])
def test_hostile_html_compiles_in_linear_time(tmp_path: Path, name: str):
    make = {
        "nested tags": lambda n: "<html><body>" + "<div><span>" * (n // 11) + "Ada." + "</body>",
        "unclosed tags": lambda n: "<html><body><p>" + "<b>Ada " * (n // 8) + "</p></body>",
        "many paragraphs": lambda n: "<html><body><h1>T</h1>" + f"<p>{PROSE}</p>"
                                     * (n // (len(PROSE) + 7)) + "</body></html>",
    }[name]
    ratio, small, large = _ratio(tmp_path, make, ".html")
    assert ratio < MAX_RATIO, f"{name}: {small:.3f} s -> {large:.3f} s (x{ratio:.1f})"
