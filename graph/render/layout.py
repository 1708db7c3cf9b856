"""Where each drawn entity goes: a numpy force layout, computed in Python.

Physics is off in the browser, so the page draws at once: connected components are laid
out with Fruchterman-Reingold and packed in rows, isolated entities go to a grid.
"""

from __future__ import annotations

import hashlib
import math

import networkx as nx
import numpy as np

from ..types import ENTITY_LABELS

SPACING = 150.0
"""Typical distance in page pixels between neighbouring nodes."""


def place(shown: list[str], drawn: list[tuple[str, str, str, dict]], entities: dict[str, dict],
          importance: dict[str, float]) -> dict[str, tuple[float, float]]:
    """Place connected components with a force layout and pack them in rows.

    Isolated entities go to a grid, grouped by type, below the connected ones.

    Args:
        shown: The entities drawn.
        drawn: The relations drawn, as (source, target, type, data).
        entities: Node data of at least every entity in ``shown``.
        importance: How important each entity is; orders the grid of isolated ones.

    Returns:
        Page coordinates of every entity in ``shown``, centred on (0, 0). The same
        input always gives the same positions.
    """
    simple = nx.Graph()
    simple.add_nodes_from(shown)
    simple.add_edges_from((s, t) for s, t, _, _ in drawn if s != t)
    components = sorted((sorted(c) for c in nx.connected_components(simple)),
                        key=lambda c: (-len(c), c[0]))
    boxes = []  # (width, height, {node: (x, y)} with origin at the box's corner)
    singles = []
    for nodes in components:
        if len(nodes) == 1:
            singles.append(nodes[0])
            continue
        index = {n: i for i, n in enumerate(nodes)}
        pairs = np.array([(index[s], index[t]) for s, t in simple.edges(nodes)], dtype=np.int64)
        seed = int(hashlib.sha256(nodes[0].encode()).hexdigest()[:8], 16)
        pos = _force_layout(len(nodes), pairs, seed)
        pos -= pos.min(axis=0)
        # Scale so that a typical edge is SPACING long, whatever the component's shape.
        lengths = np.linalg.norm(pos[pairs[:, 0]] - pos[pairs[:, 1]], axis=1)
        pos *= SPACING / max(float(np.median(lengths)), 1e-9)
        if len(nodes) <= 2500:
            pos = _spread(pos, SPACING * 0.8)
            pos -= pos.min(axis=0)
        width, height = (float(v) + SPACING for v in pos.max(axis=0))
        boxes.append((width, height, {n: (float(x) + SPACING / 2, float(y) + SPACING / 2)
                                      for n, (x, y) in zip(nodes, pos)}))
    if singles:
        order = list(ENTITY_LABELS)
        singles.sort(key=lambda n: (order.index(entities[n]["label"])
                                    if entities[n].get("label") in order else len(order),
                                    -importance[n], n))
        columns = max(1, math.ceil(math.sqrt(len(singles) * 1.6)))
        step = SPACING * 0.8
        grid = {n: (step / 2 + (i % columns) * step, step / 2 + (i // columns) * step)
                for i, n in enumerate(singles)}
        boxes.append((columns * step, math.ceil(len(singles) / columns) * step, grid))
    return _pack(boxes)


def _force_layout(n: int, pairs: np.ndarray, seed: int, iterations: int = 60) -> np.ndarray:
    """Fruchterman-Reingold positions in about the unit square.

    Repulsion is exact up to 2,500 nodes and taken from the mass centres of a grid
    above that; attraction runs along the edges only.
    """
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)).astype(np.float32)
    if n <= 2:
        return pos.astype(np.float64)
    k = np.float32(1.0 / math.sqrt(n))
    temperature = 0.1
    cooling = temperature / (iterations + 1)
    for _ in range(iterations):
        if n <= 2500:
            displacement = _exact_repulsion(pos, k)
        else:
            displacement = _grid_repulsion(pos, k)
        delta = pos[pairs[:, 0]] - pos[pairs[:, 1]]
        pull = delta * (np.sqrt((delta ** 2).sum(axis=1)) / k)[:, None]
        np.add.at(displacement, pairs[:, 0], -pull)
        np.add.at(displacement, pairs[:, 1], pull)
        length = np.linalg.norm(displacement, axis=1)
        length[length < 0.01] = 0.1
        pos += displacement * (np.float32(temperature) / length)[:, None]
        temperature -= cooling
    return pos.astype(np.float64)


def _spread(pos: np.ndarray, gap: float, rounds: int = 8) -> np.ndarray:
    """Push apart nodes closer than ``gap`` so that shapes and labels do not overlap."""
    pos = pos.astype(np.float64)
    for _ in range(rounds):
        dx = np.subtract.outer(pos[:, 0], pos[:, 0])
        dy = np.subtract.outer(pos[:, 1], pos[:, 1])
        distance = np.hypot(dx, dy)
        np.fill_diagonal(distance, gap * 2)
        short = distance < gap
        if not short.any():
            break
        push = np.where(short, (gap - distance) / (2 * np.maximum(distance, 1e-6)), 0.0)
        pos[:, 0] += (dx * push).sum(axis=1)
        pos[:, 1] += (dy * push).sum(axis=1)
    return pos


def _exact_repulsion(pos: np.ndarray, k: np.float32) -> np.ndarray:
    x, y = pos[:, 0], pos[:, 1]
    dx = np.subtract.outer(x, x)
    dy = np.subtract.outer(y, y)
    inverse = dx * dx
    inverse += dy * dy
    np.maximum(inverse, np.float32(1e-4), out=inverse)
    np.reciprocal(inverse, out=inverse)
    inverse *= k * k
    return np.stack([np.einsum("ij,ij->i", dx, inverse),
                     np.einsum("ij,ij->i", dy, inverse)], axis=1)


def _grid_repulsion(pos: np.ndarray, k: np.float32, cells: int = 24) -> np.ndarray:
    low = pos.min(axis=0)
    size = np.maximum(pos.max(axis=0) - low, 1e-9)
    cell = np.minimum((((pos - low) / size) * cells).astype(np.int64), cells - 1)
    flat = cell[:, 0] * cells + cell[:, 1]
    mass = np.bincount(flat, minlength=cells * cells).astype(np.float32)
    filled = mass > 0
    cx = np.bincount(flat, weights=pos[:, 0], minlength=cells * cells)[filled] / mass[filled]
    cy = np.bincount(flat, weights=pos[:, 1], minlength=cells * cells)[filled] / mass[filled]
    mass = mass[filled] * k * k
    displacement = np.empty_like(pos)
    for start in range(0, len(pos), 4096):
        chunk = pos[start:start + 4096]
        dx = np.subtract.outer(chunk[:, 0], cx.astype(np.float32))
        dy = np.subtract.outer(chunk[:, 1], cy.astype(np.float32))
        inverse = dx * dx
        inverse += dy * dy
        np.maximum(inverse, np.float32(1e-4), out=inverse)
        inverse = mass / inverse
        displacement[start:start + 4096, 0] = np.einsum("ij,ij->i", dx, inverse)
        displacement[start:start + 4096, 1] = np.einsum("ij,ij->i", dy, inverse)
    return displacement


def _pack(boxes) -> dict[str, tuple[float, float]]:
    if not boxes:
        return {}
    area = sum(w * h for w, h, _ in boxes)
    row_width = max(max(w for w, _, _ in boxes), math.sqrt(area) * 1.3)
    positions = {}
    x = y = row_height = 0.0
    for width, height, local in boxes:
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height, 0.0
        for node, (lx, ly) in local.items():
            positions[node] = (x + lx, y + ly)
        x += width
        row_height = max(row_height, height)
    xs = [p[0] for p in positions.values()]
    ys = [p[1] for p in positions.values()]
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    return {n: (round(px - cx, 1), round(py - cy, 1)) for n, (px, py) in positions.items()}
