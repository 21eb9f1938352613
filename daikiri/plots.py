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
from sklearn.metrics import precision_recall_curve  # noqa: E402
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
        name = "noise" if label < 0 else f"regime {label}"
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


def confusion_table(counts: pd.DataFrame, title: str) -> str:
    """The 2×2 confusion matrix of each (model, label) row of ``counts`` (columns label, model,
    tp, fp, fn, tn) as one HTML table: a row per label and model, the four counts shaded by
    their share of the true class, so rare faults are as readable as the common "no fault"
    row. A table, not a figure: the counts can be read and copied, and it costs no drawing
    (a matplotlib grid of twelve matrices took 0.6 s, twice per diagnosis)."""
    def cell(value: int, share: float) -> str:
        text = "#fff" if share > 0.6 else "#000"
        # shade of matplotlib's "Blues" from white (share 0) to dark blue (share 1)
        red, green, blue = (int(247 + (8 - 247) * share), int(251 + (48 - 251) * share),
                            int(255 + (107 - 255) * share))
        return (f'<td style="background:rgb({red},{green},{blue});color:{text};'
                f'text-align:right" title="{share:.1%} of the true class">{value:,}</td>')

    rows = []
    for _, row in counts.iterrows():
        matrix = np.array([[row["tn"], row["fp"]], [row["fn"], row["tp"]]], dtype=float)
        shares = matrix / np.maximum(matrix.sum(axis=1, keepdims=True), 1)
        cells = "".join(cell(int(matrix[i, j]), float(shares[i, j]))
                        for i in (0, 1) for j in (0, 1))
        rows.append(f"<tr><td>{html.escape(str(row['label']))}</td>"
                    f"<td>{html.escape(str(row['model']))}</td>{cells}</tr>")
    return (f"<h3>{html.escape(title)}</h3><table class='daikiri-table confusion'>"
            "<thead><tr><th rowspan='2'>label</th><th rowspan='2'>model</th>"
            "<th colspan='2'>true: no</th><th colspan='2'>true: yes</th></tr>"
            "<tr><th>predicted no</th><th>predicted yes</th><th>predicted no</th>"
            "<th>predicted yes</th></tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


def pr_curves(predictions: pd.DataFrame, labels: list[str]) -> Figure:
    """One precision-recall curve per label, from the true column ``<label>`` and the
    model's ``<label>_probability`` on held-out rows (a label without positives: no curve)."""
    figure, axes = plt.subplots(1, len(labels), figsize=(3 * len(labels), 2.8), squeeze=False)
    for axis, label in zip(axes[0], labels, strict=True):
        truth = predictions[label].to_numpy()
        if truth.min() != truth.max():
            precision, recall, _ = precision_recall_curve(truth,
                                                          predictions[f"{label}_probability"])
            axis.plot(recall, precision)
        axis.set_title(label)
        axis.set_xlabel("recall")
        axis.set_ylabel("precision")
    figure.tight_layout()
    return figure


def coverage_plot(rows: list[tuple[str, int, int, int]]) -> Figure:
    """Per explanation (name, true positives, false positives, missed positives): one bar,
    as shares of the runs involved, of those it covers rightly, those it covers wrongly and
    the positives it misses; the counts are written beside it."""
    names = [r[0] for r in rows]
    counts = np.array([r[1:] for r in rows], dtype=float)
    shares = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    figure, axis = plt.subplots(figsize=(8, 0.42 * len(rows) + 1.4))
    positions = np.arange(len(rows))
    left = np.zeros(len(rows))
    for column, (colour, label) in enumerate((("#2a7", "covered, positive"),
                                              ("#d44", "covered, negative"),
                                              ("#bbb", "positive, not covered"))):
        axis.barh(positions, shares[:, column], left=left, color=colour, label=label)
        left += shares[:, column]
    for position, (tp, fp, fn) in zip(positions, counts.astype(int), strict=True):
        axis.text(1.01, position, f"{tp:,} / {fp:,} / {fn:,}", va="center", fontsize=8)
    axis.set_yticks(positions, names)
    axis.invert_yaxis()
    axis.set_xlim(0, 1)
    axis.set_xlabel("share of the runs involved (counts: right / wrong / missed)")
    axis.set_title("What each explanation covers")
    axis.legend(loc="upper center", bbox_to_anchor=(0.5, -0.25), ncol=3, fontsize=8)
    figure.tight_layout()
    return figure
