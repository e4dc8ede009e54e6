"""Figures and tables for :mod:`analysis.explore.kwic` and :func:`analysis.compare.prevalence.keyness`.

Each ``plot_*`` function takes the tidy frame of its computing function, draws on ``ax``
(a new figure when None) and returns the Axes; :func:`kwic_table` returns a pandas
Styler that JupyterLab shows as an aligned concordance. Nothing here calls
``plt.show`` or ``savefig`` or changes ``rcParams``.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> key = pd.DataFrame({"term": ["putin", "colleague", "occupier", "ukraine"], "group": "Kremlin",
...     "reference": "President of Ukraine", "statistic": [26.0, 15.8, -19.1, -61.9]})
>>> ax = plot_keyness(key, n=2)
>>> [t.get_text() for t in ax.texts][:4], ax.get_legend().get_texts()[0].get_text()
(['putin', 'colleague', 'occupier', 'ukraine'], 'Kremlin (target)')
>>> net = pd.DataFrame({"actor_a": ["Putin", "Kim Jong Un"], "actor_b": ["Russland", "Putin"], "weight": [5, 2]})
>>> ax = plot_actor_network(net)
>>> sorted(t.get_text() for t in ax.texts if not t.get_text().startswith("edge"))
['Kim Jong Un', 'Putin', 'Russland']
>>> hits = pd.DataFrame({"doc_id": ["a"], "left": ["Die nordkoreanischen"], "match": ["Soldaten"],
...                      "right": ["haben keine Wahl"], "start": [30], "end": [38]})
>>> "font-weight: bold" in kwic_table(hits).to_html()
True
"""

from __future__ import annotations

import matplotlib.patheffects as path_effects
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.patches import Patch

from analysis.errors import MissingColumnError
from analysis.plotting.corpus import group_colors

_STATISTIC_LABELS = {
    "log_odds_dirichlet": "z-score of the log-odds ratio (informative Dirichlet prior)",
    "likelihood_ratio": "signed log-likelihood ratio G²",
    "chi2": "signed Pearson χ²",
}
_VALUE_LABELS = {"z": "z (standard-normal deviate)", "log_odds_ratio": "log-odds ratio (prior-smoothed)"}
_HALO = [path_effects.withStroke(linewidth=3, foreground="white")]
_POINTS_PER_UNIT = 150  # ≈ points per data unit of a 7-inch network figure, to size node gaps


def _check(frame, columns, what: str) -> None:
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{what} must be a DataFrame, not {type(frame).__name__}.")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise MissingColumnError(f"{what} has no column {missing[0]!r}; columns are {list(frame.columns)}.")


def plot_keyness(keyness: pd.DataFrame, *, n: int = 15, value: str = "statistic", ax=None):
    """Two-sided bars of the ``n`` most distinctive terms of each side (from :func:`~analysis.compare.prevalence.keyness`).

    Target terms (positive ``value``) point right, on top; reference terms (negative)
    point left, below. Each term is written beside the axis on the side opposite its bar.
    ``value``: ``"statistic"`` (default), ``"z"`` or ``"log_odds_ratio"``.
    """
    _check(keyness, ["term", value], "keyness")
    if int(n) < 1:
        raise ValueError(f"n must be at least 1, not {n!r}.")
    target = str(keyness["group"].iloc[0]) if "group" in keyness.columns and len(keyness) else "target"
    reference = str(keyness["reference"].iloc[0]) if "reference" in keyness.columns and len(keyness) else "reference"
    top = keyness[keyness[value] > 0].nlargest(n, value)
    bottom = keyness[keyness[value] < 0].nsmallest(n, value).iloc[::-1]
    rows = pd.concat([top, bottom])
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 0.26 * max(len(rows), 4) + 1.3))
    colors = group_colors([target, reference])
    y = -np.arange(len(rows), dtype=float) - (np.arange(len(rows)) >= len(top)) * 0.8  # gap between the sides
    values = rows[value].to_numpy(dtype=float)
    ax.barh(y, values, color=[colors[target] if v > 0 else colors[reference] for v in values], height=0.75)
    span = np.abs(values).max() if len(values) else 1.0
    for yi, v, term in zip(y, values, rows["term"].astype(str)):
        ax.text(-0.015 * span if v > 0 else 0.015 * span, yi, term, va="center", ha="right" if v > 0 else "left",
                fontsize=9)
    ax.axvline(0, color="0.3", linewidth=0.8)
    ax.set_yticks([])
    ax.set_xlim(-1.35 * span, 1.35 * span)
    ax.set_ylim(y.min() - 0.8 if len(y) else -1, 0.8)
    method = keyness.attrs.get("method")
    label = _VALUE_LABELS.get(value) or _STATISTIC_LABELS.get(method, "keyness statistic")
    ax.set_xlabel(f"{label}\n← more typical of {reference}  ·  more typical of {target} →")
    ax.legend(handles=[Patch(color=colors[target], label=f"{target} (target)"),
                       Patch(color=colors[reference], label=f"{reference} (reference)")],
              loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=2, frameon=False, fontsize=9)
    for side in ("left", "right", "top"):
        ax.spines[side].set_visible(False)
    return ax


def plot_actor_network(network: pd.DataFrame, *, ax=None, min_weight: int = 1, layout: str = "circle",
                       random_state: int = 0):
    """Actors as nodes, co-occurrences as edges (from :func:`~analysis.explore.actor_network`).

    Edge width ∝ ``weight``; node area ∝ weighted degree (sum of the node's edge weights).
    ``layout``: ``"circle"`` (nodes alphabetically, clockwise from the top) or
    ``"spring"`` (Fruchterman–Reingold force layout, deterministic for a ``random_state``).
    Filter a ``by`` network to one group first: ``network[network["outlet"] == "Kremlin"]``.
    """
    _check(network, ["actor_a", "actor_b", "weight"], "network")
    if layout not in ("circle", "spring"):
        raise ValueError(f"layout must be 'circle' or 'spring', not {layout!r}.")
    for column in network.columns.difference(["actor_a", "actor_b", "weight"]):
        if network[column].nunique() > 1:
            raise ValueError(f"network holds several {column} groups {sorted(map(str, network[column].unique()))[:5]};"
                             f" draw one: network[network[{column!r}] == …].")
    edges = network[network["weight"] >= min_weight]
    if edges.empty:
        top = network["weight"].max() if len(network) else 0
        raise ValueError(f"no pair has weight >= {min_weight} (the largest weight is {top}); lower min_weight.")
    degree = pd.concat([edges.groupby("actor_a")["weight"].sum(), edges.groupby("actor_b")["weight"].sum()])
    degree = degree.groupby(level=0).sum()
    nodes = sorted(degree.index)
    index = {a: i for i, a in enumerate(nodes)}
    pairs = np.array([[index[a], index[b]] for a, b in zip(edges["actor_a"], edges["actor_b"])])
    weights = edges["weight"].to_numpy(dtype=float)
    sizes = 80 + 1400 * degree[nodes].to_numpy(dtype=float) / degree.max()  # marker area in points²
    radii = np.sqrt(sizes) / 2 / _POINTS_PER_UNIT
    pos = _circle(len(nodes)) if layout == "circle" else _spring(pairs, weights, radii, random_state)
    if ax is None:
        _, ax = plt.subplots(figsize=(7, 7))
    for k in np.argsort(weights, kind="stable"):  # heavy edges drawn last, on top
        (i, j), w = pairs[k], weights[k]
        ax.plot(*pos[[i, j]].T, color="0.45", alpha=0.35 + 0.45 * w / weights.max(),
                linewidth=0.6 + 9 * w / weights.max(), solid_capstyle="round", zorder=1)
    ax.scatter(*pos.T, s=sizes, color="#1b6ca8", edgecolor="white", linewidth=1.5, zorder=2)
    _label_nodes(ax, nodes, pos, np.sqrt(sizes) / 2, layout)
    ax.text(0.0, 0.0, f"edge width ∝ co-occurrences (max {weights.max():g});\nnode size ∝ weighted degree",
            transform=ax.transAxes, fontsize=8, color="0.3", va="bottom")
    low, high = np.minimum(pos.min(axis=0), -1.0), np.maximum(pos.max(axis=0), 1.0)
    ax.set_xlim(low[0] - 0.6, high[0] + 0.6)
    ax.set_ylim(low[1] - 0.45, high[1] + 0.45)
    ax.set_aspect("equal")
    ax.axis("off")
    return ax


def _circle(k: int) -> np.ndarray:
    angles = np.pi / 2 - 2 * np.pi * np.arange(k) / k
    return np.column_stack([np.cos(angles), np.sin(angles)])


def _spring(pairs: np.ndarray, weights: np.ndarray, radii: np.ndarray, random_state, iterations: int = 300):
    """Fruchterman & Reingold (1991) force layout in [-1, 1]², then nodes pushed apart until none overlap.

    Attraction grows with ``log(1 + weight)``, so one dominant pair does not collapse
    the layout; ``radii`` are the node radii in data units.
    """
    k = len(radii)
    if k < 3:
        return _circle(k)
    rng = np.random.default_rng(random_state)
    pos = rng.uniform(-1, 1, size=(k, 2))
    strength = np.zeros((k, k))
    pull = np.log1p(weights) / np.log1p(weights.max())
    strength[pairs[:, 0], pairs[:, 1]] = strength[pairs[:, 1], pairs[:, 0]] = pull
    ideal, temperature = np.sqrt(4.0 / k), 0.5
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=-1), 1e-3)
        force = ideal ** 2 / distance ** 2 - strength * distance / ideal  # repulsion − attraction, per unit vector
        np.fill_diagonal(force, 0.0)
        gravity = 0.3 * pos * np.linalg.norm(pos, axis=1, keepdims=True)  # keeps loose nodes from drifting off
        move = (delta * force[..., None]).sum(axis=1) - gravity
        length = np.maximum(np.linalg.norm(move, axis=1, keepdims=True), 1e-9)
        pos += move / length * np.minimum(length, temperature)
        temperature = max(temperature * 0.99, 0.002)
    pos -= pos.mean(axis=0)
    return _separate(pos / np.abs(pos).max(), radii)


def _separate(pos: np.ndarray, radii: np.ndarray, gap: float = 0.25, iterations: int = 200) -> np.ndarray:
    """Push overlapping nodes apart (half the overlap each, per step) leaving ``gap`` for labels."""
    need = radii[:, None] + radii[None, :] + gap
    np.fill_diagonal(need, 0.0)
    for _ in range(iterations):
        delta = pos[:, None, :] - pos[None, :, :]
        distance = np.maximum(np.linalg.norm(delta, axis=-1), 1e-6)
        short = np.clip(need - distance, 0.0, None)
        if short.max() < 1e-3:
            break
        pos = pos + 0.5 * (delta / distance[..., None] * short[..., None]).sum(axis=1)
    return pos


def _label_nodes(ax, nodes: list, pos: np.ndarray, radii: np.ndarray, layout: str) -> None:
    """Names just outside their node, pointing away from the centre (above a node near the centre)."""
    for name, (x, y), radius in zip(nodes, pos, radii):
        norm = np.hypot(x, y)
        direction = np.array([x, y]) / norm if layout == "circle" or norm > 0.3 else np.array([0.0, 1.0])
        dx, dy = direction * (radius + 4)
        ha = "left" if direction[0] > 0.1 else "right" if direction[0] < -0.1 else "center"
        va = "bottom" if direction[1] > 0.5 else "top" if direction[1] < -0.5 else "center"
        ax.annotate(name, (x, y), xytext=(dx, dy), textcoords="offset points", ha=ha, va=va, fontsize=10,
                    zorder=3, path_effects=_HALO)


def kwic_table(kwic: pd.DataFrame, *, n: int = 20):
    """The first ``n`` hits of :func:`~analysis.explore.kwic.kwic` as a concordance Styler.

    Left context right-aligned, match bold, right context left-aligned, so the matches
    line up in one column; line breaks are shown as spaces; ``outlet`` and a shortened
    ``doc_id`` follow. Self-contained HTML (inline CSS only): display it in JupyterLab,
    or ``.to_html()`` it into a report.
    """
    _check(kwic, ["doc_id", "left", "match", "right"], "kwic")
    rows = kwic.head(int(n))
    view = pd.DataFrame({column: rows[column].astype(str).str.split().str.join(" ")
                         for column in ("left", "match", "right")})
    if "outlet" in rows.columns:
        view["outlet"] = rows["outlet"].astype(str).to_numpy()
    view["doc_id"] = rows["doc_id"].astype(str).map(lambda s: s if len(s) <= 40 else "…" + s[-39:]).to_numpy()
    cell = "white-space: nowrap; padding: 2px 6px; font-size: 0.9em;"
    styler = (view.style.hide(axis="index").format(escape="html")
              .set_caption(f"{len(kwic)} hits" + (f", first {len(rows)} shown" if len(rows) < len(kwic) else ""))
              .set_table_styles([{"selector": "td, th", "props": cell},
                                 {"selector": "caption", "props": "caption-side: top; text-align: left;"}])
              .set_properties(subset=["left"], **{"text-align": "right"})
              .set_properties(subset=["match"], **{"text-align": "center", "font-weight": "bold"})
              .set_properties(subset=["right"], **{"text-align": "left"})
              .set_properties(subset=[c for c in view.columns if c not in ("left", "match", "right")],
                              **{"color": "#666", "text-align": "left"})
              .set_table_styles({"left": [{"selector": "th", "props": "text-align: right;"}],
                                 "right": [{"selector": "th", "props": "text-align: left;"}]}, overwrite=False))
    return styler
