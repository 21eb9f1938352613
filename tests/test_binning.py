"""Weighted quantile binning: the booster fitted on bin numbers is the booster fitted on values."""

import numpy as np
import pytest
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.utils.class_weight import compute_sample_weight

from daikiri.binning import MAX_BINS, weighted_bins


def _rare_faults(rows: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Continuous, integer and constant columns, a few NaNs, and a rare label that depends on
    two of them (as the default data's faults do)."""
    rng = np.random.default_rng(seed)
    x = np.column_stack([rng.normal(300, 2, rows), rng.gamma(2.0, 1500.0, rows),
                         rng.integers(0, 5, rows).astype(float), np.full(rows, 7.0),
                         rng.uniform(0, 250, rows)])
    x[rng.choice(rows, rows // 50, replace=False), 0] = np.nan
    y = ((x[:, 1] > 7000) & (x[:, 4] > 150) | (rng.random(rows) < 0.01)).astype(int)
    return x, y


@pytest.mark.parametrize("seed", [0, 1])
def test_the_booster_on_bin_numbers_predicts_what_it_predicts_on_values(seed):
    x, y = _rare_faults(4_000, seed)
    train, test = np.arange(3_000), np.arange(3_000, 4_000)
    assert 0.01 < y[train].mean() < 0.1
    weights = compute_sample_weight("balanced", y[train])
    bins = weighted_bins(x[train], weights)
    binned = bins.transform(x)

    def fitted(features: np.ndarray) -> HistGradientBoostingClassifier:
        return HistGradientBoostingClassifier(random_state=0, class_weight="balanced",
                                              max_iter=50).fit(features[train], y[train])

    on_values = fitted(x).predict_proba(x[test])[:, 1]
    on_bins = fitted(binned).predict_proba(binned[test])[:, 1]
    np.testing.assert_allclose(on_bins, on_values, rtol=1e-9, atol=1e-12)


def test_edges_follow_the_weights_and_few_distinct_values_are_kept():
    x, y = _rare_faults(5_000, 2)
    weights = compute_sample_weight("balanced", y)
    bins = weighted_bins(x, weights)
    assert bins.edges[2] is None and bins.edges[3] is None  # 5 and 1 distinct values
    wear = bins.edges[4]
    assert len(wear) == MAX_BINS - 1
    # the faults are above 150 min of wear and weigh ~15x: most bins are up there, where
    # unweighted quantiles would put 40 % of them
    assert (wear > 150).mean() > 0.6
    unweighted = weighted_bins(x, np.ones(len(x))).edges[4]
    assert (unweighted > 150).mean() < 0.45
    binned = bins.transform(x)
    assert np.isnan(binned[:, 0]).sum() == np.isnan(x[:, 0]).sum()
    assert binned[:, 4].min() == 0 and binned[:, 4].max() == MAX_BINS - 1
    assert (binned[:, 2] == x[:, 2]).all()


def test_a_weight_per_row_is_required():
    with pytest.raises(ValueError, match=r"one weight per row, got shape \(3, 2\) and 2"):
        weighted_bins(np.zeros((3, 2)), np.ones(2))
