"""The black-box fault model: trained for real with torch, beside its baseline."""

import logging
import re

import numpy as np
import pytest

from daikiri.concepts import concept
from daikiri.evaluate import covers, f1_against
from daikiri.ingest import load_table
from daikiri.model import (
    BASELINE_MAX_TREES,
    ModelConfig,
    TrainedModel,
    best_thresholds,
    design_matrix,
    fit_and_compare,
    has_skill,
    split_rows,
    stratified_sample,
)
from daikiri.plots import confusion_table

MODES = ["hdf", "pwf", "osf"]


class _Messages(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.fixture(scope="module")
def fit_log():
    """What ``daikiri.model`` logs while the module's model is fitted."""
    logger = logging.getLogger("daikiri.model")
    handler, level = _Messages(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler.messages
    logger.removeHandler(handler)
    logger.setLevel(level)


@pytest.fixture(scope="module")
def fitted(fit_log):
    from daikiri.spec import default_spec

    spec = default_spec()
    table, _ = load_table(spec, None, rows=10_000, seed=42)
    model, report, predictions = fit_and_compare(table, spec, ModelConfig(seed=1))
    return spec, table, model, report, predictions


def test_torch_model_is_scored_beside_the_baseline(fitted):
    # The bar: torch macro-F1 over HDF/PWF/OSF within 0.05 of the baseline or better
    # on the default data (this fixture: 0.920 vs 0.950). Over data seeds 1-3 x model seeds
    # 1-2 the gap is -0.13 .. +0.04 at 10k rows, torch ahead by 0.06 .. 0.42 at 4k rows.
    _, _, _, report, _ = fitted
    torch_f1 = report.macro_f1("torch", MODES)
    baseline_f1 = report.macro_f1("gradient boosting", MODES)
    assert torch_f1 >= 0.85 and baseline_f1 >= 0.85, report.table()
    assert torch_f1 >= baseline_f1 - 0.05, report.table()
    table = report.table()
    assert set(table.model) == {"torch", "gradient boosting"}
    assert {"precision", "recall", "f1", "roc_auc", "pr_auc", "tp", "fp", "fn", "tn"} <= set(
        table.columns)
    assert (table.tp + table.fp + table.fn + table.tn == report.test_rows).all()


def test_baseline_stops_when_its_validation_loss_stops_improving(fitted, fit_log):
    spec = fitted[0]
    line = next(m for m in fit_log if m.startswith("gradient boosting baseline"))
    trees = {label: int(n) for label, n in re.findall(r"(\w+) (\d+)", line.split("trees: ")[1])}
    assert set(trees) == set(spec.all_label_columns), line
    # early stopping on the validation rows: on the default data 10-77 trees, never all 200
    assert all(0 < n < BASELINE_MAX_TREES for n in trees.values()), line


def test_baseline_of_a_label_without_training_positives_flags_nothing(spec):
    # 2,000 rows, seed 3: random failures have no positive training row but two validation
    # rows; the booster cannot stop on validation rows of a class it never saw, so it trains
    # without them (this failed the whole diagnose with "y contains previously unseen labels")
    table, _ = load_table(spec, None, rows=2_000, seed=3)
    y = table[spec.all_label_columns].to_numpy()
    split = split_rows(y, ModelConfig(seed=3))
    rnf = spec.all_label_columns.index("rnf")
    assert y[split.train, rnf].sum() == 0 and y[split.validation, rnf].sum() > 0
    _, report, _ = fit_and_compare(table, spec, ModelConfig(seed=3))
    metrics = report.table().set_index(["label", "model"])
    assert set(metrics.index) == {(label, model) for label in spec.all_label_columns
                                  for model in ("torch", "gradient boosting")}
    assert metrics.loc[("rnf", "gradient boosting"), "tp"] + metrics.loc[
        ("rnf", "gradient boosting"), "fp"] == 0


def test_split_is_stratified_and_disjoint(fitted):
    spec, table, _, _, _ = fitted
    y = table[spec.all_label_columns].to_numpy()
    split = split_rows(y, ModelConfig(seed=1))
    assert not set(split.train) & set(split.test) and not set(split.train) & set(split.validation)
    assert len(split.train) + len(split.validation) + len(split.test) == len(table)
    rates = [y[part].max(axis=1).mean() for part in (split.train, split.validation, split.test)]
    assert max(rates) - min(rates) < 0.005


def test_a_training_sample_keeps_every_label_combination_at_its_rate(fitted):
    spec, table, _, report, _ = fitted
    y = table[spec.all_label_columns].to_numpy()
    assert report.train_rows == report.train_rows_available == 6_000  # 10k rows: no sample
    rows = np.arange(len(y))
    kept = stratified_sample(rows, y, 2_000, seed=3)
    assert abs(len(kept) - 2_000) <= 20 and len(set(kept)) == len(kept)
    assert np.array_equal(kept, np.sort(kept)) and set(kept) <= set(rows)
    every_combination = {tuple(c) for c in np.unique(y, axis=0)}
    assert {tuple(c) for c in y[kept]} == every_combination  # even a single-row one
    for j, label in enumerate(spec.all_label_columns):
        if y[:, j].sum() >= 50:
            assert abs(y[kept, j].mean() - y[:, j].mean()) < 0.002, label
    assert np.array_equal(stratified_sample(rows, y, 2_000, seed=3), kept)  # seeded
    assert stratified_sample(rows, y, 0, seed=3) is rows
    assert stratified_sample(rows, y, len(rows), seed=3) is rows


def test_a_capped_training_split_is_reported_and_never_touches_the_test_rows():
    from daikiri.spec import default_spec

    spec = default_spec()
    table, _ = load_table(spec, None, rows=3_000, seed=4)
    _, report, predictions = fit_and_compare(table, spec,
                                             ModelConfig(seed=2, epochs=10, max_train_rows=500))
    assert report.train_rows_available == 1_800 and abs(report.train_rows - 500) <= 15
    assert report.test_rows == len(predictions) == 600
    assert set(report.table().model) == {"torch", "gradient boosting"}


def test_model_round_trips_and_reproduces_its_predictions(fitted):
    spec, table, model, _, predictions = fitted
    restored = TrainedModel.from_bytes(model.to_bytes())
    x, _ = design_matrix(table, spec)
    test_rows = table.udi.isin(predictions.udi).to_numpy()
    probabilities = restored.probabilities(x[test_rows])
    for j, label in enumerate(restored.labels):
        assert np.allclose(probabilities[:, j], predictions[f"{label}_probability"], atol=1e-6)
    assert restored.labels == spec.all_label_columns
    assert np.array_equal(restored.thresholds, model.thresholds)  # including inf (no skill)
    assert all(np.array_equal(a, b) for a, b in zip(restored.encoder.edges, model.encoder.edges,
                                                    strict=True))


def test_training_is_deterministic_for_a_seed():
    from daikiri.spec import default_spec

    spec = default_spec()
    table, _ = load_table(spec, None, rows=2_000, seed=3)
    config = ModelConfig(seed=5, epochs=15)
    first = fit_and_compare(table, spec, config)[2]
    second = fit_and_compare(table, spec, config)[2]
    assert np.array_equal(first["hdf_probability"], second["hdf_probability"])


def test_evaluating_the_generating_rules_on_the_table(fitted):
    spec, table, _, _, _ = fitted
    base = spec.base_iri
    pwf = {"type": "or", "operands": [
        {"type": "data_range", "property": base + "power_w", "min": None, "max": 3499.999},
        {"type": "data_range", "property": base + "power_w", "min": 9000.001, "max": None}]}
    assert f1_against(covers(concept(pwf), table, spec), table.pwf.to_numpy()) == 1.0
    variant_l = {"type": "class", "iri": base + "type_L"}
    assert covers(concept(variant_l), table, spec).sum() == (table["type"] == "L").sum()


def test_threshold_edges_land_on_the_generating_thresholds(fitted):
    # Fitted on the labels, one feature at a time: the default data's mechanisms put label-rate
    # changes at power 3500 / 9000 W, temperature difference 8.6 K and speed 1380 rpm.
    spec, table, model, _, _ = fitted
    edges = dict(zip(model.feature_names, model.encoder.edges, strict=True))
    for feature, threshold, tolerance in [("power_w", 3500, 60), ("power_w", 9000, 60),
                                          ("temperature_difference_k", 8.6, 0.05),
                                          ("rotational_speed_rpm", 1380, 15)]:
        assert np.abs(edges[feature] - threshold).min() <= tolerance, (feature, edges[feature])
    assert all(len(edges[f"type={v}"]) == 0 for v in "LMH")  # one-hot columns: no steps
    x, _ = design_matrix(table, spec)
    assert model.encoder.encode(x[:5]).shape == (5, model.encoder.width)


def test_a_label_without_skill_is_never_flagged_and_saturated_scores_keep_their_order():
    rng = np.random.default_rng(0)
    random_label = (rng.random(3000) < 0.003).astype(int)
    noise = rng.random(3000)
    assert not has_skill(random_label, noise)
    # a saturated but perfect ranking (probabilities that all round to 0.0 or 1.0)
    informative = (rng.random(3000) < 0.02).astype(int)
    saturated = np.where(informative == 1, 1 - 1e-7 * rng.random(3000), 1e-7 * rng.random(3000))
    y = np.column_stack([random_label, informative])
    p = np.column_stack([noise, saturated])
    thresholds = best_thresholds(y, p, ["random", "informative"])
    assert thresholds[0] == np.inf
    flagged = saturated >= thresholds[1]
    assert np.array_equal(flagged, informative == 1)


def test_random_failures_are_not_flagged_in_bulk(fitted):
    # RNF is random by construction: whichever model, it must not flag a region of runs.
    _, _, _, report, predictions = fitted
    assert predictions["rnf_predicted"].sum() <= 0.01 * len(predictions)
    table = report.table().set_index(["label", "model"])
    assert table.loc[("rnf", "gradient boosting"), "fp"] <= 0.01 * report.test_rows


def test_confusion_table_shows_each_model_and_labels_counts_shaded_by_share(fitted):
    _, _, _, report, _ = fitted
    counts = report.table()
    page = confusion_table(counts, "confusion")
    rows = re.findall(r"<tr><td>([^<]*)</td><td>([^<]*)</td>(.*?)</tr>", page)
    assert [(label, model) for label, model, _ in rows] == list(zip(counts.label, counts.model,
                                                                    strict=True))
    hdf = counts[(counts.label == "hdf") & (counts.model == "torch")].iloc[0]
    cells = next(cells for label, model, cells in rows if (label, model) == ("hdf", "torch"))
    shown = [int(v.replace(",", "")) for v in re.findall(r">([\d,]+)</td>", cells)]
    assert shown == [int(hdf[c]) for c in ("tn", "fp", "fn", "tp")]
    shares = [float(v) for v in re.findall(r'title="([\d.]+)% of the true class"', cells)]
    true_no, true_yes = hdf["tn"] + hdf["fp"], hdf["fn"] + hdf["tp"]
    assert shares == pytest.approx([100 * hdf["tn"] / true_no, 100 * hdf["fp"] / true_no,
                                    100 * hdf["fn"] / true_yes, 100 * hdf["tp"] / true_yes],
                                   abs=0.05)


def test_patience_counts_training_examples_not_epochs():
    config = ModelConfig()
    assert config.patience_epochs(2_000) == config.patience_epochs(100) == 30  # small: noisy
    assert config.patience_epochs(3_000) == 20
    assert config.patience_epochs(6_000) == 10  # the default data
    assert config.patience_epochs(60_000) == config.patience_epochs(200_000) == 10


def test_a_large_training_set_takes_larger_batches(caplog):
    """Batches of 256 rows on the default data's 6,000 training rows, of 1,024 from 100,000
    on (the 1M-row table's 200,000: 2.4x faster, the same scores; bench figures in the
    config); the setting is what training uses, and the model still learns HDF with it."""
    from daikiri.spec import default_spec

    config = ModelConfig()
    assert config.batch_rows(6_000) == config.batch_rows(99_999) == 256
    assert config.batch_rows(100_000) == config.batch_rows(200_000) == 1_024
    spec = default_spec()
    table, _ = load_table(spec, None, rows=3_000, seed=4)
    with caplog.at_level("INFO", logger="daikiri.model"):
        _, report, _ = fit_and_compare(table, spec, ModelConfig(seed=2, large_batch_from_rows=1_000,
                                                                 large_batch_size=512))
    assert "epochs of 512-row batches" in caplog.text
    hdf = report.table().query("model == 'torch' and label == 'hdf'").iloc[0]
    assert hdf.pr_auc > 0.5


def test_a_larger_sample_stops_sooner_with_the_same_best_weights():
    """12,000 training rows wait 10 epochs, not 30: fewer epochs, the same model (the best
    epoch's weights are kept, and no later epoch would have beaten them)."""
    from daikiri.model import train_model
    from daikiri.spec import default_spec

    spec = default_spec()
    table, _ = load_table(spec, None, rows=20_000, seed=7)
    x, names = design_matrix(table, spec)
    y = table[spec.all_label_columns].to_numpy(dtype=np.int64)
    split = split_rows(y, ModelConfig(seed=3))
    quick, quick_epochs = train_model(x, y, split, spec.all_label_columns, names,
                                      ModelConfig(seed=3))
    patient, patient_epochs = train_model(x, y, split, spec.all_label_columns, names,
                                          ModelConfig(seed=3, patience_examples=10**9))
    assert len(split.train) == 12_000
    assert quick_epochs < patient_epochs and patient_epochs - quick_epochs == 20
    assert np.array_equal(quick.probabilities(x[split.test]), patient.probabilities(x[split.test]))
