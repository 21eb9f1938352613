"""An expert's review of the explanations, one line per explanation, and what it changes.

The reviewer answers each explanation by its id (the problem id shown at the review gate):

    label:hdf  accept
    label:rnf  reject
    model:osf  revise exclude=air_temperature_k max_length=6
    label:osf  revise relabel=1204:0,8813:1 drop=42

``accept`` and ``reject`` stand alone; ``revise`` takes any of ``exclude=`` (features, comma
separated: no explanation of this problem may use them), ``max_length=`` (shortest
explanations only), ``relabel=`` (run id ``:`` 0 or 1: the run is a negative or a positive
example of this problem from now on) and ``drop=`` (run ids no longer used as examples).
Blank lines and ``#`` comments are ignored. Every mistake is an error naming the line: an
unknown explanation id, decision or key, a feature the spec does not have, a run id the table
does not have, an explanation answered twice. Flyte-free: the review workflow's tasks call it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from daikiri.errors import DaikiriError
from daikiri.kg.naming import vocabulary
from daikiri.problems import LearningProblem
from daikiri.spec import DatasetSpec

MAX_LENGTH_RANGE = (1, 100)


class Decision(Enum):
    ACCEPT = "accept"
    REJECT = "reject"
    REVISE = "revise"


@dataclass
class Revision:
    """One explanation's answer."""

    problem: str
    decision: Decision
    exclude: list[str] = field(default_factory=list)
    max_length: int = 0  # 0: the run's own maximum
    relabel: dict[str, int] = field(default_factory=dict)
    drop: list[str] = field(default_factory=list)

    def describe(self) -> str:
        """The answer as one line again (for the ontology's review annotations)."""
        parts = [self.problem, self.decision.value]
        if self.exclude:
            parts.append("exclude=" + ",".join(self.exclude))
        if self.max_length:
            parts.append(f"max_length={self.max_length}")
        if self.relabel:
            parts.append("relabel=" + ",".join(f"{k}:{v}" for k, v in self.relabel.items()))
        if self.drop:
            parts.append("drop=" + ",".join(self.drop))
        return " ".join(parts)


def parse_review(text: str, problems: Sequence[str], spec: DatasetSpec,
                 run_ids: Iterable[str]) -> list[Revision]:
    """The reviewer's answers, checked against the explanations under review (``problems``),
    the spec's features and the table's run ids."""
    known_problems = set(problems)
    ids = {str(i) for i in run_ids}
    answered: dict[str, int] = {}
    out = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        where = f"review line {number}"
        words = line.split()
        if len(words) < 2:
            raise DaikiriError(f"{where}: expected '<explanation id> accept|reject|revise ...', "
                               f"got {_clip(line)!r}")
        problem, verb, options = words[0], words[1], words[2:]
        if problem not in known_problems:
            raise DaikiriError(f"{where}: no explanation {_clip(problem)!r} under review; the "
                               f"ids are {', '.join(sorted(known_problems))[:200]}")
        if problem in answered:
            raise DaikiriError(f"{where}: explanation {problem!r} was already answered on "
                               f"line {answered[problem]}")
        try:
            decision = Decision(verb)
        except ValueError:
            raise DaikiriError(f"{where}: {_clip(verb)!r} is not accept, reject or revise") \
                from None
        if decision is not Decision.REVISE and options:
            raise DaikiriError(f"{where}: '{verb}' takes no options; use 'revise' to change "
                               "an explanation")
        if decision is Decision.REVISE and not options:
            raise DaikiriError(f"{where}: 'revise' needs at least one of exclude=, "
                               "max_length=, relabel=, drop=")
        revision = Revision(problem, decision)
        for option in options:
            _apply(option, revision, spec, ids, where)
        answered[problem] = number
        out.append(revision)
    if not out:
        raise DaikiriError("the review answers no explanation; answer each with accept, "
                           "reject or revise")
    return out


def _apply(option: str, revision: Revision, spec: DatasetSpec, ids: set[str],
           where: str) -> None:
    key, sep, value = option.partition("=")
    if not sep or not value:
        raise DaikiriError(f"{where}: {_clip(option)!r} is not of the form key=value")
    values = [v.strip() for v in value.split(",") if v.strip()]
    if key == "exclude":
        for feature in values:
            if feature not in spec.feature_columns:
                raise DaikiriError(f"{where}: {_clip(feature)!r} is not a feature of spec "
                                   f"'{spec.name}'; its features are "
                                   f"{', '.join(spec.feature_columns)}")
        revision.exclude += values
    elif key == "max_length":
        if not re.fullmatch(r"\d+", value) or not (MAX_LENGTH_RANGE[0] <= int(value)
                                                   <= MAX_LENGTH_RANGE[1]):
            raise DaikiriError(f"{where}: max_length must be a whole number from "
                               f"{MAX_LENGTH_RANGE[0]} to {MAX_LENGTH_RANGE[1]}, got "
                               f"{_clip(value)!r}")
        revision.max_length = int(value)
    elif key == "relabel":
        for pair in values:
            run, sep, flag = pair.rpartition(":")
            if not sep or flag not in ("0", "1"):
                raise DaikiriError(f"{where}: relabel takes run:0 or run:1, got {_clip(pair)!r}")
            _known_run(run, ids, where)
            revision.relabel[run] = int(flag)
    elif key == "drop":
        for run in values:
            _known_run(run, ids, where)
        revision.drop += values
    else:
        raise DaikiriError(f"{where}: unknown option {_clip(key)!r}; expected exclude, "
                           "max_length, relabel or drop")


def _known_run(run: str, ids: set[str], where: str) -> None:
    if run not in ids:
        raise DaikiriError(f"{where}: no run {_clip(run)!r} in the table")


def revised_problem(problem: LearningProblem, revision: Revision,
                    spec: DatasetSpec) -> LearningProblem:
    """The learning problem after a revision: excluded features ruled out, relabelled runs
    moved between positives and negatives, dropped runs removed."""
    vocab = vocabulary(spec, {})
    changed = problem.excluding(*(vocab.properties[f] for f in revision.exclude))
    relabel = {vocab.individual(run): flag for run, flag in revision.relabel.items()}
    dropped = {vocab.individual(run) for run in revision.drop}
    was_positive = set(problem.positives)
    flags = {i: relabel.get(i, int(i in was_positive))
             for i in [*problem.positives, *problem.negatives] if i not in dropped}
    positives = tuple(i for i, flag in flags.items() if flag == 1)
    negatives = tuple(i for i, flag in flags.items() if flag == 0)
    if not positives:
        raise DaikiriError(f"the revision of {problem.id} leaves it no positive examples")
    return replace(changed, positives=positives, negatives=negatives)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
