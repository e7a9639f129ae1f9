"""A force-directed layout of a link graph, fast enough for the whole vault (numpy).

The forces are those of ForceAtlas2 (Jacomy et al. 2014): every pair of pages repels with
``(1 + degree_i)(1 + degree_j) / distance``, so hubs push their neighbours out and a page with
a hundred links does not sit under them; links pull like springs (force proportional to their
length); a gravity proportional to the distance from the centre (and to the mass, at least the
average one) keeps pages without links and small islands from drifting away. Each step moves a
page along its force, at most by a "temperature" that cools linearly, so the number of steps,
and the time, is bounded.

All pairs repel, which is n² work. Up to ``EXACT_LIMIT`` pages it is done exactly; above, the
repulsion is computed on a grid (particle-mesh, as in cosmological simulations): the pages'
masses are spread on a ``grid`` × ``grid`` mesh (cloud in cell), convolved with the force kernel
by FFT and read back at each page, which costs O(n + grid² log grid) a step instead of O(n²).
Pages closer than a grid cell hardly repel each other there: at 13k pages on a 128 grid a cell
holds about one page, which is what a picture of the whole vault can show anyway.

Same graph, same seed: same picture (the start is drawn from a seeded generator).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

EXACT_LIMIT = 600  # pages up to which repulsion is computed pair by pair
GRID = 128  # cells a side of the repulsion mesh above that
REPULSION = 1.0
GRAVITY = 0.06
ITERATIONS = 300

Progress = Callable[[int, int, np.ndarray], None]  # step done, steps, positions so far


def layout(n: int, edges: Sequence[tuple[int, int]] | np.ndarray, *,
           iterations: int = ITERATIONS, seed: int = 0,
           initial: np.ndarray | None = None,
           pinned: dict[int, tuple[float, float]] | None = None,
           progress: Progress | None = None, report_every: int = 25,
           should_stop: Callable[[], bool] | None = None,
           grid: int = GRID) -> np.ndarray:
    """Positions (an ``n`` × 2 array) for ``n`` nodes joined by ``edges`` (pairs of indices;
    direction and duplicates do not matter). ``initial`` positions (NaN rows: draw one) make
    a new layout start from an old one; ``pinned`` nodes stay where they are put.
    ``should_stop()`` is asked every step: true, the layout so far is returned."""
    if n == 0:
        return np.zeros((0, 2))
    e = _clean_edges(n, edges)
    degree = np.bincount(e.ravel(), minlength=n).astype(float)
    mass = 1.0 + degree
    # pulled in as an average page at least: alone, a page without links would settle far out
    # (gravity m r against the whole graph's repulsion m M / r), leaving the rest small
    weight = np.maximum(mass, mass.mean())
    rng = np.random.default_rng(seed)
    spread = np.sqrt(n) * 2.0
    start = _disc(rng, n) * spread
    pos = start if initial is None else np.where(np.isnan(initial), start, initial)
    pos = pos.astype(float, copy=True)
    pos += rng.normal(scale=1e-3, size=pos.shape)  # pages on the same spot feel no push apart
    fixed = np.zeros(n, dtype=bool)
    for index, (x, y) in (pinned or {}).items():
        pos[index] = (x, y)
        fixed[index] = True
    kernel: _Mesh | None = None if n <= EXACT_LIMIT else _Mesh(grid)
    hot = spread / 4.0  # the first steps may cross a quarter of the picture
    for step in range(iterations):
        if should_stop is not None and should_stop():
            break
        force = _repulsion(pos, mass) if kernel is None else kernel.repulsion(pos, mass)
        force *= REPULSION
        if len(e):
            delta = pos[e[:, 1]] - pos[e[:, 0]]  # springs: pull both ends together
            for axis in (0, 1):
                force[:, axis] += np.bincount(e[:, 0], delta[:, axis], minlength=n)
                force[:, axis] -= np.bincount(e[:, 1], delta[:, axis], minlength=n)
        force -= GRAVITY * weight[:, None] * pos
        temperature = hot * (1.0 - step / iterations) + 0.01
        length = np.sqrt((force ** 2).sum(axis=1))
        scale = np.minimum(1.0, temperature / np.maximum(length, 1e-9))
        move = force * scale[:, None]
        move[fixed] = 0.0
        pos += move
        if progress is not None and (step + 1) % report_every == 0 and step + 1 < iterations:
            progress(step + 1, iterations, pos.copy())
    return pos


def _clean_edges(n: int, edges: Sequence[tuple[int, int]] | np.ndarray) -> np.ndarray:
    """Undirected, unique, no self-loops, inside 0..n-1."""
    e = np.asarray(edges, dtype=np.int64).reshape(-1, 2)
    if not len(e):
        return e
    e = e[(e[:, 0] != e[:, 1]) & (e >= 0).all(axis=1) & (e < n).all(axis=1)]
    return np.unique(np.sort(e, axis=1), axis=0)


def _disc(rng: np.random.Generator, n: int) -> np.ndarray:
    """``n`` points spread evenly over the unit disc."""
    radius = np.sqrt(rng.random(n))
    angle = rng.random(n) * 2 * np.pi
    return np.column_stack((radius * np.cos(angle), radius * np.sin(angle)))


def _repulsion(pos: np.ndarray, mass: np.ndarray) -> np.ndarray:
    """Every pair, exactly: sum over j of m_i m_j (p_i - p_j) / |p_i - p_j|²."""
    diff = pos[:, None, :] - pos[None, :, :]
    d2 = (diff ** 2).sum(axis=2)
    np.fill_diagonal(d2, np.inf)
    d2 = np.maximum(d2, 1e-4)  # two pages on the same spot still part
    weight = mass[None, :] / d2
    return mass[:, None] * (diff * weight[:, :, None]).sum(axis=1)


class _Mesh:
    """Repulsion on a grid: the kernel's transform is computed once, in cell units."""

    def __init__(self, size: int) -> None:
        self.size = size
        offsets = np.fft.fftfreq(2 * size, 1.0 / (2 * size))  # 0, 1, …, size-1, -size, …, -1
        dx, dy = np.meshgrid(offsets, offsets, indexing="ij")
        r2 = dx ** 2 + dy ** 2
        r2[0, 0] = np.inf  # no force of a cell on itself
        self.kx = np.fft.rfft2(dx / r2)
        self.ky = np.fft.rfft2(dy / r2)

    def repulsion(self, pos: np.ndarray, mass: np.ndarray) -> np.ndarray:
        g = self.size
        low = pos.min(axis=0)
        extent = float(max((pos.max(axis=0) - low).max(), 1e-6))
        cell = extent / (g - 2)
        low = low - cell / 2
        gx = (pos - low) / cell  # in cells, inside [0.5, g - 1.5]
        i0 = np.clip(np.floor(gx).astype(np.int64), 0, g - 2)
        f = gx - i0
        corners = [(0, 0, (1 - f[:, 0]) * (1 - f[:, 1])), (1, 0, f[:, 0] * (1 - f[:, 1])),
                   (0, 1, (1 - f[:, 0]) * f[:, 1]), (1, 1, f[:, 0] * f[:, 1])]
        density = np.zeros((2 * g, 2 * g))
        flat = np.zeros(g * g)
        for ox, oy, w in corners:
            flat += np.bincount((i0[:, 0] + ox) * g + i0[:, 1] + oy, w * mass, minlength=g * g)
        density[:g, :g] = flat.reshape(g, g)
        rho = np.fft.rfft2(density)
        fx = np.fft.irfft2(rho * self.kx, s=density.shape)[:g, :g]
        fy = np.fft.irfft2(rho * self.ky, s=density.shape)[:g, :g]
        force = np.zeros_like(pos)
        for ox, oy, w in corners:
            ix, iy = i0[:, 0] + ox, i0[:, 1] + oy
            force[:, 0] += w * fx[ix, iy]
            force[:, 1] += w * fy[ix, iy]
        return force * (mass / cell)[:, None]
