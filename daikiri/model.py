"""Black-box fault prediction: a multi-label torch MLP beside a gradient-boosting baseline.

Both see the same design matrix (numeric + derived features, one-hot categoricals), the same
stratified train / validation / test split and are scored the same way, so users see whether
the neural model earns its place. The MLP's inputs are z-scores plus step codes at
target-aware threshold edges (``FeatureEncoder``), both fitted on the training rows only:
fault mechanisms are thresholds, and without the steps the MLP trailed the baseline by
0.06-0.15 macro-F1 on the default data; with them it matches or beats it. Class imbalance
(faults are ~3 % of rows) is handled with a square-root positive class weight per label in the
loss and a decision threshold per label chosen on the validation split; a label the model has
no skill on is never flagged. Training is CPU-only, deterministic for a seed, with early
stopping on the validation split's mean PR-AUC (the loss is a poor guide under class weights).
"""

from __future__ import annotations

import io
import logging
import time
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import torch
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import average_precision_score, precision_recall_curve, roc_auc_score
from sklearn.model_selection import train_test_split
from sklearn.tree import DecisionTreeClassifier
from sklearn.utils.class_weight import compute_sample_weight
from threadpoolctl import threadpool_limits

from daikiri.binning import weighted_bins
from daikiri.errors import DaikiriError
from daikiri.spec import DatasetSpec

log = logging.getLogger(__name__)


@dataclass
class ModelConfig:
    hidden: int = 128
    epochs: int = 600
    batch_size: int = 256
    #: ... and from ``large_batch_from_rows`` training rows on, batches of this many: fewer,
    #: larger optimiser steps. 200,000 training rows (a 1M-row table): 98.8 s -> 41.1 s (14
    #: epochs instead of 18), test F1 per label within 0.013 of batch 256's, PR-AUC equal or
    #: higher. The default data's 6,000 training rows keep ``batch_size``.
    large_batch_size: int = 1024
    large_batch_from_rows: int = 100_000
    learning_rate: float = 3e-3
    weight_decay: float = 1e-4
    #: Epochs without a better validation PR-AUC before training stops (the best epoch's weights
    #: are kept) on a small table; 30, not 80: 80 spent 80 of 94 epochs confirming the best.
    patience: int = 30
    #: ... but an epoch of a larger table is more updates, so training waits only as many
    #: epochs as show the network this many training examples (10 epochs of the default data's
    #: 6,000 rows), and at least ``min_patience``: see :meth:`patience_epochs`.
    patience_examples: int = 60_000
    min_patience: int = 10

    def batch_rows(self, train_rows: int) -> int:
        """Rows per optimiser step on ``train_rows`` training rows."""
        return self.large_batch_size if train_rows >= self.large_batch_from_rows \
            else self.batch_size

    def patience_epochs(self, train_rows: int) -> int:
        """Epochs without improvement that stop training on ``train_rows`` rows: 30 on 2,000
        rows or fewer, 10 from 6,000 on. Measured (validation PR-AUC per epoch, patience 30):
        6,000 training rows (the default data), best epoch 14, improvements at most 5 epochs
        apart -> 10 (24 epochs instead of 44, the same best weights); 60,000 rows, best epoch
        6, at most 2 apart -> 10 (16 instead of 36); 200,000 rows (a 1M-row table), best epoch
        8, 7 epochs after the one before -> 10 (18 instead of 38, about 60 s less; 5 would
        have stopped before epoch 8)."""
        by_examples = -(-self.patience_examples // max(train_rows, 1))
        return max(self.min_patience, min(self.patience, by_examples))
    seed: int = 42
    test_fraction: float = 0.2
    validation_fraction: float = 0.2
    #: Train both models on at most this many rows: a sample of the training split stratified
    #: on each row's label combination, so every fault keeps its rate (0 = every row). Training
    #: time grows linearly with rows (bench/RESULTS.md); validation and test rows are never
    #: sampled, so the held-out scores show what the sample costs.
    max_train_rows: int = 200_000


@dataclass
class LabelMetrics:
    """Scores of one label on the held-out test rows."""

    label: str
    model: str
    precision: float
    recall: float
    f1: float
    roc_auc: float
    pr_auc: float
    tp: int
    fp: int
    fn: int
    tn: int
    threshold: float


@dataclass
class ModelReport:
    metrics: list[LabelMetrics] = field(default_factory=list)
    epochs_trained: int = 0
    train_seconds: float = 0.0
    train_rows: int = 0
    #: Rows of the training split; more than ``train_rows`` when it was sampled.
    train_rows_available: int = 0
    test_rows: int = 0

    def table(self) -> pd.DataFrame:
        return pd.DataFrame([vars(m) for m in self.metrics])

    def macro_f1(self, model: str, labels: list[str]) -> float:
        chosen = [m.f1 for m in self.metrics if m.model == model and m.label in labels]
        return float(np.mean(chosen)) if chosen else 0.0


@dataclass
class Split:
    train: np.ndarray
    validation: np.ndarray
    test: np.ndarray


def design_matrix(table: pd.DataFrame, spec: DatasetSpec) -> tuple[np.ndarray, list[str]]:
    """Numeric + derived features and one-hot categorical columns, as float32."""
    parts = [table[spec.feature_columns].to_numpy(dtype=np.float32)]
    names = list(spec.feature_columns)
    for column in spec.categorical_columns:
        values = table[column].astype(str)
        for value in sorted(values.unique()):
            parts.append((values == value).to_numpy(dtype=np.float32)[:, None])
            names.append(f"{column}={value}")
    return np.hstack(parts), names


def split_rows(labels: np.ndarray, config: ModelConfig) -> Split:
    """Stratified (on "any label") train / validation / test positions."""
    index = np.arange(len(labels))
    strata = labels.max(axis=1)
    stratify = strata if np.bincount(strata.astype(int)).min() >= 3 else None
    rest, test = train_test_split(index, test_size=config.test_fraction,
                                  random_state=config.seed, stratify=stratify)
    share = config.validation_fraction / (1 - config.test_fraction)
    rest_strata = strata[rest] if stratify is not None else None
    train, validation = train_test_split(rest, test_size=share, random_state=config.seed,
                                         stratify=rest_strata)
    return Split(np.sort(train), np.sort(validation), np.sort(test))


def stratified_sample(rows: np.ndarray, labels: np.ndarray, limit: int, seed: int
                      ) -> np.ndarray:
    """At most about ``limit`` of ``rows`` (positions into ``labels``), sorted: the same share
    of every label combination (at least one row of each), so rare faults keep their rate.
    All rows when ``limit`` is 0 or not below their number."""
    if limit <= 0 or len(rows) <= limit:
        return rows
    rng = np.random.default_rng(seed)
    _, inverse = np.unique(labels[rows], axis=0, return_inverse=True)
    combination = inverse.ravel()  # one combination id per row (numpy versions differ in shape)
    share = limit / len(rows)
    kept = []
    for group in range(combination.max() + 1):
        members = rows[combination == group]
        take = max(1, round(len(members) * share))
        kept.append(rng.choice(members, size=take, replace=False))
    return np.sort(np.concatenate(kept))


class FaultNet(torch.nn.Module):
    """A small multi-label MLP: one logit per label."""

    def __init__(self, inputs: int, outputs: int, hidden: int) -> None:
        super().__init__()
        self.layers = torch.nn.Sequential(
            torch.nn.Linear(inputs, hidden), torch.nn.ReLU(), torch.nn.Dropout(0.1),
            torch.nn.Linear(hidden, hidden), torch.nn.ReLU(), torch.nn.Linear(hidden, outputs))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.layers(x)


EDGE_LEAVES = 16
EDGE_MIN_ROWS = 3


def threshold_edges(x: np.ndarray, y: np.ndarray,
                    max_leaves: int = EDGE_LEAVES) -> list[np.ndarray]:
    """Per feature, the split points of a small decision tree fitted to the training labels.

    Fault mechanisms are thresholds (power below 3500 W, strain above 11,000 min·Nm for
    variant L), and an MLP on smooth inputs needs huge weights to draw a step where a handful
    of positives sit in a feature's tail. A tree on one feature at a time, against all labels
    at once, puts its split points where the label rates change; the MLP then sees a step
    input at each ("is power above 8,997 W?"). This is the target-aware binning of Gorishniy
    et al., "On Embeddings for Numerical Features in Tabular Deep Learning" (2022), with
    thermometer (cumulative step) codes. Fitted on the training rows only.
    """
    edges = []
    for j in range(x.shape[1]):
        if len(np.unique(x[:, j])) < 3:
            edges.append(np.empty(0))
            continue
        tree = DecisionTreeClassifier(max_leaf_nodes=max_leaves, min_samples_leaf=EDGE_MIN_ROWS,
                                      random_state=0).fit(x[:, j:j + 1], y)
        edges.append(np.unique(tree.tree_.threshold[tree.tree_.feature >= 0]))
    return edges


@dataclass
class FeatureEncoder:
    """Model inputs: z-scores of every design column, then a step code per threshold edge.

    Z-scores keep linear distances (100 W of power is 0.1 standard deviations everywhere,
    unlike a rank transform, which squeezes a feature's tails where fault thresholds sit);
    the step codes (see ``threshold_edges``) let the network draw sharp boundaries.
    """

    mean: np.ndarray
    scale: np.ndarray
    edges: list[np.ndarray]

    @classmethod
    def fit(cls, x: np.ndarray, y: np.ndarray) -> FeatureEncoder:
        scale = x.std(axis=0)
        return cls(mean=x.mean(axis=0), scale=np.where(scale > 0, scale, 1.0),
                   edges=threshold_edges(x, y))

    @property
    def width(self) -> int:
        return len(self.mean) + sum(len(e) for e in self.edges)

    def encode(self, x: np.ndarray) -> np.ndarray:
        steps = [(x[:, j:j + 1] > e[None, :]) for j, e in enumerate(self.edges) if len(e)]
        return np.hstack([(x - self.mean) / self.scale, *steps]).astype(np.float32)


@dataclass
class TrainedModel:
    """Everything needed to rebuild and apply the model (portable: plain tensors + lists)."""

    feature_names: list[str]
    labels: list[str]
    encoder: FeatureEncoder
    thresholds: np.ndarray
    hidden: int
    state: dict

    def network(self) -> FaultNet:
        net = FaultNet(self.encoder.width, len(self.labels), self.hidden)
        net.load_state_dict(self.state)
        net.eval()
        return net

    def probabilities(self, x: np.ndarray) -> np.ndarray:
        with torch.no_grad():
            z = torch.from_numpy(self.encoder.encode(x))
            return torch.sigmoid(self.network()(z)).numpy()

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        torch.save({"feature_names": self.feature_names, "labels": self.labels,
                    "mean": torch.from_numpy(self.encoder.mean),
                    "scale": torch.from_numpy(self.encoder.scale),
                    "edges": [torch.from_numpy(e) for e in self.encoder.edges],
                    "thresholds": torch.from_numpy(self.thresholds), "hidden": self.hidden,
                    "state": self.state}, buffer)
        return buffer.getvalue()

    @classmethod
    def from_bytes(cls, data: bytes) -> TrainedModel:
        saved = torch.load(io.BytesIO(data), weights_only=True)
        return cls(feature_names=list(saved["feature_names"]), labels=list(saved["labels"]),
                   encoder=FeatureEncoder(mean=saved["mean"].numpy(),
                                          scale=saved["scale"].numpy(),
                                          edges=[e.numpy() for e in saved["edges"]]),
                   thresholds=saved["thresholds"].numpy(), hidden=int(saved["hidden"]),
                   state=saved["state"])


def train_model(x: np.ndarray, y: np.ndarray, split: Split, labels: list[str],
                feature_names: list[str], config: ModelConfig) -> tuple[TrainedModel, int]:
    """Train the MLP with early stopping; return the model and the epochs trained."""
    torch.manual_seed(config.seed)
    generator = torch.Generator().manual_seed(config.seed)
    encoder = FeatureEncoder.fit(x[split.train], y[split.train])
    xs = torch.from_numpy(encoder.encode(x))
    ys = torch.from_numpy(y.astype(np.float32))
    positives = ys[split.train].sum(axis=0)
    negatives = len(split.train) - positives
    # Square-root class weighting: enough to make rare faults matter, not so much that the
    # network becomes over-confident on a handful of positives.
    pos_weight = torch.sqrt(negatives / torch.clamp(positives, min=1.0))
    loss_fn = torch.nn.BCEWithLogitsLoss(pos_weight=pos_weight)
    net = FaultNet(encoder.width, y.shape[1], config.hidden)
    optimiser = torch.optim.AdamW(net.parameters(), lr=config.learning_rate,
                                  weight_decay=config.weight_decay)
    train_idx = torch.from_numpy(split.train)
    best_score, best_state, waited, epoch = -1.0, None, 0, 0
    patience = config.patience_epochs(len(split.train))
    batch_rows = config.batch_rows(len(split.train))
    y_val = y[split.validation]
    for epoch in range(1, config.epochs + 1):
        net.train()
        order = train_idx[torch.randperm(len(train_idx), generator=generator)]
        for start in range(0, len(order), batch_rows):
            batch = order[start:start + batch_rows]
            optimiser.zero_grad()
            loss = loss_fn(net(xs[batch]), ys[batch])
            loss.backward()
            optimiser.step()
        net.eval()
        with torch.no_grad():
            p_val = torch.sigmoid(net(xs[split.validation])).numpy()
        score = mean_average_precision(y_val, p_val)
        if score > best_score + 1e-5:
            best_score, waited = score, 0
            best_state = {k: v.clone() for k, v in net.state_dict().items()}
        else:
            waited += 1
            if waited >= patience:
                break
        if epoch % 25 == 0:
            log.info("epoch %d: validation mean PR-AUC %.4f (best %.4f)", epoch, score,
                     best_score)
    assert best_state is not None
    model = TrainedModel(feature_names, labels, encoder, np.full(len(labels), 0.5),
                         config.hidden, best_state)
    model.thresholds = best_thresholds(y[split.validation],
                                       model.probabilities(x[split.validation]), labels)
    return model, epoch


def mean_average_precision(y: np.ndarray, p: np.ndarray) -> float:
    """Early-stopping criterion: the mean PR-AUC over labels that have positives."""
    scores = [average_precision_score(y[:, j], p[:, j]) for j in range(y.shape[1])
              if 0 < y[:, j].sum() < len(y)]
    return float(np.mean(scores)) if scores else 0.0


NO_SKILL_LIFT = 5.0


def has_skill(y: np.ndarray, p: np.ndarray) -> bool:
    """Whether the ranking by ``p`` finds the positives much better than chance.

    A random ranking has a PR-AUC about equal to the positive rate; below NO_SKILL_LIFT times
    that, the model has learned nothing usable for the label (random failures, by design) and
    any threshold would flag an arbitrary region of the feature space.
    """
    positives = int(y.sum())
    if positives == 0 or positives == len(y):
        return False
    return float(average_precision_score(y, p)) >= NO_SKILL_LIFT * positives / len(y)


def best_thresholds(y: np.ndarray, p: np.ndarray, labels: list[str],
                    model: str = "torch") -> np.ndarray:
    """Per label, the probability threshold with the best F1 on these rows.

    A label the model has no skill on (see ``has_skill``) gets an infinite threshold: the
    model never flags it, rather than flagging hundreds of runs to catch one. Those labels are
    logged in one line: a warning for the fault model, at INFO for the baseline (whose
    thresholds are only compared).
    """
    out = np.full(y.shape[1], np.inf)
    unskilled = []
    for j in range(y.shape[1]):
        if not has_skill(y[:, j], p[:, j]):
            auc = average_precision_score(y[:, j], p[:, j]) if y[:, j].any() else 0.0
            unskilled.append(f"{labels[j]!r} (PR-AUC {auc:.4f}, positive rate "
                             f"{y[:, j].mean():.4f})")
            continue
        # Every distinct probability is a candidate (not rounded ones: a saturated model's
        # 0.9999995 would round to 1.0 and leave only "flag everything" or "flag nothing").
        precision, recall, candidates = precision_recall_curve(y[:, j], p[:, j])
        f1 = 2 * precision[:-1] * recall[:-1] / np.maximum(precision[:-1] + recall[:-1], 1e-12)
        out[j] = float(candidates[int(np.argmax(f1))])
    if unskilled:
        log.log(logging.WARNING if model == "torch" else logging.INFO,
                "%s model: no skill on the validation rows for %s; it will never flag %s",
                model, ", ".join(unskilled), "it" if len(unskilled) == 1 else "them")
    return out


def label_metrics(label: str, model: str, y: np.ndarray, p: np.ndarray,
                  threshold: float) -> LabelMetrics:
    pred = p >= threshold
    tp = int((pred & (y == 1)).sum())
    fp = int((pred & (y == 0)).sum())
    fn = int((~pred & (y == 1)).sum())
    tn = int((~pred & (y == 0)).sum())
    two_classes = len(np.unique(y)) == 2
    return LabelMetrics(
        label=label, model=model, precision=tp / max(1, tp + fp), recall=tp / max(1, tp + fn),
        f1=2 * tp / max(1, 2 * tp + fp + fn),
        roc_auc=float(roc_auc_score(y, p)) if two_classes else float("nan"),
        pr_auc=float(average_precision_score(y, p)) if two_classes else float("nan"),
        tp=tp, fp=fp, fn=fn, tn=tn, threshold=float(threshold))


#: The gradient-boosting baseline's trees: at most this many, and it stops when the
#: validation loss has not improved for ``BASELINE_PATIENCE`` of them.
BASELINE_MAX_TREES = 200
BASELINE_PATIENCE = 10


def _baseline_metrics(x: np.ndarray, y: np.ndarray, split: Split, label: str, seed: int
                      ) -> tuple[LabelMetrics, int]:
    """The gradient-boosting baseline of one label, trained and scored like the torch model:
    it stops when the loss on the validation rows has not improved for 10 trees (at most
    200), the threshold is chosen on the validation rows, metrics are taken on the test rows.
    Classes weigh alike ("balanced", in the validation loss too); the features are binned at
    the weighted quantiles beforehand (:mod:`daikiri.binning`: the booster's own weighted
    binning is the same partition, slower).

    Early stopping on the validation rows, measured on the default data: 10-77 trees per label
    instead of 200, the six labels in 0.6 s instead of 2.3 s; test PR-AUC 0.25 vs 0.11 (twf),
    0.998 (hdf, equal), 0.986 vs 0.991 (pwf), 0.996 vs 0.991 (osf), 0.90 vs 0.92 (machine
    failure)."""
    bins = weighted_bins(x[split.train], compute_sample_weight("balanced", y[split.train]))
    binned = bins.transform(x)
    # A label whose training rows are all of one class (a small table's rare failure) has
    # nothing to stop on, and the booster refuses validation rows of a class it never saw.
    both_classes = len(np.unique(y[split.train])) == 2
    baseline = HistGradientBoostingClassifier(random_state=seed, class_weight="balanced",
                                              max_iter=BASELINE_MAX_TREES,
                                              early_stopping=both_classes,
                                              n_iter_no_change=BASELINE_PATIENCE)
    validation = {"X_val": binned[split.validation], "y_val": y[split.validation],
                  "sample_weight_val": compute_sample_weight("balanced", y[split.validation])
                  } if both_classes else {}
    baseline.fit(binned[split.train], y[split.train], **validation)
    threshold = best_thresholds(y[split.validation, None],
                                baseline.predict_proba(binned[split.validation])[:, 1:2],
                                [label], model="gradient boosting")[0]
    return label_metrics(label, "gradient boosting", y[split.test],
                         baseline.predict_proba(binned[split.test])[:, 1], threshold), \
        int(baseline.n_iter_)


def fit_and_compare(table: pd.DataFrame, spec: DatasetSpec, config: ModelConfig | None = None
                    ) -> tuple[TrainedModel, ModelReport, pd.DataFrame]:
    """Train the MLP and the baseline on one split; return model, report, test predictions."""
    config = config or ModelConfig()
    labels = spec.all_label_columns
    missing = [c for c in labels + spec.feature_columns if c not in table]
    if missing:
        raise DaikiriError(f"cannot train a model: the table lacks column(s) {missing} (run "
                           "ingestion first)")
    x, names = design_matrix(table, spec)
    y = table[labels].to_numpy(dtype=np.int64)
    full_split = split_rows(y, config)
    available = len(full_split.train)
    split = Split(stratified_sample(full_split.train, y, config.max_train_rows, config.seed),
                  full_split.validation, full_split.test)
    if len(split.train) < available:
        log.info("training on %d of the %d training rows (a sample stratified on the labels; "
                 "max_train_rows=%d)", len(split.train), available, config.max_train_rows)
    started = time.perf_counter()
    model, epochs = train_model(x, y, split, labels, names, config)
    seconds = time.perf_counter() - started
    log.info("torch model: %d epochs of %d-row batches in %.1f s (%.0f rows/s)", epochs,
             config.batch_rows(len(split.train)), seconds,
             epochs * len(split.train) / max(seconds, 1e-9))
    report = ModelReport(epochs_trained=epochs, train_seconds=round(seconds, 3),
                         train_rows=len(split.train), train_rows_available=available,
                         test_rows=len(split.test))
    p_test = model.probabilities(x[split.test])
    for j, label in enumerate(labels):
        report.metrics.append(label_metrics(label, "torch", y[split.test, j], p_test[:, j],
                                            model.thresholds[j]))
    started = time.perf_counter()
    # One OpenMP thread: scikit-learn's OpenMP pool otherwise contends with torch's (two
    # libgomp copies in one process, each spinning on the same cores): 15.1 s -> 4.2 s for the
    # six labels on 6,000 rows, the same at 200,000 rows (bench/RESULTS.md, fault model).
    trees = []
    with threadpool_limits(1, user_api="openmp"):
        for j, label in enumerate(labels):
            metrics, grown = _baseline_metrics(x, y[:, j], split, label, config.seed)
            report.metrics.append(metrics)
            trees.append(f"{label} {grown}")
    log.info("gradient boosting baseline: %d labels in %.1f s (trees: %s)", len(labels),
             time.perf_counter() - started, ", ".join(trees))
    predictions = pd.DataFrame({spec.id_column: table[spec.id_column].to_numpy()[split.test]})
    for j, label in enumerate(labels):
        predictions[f"{label}_probability"] = p_test[:, j]
        predictions[f"{label}_predicted"] = (p_test[:, j] >= model.thresholds[j]).astype(int)
        predictions[label] = y[split.test, j]
    return model, report, predictions
