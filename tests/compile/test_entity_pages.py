"""Entity pages as a reader sees them: a description taken from the text (never "Person mentioned
in 1 source"), and a "Related" list of only what the sources connect to the entity."""

from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import pytest
from compile_support import ENTITY_FOLDERS, page
from test_corpus import compile_corpus

from wiki.compile import build_from, compile_vault

PLACEHOLDER = re.compile(r"mentioned in \d+ sources?\.?$")


def descriptions(root: Path) -> dict[str, str]:
    out = {}
    for folder in ENTITY_FOLDERS:
        for p in sorted((root / folder).glob("*.md")):
            meta, body = page(root, f"{folder}/{p.name}")
            out[f"{folder}/{p.name}"] = str(meta.get("description", ""))
            # the description shown under the page's heading is the same one
            assert str(meta.get("description", "")) in body
    return out


def related(root: Path, rel: str) -> list[str]:
    _, body = page(root, rel)
    if "## Related" not in body:
        return []
    part = body.split("## Related", 1)[1]
    return re.findall(r"^- \[\[([^\]|]+)", part, flags=re.MULTILINE)


@pytest.fixture(scope="module")
def corpus_vault(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("corpus-pages") / "vault"
    assert compile_corpus(root) == []
    return root


@pytest.fixture(scope="module")
def seeds_vault(tmp_path_factory, request) -> Path:
    root = tmp_path_factory.mktemp("seed-pages") / "vault"
    report = build_from(root, Path(request.config.rootpath) / "seeds",
                        today=dt.date(2026, 11, 21))
    assert report.errors == []
    return root


@pytest.mark.parametrize("vault", ["corpus_vault", "seeds_vault"])
def test_every_entity_page_says_what_the_text_says_of_it(vault, request):
    root = request.getfixturevalue(vault)
    descs = descriptions(root)
    assert len(descs) > 100
    placeholders = [rel for rel, d in descs.items() if not d or PLACEHOLDER.search(d)]
    assert placeholders == []
    for rel, desc in descs.items():
        assert "¦" not in desc and "<!--" not in desc, (rel, desc)


def test_descriptions_come_from_roles_definitions_and_context(corpus_vault):
    descs = descriptions(corpus_vault)
    # a role beside the name: "Ahsan Iqbal the Federal Minister for Planning, ..."
    assert descs["people/Ahsan Iqbal.md"].startswith("The Federal Minister for Planning")
    # "Chief Minister Sindh, Murad Ali Shah"
    assert descs["people/Murad Ali Shah.md"].startswith("Chief Minister Sindh")
    # a defining sentence: "Continuum 93 is an emulator of a classic retro computer ..."
    assert "emulator" in descs["products/Continuum 93.md"]
    # otherwise the clearest sentence naming it, whole, not a speaker's label
    kobzol = descs["people/Kobzol.md"]
    assert "Kobzol" in kobzol and kobzol.endswith((".", "!", "?"))


def write(root: Path, name: str, text: str) -> None:
    (root / "raw").mkdir(parents=True, exist_ok=True)
    (root / "raw" / name).write_text(text, encoding="utf-8")


def test_related_lists_only_what_a_sentence_or_several_sources_connect(tmp_path):
    root = tmp_path / "vault"
    # Marta Kowalski and Henrik Olsen work together (one sentence names both); Ines Duarte is
    # named in the same article but never beside either of them.
    write(root, "a.txt", "Orchard robots\n\n"
          "Marta Kowalski said the orchard robots worked well. Marta Kowalski and Henrik Olsen "
          "built the first prototype together in a barn. Henrik Olsen said the barn was cold.\n\n"
          "Elsewhere, Ines Duarte said the harvest was late. Ines Duarte said prices fell.\n")
    # Marta Kowalski and Tomas Berg are named in two sources, never in one sentence.
    write(root, "b.txt", "Cold storage\n\nMarta Kowalski said storage matters. Prices are up. "
          "Tomas Berg said the warehouses are full. Tomas Berg said more are coming.\n")
    write(root, "c.txt", "Farm fairs\n\nTomas Berg said the fair was busy. The weather held. "
          "Marta Kowalski said the fair sold out.\n")
    assert compile_vault(root, today=dt.date(2026, 1, 5)).errors == []
    marta = related(root, "people/Marta Kowalski.md")
    assert marta == ["Henrik Olsen", "Tomas Berg"]  # a sentence together, two shared sources
    assert "Ines Duarte" not in marta
    assert related(root, "people/Ines Duarte.md") == []  # named alone: nothing connected
    assert related(root, "people/Henrik Olsen.md") == ["Marta Kowalski"]


def test_related_is_capped_and_strongest_first(tmp_path):
    root = tmp_path / "vault"
    names = [f"{first} {last}" for first, last in zip(
        "Anna Boris Clara Dmitri Elena Felix Greta Hugo Irene Jonas".split(),
        "Aalto Brandt Costa Dahl Eriksen Fischer Grimm Horvat Ivanova Jensen".split(), strict=True)]
    for n, other in enumerate(names):
        # Anna Aalto meets each of the others; the earlier ones in more articles
        for k in range(1 + (len(names) - n) // 3):
            write(root, f"{n}-{k}.txt", f"Meeting {n} {k}\n\nAnna Aalto met {other} at the "
                  f"market. {other} said it was a good day. Anna Aalto agreed.\n")
    assert compile_vault(root, today=dt.date(2026, 1, 5)).errors == []
    got = related(root, "people/Anna Aalto.md")
    assert len(got) == 8  # capped
    assert got[0] == "Boris Brandt"  # met in the most articles
    assert "Jonas Jensen" not in got  # met once, in one article: the weakest, cut


def test_related_survives_a_compile_from_saved_facts(tmp_path):
    """The sentences each name is in are kept in the compile state: a later compile that
    reads facts back (not the raw files) lists the same companions."""
    root = tmp_path / "vault"
    write(root, "a.txt", "Orchard robots\n\nMarta Kowalski and Henrik Olsen built a robot. "
          "Marta Kowalski said it works. Henrik Olsen said it is slow.\n")
    assert compile_vault(root, today=dt.date(2026, 1, 5)).errors == []
    before = related(root, "people/Marta Kowalski.md")
    write(root, "b.txt", "Pears\n\nHenrik Olsen said pears are late. Henrik Olsen said so.\n")
    assert compile_vault(root, today=dt.date(2026, 1, 6)).errors == []
    assert before == ["Henrik Olsen"]
    assert related(root, "people/Marta Kowalski.md") == ["Henrik Olsen"]
    shutil.rmtree(root / ".wiki")  # lost state: rebuilt from raw/, same answer
    assert compile_vault(root, today=dt.date(2026, 1, 6)).errors == []
    assert related(root, "people/Marta Kowalski.md") == ["Henrik Olsen"]
