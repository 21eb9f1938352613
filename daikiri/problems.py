"""Learning problems, typed: what is explained (a fault label, a regime, the model's flags).

A problem's identity travels as data, never as a string to parse: ``kind`` says what the
positives are, ``target`` which column or regime, ``title`` how a person calls it. The
learner's problem JSON carries all three (``name`` is :attr:`LearningProblem.id`, used in
logs and error messages) and the learner echoes them in its result, so every later step
reads the kind and target back from fields.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Any

import pandas as pd

from daikiri.errors import DaikiriError
from daikiri.kg.naming import vocabulary
from daikiri.spec import DatasetSpec


class ProblemKind(Enum):
    """What a problem's positive examples are."""

    #: runs with a fault label (a label column of the spec is 1)
    LABEL = "label"
    #: runs in one operating regime found by clustering
    REGIME = "regime"
    #: runs the fault model flags for a label, on held-out rows (its explanation is a
    #: fidelity check of the model, scored against the true label too)
    MODEL = "model"


@dataclass(frozen=True)
class LearningProblem:
    """Explain ``positives`` against ``negatives`` (individual IRIs of the knowledge graph)."""

    kind: ProblemKind
    #: the label column (``LABEL``, ``MODEL``) or the regime's number as text (``REGIME``)
    target: str
    #: what a person calls the target: the label's name, "regime 3"
    title: str
    positives: tuple[str, ...] = field(default_factory=tuple)
    negatives: tuple[str, ...] = field(default_factory=tuple)
    #: classes the learner must not use (the label classes: they would give the answer away)
    ignore_classes: tuple[str, ...] = field(default_factory=tuple)
    #: classes or properties a person ruled out ("air temperature is no cause"): no expression
    #: uses them; the learner refuses an IRI its knowledge graph does not have
    exclude: tuple[str, ...] = field(default_factory=tuple)
    #: classes or properties every answer must mention (a person asked for them)
    require: tuple[str, ...] = field(default_factory=tuple)
    #: this problem's longest expression, whole answers included; 0: the run's ``max_length``
    max_length: int = 0

    @property
    def id(self) -> str:
        """``label:hdf``, ``regime:3``, ``model:osf``: unique within a diagnosis."""
        return f"{self.kind.value}:{self.target}"

    def to_json(self) -> dict[str, Any]:
        """The learner's problem JSON (``java_tasks/.../schema/problem.schema.json``)."""
        data = {"name": self.id, "kind": self.kind.value, "target": self.target,
                "title": self.title, "positives": list(self.positives),
                "negatives": list(self.negatives),
                "ignore_classes": list(self.ignore_classes)}
        if self.exclude:
            data["exclude"] = list(self.exclude)
        if self.require:
            data["require"] = list(self.require)
        if self.max_length:
            data["max_length"] = self.max_length
        return data

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> LearningProblem:
        """A problem from its JSON (what :meth:`to_json` wrote)."""
        return cls(kind=ProblemKind(data["kind"]), target=str(data["target"]),
                   title=str(data.get("title", data["target"])),
                   positives=tuple(data["positives"]), negatives=tuple(data["negatives"]),
                   ignore_classes=tuple(data.get("ignore_classes", ())),
                   exclude=tuple(data.get("exclude", ())),
                   require=tuple(data.get("require", ())),
                   max_length=int(data.get("max_length", 0)))

    def excluding(self, *iris: str) -> LearningProblem:
        """This problem with ``iris`` ruled out as well."""
        return replace(self, exclude=_more(self.exclude, iris))

    def requiring(self, *iris: str) -> LearningProblem:
        """This problem with ``iris`` required in every answer as well."""
        return replace(self, require=_more(self.require, iris))


def _more(present: tuple[str, ...], iris: Iterable[str]) -> tuple[str, ...]:
    return present + tuple(i for i in dict.fromkeys(iris) if i not in present)


def regime_title(target: str) -> str:
    return f"regime {target}"


def problems_from_flags(flags: pd.DataFrame, spec: DatasetSpec, columns: Sequence[str],
                        kind: ProblemKind = ProblemKind.LABEL,
                        targets: Iterable[str] | None = None) -> list[LearningProblem]:
    """One problem per 0/1 column of ``flags`` (which holds the spec's id column): rows with 1
    are positives, the rest negatives. ``targets`` name the problems' targets (default: the
    columns themselves)."""
    vocab = vocabulary(spec, {})
    iris = [vocab.individual(i) for i in flags[spec.id_column].tolist()]
    ignored = tuple(vocab.label_classes.values())
    problems = []
    for column, target in zip(columns, targets or columns, strict=True):
        if column not in flags:
            raise DaikiriError(f"cannot build a learning problem for '{column}': no such "
                               f"column (columns: {', '.join(map(str, flags.columns))[:100]})")
        positive = flags[column].to_numpy() == 1
        if not positive.any():
            raise DaikiriError(f"cannot explain '{column}': it has no positive rows")
        title = regime_title(target) if kind is ProblemKind.REGIME else spec.label_of(column)
        problems.append(LearningProblem(
            kind=kind, target=str(target), title=title,
            positives=tuple(i for i, p in zip(iris, positive, strict=True) if p),
            negatives=tuple(i for i, p in zip(iris, positive, strict=True) if not p),
            ignore_classes=ignored))
    return problems


def problems_json(problems: Iterable[LearningProblem]) -> list[dict[str, Any]]:
    return [p.to_json() for p in problems]
