"""The force layout of wiki/vault/graph_layout.py: what a reader of the picture relies on."""

from __future__ import annotations

import numpy as np

from wiki.vault import graph_layout
from wiki.vault.graph_layout import layout


def two_clusters(size: int, offset: int = 0) -> list[tuple[int, int]]:
    """Two cliques of ``size`` joined by a single link."""
    edges = []
    for base in (offset, offset + size):
        edges += [(base + i, base + j) for i in range(size) for j in range(i + 1, size)]
    return edges + [(offset, offset + size)]


def mean_distance(pos: np.ndarray, a: range, b: range) -> float:
    return float(np.mean([np.linalg.norm(pos[i] - pos[j]) for i in a for j in b if i != j]))


def test_linked_pages_end_up_together_and_clusters_apart():
    pos = layout(20, two_clusters(10))
    first, second = range(10), range(10, 20)
    inside = (mean_distance(pos, first, first) + mean_distance(pos, second, second)) / 2
    assert mean_distance(pos, first, second) > 1.8 * inside


def test_the_grid_repulsion_agrees_with_the_exact_one():
    rng = np.random.default_rng(3)
    pos = rng.normal(size=(1500, 2)) * 40
    mass = 1.0 + rng.integers(0, 12, 1500)
    exact = graph_layout._repulsion(pos, mass)
    grid = graph_layout._Mesh(128).repulsion(pos, mass)
    error = np.linalg.norm(exact - grid, axis=1) / np.linalg.norm(exact, axis=1)
    assert np.median(error) < 0.05 and np.percentile(error, 90) < 0.3


def test_a_big_graph_uses_the_grid_and_still_separates_clusters():
    n = graph_layout.EXACT_LIMIT + 200
    size = n // 2
    edges = two_clusters(size)[:: max(1, len(two_clusters(size)) // 6000)]
    edges += [(i, i + 1) for i in range(size - 1)] + [(size + i, size + i + 1)
                                                      for i in range(size - 1)]
    pos = layout(2 * size, edges, iterations=150)
    assert np.isfinite(pos).all()
    first, second = range(0, size, 20), range(size, 2 * size, 20)
    inside = (mean_distance(pos, first, first) + mean_distance(pos, second, second)) / 2
    assert mean_distance(pos, first, second) > 1.3 * inside


def test_same_graph_same_picture_and_the_seed_changes_it():
    edges = two_clusters(6)
    assert np.array_equal(layout(12, edges), layout(12, edges))
    assert not np.allclose(layout(12, edges, seed=1), layout(12, edges, seed=2))


def test_pinned_nodes_stay_and_pages_without_links_stay_near():
    edges = two_clusters(8)
    pos = layout(20, edges, pinned={0: (0.0, 0.0)})  # 16 and up have no links
    assert tuple(pos[0]) == (0.0, 0.0)
    linked = np.linalg.norm(pos[:16], axis=1).max()
    assert np.linalg.norm(pos[16:], axis=1).max() < 3 * linked


def test_starting_from_an_old_layout_keeps_the_picture():
    edges = two_clusters(10)
    old = layout(20, edges)
    start = np.vstack([old, [[np.nan, np.nan]]])  # a new page, no position yet
    new = layout(21, edges + [(20, 3)], initial=start, iterations=60)
    moved = np.linalg.norm(new[:20] - old, axis=1)
    span = np.ptp(old, axis=0).max()
    assert np.median(moved) < 0.25 * span and np.isfinite(new).all()


def test_stops_when_asked_and_reports_progress():
    calls: list[int] = []
    asked = iter(range(1000))
    pos = layout(50, [(i, i + 1) for i in range(49)], iterations=200, report_every=10,
                 progress=lambda step, steps, p: calls.append(step),
                 should_stop=lambda: next(asked) >= 35)
    assert calls == [10, 20, 30] and pos.shape == (50, 2)


def test_odd_input_gives_a_picture_not_an_error():
    assert layout(0, []).shape == (0, 2)
    assert layout(1, [(0, 0)]).shape == (1, 2)
    pos = layout(3, [(0, 1), (1, 0), (0, 1), (2, 2), (5, 1), (-1, 0)],
                 initial=np.zeros((3, 2)))  # duplicates, self-links, out of range, same spot
    assert np.isfinite(pos).all() and len({tuple(p) for p in pos.round(6)}) == 3
