"""Small plotting and HTML helpers for Flyte Decks and the HTML report.

Figures are rendered with matplotlib's non-interactive Agg backend to PNG and embedded as
base64 ``<img>`` tags, so a Deck or report file is self-contained (no network, no files).
"""

from __future__ import annotations

import base64
import html
import io

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from sklearn.decomposition import PCA  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402


def figure_to_html(figure: Figure, alt: str) -> str:
    """Render a figure to an embedded PNG ``<img>`` tag and close it."""
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=90, bbox_inches="tight")
    plt.close(figure)
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return f'<img alt="{html.escape(alt)}" src="data:image/png;base64,{encoded}"/>'


def table_to_html(frame: pd.DataFrame, title: str = "") -> str:
    heading = f"<h3>{html.escape(title)}</h3>" if title else ""
    return heading + frame.to_html(index=False, border=0, classes="daikiri-table")


def projection_plot(features: np.ndarray, labels: np.ndarray, title: str,
                    max_points: int = 5_000, seed: int = 0) -> str:
    """A 2-D PCA projection of standardised features, coloured by cluster label."""
    rng = np.random.default_rng(seed)
    index = (np.arange(len(features)) if len(features) <= max_points
             else rng.choice(len(features), size=max_points, replace=False))
    scaled = np.nan_to_num(StandardScaler().fit_transform(features[index]))
    components = min(2, scaled.shape[1])
    points = PCA(n_components=components, random_state=seed).fit_transform(scaled)
    if components == 1:
        points = np.column_stack([points[:, 0], np.zeros(len(points))])
    figure, axis = plt.subplots(figsize=(6, 4.5))
    for label in np.unique(labels[index]):
        mask = labels[index] == label
        name = "noise" if label < 0 else f"cluster {label}"
        axis.scatter(points[mask, 0], points[mask, 1], s=6, alpha=0.6, label=name,
                     color="lightgrey" if label < 0 else None)
    axis.set_xlabel("principal component 1")
    axis.set_ylabel("principal component 2")
    axis.set_title(title)
    axis.legend(markerscale=3, fontsize=8, loc="best")
    return figure_to_html(figure, title)


def line_plot(xs: list[float], ys: list[float], xlabel: str, ylabel: str, title: str) -> str:
    figure, axis = plt.subplots(figsize=(5, 3))
    axis.plot(xs, ys, marker="o")
    axis.set_xlabel(xlabel)
    axis.set_ylabel(ylabel)
    axis.set_title(title)
    return figure_to_html(figure, title)
