"""An expert's review of the explanations, one answer per explanation, and what it changes.

The reviewer answers each explanation under review by its id (shown at the review gate), one
answer per line or several on a line separated by ``;`` (a terminal prompt reads one line):

    reviewer: Jane Doe
    label:hdf  accept
    label:rnf  reject
    model:osf  revise exclude=air_temperature_k max_length=6
    label:osf  revise require=torque_nm relabel=1204:0,8813:1 drop=42
    *          accept

``accept`` and ``reject`` stand alone; ``revise`` takes any of ``exclude=`` (features, comma
separated: no explanation of this problem may use them), ``require=`` (numeric features every
explanation of it must use; ``exclude=`` takes categorical ones too), ``max_length=`` (the
whole explanation at most this long), ``relabel=`` (run id ``:`` 0 or 1: the run is a
negative or a positive example of this problem from now on) and ``drop=`` (run ids no
longer used as examples). ``*`` answers every explanation not answered by its id; every
explanation under review must be answered.
``reviewer:`` names who answered (recorded with the decisions in the published ontology).
Blank lines and ``#`` comments are ignored. Every mistake is an error naming the line: an
unknown explanation id, decision or key, a feature the spec does not have, a run id the table
does not have, an explanation answered twice or not at all.

Flyte-free: the review workflow's tasks (``tasks.review``) call it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from daikiri.diagnosis import Explanation, scores_note
from daikiri.errors import DaikiriError
from daikiri.kg.naming import Vocabulary
from daikiri.problems import LearningProblem
from daikiri.spec import DatasetSpec

MAX_LENGTH_RANGE = (1, 100)
#: The id that answers every explanation not answered by its own id.
EVERY_OTHER = "*"


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
    require: list[str] = field(default_factory=list)
    max_length: int = 0  # 0: the run's own maximum
    relabel: dict[str, int] = field(default_factory=dict)
    drop: list[str] = field(default_factory=list)

    def constraints(self) -> str:
        """The revision's options as written (empty for accept and reject)."""
        parts = []
        if self.exclude:
            parts.append("exclude=" + ",".join(self.exclude))
        if self.require:
            parts.append("require=" + ",".join(self.require))
        if self.max_length:
            parts.append(f"max_length={self.max_length}")
        if self.relabel:
            parts.append("relabel=" + ",".join(f"{k}:{v}" for k, v in self.relabel.items()))
        if self.drop:
            parts.append("drop=" + ",".join(self.drop))
        return " ".join(parts)

    def describe(self) -> str:
        """The answer as one line again."""
        return " ".join(p for p in (self.problem, self.decision.value, self.constraints()) if p)


@dataclass
class Review:
    """A round's answers and who gave them."""

    reviewer: str
    revisions: list[Revision]


@dataclass
class ReviewRecord:
    """Who decided what about an explanation, when, in which round: what the published
    ontology's annotations and the report say about the review."""

    problem: str
    round: int
    decision: str
    constraints: str
    reviewer: str
    reviewed_at: str


def parse_review(text: str, problems: Sequence[str], spec: DatasetSpec,
                 run_ids: Iterable[str]) -> Review:
    """The reviewer's answers, checked against the explanations under review (``problems``),
    the spec's features and the table's run ids."""
    known_problems = list(problems)
    ids = {str(i) for i in run_ids}
    answered: dict[str, str] = {}
    reviewer = ""
    out: list[Revision] = []
    every_other: Revision | None = None
    for where, line in _answers(text):
        if re.match(r"reviewer\s*[:=]", line):
            reviewer = re.split(r"[:=]", line, maxsplit=1)[1].strip()
            continue
        words = line.split()
        if len(words) < 2:
            raise DaikiriError(f"{where}: expected '<explanation id> accept|reject|revise ...', "
                               f"got {_clip(line)!r}")
        problem, verb, options = words[0], words[1], words[2:]
        if problem != EVERY_OTHER and problem not in known_problems:
            raise DaikiriError(f"{where}: no explanation {_clip(problem)!r} under review; the "
                               f"ids are {', '.join(sorted(known_problems))[:200]}")
        if problem in answered:
            raise DaikiriError(f"{where}: explanation {problem!r} was already answered on "
                               f"{answered[problem]}")
        try:
            decision = Decision(verb)
        except ValueError:
            raise DaikiriError(f"{where}: {_clip(verb)!r} is not accept, reject or revise") \
                from None
        if decision is not Decision.REVISE and options:
            raise DaikiriError(f"{where}: '{verb}' takes no options; use 'revise' to change "
                               "an explanation")
        if decision is Decision.REVISE and not options:
            raise DaikiriError(f"{where}: 'revise' needs at least one of exclude=, require=, "
                               "max_length=, relabel=, drop=")
        revision = Revision(problem, decision)
        for option in options:
            _apply(option, revision, spec, ids, where)
        both = sorted(set(revision.exclude) & set(revision.require))
        if both:
            raise DaikiriError(f"{where}: {', '.join(both)} is both excluded and required")
        answered[problem] = where.replace("review ", "")
        if problem == EVERY_OTHER:
            every_other = revision
        else:
            out.append(revision)
    if not out and every_other is None:
        raise DaikiriError("the review answers no explanation; answer each with accept, "
                           "reject or revise (or '* accept' for all)")
    missing = [p for p in known_problems if p not in answered]
    if missing and every_other is None:
        raise DaikiriError(f"the review does not answer {', '.join(missing)}; answer each, or "
                           "add '* accept' (or reject, revise ...) for every other")
    if every_other is not None:
        out += [replace(every_other, problem=p) for p in missing]
    return Review(reviewer=reviewer, revisions=out)


def _answers(text: str) -> Iterable[tuple[str, str]]:
    """Each answer with where it stands: newlines and ``;`` separate answers."""
    for number, raw in enumerate(text.splitlines(), start=1):
        parts = [p.strip() for p in raw.split("#", 1)[0].split(";")]
        parts = [p for p in parts if p]
        for index, part in enumerate(parts, start=1):
            yield (f"review line {number}" if len(parts) == 1
                   else f"review line {number}, answer {index}"), part


def _apply(option: str, revision: Revision, spec: DatasetSpec, ids: set[str],
           where: str) -> None:
    key, sep, value = option.partition("=")
    if not sep or not value:
        raise DaikiriError(f"{where}: {_clip(option)!r} is not of the form key=value")
    values = [v.strip() for v in value.split(",") if v.strip()]
    if key in ("exclude", "require"):
        numeric = key == "require"  # a categorical feature is many classes: excluded only
        allowed = spec.feature_columns + ([] if numeric else spec.categorical_columns)
        for feature in values:
            if feature not in allowed:
                what = ("is categorical; require= takes numeric features"
                        if feature in spec.categorical_columns else
                        f"is not a {'numeric ' if numeric else ''}feature of spec "
                        f"'{spec.name}'")
                raise DaikiriError(f"{where}: {_clip(feature)!r} {what}; its "
                                   f"{'numeric ' if numeric else ''}features are "
                                   f"{', '.join(allowed)}")
        getattr(revision, key).extend(values)
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
                           "require, max_length, relabel or drop")


def _known_run(run: str, ids: set[str], where: str) -> None:
    if run not in ids:
        raise DaikiriError(f"{where}: no run {_clip(run)!r} in the table")


def revised_problem(problem: LearningProblem, revision: Revision,
                    vocab: Vocabulary) -> LearningProblem:
    """The learning problem after a revision: excluded features ruled out (a categorical one
    with its value classes), required ones required, its maximum length, relabelled runs
    moved between positives and negatives, dropped runs removed."""
    excluded = [iri for f in revision.exclude for iri in vocab.feature_entities(f)]
    required = [vocab.properties[f] for f in revision.require]
    clash = set(required) & set(problem.exclude)
    if clash:
        raise DaikiriError(f"the revision of {problem.id} requires what an earlier round "
                           f"excluded: {', '.join(sorted(clash))}")
    changed = problem.excluding(*excluded).requiring(*required)
    if revision.max_length:
        changed = replace(changed, max_length=revision.max_length)
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


def records_of(review: Review, round_number: int, at: str) -> list[ReviewRecord]:
    """The round's answers as records."""
    return [ReviewRecord(problem=r.problem, round=round_number, decision=r.decision.value,
                         constraints=r.constraints(), reviewer=review.reviewer or "unnamed",
                         reviewed_at=at) for r in review.revisions]


def latest_decisions(records: Iterable[ReviewRecord]) -> dict[str, ReviewRecord]:
    """Each explanation's most recent record."""
    latest: dict[str, ReviewRecord] = {}
    for record in records:
        latest[record.problem] = record
    return latest


def under_review(items: Sequence[Explanation], records: Iterable[ReviewRecord]) -> list[str]:
    """The explanations a round asks about: never answered, or relearned after a revision."""
    latest = latest_decisions(records)
    return [e.problem for e in items
            if e.problem not in latest or latest[e.problem].decision == Decision.REVISE.value]


def review_prompt(items: Sequence[Explanation], records: Sequence[ReviewRecord],
                  round_number: int, rounds: int) -> str:
    """What the reviewer reads before a round: the explanations under review with their ids
    and scores, what earlier rounds decided, and how to answer."""
    latest = latest_decisions(records)
    asked = set(under_review(items, records))
    lines = [f"Review round {round_number} of at most {rounds}: answer each explanation by "
             "its id: accept | reject | revise exclude=FEATURE,... require=FEATURE,... "
             "max_length=N relabel=RUN:0|1,... drop=RUN,...  ('* accept' answers the rest; "
             "';' separates answers on one line)", ""]
    for e in items:
        if e.problem in asked:
            before = latest.get(e.problem)
            note = f"  [relearned: {before.constraints}]" if before else ""
            lines.append(f"{e.problem}  {e.sentence}{scores_note(e, held_out=True)}{note}")
    decided = [r for p, r in latest.items() if p not in asked]
    if decided:
        lines += ["", "Decided in earlier rounds:"]
        lines += [f"{r.problem}  {r.decision}ed in round {r.round}" for r in decided]
    return "\n".join(lines)


def _clip(text: str, limit: int = 60) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
