"""Clustering recovers planted regimes and reports its quality."""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import make_blobs
from sklearn.metrics import adjusted_rand_score

from daikiri.clustering import (
    ClusteringConfig,
    cluster_features,
    cluster_profile,
    numbered_by_size,
)
from daikiri.errors import DaikiriError
from daikiri.ingest import load_table
from daikiri.spec import default_spec


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


def test_a_larger_k_must_beat_a_smaller_ones_silhouette_by_the_tolerance():
    """The default data's regimes: k=2 and k=4 score within 0.0001 of each other on the
    2,000-row silhouette sample; the smaller k is chosen, as on 5,000 rows where it is clear."""
    spec = default_spec()
    table, _ = load_table(spec, None, rows=10_000, seed=42)
    features = table[spec.feature_columns]
    _, metrics = cluster_features(features, ClusteringConfig())
    assert metrics.n_clusters == 2
    by_k = metrics.silhouette_by_k
    assert abs(by_k["2"] - by_k["4"]) < 0.005 and max(by_k.values()) - by_k["2"] <= 0.005
    _, wide = cluster_features(features, ClusteringConfig(silhouette_sample=5_000))
    assert wide.n_clusters == 2 and wide.silhouette_by_k["2"] - wide.silhouette_by_k["4"] > 0.005
    with pytest.raises(DaikiriError, match=r"k_tolerance must be in \[0, 1\), got -0.1"):
        cluster_features(features, ClusteringConfig(k_tolerance=-0.1))


@pytest.mark.parametrize(("scores", "tolerance", "chosen"), [
    ({2: 0.300, 3: 0.302, 4: 0.290}, 0.005, 2),  # within the tolerance: the smaller k
    ({2: 0.300, 3: 0.302, 4: 0.290}, 0.0, 3),  # no tolerance: the best
    ({2: 0.300, 3: 0.303, 4: 0.310}, 0.005, 4),  # clearly better: the larger k
])
def test_the_smallest_k_within_the_tolerance_of_the_best_is_chosen(monkeypatch, scores,
                                                                    tolerance, chosen):
    import daikiri.clustering

    monkeypatch.setattr(daikiri.clustering, "_silhouette",
                        lambda points, labels: scores.get(len(np.unique(labels)), 0.0))
    features, _ = _blobs(600, centers=4, seed=1)
    _, metrics = cluster_features(features, ClusteringConfig(k_min=2, k_max=4,
                                                             k_tolerance=tolerance))
    assert metrics.n_clusters == chosen


def test_large_tables_use_minibatch_and_a_silhouette_sample():
    features, truth = _blobs(12_000, seed=5)
    config = ClusteringConfig(k_min=3, k_max=5, minibatch_above=10_000, silhouette_sample=2_000,
                              k_choice_rows=12_000)
    labels, metrics = cluster_features(features, config)
    assert adjusted_rand_score(truth, labels) >= 0.95 and metrics.n_clusters == 4


@pytest.mark.parametrize("rows", [10_000, 100_000])
def test_k_is_chosen_on_a_sample_and_the_chosen_k_fitted_on_every_row(rows, caplog):
    """The default data's regimes: candidates fitted on 5,000 rows choose the k a search on
    every row chooses, and the chosen k, refitted on every row from the sample's centres,
    labels the rows as that search does but for a few near the border (adjusted Rand 0.95 at
    10,000 rows, 0.98 at 100,000; 100,000 rows 6.2 s -> 1.2 s, 1,000,000 rows 31.5 s -> 4 s)."""
    spec = default_spec()
    table, _ = load_table(spec, None, rows=rows, seed=42)
    features = table[spec.feature_columns]
    with caplog.at_level("INFO", logger="daikiri.clustering"):
        sampled, metrics = cluster_features(features, ClusteringConfig())
    assert f"fitted on 5,000 of {rows:,} rows" in caplog.text
    full, full_metrics = cluster_features(features, ClusteringConfig(k_choice_rows=rows))
    assert metrics.n_clusters == full_metrics.n_clusters == 2 and len(sampled) == rows
    assert adjusted_rand_score(full, sampled) >= 0.9
    assert min(metrics.sizes.values()) > rows // 5  # two regimes, neither a handful of rows
    with pytest.raises(DaikiriError, match="k_choice_rows must be at least 100"):
        cluster_features(features, ClusteringConfig(k_choice_rows=10))


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


@pytest.mark.parametrize("method", ["kmeans", "hdbscan"])
@pytest.mark.parametrize("seed", [0, 5])
def test_regimes_are_numbered_from_the_largest_down(method, seed):
    """A person names regimes by number: the numbers follow the regimes' sizes, not the order
    the algorithm happened to find them in (which a new seed or a new k-choice reshuffles)."""
    centres = [[0.0, 0.0], [10.0, 0.0], [0.0, 10.0]]
    points, truth = make_blobs(n_samples=[300, 1_200, 700], centers=centres, cluster_std=1.0,
                               random_state=seed)
    labels, metrics = cluster_features(pd.DataFrame(points),
                                       ClusteringConfig(method=method, seed=seed))
    assert adjusted_rand_score(truth, labels) >= 0.95
    planted = {0: 2, 1: 0, 2: 1}  # planted groups of 300, 1,200, 700 rows
    for group, number in planted.items():
        assert np.bincount(labels[truth == group][labels[truth == group] >= 0]).argmax() \
            == number
    sizes = [metrics.sizes[str(n)] for n in range(metrics.n_clusters)]
    assert sizes == sorted(sizes, reverse=True)


def test_numbering_keeps_noise_and_breaks_size_ties_by_the_first_feature():
    labels = np.array([5, 5, -1, 2, 2, 9, 9, 9, -1])
    first_feature = np.array([3.0, 3.0, 0.0, -1.0, -1.0, 7.0, 7.0, 7.0, 0.0])
    assert numbered_by_size(labels, first_feature).tolist() == [2, 2, -1, 1, 1, 0, 0, 0, -1]
    assert numbered_by_size(np.array([-1, -1]), np.zeros(2)).tolist() == [-1, -1]


def test_vectors_on_one_scale_are_clustered_unstandardised():
    """Two groups of vectors and a coordinate that three rows barely move (0.1): standardised,
    those three become a regime of their own; on the vectors' own scale (embeddings) they do
    not, and the two groups are found exactly."""
    rng = np.random.default_rng(0)
    truth = np.repeat([0, 1], 500)
    points = np.zeros((1_000, 3))
    points[truth == 0, 0] = 1.0
    points[truth == 1, 1] = 1.0
    points[:, :2] += rng.normal(0.0, 0.1, (1_000, 2))
    points[rng.choice(1_000, 3, replace=False), 2] = 0.1
    _, standardised = cluster_features(pd.DataFrame(points), ClusteringConfig())
    assert min(standardised.sizes.values()) == 3
    labels, metrics = cluster_features(pd.DataFrame(points), ClusteringConfig(standardise=False))
    assert metrics.n_clusters == 2 and adjusted_rand_score(truth, labels) == 1.0


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
