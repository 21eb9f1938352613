"""Assembling a diagnosis: which learning problems to pose, and the explanations as records.

Flyte-free: the tasks in ``tasks/diagnosis.py`` call these.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field

import pandas as pd

from daikiri.concepts import Concept, concept_from_json
from daikiri.errors import DaikiriError
from daikiri.learner import LearnerResult
from daikiri.problems import LearningProblem, ProblemKind, problems_from_flags
from daikiri.spec import DatasetSpec
from daikiri.verbalize import Lexicon, Verbalizer, article

log = logging.getLogger(__name__)


@dataclass
class Explanation:
    """One learned reason, ready to read: expression, English sentence and quality."""

    #: the problem's id (``label:hdf``, ``regime:3``, ``model:osf``), kind and target
    problem: str
    kind: ProblemKind
    target: str
    #: what the sentence calls the target: the label's name, a regime's given name
    title: str
    explainable: bool
    sentence: str
    dl: str
    manchester: str
    #: the expression's JSON AST as text ("" when nothing was learned); see ``expression``
    ast_json: str
    f1: float
    precision: float
    recall: float
    validation_f1: float
    positives: int
    truth_f1: float = -1.0  # model explanations: F1 of the expression against the true label

    @property
    def expression(self) -> Concept | None:
        return concept_from_json(self.ast_json) if self.ast_json else None


#: An explanation found from fewer positive examples is listed apart and not counted as
#: explained: too few to hold any out, so its F1 is a fit of those few.
MIN_POSITIVES = 10


def is_judged(e: Explanation) -> bool:
    """Explained, from enough positive examples to count (``MIN_POSITIVES``)."""
    return e.explainable and e.positives >= MIN_POSITIVES


@dataclass
class DiagnosisSummary:
    """The headline of a diagnosis: the verbalized explanations with their F1."""

    headline: list[str] = field(default_factory=list)
    explained: int = 0
    problems: int = 0
    clusters: int = 0
    #: What a reader must know first (e.g. clustering found no regimes).
    warnings: list[str] = field(default_factory=list)


def diagnosis_problems(table: pd.DataFrame, spec: DatasetSpec, labels: list[str],
                       clusters: pd.DataFrame | None) -> list[LearningProblem]:
    """Problems for the chosen label columns and, when given, one per regime (cluster)."""
    chosen = labels or spec.all_label_columns
    problems = problems_from_flags(table, spec, chosen, ProblemKind.LABEL)
    if clusters is not None and len(clusters):
        merged = table[[spec.id_column]].merge(clusters, on=spec.id_column, how="left")
        regimes = [int(c) for c in sorted(merged["cluster"].dropna().unique()) if c >= 0]
        flags = pd.DataFrame({spec.id_column: table[spec.id_column]}
                             | {f"regime {r}": (merged["cluster"] == r).astype(int).to_numpy()
                                for r in regimes})
        problems += problems_from_flags(flags, spec, [f"regime {r}" for r in regimes],
                                        ProblemKind.REGIME, targets=[str(r) for r in regimes])
    return problems


def model_problems(predictions: pd.DataFrame, spec: DatasetSpec,
                   labels: list[str]) -> list[LearningProblem]:
    """Problems from the model's own decisions on held-out rows (positives = flagged runs)."""
    # Only labels the model actually separates: some runs flagged, some not.
    wanted = [c for c in (labels or spec.label_columns) if f"{c}_predicted" in predictions]
    chosen = [c for c in wanted if 0 < predictions[f"{c}_predicted"].sum() < len(predictions)]
    for label in sorted(set(wanted) - set(chosen)):
        log.info("no model explanation for %r: the model flags %s of the %d held-out runs",
                 label, "none" if predictions[f"{label}_predicted"].sum() == 0 else "all",
                 len(predictions))
    flags = predictions[[spec.id_column] + [f"{c}_predicted" for c in chosen]]
    flags = flags.rename(columns={f"{c}_predicted": c for c in chosen})
    return problems_from_flags(flags, spec, chosen, ProblemKind.MODEL)


def truth_scores(items: list[Explanation], table: pd.DataFrame, predictions: pd.DataFrame,
                 spec: DatasetSpec) -> None:
    """For model explanations: F1 of the expression against the true labels, same rows."""
    from daikiri.evaluate import covers, f1_against

    rows = table[table[spec.id_column].isin(predictions[spec.id_column])]
    for item in items:
        if item.kind is ProblemKind.MODEL and item.expression is not None:
            mask = covers(item.expression, rows, spec)
            item.truth_f1 = f1_against(mask, rows[item.target].to_numpy())


def explanations(results: list[LearnerResult], spec: DatasetSpec, lexicon: Lexicon,
                 cluster_names: dict[str, str] | None = None) -> list[Explanation]:
    """Verbalize each problem's best hypothesis as a definition of its target."""
    verbalizer = Verbalizer(lexicon)
    entity = lexicon.label(spec.base_iri + spec.entity)
    out = []
    for result in results:
        title = result.title or result.target
        if result.kind is ProblemKind.REGIME:
            title = (cluster_names or {}).get(result.target) or title
            phrase = f"belongs to {title}"
        elif result.kind is ProblemKind.MODEL:
            phrase = f"is predicted by the model to have {article(title)}"
        else:
            phrase = f"has {article(title)}"
        best = result.best
        if best is None or not result.explainable:
            sentence = (f"Not explainable from the data: when {article(entity)} {phrase} "
                        f"(the best expression found has F1 {best.f1 if best else 0.0:.2f} and "
                        f"F1 {max(result.validation_f1, 0.0):.2f} on held-out runs).")
        else:
            sentence = verbalizer.definition(best.expression, phrase, entity)
        out.append(Explanation(
            problem=result.problem, kind=result.kind, target=result.target, title=title,
            explainable=result.explainable, sentence=sentence, dl=best.dl if best else "",
            manchester=best.manchester if best else "", ast_json=best.ast_json if best else "",
            f1=best.f1 if best else 0.0, precision=best.precision if best else 0.0,
            recall=best.recall if best else 0.0, validation_f1=result.validation_f1,
            positives=result.positives))
    return out


def parse_cluster_names(text: str) -> dict[str, str]:
    """Names for clusters from a person: ``0=idle; 1=high load`` or a JSON object."""
    text = (text or "").strip()
    if not text:
        return {}
    if text.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise DaikiriError(f"cluster names: not valid JSON ({exc.msg})") from None
        if not isinstance(data, dict):
            raise DaikiriError("cluster names: expected a JSON object of number -> name")
        pairs = [(str(k), str(v)) for k, v in data.items()]
    else:
        pairs = []
        for part in filter(None, (p.strip() for p in text.replace("\n", ";").split(";"))):
            number, sep, name = part.partition("=")
            if not sep or not name.strip():
                raise DaikiriError(f"cluster names: '{part}' is not of the form NUMBER=NAME "
                                   "(e.g. '0=idle; 1=high load')")
            pairs.append((number.strip(), name.strip()))
    names = {}
    for number, name in pairs:
        if not number.isdigit():
            raise DaikiriError(f"cluster names: '{number}' is not a cluster number")
        names[number] = name
    return names


def scores_note(e: Explanation, held_out: bool = False) -> str:
    """The scores after an explained sentence: its F1 (and held-out F1 when asked), or, when
    the problem had too few positives to hold any out, that the F1 is a fit of those few."""
    if not e.explainable:
        return ""  # "Not explainable" sentences state their scores themselves
    if e.validation_f1 < 0:
        examples = "example" if e.positives == 1 else "examples"
        return (f" (F1 {e.f1:.3f} on only {e.positives} positive {examples}, too few to hold "
                f"any out: not checked on unseen runs)")
    return f" (F1 {e.f1:.3f}, held-out {e.validation_f1:.3f})" if held_out else f" (F1 {e.f1:.3f})"


def explanation_table(items: list[Explanation]) -> pd.DataFrame:
    return pd.DataFrame([{"problem": e.problem, "kind": e.kind.value, "target": e.target,
                          "explanation": e.sentence,
                          "expression": e.dl, "F1": round(e.f1, 4),
                          "held-out F1": round(e.validation_f1, 4) if e.validation_f1 >= 0
                          else None,
                          "positives": e.positives,
                          "F1 vs truth": round(e.truth_f1, 4) if e.truth_f1 >= 0 else None,
                          "explainable": e.explainable} for e in items])


def headline(items: list[Explanation]) -> list[str]:
    return [e.sentence + scores_note(e) for e in items]
