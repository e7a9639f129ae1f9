"""The data the graphs draw: the whole vault's links (graph_snapshot) and a page's
neighbourhood to a depth (local_graph), on real vaults on disk."""

from __future__ import annotations

import pytest

from wiki.vault.graph_snapshot import Cancelled, snapshot
from wiki.vault.local_graph import BETWEEN, FROM_PAGE, TO_PAGE, local_graph

CHAIN = {
    "Hub.md": "---\ntags: [area/home]\n---\n# Hub\n\nSee [[A]], [[B]], [[Missing]], "
              "[[report.pdf]] and [[Hub]] itself; [[A]] again.\n",
    "A.md": "# A\n\nBack to [[Hub]], on to [[B]] and [[notes/C]].\n",
    "B.md": "---\ntags: [misc]\n---\n# B\n\nNothing but [[A]].\n",
    "notes/C.md": "# C\n\nOn to [[D]].\n",
    "notes/D.md": "# D\n\nOn to [[E]].\n",
    "notes/E.md": "# E\n\nThe end.\n",
    "Fan.md": "# Fan\n\nI link to [[Hub]].\n",
    "Alone.md": "# Alone\n\nNo links.\n",
}


@pytest.fixture
def chain(write_files, open_vault):
    write_files(CHAIN)
    (write_files({}) / "report.pdf").write_bytes(b"%PDF-1.4\n")
    return open_vault(write_files({}))


def test_the_snapshot_has_every_page_and_each_link_between_two_pages_once(chain):
    snap = snapshot(chain)
    assert snap.paths == sorted(CHAIN)
    at = {p: i for i, p in enumerate(snap.paths)}
    named = {(snap.paths[a], snap.paths[b]) for a, b in snap.edges}
    assert named == {("Hub.md", "A.md"), ("Hub.md", "B.md"), ("A.md", "Hub.md"),
                     ("A.md", "B.md"), ("A.md", "notes/C.md"), ("B.md", "A.md"),
                     ("notes/C.md", "notes/D.md"), ("notes/D.md", "notes/E.md"),
                     ("Fan.md", "Hub.md")}  # no missing page, attachment or self-link
    assert len(snap.edges) == len(named)
    assert snap.degree[at["Hub.md"]] == 3 and snap.degree[at["Alone.md"]] == 0
    assert snap.folders() == ["", "notes"]
    assert snap.folder(at["notes/C.md"]) == "notes"
    assert snap.has_tag(at["Hub.md"], "area") and snap.has_tag(at["Hub.md"], "#Area/Home")
    assert not snap.has_tag(at["Hub.md"], "are") and not snap.has_tag(at["A.md"], "misc")


def test_a_snapshot_no_longer_wanted_stops(chain):
    with pytest.raises(Cancelled):
        snapshot(chain, should_stop=lambda: True)


def test_depth_one_is_the_pages_linked_both_ways_with_the_links_among_them(chain):
    data = local_graph(chain, "Hub.md", depth=1)
    paths = [n.path for n in data.nodes]
    assert paths[0] == "Hub.md" and set(paths) == {"Hub.md", "A.md", "B.md", "Fan.md"}
    assert paths[1] == "A.md"  # the most connected first
    node = {n.path: n for n in data.nodes}
    assert node["A.md"].linked_from_page and node["A.md"].links_to_page
    assert node["B.md"].linked_from_page and not node["B.md"].links_to_page
    assert node["Fan.md"].links_to_page and not node["Fan.md"].linked_from_page
    edges = {(paths[a], paths[b], kind) for a, b, kind in data.edges}
    assert ("Hub.md", "B.md", FROM_PAGE) in edges and ("Fan.md", "Hub.md", TO_PAGE) in edges
    assert ("A.md", "B.md", BETWEEN) in edges and ("B.md", "A.md", BETWEEN) in edges
    assert data.hidden == 0 and not data.truncated
    assert len(data.positions) == 4 and data.positions[0] == (0.0, 0.0)


def test_deeper_reaches_further_and_the_cap_counts_the_rest(chain):
    assert {n.path for n in local_graph(chain, "Hub.md", depth=2).nodes} >= {"notes/C.md"}
    deep = local_graph(chain, "Hub.md", depth=3)
    assert {n.path: n.depth for n in deep.nodes}["notes/D.md"] == 3
    assert "notes/E.md" not in {n.path for n in deep.nodes}
    assert {n.path for n in local_graph(chain, "Hub.md", depth=9).nodes} == \
        {n.path for n in deep.nodes}  # at most 3
    capped = local_graph(chain, "Hub.md", depth=3, limit=2)
    assert [n.path for n in capped.nodes] == ["Hub.md", "A.md", "B.md"]  # closest, most linked
    assert capped.hidden == 3  # Fan, notes/C, notes/D


def test_a_page_without_links_or_gone_is_alone(chain):
    alone = local_graph(chain, "Alone.md")
    assert [n.path for n in alone.nodes] == ["Alone.md"] and not alone.edges
    assert local_graph(chain, "Nowhere.md").nodes == []


def test_the_walk_stops_at_its_bound_on_a_big_hub(write_files, open_vault, monkeypatch):
    from wiki.vault import local_graph as module

    spokes = {f"s/S{i:03}.md": f"# S{i}\n\n[[Centre]] [[s/S{(i + 1) % 120:03}]]\n"
              for i in range(120)}
    vault = open_vault(write_files({"Centre.md": "# Centre\n", **spokes}))
    monkeypatch.setattr(module, "MAX_REACHED", 50)
    data = local_graph(vault, "Centre.md", depth=2, limit=10)
    assert data.truncated and len(data.nodes) == 11 and data.hidden == 49 - 10
