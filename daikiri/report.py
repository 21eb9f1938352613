"""The diagnosis report: one self-contained HTML page a person opens first.

Explanations first (sentence, F1, held-out F1, positives, fidelity to the model), those from
too few examples listed apart; then plots (the regimes' projection, the fault model's
precision-recall curves and confusion matrices, each explanation's coverage of true and false
positives); the regime profiles with features as rows and the spec's labels and units; the
fault model against its baseline; the data and the knowledge graph; a footer with date, code
version, parameters and content hashes. Every text from data is escaped; missing and infinite
numbers read "–". Flyte-free: ``tasks.diagnosis.render_report`` calls it.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from daikiri.clustering import ClusterMetrics
from daikiri.diagnosis import DiagnosisSummary, Explanation, is_judged
from daikiri.embeddings import Tab2OntoResult
from daikiri.evaluate import covers
from daikiri.ingest import IngestSummary
from daikiri.kg.manifest import KGManifest
from daikiri.model import ModelReport
from daikiri.plots import (
    confusion_table,
    coverage_plot,
    figure_to_html,
    pr_curves,
    projection_plot,
)
from daikiri.problems import ProblemKind
from daikiri.spec import DatasetSpec

MISSING = "–"
STYLE = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#222}"
         "table{border-collapse:collapse;font-size:13px;margin:.5em 0}"
         "td,th{border:1px solid #ccc;padding:3px 6px;text-align:left;vertical-align:top}"
         "td.n{text-align:right;white-space:nowrap}h2{border-bottom:1px solid #ddd}"
         "img{max-width:100%;height:auto}.warn{color:#a00}"
         "footer{margin-top:3em;font-size:12px;color:#555;border-top:1px solid #ddd}"
         ".wide{overflow-x:auto}")


@dataclass
class ReportData:
    """Everything the report shows, typed; ``footer`` holds the provenance lines
    (date, code version, parameters, content hashes) in display order."""

    spec: DatasetSpec
    summary: DiagnosisSummary
    items: list[Explanation]
    ingest: IngestSummary
    metrics: ClusterMetrics
    profile: pd.DataFrame
    manifest: KGManifest
    tab2onto: Tab2OntoResult
    model: ModelReport
    predictions: pd.DataFrame
    table: pd.DataFrame
    assignments: pd.DataFrame
    footer: dict[str, str] = field(default_factory=dict)
    seed: int = 0


def number(value: object, digits: int = 3) -> str:
    """A table cell: "–" for missing, NaN and infinite numbers, else rounded."""
    if value is None or isinstance(value, float) and not math.isfinite(value):
        return MISSING
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    if isinstance(value, int | np.integer):
        return f"{int(value):,}"
    if isinstance(value, float | np.floating):
        return f"{float(value):.{digits}f}"
    return html.escape(str(value))


def html_table(header: Sequence[str], rows: Sequence[Sequence[object]],
               numeric: Sequence[bool] | None = None) -> str:
    """An escaped HTML table; cells that are numbers are right-aligned."""
    head = "".join(f"<th>{html.escape(h)}</th>" for h in header)
    body = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            is_number = numeric[index] if numeric else isinstance(cell, int | float | np.number)
            cells.append(f"<td class='n'>{number(cell)}</td>" if is_number
                         else f"<td>{number(cell)}</td>")
        body.append("<tr>" + "".join(cells) + "</tr>")
    return f"<div class='wide'><table><tr>{head}</tr>{''.join(body)}</table></div>"


def _explanation_rows(items: Sequence[Explanation]) -> list[list[object]]:
    return [[e.sentence, e.f1, e.validation_f1 if e.validation_f1 >= 0 else None, e.positives,
             e.truth_f1 if e.truth_f1 >= 0 else None] for e in items]


def explanations_section(items: Sequence[Explanation]) -> str:
    header = ["explanation", "F1", "held-out F1", "positives", "F1 vs truth (model)"]
    numeric = [False, True, True, True, True]
    judged = [e for e in items if is_judged(e)]
    unexplained = [e for e in items if not e.explainable]
    too_few = [e for e in items if e.explainable and not is_judged(e)]
    parts = [html_table(header, _explanation_rows(judged), numeric) if judged
             else "<p>No problem was explained.</p>"]
    if unexplained:
        parts.append("<h3>Not explainable from the data</h3>"
                     + html_table(header, _explanation_rows(unexplained), numeric))
    if too_few:
        parts.append("<h3>Too few examples to judge (fewer than 10 positives; not counted as "
                     "explained)</h3>" + html_table(header, _explanation_rows(too_few), numeric))
    return "".join(parts)


def regime_profile(profile: pd.DataFrame, spec: DatasetSpec,
                   names: Mapping[str, str] | None = None) -> str:
    """Features as rows, regimes as columns: size, each feature's median (quartiles) with the
    spec's label and unit, each label's rate."""
    names = names or {}
    regimes = [int(c) for c in profile["cluster"]]
    header = ["", *[names.get(str(r)) or ("noise" if r < 0 else f"regime {r}")
                    for r in regimes]]
    rows: list[list[object]] = [["runs", *[int(n) for n in profile["rows"]]]]
    for feature in spec.feature_columns:
        if f"{feature} median" not in profile:
            continue
        unit = f" ({spec.unit_of(feature)})" if spec.unit_of(feature) else ""
        cells = [f"{_short(m)} ({_short(q1)}–{_short(q3)})" for m, q1, q3 in zip(
            profile[f"{feature} median"], profile[f"{feature} q25"], profile[f"{feature} q75"],
            strict=True)]
        rows.append([f"{spec.label_of(feature)}{unit}: median (quartiles)", *cells])
    for label in spec.all_label_columns:
        if f"{label} rate" in profile:
            rows.append([f"{spec.label_of(label)}: share of runs",
                         *[f"{100 * r:.1f} %" for r in profile[f"{label} rate"]]])
    return html_table(header, rows, [False] * len(header))


def _short(value: float) -> str:
    if value is None or not math.isfinite(value):
        return MISSING
    return f"{value:.4g}"


def _coverage(data: ReportData) -> str:
    """True and false positives and misses of each explanation, on the runs it explains."""
    rows = []
    id_column = data.spec.id_column
    for item in data.items:
        if item.expression is None or not item.explainable:
            continue
        if item.kind is ProblemKind.LABEL:
            frame, truth = data.table, data.table[item.target].to_numpy() == 1
        elif item.kind is ProblemKind.REGIME:
            merged = data.table[[id_column]].merge(data.assignments, on=id_column, how="left")
            frame, truth = data.table, merged["cluster"].to_numpy() == int(item.target)
        else:
            frame = data.table[data.table[id_column].isin(data.predictions[id_column])]
            flags = data.predictions.set_index(id_column)[f"{item.target}_predicted"]
            truth = flags.reindex(frame[id_column]).to_numpy() == 1
        try:
            covered = covers(item.expression, frame, data.spec)
        except Exception:  # noqa: BLE001 - an expression over object properties has no column
            continue
        name = f"{item.title} (model)" if item.kind is ProblemKind.MODEL else item.title
        rows.append((name, int((covered & truth).sum()),
                     int((covered & ~truth).sum()), int((~covered & truth).sum())))
    if not rows:
        return ""
    return figure_to_html(coverage_plot(rows), "Coverage of each explanation")


def diagnosis_page(data: ReportData, cluster_names: Mapping[str, str] | None = None) -> str:
    """The report as one self-contained HTML page."""
    spec, summary = data.spec, data.summary
    title = f"DAIKIRI diagnosis of {spec.name}"
    lead = (f"{summary.explained} of {summary.problems} problems explained · "
            f"{data.metrics.n_clusters} operating regimes · {data.ingest.rows_kept:,} runs")
    sections = []
    if summary.warnings:
        sections.append(("Warnings", "<ul>" + "".join(
            f"<li class='warn'>{html.escape(w)}</li>" for w in summary.warnings) + "</ul>"))
    sections.append(("Why runs fail", explanations_section(data.items)))
    labels = [m.label for m in data.model.metrics if m.model == "torch"]
    plots = [projection_plot(data.table[spec.feature_columns].to_numpy(),
                             _cluster_labels(data), f"{data.metrics.n_clusters} operating "
                             f"regimes ({data.metrics.method}), PCA projection", seed=data.seed),
             _coverage(data)]
    if labels:
        plots.append(figure_to_html(pr_curves(data.predictions, labels),
                                    "Precision-recall curves of the fault model"))
        plots.append(confusion_table(
            data.model.table()[["label", "model", "tp", "fp", "fn", "tn"]],
            f"Confusion matrices on {data.model.test_rows:,} held-out runs"))
    sections.append(("Plots", "".join(f"<figure>{p}</figure>" for p in plots if p)))
    sections.append(("Operating regimes", regime_profile(data.profile, spec, cluster_names)))
    model_rows = [[spec.label_of(m.label) if m.label in spec.all_label_columns else m.label,
                   m.model, m.precision, m.recall, m.f1, m.pr_auc] for m in data.model.metrics]
    sections.append(("Fault model against its baseline (held-out runs)", html_table(
        ["label", "model", "precision", "recall", "F1", "PR-AUC"], model_rows,
        [False, False, True, True, True, True])))
    facts = [["runs read / kept", f"{data.ingest.rows_read:,} / {data.ingest.rows_kept:,}"],
             ["operating regimes", data.metrics.n_clusters],
             ["silhouette", data.metrics.silhouette],
             ["knowledge graph", f"{data.manifest.individuals:,} individuals, "
                                 f"{data.manifest.triples:,} triples"],
             ["Tab2Onto classes (embeddings)", data.tab2onto.clusters.n_clusters]]
    sections.append(("Data, regimes and knowledge graph", html_table(["", ""], facts,
                                                                     [False, False])))
    body = "".join(f"<section><h2>{html.escape(h)}</h2>{c}</section>" for h, c in sections)
    footer = footer_lines(data.footer)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>{html.escape(lead)}</p>{body}"
            f"<footer>{footer}</footer></body></html>")


def footer_lines(lines: Mapping[str, str]) -> str:
    return "".join(f"<div><b>{html.escape(k)}</b>: {html.escape(v)}</div>"
                   for k, v in lines.items())


def stamped(page: str, lines: Mapping[str, str]) -> str:
    """``page`` with ``lines`` first in its footer: what differs between two runs of the same
    diagnosis (when it ran, the code version) is added to a page drawn once (and cached)."""
    if "<footer>" not in page:
        raise ValueError("not a diagnosis page: it has no <footer>")
    return page.replace("<footer>", "<footer>" + footer_lines(lines), 1)


def _cluster_labels(data: ReportData) -> np.ndarray:
    id_column = data.spec.id_column
    merged = data.table[[id_column]].merge(data.assignments, on=id_column, how="left")
    return merged["cluster"].fillna(-1).astype(int).to_numpy()
