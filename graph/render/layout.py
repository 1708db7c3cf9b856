"""Where the entities drawn at first go: a numpy force layout, computed in Python.

Physics is off in the browser, so the page draws at once. Each connected component is
laid out with Fruchterman-Reingold, starting from its communities placed round a
circle so that they stay together; then nodes are pushed apart until no node and no
label box overlaps another, and components are packed in rows. Entities the page
draws later (a node's neighbours, a document's entities) are placed by the page's
script next to what they link to.
"""

from __future__ import annotations

import hashlib
import math

import networkx as nx
import numpy as np

SPACING = 85.0
"""Typical distance in page pixels between neighbouring nodes."""

_GAP = 8.0
"""Least room left between two boxes (node and label) after decluttering."""

ASPECT = 1.8
"""Width to height a component's layout is stretched to before decluttering, which
then makes it taller (labels are wide, so most overlaps are resolved up or down)."""


def place(nodes: list[str], relations: list[tuple[str, str, str, dict]],
          groups: dict[str, int], boxes: dict[str, tuple[float, float, float]]
          ) -> dict[str, tuple[float, float]]:
    """Place ``nodes`` so that linked ones are near and no label covers another.

    Args:
        nodes: The entities to place.
        relations: Relations as (source, target, type, data); those with an end outside
            ``nodes`` are ignored.
        groups: Community number of each entity (absent: none).
        boxes: (radius, label width, label height) of each node in page pixels; the
            label sits under the node, as vis-network draws it.

    Returns:
        Page coordinates of every node, centred on (0, 0). The same input always gives
        the same positions.
    """
    simple = nx.Graph()
    simple.add_nodes_from(nodes)
    simple.add_edges_from((s, t) for s, t, _, _ in relations
                          if s != t and s in simple and t in simple)
    components = sorted((sorted(c) for c in nx.connected_components(simple)),
                        key=lambda c: (-len(c), c[0]))
    packed = []  # (width, height, {node: (x, y)} with origin at the box's corner)
    singles = [c[0] for c in components if len(c) == 1]
    for members in components:
        if len(members) == 1:
            continue
        index = {n: i for i, n in enumerate(members)}
        pairs = np.array([(index[s], index[t]) for s, t in simple.edges(members)],
                         dtype=np.int64)
        seed = int(hashlib.sha256(members[0].encode()).hexdigest()[:8], 16)
        start = _by_community(members, groups, seed)
        springs = np.concatenate([pairs, _community_springs(members, groups, simple)])
        pos = _force_layout(len(members), springs, seed, start=start)
        lengths = np.linalg.norm(pos[pairs[:, 0]] - pos[pairs[:, 1]], axis=1)
        pos *= SPACING / max(float(np.median(lengths)), 1e-9)
        pos = _landscape(pos)
        pos = _declutter(pos, np.array([boxes[n] for n in members], dtype=np.float64))
        packed.append(_box(members, pos, boxes))
    if singles:
        packed.append(_box(singles, _spiral(len(singles)), boxes))
    return _pack(packed)


def _community_springs(members: list[str], groups: dict[str, int], simple: nx.Graph
                       ) -> np.ndarray:
    """Extra springs from each entity to the first member of its community.

    They pull a community together round its most important member, so that the
    tint behind it reads as a region rather than scattered spots.
    """
    index = {n: i for i, n in enumerate(members)}
    heads: dict[int, str] = {}
    for node in members:  # members are in id order; the head is the best-linked member
        group = groups.get(node, -1)
        if group >= 0 and (group not in heads or simple.degree(node) > simple.degree(heads[group])):
            heads[group] = node
    pairs = [(index[n], index[heads[groups[n]]]) for n in members
             if groups.get(n, -1) >= 0 and heads[groups[n]] != n
             and not simple.has_edge(n, heads[groups[n]])]
    return np.array(pairs, dtype=np.int64).reshape(len(pairs), 2)


def _by_community(members: list[str], groups: dict[str, int], seed: int) -> np.ndarray:
    """Start positions: each community round its own point of a circle, with jitter."""
    rng = np.random.default_rng(seed)
    numbers = sorted({groups.get(n, -1) for n in members})
    slot = {g: i for i, g in enumerate(numbers)}
    angle = np.array([2 * math.pi * slot[groups.get(n, -1)] / len(numbers) for n in members])
    radius = 0.0 if len(numbers) == 1 else 0.35
    centre = np.stack([0.5 + radius * np.cos(angle), 0.5 + radius * np.sin(angle)], axis=1)
    return (centre + (rng.random((len(members), 2)) - 0.5) * 0.3).astype(np.float32)


def _landscape(pos: np.ndarray) -> np.ndarray:
    """Turn a layout so that its long axis runs across, and widen it to ``ASPECT``.

    Screens are wide; a round or tall layout would be drawn small to fit.
    """
    centred = pos - pos.mean(axis=0)
    if len(pos) < 3:
        return centred
    _, vectors = np.linalg.eigh(np.cov(centred.T))
    major = vectors[:, -1]
    if major[0] < 0 or (major[0] == 0 and major[1] < 0):
        major = -major
    turned = centred @ np.array([[major[0], -major[1]], [major[1], major[0]]])
    width, height = np.ptp(turned, axis=0)
    if height > 0 and width / height < ASPECT:
        factor = math.sqrt(ASPECT * height / max(width, 1e-9))
        turned = turned * np.array([factor, 1 / factor])
    return turned


def _spiral(count: int) -> np.ndarray:
    """Sunflower positions, most important first at the centre: no grid."""
    turn = math.pi * (3 - math.sqrt(5))
    return np.array([(SPACING * 0.9 * math.sqrt(i) * math.cos(i * turn),
                      SPACING * 0.9 * math.sqrt(i) * math.sin(i * turn)) for i in range(count)],
                    dtype=np.float64).reshape(count, 2)


def _extent(pos: np.ndarray, sizes: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lower-left and upper-right corners of each node's box: its shape and its label."""
    radius, width, height = sizes[:, 0], sizes[:, 1], sizes[:, 2]
    half = np.maximum(radius, width / 2)
    low = np.stack([pos[:, 0] - half, pos[:, 1] - radius], axis=1)
    high = np.stack([pos[:, 0] + half, pos[:, 1] + radius + 4 + height], axis=1)
    return low, high


def _declutter(pos: np.ndarray, sizes: np.ndarray, rounds: int = 300) -> np.ndarray:
    """Push apart nodes whose boxes (shape and label) overlap, along the shorter overlap.

    Each round moves a node by its largest push each way, which settles in a few
    hundred rounds where summed pushes would oscillate.
    """
    pos = pos.astype(np.float64)
    n = len(pos)
    if n < 2:
        return pos
    # Ties (same x or y) are broken by index so that every push has a direction.
    order = np.sign(np.subtract.outer(np.arange(n), np.arange(n))).astype(np.float64)
    for _ in range(rounds):
        low, high = _extent(pos, sizes)
        over_x = np.minimum.outer(high[:, 0], high[:, 0]) - np.maximum.outer(low[:, 0], low[:, 0])
        over_y = np.minimum.outer(high[:, 1], high[:, 1]) - np.maximum.outer(low[:, 1], low[:, 1])
        over_x += _GAP
        over_y += _GAP
        clash = (over_x > 0) & (over_y > 0)
        np.fill_diagonal(clash, False)
        if not clash.any():
            break
        dx = np.subtract.outer(pos[:, 0], pos[:, 0])
        dy = np.subtract.outer(pos[:, 1], pos[:, 1])
        sx = np.where(dx != 0, np.sign(dx), order)
        sy = np.where(dy != 0, np.sign(dy), order)
        along_x = clash & (over_x <= over_y * 1.3)
        push_x = np.where(along_x, sx * over_x / 2, 0.0)
        push_y = np.where(clash & ~along_x, sy * over_y / 2, 0.0)
        pos[:, 0] += push_x.max(axis=1, initial=0.0) + push_x.min(axis=1, initial=0.0)
        pos[:, 1] += push_y.max(axis=1, initial=0.0) + push_y.min(axis=1, initial=0.0)
    return pos


def _box(members: list[str], pos: np.ndarray, boxes) -> tuple[float, float, dict]:
    sizes = np.array([boxes[n] for n in members], dtype=np.float64).reshape(len(members), 3)
    low, high = _extent(pos, sizes)
    corner = low.min(axis=0) - SPACING / 4
    width, height = (float(v) for v in high.max(axis=0) - corner + SPACING / 4)
    return width, height, {n: (float(x), float(y)) for n, (x, y) in zip(members, pos - corner)}


def _force_layout(n: int, pairs: np.ndarray, seed: int, iterations: int = 60,
                  start: np.ndarray | None = None) -> np.ndarray:
    """Fruchterman-Reingold positions in about the unit square.

    Repulsion is exact up to 2,500 nodes and taken from the mass centres of a grid
    above that; attraction runs along the edges only. ``start`` gives the first
    positions (default: random from ``seed``).
    """
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2)).astype(np.float32) if start is None else start.astype(np.float32)
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
