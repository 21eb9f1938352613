"""Flyte task: the black-box fault model (torch) beside its gradient-boosting baseline."""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
from flytekit import Cache, Deck, Resources, task
from flytekit.types.file import FlyteFile

from daikiri.model import ModelConfig, ModelReport, fit_and_compare
from daikiri.plots import confusion_table, figure_to_html, pr_curves, table_to_html
from daikiri.spec import DatasetSpec
from tasks.common import DECK_FIELDS, LONG, configure_logging, work_dir
from tasks.versions import code_version

#: Cached results stay valid while this module and what it imports are unchanged.
CACHE = Cache(version=code_version(__name__))

MODEL_RESOURCES = Resources(cpu="2", mem="4Gi")


class FaultModel(NamedTuple):
    model: FlyteFile
    report: ModelReport
    predictions: pd.DataFrame


@task(timeout=LONG, requests=MODEL_RESOURCES, limits=MODEL_RESOURCES, enable_deck=True,
      deck_fields=DECK_FIELDS, cache=CACHE, retries=1)
def train_fault_model(table: pd.DataFrame, spec: DatasetSpec, seed: int = 42,
                      epochs: int = 300) -> FaultModel:
    """Train a multi-label torch MLP for every fault label (and "any fault") and a
    HistGradientBoosting baseline on the same split; report both on held-out rows.

    Outputs the model (state dict + what is needed to rebuild it, one ``.pt`` file), per-label
    metrics (precision, recall, F1, ROC-AUC, PR-AUC, confusion counts) for both models, and
    the torch model's probabilities and decisions on the held-out test rows. Both models train
    on at most 200,000 rows (a label-stratified sample of the training split; validation and
    test rows are never sampled), so a million-row table trains in minutes. Runs on CPU; a
    GPU request can be added with ``Resources(gpu=...)`` on a cluster with GPU nodes.
    """
    configure_logging()
    model, report, predictions = fit_and_compare(table, spec, ModelConfig(seed=seed,
                                                                          epochs=epochs))
    path = work_dir("model") / "fault_model.pt"
    path.write_bytes(model.to_bytes())
    Deck("Fault model", _deck(report, predictions, model.labels))
    return FaultModel(model=FlyteFile(str(path)), report=report, predictions=predictions)


def _deck(report: ModelReport, predictions: pd.DataFrame, labels: list[str]) -> str:
    table = report.table().round(4)
    figure = pr_curves(predictions, labels)
    confusion = confusion_table(table[["label", "model", "tp", "fp", "fn", "tn"]],
                                f"Confusion matrices on {report.test_rows} held-out rows")
    sampled = (f" on a stratified sample of {report.train_rows:,} of "
               f"{report.train_rows_available:,} training rows"
               if report.train_rows < report.train_rows_available else "")
    return (table_to_html(table, f"Held-out metrics ({report.test_rows} rows; torch trained "
                                 f"{report.epochs_trained} epochs{sampled} in "
                                 f"{report.train_seconds} s; "
                                 "threshold inf: no skill on the label, never flagged)")
            + figure_to_html(figure, "Precision-recall curves (torch)")
            + confusion)
