"""Assembling a diagnosis: which learning problems to pose, and the explanations as records.

Flyte-free: the tasks in ``tasks/diagnosis.py`` call these.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field

import pandas as pd

from daikiri.learner import LearnerResult, problems_from_labels
from daikiri.spec import DatasetSpec
from daikiri.verbalize import Lexicon, Verbalizer, article


@dataclass
class Explanation:
    """One learned reason, ready to read: expression, English sentence and quality."""

    problem: str
    kind: str  # "label" or "cluster"
    target: str
    explainable: bool
    sentence: str
    dl: str
    manchester: str
    ast_json: str
    f1: float
    precision: float
    recall: float
    validation_f1: float
    positives: int


@dataclass
class DiagnosisSummary:
    """The headline of a diagnosis: the verbalized explanations with their F1."""

    headline: list[str] = field(default_factory=list)
    explained: int = 0
    problems: int = 0
    clusters: int = 0


def diagnosis_problems(table: pd.DataFrame, spec: DatasetSpec, labels: list[str],
                       clusters: pd.DataFrame | None) -> list[dict]:
    """Problems for the chosen label columns and, when given, one per cluster."""
    chosen = labels or spec.all_label_columns
    problems = problems_from_labels(table, spec, chosen, name_prefix="label:")
    if clusters is not None and len(clusters):
        merged = table[[spec.id_column]].merge(clusters, on=spec.id_column, how="left")
        frame = pd.DataFrame({spec.id_column: table[spec.id_column]})
        names = []
        for cluster in sorted(merged["cluster"].dropna().unique()):
            if cluster < 0:
                continue
            column = f"cluster_{int(cluster)}"
            frame[column] = (merged["cluster"] == cluster).astype(int).to_numpy()
            names.append(column)
        problems += problems_from_labels(frame, spec, names, name_prefix="cluster:")
    return problems


def explanations(results: list[LearnerResult], spec: DatasetSpec, lexicon: Lexicon,
                 cluster_names: dict[str, str] | None = None) -> list[Explanation]:
    """Verbalize each problem's best hypothesis as a definition of its target."""
    verbalizer = Verbalizer(lexicon)
    entity = lexicon.label(spec.base_iri + spec.entity)
    out = []
    for result in results:
        kind, _, name = result.problem.partition(":")
        if kind == "cluster":
            number = name.split("_")[-1]
            target = (cluster_names or {}).get(number) or f"cluster {number}"
            phrase = f"belongs to {target}"
        else:
            target = spec.label_of(name)
            phrase = f"has {article(target)}"
        best = result.best
        if best is None or not result.explainable:
            sentence = (f"Not explainable from the data: when {article(entity)} {phrase} "
                        f"(the best expression found has F1 {best.f1 if best else 0.0:.2f} and "
                        f"F1 {max(result.validation_f1, 0.0):.2f} on held-out runs).")
        else:
            sentence = verbalizer.definition(best.ast, phrase, entity)
        out.append(Explanation(
            problem=result.problem, kind=kind, target=target, explainable=result.explainable,
            sentence=sentence, dl=best.dl if best else "", manchester=best.manchester if best
            else "", ast_json=best.ast_json if best else "{}", f1=best.f1 if best else 0.0,
            precision=best.precision if best else 0.0, recall=best.recall if best else 0.0,
            validation_f1=result.validation_f1, positives=result.positives))
    return out


def explanation_table(items: list[Explanation]) -> pd.DataFrame:
    return pd.DataFrame([{"problem": e.problem, "explanation": e.sentence,
                          "expression": e.dl, "F1": round(e.f1, 4),
                          "held-out F1": round(e.validation_f1, 4),
                          "explainable": e.explainable} for e in items])


def headline(items: list[Explanation]) -> list[str]:
    return [f"{e.sentence} (F1 {e.f1:.3f})" for e in items]


def html_report(title: str, sections: list[tuple[str, str]]) -> str:
    """A self-contained HTML page (sections are trusted HTML fragments; plots embedded)."""
    body = "".join(f"<section><h2>{html.escape(h)}</h2>{content}</section>"
                   for h, content in sections)
    style = ("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}"
             "table{border-collapse:collapse;font-size:13px}td,th{border:1px solid #ccc;"
             "padding:3px 6px;text-align:left}h2{border-bottom:1px solid #ddd}")
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{html.escape(title)}"
            f"</title><style>{style}</style></head><body><h1>{html.escape(title)}</h1>"
            f"{body}</body></html>")
