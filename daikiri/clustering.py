"""Operating regimes: clustering of the standardised numeric features (or of vectors on one
scale, such as embeddings, as they are: ``standardise=False``).

Two methods, both deterministic for a seed:

- ``kmeans``: K-Means for every k in a range, choosing the k with the best silhouette score
  (computed on at most ``silhouette_sample`` = 2,000 rows: a full silhouette is quadratic in
  the rows) — the smallest k within ``k_tolerance`` of the best, since silhouettes of one
  sample differ from another's by about that much. The candidates are fitted on at most
  ``k_choice_rows`` = 5,000 rows, and only the chosen k on every row, starting from the
  sample's centres (a fresh search there could spend a centre on a few outlying rows the
  sample did not hold); MiniBatchKMeans above ``minibatch_above`` rows.
- ``hdbscan``: scikit-learn's HDBSCAN, fitted on at most ``hdbscan_max_rows`` rows (it is
  super-linear); the remaining rows join the cluster of their nearest clustered sample point.
  Noise is labelled -1.

Regimes are numbered by size, the largest 0 (ties: the smaller mean of the first standardised
feature first), not in the algorithm's arbitrary order: a person names regimes by number
("0=idle; 1=high load") and the names must still fit after a change to the clustering (or a
new scikit-learn) that finds nearly the same clusters in another order. Noise stays -1.

Quality metrics (silhouette, Davies–Bouldin, cluster sizes) and a per-cluster profile (mean and
quartiles per feature in original units, label rates) are returned for people to read.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from sklearn.cluster import HDBSCAN, KMeans, MiniBatchKMeans
from sklearn.metrics import davies_bouldin_score, silhouette_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

from daikiri.errors import DaikiriError

log = logging.getLogger(__name__)
METHODS = ("kmeans", "hdbscan")


@dataclass
class ClusteringConfig:
    """Parameters of the clustering step (all have sensible defaults)."""

    method: str = "kmeans"
    k_min: int = 2
    k_max: int = 8
    seed: int = 42
    #: Rows the silhouette of each k is computed on: 2,000 (not 5,000: 3.7 s -> 1.2 s for
    #: the default data's regimes, the same k).
    silhouette_sample: int = 2_000
    #: A larger k is chosen only if its silhouette beats a smaller k's by more than this: on
    #: the default data k=2 and k=4 score 0.21682 and 0.21677 on 2,000 rows (0.2188 and
    #: 0.2106 on 5,000), a difference no sample size decides.
    k_tolerance: float = 0.005
    minibatch_above: int = 100_000
    #: Candidate k's are fitted on at most this many rows (a seeded sample); only the chosen k
    #: is fitted on every row, from the sample's centres. The default data's regimes: the same
    #: k as a search on every row at 10k/100k/1M rows, the same labels but for a few rows.
    k_choice_rows: int = 5_000
    #: Features in different units (the table's) are standardised; vectors whose coordinates
    #: share one scale (embeddings) are clustered as they are: standardising stretches a
    #: coordinate where nearly every row is alike until its few unlike rows are a "cluster"
    #: (Tab2Onto's 10,000 default-data embeddings: 9,993 + 7 rows, silhouette 0.93).
    standardise: bool = True
    hdbscan_min_cluster_size: int = 0  # 0: 1 % of the fitted rows, at least 10
    hdbscan_max_rows: int = 20_000

    def validate(self) -> ClusteringConfig:
        if self.method not in METHODS:
            raise DaikiriError(f"clustering method {self.method!r} is unknown; expected one of "
                               f"{list(METHODS)}")
        if not 2 <= self.k_min <= self.k_max:
            raise DaikiriError(f"clustering k range [{self.k_min}, {self.k_max}] is invalid; "
                               "expected 2 <= k_min <= k_max")
        if self.seed < 0:
            raise DaikiriError(f"seed must be a non-negative integer, got {self.seed}")
        if self.k_choice_rows < 100:
            raise DaikiriError("k_choice_rows must be at least 100")
        if self.silhouette_sample < 100:
            raise DaikiriError("silhouette_sample must be at least 100")
        if not 0.0 <= self.k_tolerance < 1.0:
            raise DaikiriError(f"k_tolerance must be in [0, 1), got {self.k_tolerance}")
        return self


@dataclass
class ClusterMetrics:
    """Quality of a clustering, readable without the data."""

    method: str
    n_clusters: int
    silhouette: float
    davies_bouldin: float
    sizes: dict[str, int] = field(default_factory=dict)
    noise_fraction: float = 0.0
    silhouette_by_k: dict[str, float] = field(default_factory=dict)
    seconds: float = 0.0
    #: What a person must know before trusting the regimes (no regimes found, mostly noise).
    warnings: list[str] = field(default_factory=list)


#: Above this share of noise rows, HDBSCAN's regimes describe a minority of the runs.
NOISE_WARNING = 0.5


def quality_warnings(metrics: ClusterMetrics) -> list[str]:
    """Plain-language warnings about a clustering that found no usable regimes."""
    warnings = []
    if metrics.n_clusters < 2:
        warnings.append(
            f"{metrics.method} found {metrics.n_clusters} regime(s): "
            f"{metrics.noise_fraction:.0%} of the rows are noise, so there are no regimes to "
            "explain. The runs form no density-separated groups in these features; "
            "cluster_method kmeans (the default) partitions them into regimes")
    elif metrics.noise_fraction > NOISE_WARNING:
        warnings.append(
            f"{metrics.method} left {metrics.noise_fraction:.0%} of the rows as noise: its "
            f"{metrics.n_clusters} regimes describe a minority of the runs")
    return warnings


def cluster_features(features: pd.DataFrame, config: ClusteringConfig
                     ) -> tuple[np.ndarray, ClusterMetrics]:
    """Cluster the rows of a numeric feature table; return (labels, metrics)."""
    config.validate()
    if len(features) < config.k_max + 1 and config.method == "kmeans":
        raise DaikiriError(f"clustering needs more rows ({len(features)}) than k_max "
                           f"({config.k_max})")
    started = time.perf_counter()
    scaled = features.to_numpy(dtype=np.float64)
    if config.standardise:
        scaled = np.nan_to_num(StandardScaler().fit_transform(scaled))  # constant: 0/0
    rng = np.random.default_rng(config.seed)
    sample = _sample_index(len(scaled), config.silhouette_sample, rng)
    if config.method == "kmeans":
        labels, by_k = _best_kmeans(scaled, sample, config, rng)
    else:
        labels, by_k = _hdbscan(scaled, config, rng), {}
    labels = numbered_by_size(labels, scaled[:, 0])
    metrics = _metrics(config.method, scaled, labels, sample, by_k)
    metrics.seconds = round(time.perf_counter() - started, 3)
    metrics.warnings = quality_warnings(metrics)
    log.info("%s: %d clusters over %d rows (silhouette %.3f) in %.1f s", config.method,
             metrics.n_clusters, len(scaled), metrics.silhouette, metrics.seconds)
    for warning in metrics.warnings:
        log.warning(warning)
    return labels, metrics


def numbered_by_size(labels: np.ndarray, tie_breaker: np.ndarray) -> np.ndarray:
    """The same clustering with clusters renumbered 0, 1, … from the largest down; clusters of
    equal size in the order of their mean ``tie_breaker``; noise (-1) unchanged."""
    clusters, sizes = np.unique(labels[labels >= 0], return_counts=True)
    means = [float(tie_breaker[labels == c].mean()) for c in clusters]
    order = sorted(range(len(clusters)), key=lambda i: (-sizes[i], means[i]))
    renumber = np.full(int(labels.max(initial=-1)) + 2, -1, dtype=np.int64)
    for number, i in enumerate(order):
        renumber[clusters[i] + 1] = number
    return renumber[labels + 1]


def _sample_index(n: int, size: int, rng: np.random.Generator) -> np.ndarray:
    return np.arange(n) if n <= size else np.sort(rng.choice(n, size=size, replace=False))


def _best_kmeans(scaled: np.ndarray, sample: np.ndarray, config: ClusteringConfig,
                 rng: np.random.Generator) -> tuple[np.ndarray, dict[str, float]]:
    """K-Means for each candidate k on at most ``k_choice_rows`` rows, scored by silhouette on
    ``sample``; then the chosen k on every row, starting from the sample's centres."""
    fit_rows = _sample_index(len(scaled), config.k_choice_rows, rng)
    sampled = len(fit_rows) < len(scaled)
    found: dict[int, tuple[float, KMeans | MiniBatchKMeans, np.ndarray | None]] = {}
    for k in range(config.k_min, config.k_max + 1):
        started = time.perf_counter()
        model = _kmeans(k, len(fit_rows), config)
        if sampled:
            model.fit(scaled[fit_rows])
            score, labels = _silhouette(scaled[sample], model.predict(scaled[sample])), None
        else:
            labels = model.fit_predict(scaled)
            score = _silhouette(scaled[sample], labels[sample])
        found[k] = (score, model, labels)
        log.info("k=%d: silhouette %.4f (%.2f s%s)", k, score, time.perf_counter() - started,
                 f", fitted on {len(fit_rows):,} of {len(scaled):,} rows" if sampled else "")
    scores = [score for score, _, _ in found.values() if not np.isnan(score)]
    best = max(scores) if scores else np.nan
    chosen = next((k for k, (score, _, _) in found.items()
                   if score >= best - config.k_tolerance), config.k_min)
    _, model, labels = found[chosen]
    if labels is None:
        # from the sample's centres, not a fresh search: a fresh one can spend a centre on a
        # handful of outlying rows the sample did not hold (1M rows' embeddings: 19,999 + 1)
        labels = _kmeans(chosen, len(scaled), config, model.cluster_centers_).fit_predict(scaled)
    return labels.astype(np.int64), {str(k): round(score, 4)
                                     for k, (score, _, _) in found.items()}


def _kmeans(k: int, rows: int, config: ClusteringConfig, centres: np.ndarray | None = None
            ) -> KMeans | MiniBatchKMeans:
    """K-Means, or its mini-batch variant above ``minibatch_above`` rows; seeded, or started
    once from given ``centres``."""
    init: dict = {} if centres is None else {"init": centres, "n_init": 1}
    if rows > config.minibatch_above:
        return MiniBatchKMeans(n_clusters=k, random_state=config.seed, batch_size=4096,
                               **({"n_init": 3} | init))
    return KMeans(n_clusters=k, random_state=config.seed, **({"n_init": 4} | init))


def _hdbscan(scaled: np.ndarray, config: ClusteringConfig, rng: np.random.Generator
             ) -> np.ndarray:
    fit_index = _sample_index(len(scaled), config.hdbscan_max_rows, rng)
    min_size = config.hdbscan_min_cluster_size or max(10, len(fit_index) // 100)
    model = HDBSCAN(min_cluster_size=min_size, copy=True)  # (copy: sklearn's future default)
    fitted = model.fit_predict(scaled[fit_index])
    if len(fit_index) == len(scaled):
        return fitted.astype(np.int64)
    labels = np.full(len(scaled), -1, dtype=np.int64)
    labels[fit_index] = fitted
    clustered = fit_index[fitted >= 0]
    rest = np.setdiff1d(np.arange(len(scaled)), fit_index)
    if len(clustered):
        knn = KNeighborsClassifier(n_neighbors=1).fit(scaled[clustered], labels[clustered])
        labels[rest] = knn.predict(scaled[rest])
    return labels


def _silhouette(points: np.ndarray, labels: np.ndarray) -> float:
    """Silhouette of labelled points, noise (-1) left out; NaN with fewer than two clusters."""
    kept = labels >= 0
    if len(np.unique(labels[kept])) < 2:
        return float("nan")
    return float(silhouette_score(points[kept], labels[kept]))


def _metrics(method: str, scaled: np.ndarray, labels: np.ndarray, sample: np.ndarray,
             by_k: dict[str, float]) -> ClusterMetrics:
    clustered = labels >= 0
    n_clusters = len(np.unique(labels[clustered]))
    davies = (float(davies_bouldin_score(scaled[clustered], labels[clustered]))
              if n_clusters >= 2 else float("nan"))
    values, counts = np.unique(labels, return_counts=True)
    sizes = {str(v): int(c) for v, c in zip(values, counts, strict=True)}
    return ClusterMetrics(
        method=method, n_clusters=n_clusters,
        silhouette=round(_silhouette(scaled[sample], labels[sample]), 4),
        davies_bouldin=round(davies, 4), sizes=sizes,
        noise_fraction=round(float((~clustered).mean()), 4), silhouette_by_k=by_k)


def cluster_profile(table: pd.DataFrame, labels: np.ndarray, features: list[str],
                    label_columns: list[str]) -> pd.DataFrame:
    """Per-cluster size, mean / quartiles of each feature and the rate of each label."""
    grouped = table.assign(cluster=labels).groupby("cluster", sort=True)
    parts = [grouped.size().rename("rows")]
    for feature in features:
        stats = grouped[feature].describe(percentiles=[0.25, 0.5, 0.75])
        stats = stats[["mean", "25%", "50%", "75%"]].round(3)
        stats.columns = [f"{feature} {s}" for s in ("mean", "q25", "median", "q75")]
        parts.append(stats)
    for label in label_columns:
        parts.append(grouped[label].mean().round(4).rename(f"{label} rate"))
    return pd.concat(parts, axis=1).reset_index()
