"""Flyte task: operating regimes by clustering, with a Deck of the projection and profiles."""

from __future__ import annotations

import html
from typing import NamedTuple

import pandas as pd
from flytekit import Cache, Deck, task

from daikiri.clustering import ClusteringConfig, ClusterMetrics, cluster_features, cluster_profile
from daikiri.params import ClusterMethod
from daikiri.plots import line_plot, projection_plot, table_to_html
from daikiri.spec import DatasetSpec
from tasks.common import DECK_FIELDS, MEDIUM, SHORT, configure_logging
from tasks.versions import code_version

#: Cached results stay valid while this module and what it imports are unchanged.
CACHE = Cache(version=code_version(__name__))


class ClusteringOutputs(NamedTuple):
    assignments: pd.DataFrame
    metrics: ClusterMetrics
    profile: pd.DataFrame


@task(timeout=SHORT, requests=MEDIUM, limits=MEDIUM, enable_deck=True,
      deck_fields=DECK_FIELDS, cache=CACHE)
def cluster(table: pd.DataFrame, spec: DatasetSpec,
            method: ClusterMethod = ClusterMethod.KMEANS, k_min: int = 2,
            k_max: int = 8, seed: int = 42) -> ClusteringOutputs:
    """Find operating regimes in the spec's numeric and derived features.

    ``method`` is ``kmeans`` (k chosen by silhouette in [k_min, k_max]) or ``hdbscan``.
    Returns one row per table row (id, cluster), quality metrics and a per-cluster profile
    (feature quartiles and label rates) — also shown in this task's Deck.
    """
    configure_logging()
    config = ClusteringConfig(method=method.value, k_min=k_min, k_max=k_max, seed=seed)
    features = table[spec.feature_columns]
    labels, metrics = cluster_features(features, config)
    profile = cluster_profile(table, labels, spec.feature_columns, spec.all_label_columns)
    body = "".join(f"<p style='color:#a00'><b>Warning:</b> {html.escape(w)}</p>"
                   for w in metrics.warnings)
    body += projection_plot(features.to_numpy(), labels,
                            f"{metrics.n_clusters} regimes ({method.value}), PCA projection",
                            seed=seed)
    if metrics.silhouette_by_k:
        ks = sorted(metrics.silhouette_by_k, key=int)
        body += line_plot([int(k) for k in ks], [metrics.silhouette_by_k[k] for k in ks], "k",
                          "silhouette", "Choice of k")
    body += table_to_html(profile, "Cluster profiles")
    Deck("Clusters", body)
    assignments = pd.DataFrame({spec.id_column: table[spec.id_column].to_numpy(),
                                "cluster": labels})
    return ClusteringOutputs(assignments=assignments, metrics=metrics, profile=profile)
