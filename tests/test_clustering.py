"""Clustering recovers planted regimes and reports its quality."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from daikiri.clustering import ClusteringConfig, cluster_features, cluster_profile
from daikiri.errors import DaikiriError


def _blobs(n: int, centers: int = 4, seed: int = 0) -> tuple[pd.DataFrame, np.ndarray]:
    points, truth = make_blobs(n_samples=n, centers=centers, n_features=5, cluster_std=1.0,
                               center_box=(-20, 20), random_state=seed)
    # different scales per column: standardisation must make them comparable
    points = points * np.array([1, 10, 100, 0.1, 1000])
    return pd.DataFrame(points, columns=[f"x{i}" for i in range(5)]), truth


@pytest.mark.parametrize("method", ["kmeans", "hdbscan"])
@pytest.mark.parametrize("seed", [0, 1])
def test_planted_clusters_are_recovered(method, seed):
    features, truth = _blobs(3_000, seed=seed)
    labels, metrics = cluster_features(features, ClusteringConfig(method=method, seed=seed))
    assert adjusted_rand_score(truth, labels) >= 0.95
    assert metrics.n_clusters == 4 and metrics.silhouette > 0.5
    assert sum(metrics.sizes.values()) == 3_000


def test_kmeans_chooses_k_by_silhouette():
    features, _ = _blobs(2_000, centers=5, seed=3)
    _, metrics = cluster_features(features, ClusteringConfig(k_min=2, k_max=8))
    assert metrics.n_clusters == 5
    assert max(metrics.silhouette_by_k, key=metrics.silhouette_by_k.get) == "5"
    assert set(metrics.silhouette_by_k) == {str(k) for k in range(2, 9)}


def test_large_tables_use_minibatch_and_a_silhouette_sample():
    features, truth = _blobs(12_000, seed=5)
    config = ClusteringConfig(k_min=3, k_max=5, minibatch_above=10_000, silhouette_sample=2_000)
    labels, metrics = cluster_features(features, config)
    assert adjusted_rand_score(truth, labels) >= 0.95 and metrics.n_clusters == 4


def test_hdbscan_on_a_sample_assigns_every_row():
    features, truth = _blobs(8_000, seed=6)
    config = ClusteringConfig(method="hdbscan", hdbscan_max_rows=2_000)
    labels, metrics = cluster_features(features, config)
    assert len(labels) == 8_000
    assert adjusted_rand_score(truth, labels) >= 0.95
    assert metrics.noise_fraction < 0.05


@pytest.mark.parametrize("method", ["kmeans", "hdbscan"])
def test_deterministic_for_a_seed(method):
    features, _ = _blobs(1_500, seed=2)
    config = ClusteringConfig(method=method, seed=9)
    first, _ = cluster_features(features, config)
    second, _ = cluster_features(features, config)
    assert (first == second).all()


def test_profile_reports_quartiles_and_label_rates():
    features, truth = _blobs(600, centers=3, seed=4)
    table = features.assign(fault=(truth == 1).astype(int))
    profile = cluster_profile(table, truth, ["x0", "x1"], ["fault"])
    assert list(profile.rows) == [200, 200, 200]
    assert set(profile["fault rate"]) == {0.0, 1.0}
    first = table[truth == 0].x0
    assert profile.loc[0, "x0 median"] == pytest.approx(first.median(), abs=1e-3)
    assert profile.loc[0, "x0 q25"] == pytest.approx(first.quantile(0.25), abs=1e-3)


@pytest.mark.parametrize("config, message", [
    (ClusteringConfig(method="dbscan"), "clustering method 'dbscan' is unknown"),
    (ClusteringConfig(k_min=5, k_max=3), "k range [5, 3] is invalid"),
    (ClusteringConfig(k_min=1), "k range [1, 8] is invalid"),
])
def test_bad_configuration_is_rejected(config, message):
    features, _ = _blobs(200)
    with pytest.raises(DaikiriError) as info:
        cluster_features(features, config)
    assert message in str(info.value)


def test_too_few_rows_for_k_max():
    features, _ = _blobs(6)
    with pytest.raises(DaikiriError, match=r"needs more rows \(6\) than k_max \(8\)"):
        cluster_features(features, ClusteringConfig())


def test_hdbscan_that_finds_no_regimes_says_so():
    """The default data has no density-separated groups: HDBSCAN calls (almost) every run
    noise, and says so; no regimes at all is a warning that points to kmeans."""
    from daikiri.ingest import load_table
    from daikiri.spec import default_spec

    spec = default_spec()
    table, _ = load_table(spec, None, rows=2_000, seed=42)
    _, metrics = cluster_features(table[spec.feature_columns],
                                  ClusteringConfig(method="hdbscan", seed=1))
    assert metrics.noise_fraction > 0.5
    [warning] = metrics.warnings
    assert warning.startswith("hdbscan ") and "of the rows" in warning and "noise" in warning
    _, metrics = cluster_features(table[spec.feature_columns], ClusteringConfig(k_max=4))
    assert metrics.n_clusters >= 2 and metrics.warnings == []


def test_no_regimes_at_all_point_to_kmeans():
    from daikiri.clustering import ClusterMetrics, quality_warnings

    [warning] = quality_warnings(ClusterMetrics(method="hdbscan", n_clusters=0, silhouette=0.0,
                                                davies_bouldin=0.0, noise_fraction=1.0))
    assert warning.startswith("hdbscan found 0 regime(s): 100% of the rows are noise")
    assert "cluster_method kmeans (the default)" in warning
