"""Flyte tasks of the expert's review rounds (``diagnose_reviewed``) and of publication.

A round: ``show_review`` puts the explanations under review, with their ids, in a Deck and in
the log (the gate ``review-round-<k>`` follows it, so the Flyte UI shows them above the input
form and a terminal shows them above the prompt); the person's answer goes to
``apply_review``, which writes revised learning problems for the explanations to relearn;
the learner runs on those only; ``close_round`` merges the new explanations and says whether
another round is needed. The review itself is ``daikiri.review``.
"""

from __future__ import annotations

import html
import json
import sys
from dataclasses import replace
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from flytekit import Cache, Deck, task
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

from daikiri.diagnosis import (
    DiagnosisSummary,
    Explanation,
    explanation_table,
    headline,
    is_judged,
    parse_cluster_names,
)
from daikiri.errors import DaikiriError
from daikiri.kg.naming import categories_of, vocabulary
from daikiri.plots import table_to_html
from daikiri.problems import LearningProblem, ProblemKind
from daikiri.provenance import ProvenanceRecord, now, ontology_provenance
from daikiri.review import (
    Decision,
    ReviewRecord,
    latest_decisions,
    parse_review,
    records_of,
    review_prompt,
    revised_problem,
    under_review,
)
from daikiri.spec import DatasetSpec
from tasks.common import DECK_FIELDS, SHORT, SMALL, work_dir
from tasks.versions import code_version

CACHE = Cache(version=code_version(__name__))
#: The most review rounds a run may ask for (the workflow unrolls this many).
MAX_ROUNDS = 5


class ReviewState(NamedTuple):
    """Where the review stands after a round: the current explanations and their learning
    problems (same order), every decision so far, and whether another round is needed."""

    items: list[Explanation]
    problems: list[FlyteFile]
    records: list[ReviewRecord]
    open: bool


@task(timeout=SHORT, requests=SMALL, limits=SMALL, cache=CACHE)
def check_rounds(rounds: int) -> int:
    """The number of review rounds asked for, checked before anything runs."""
    if not 1 <= rounds <= MAX_ROUNDS:
        raise DaikiriError(f"input 'rounds' must be between 1 and {MAX_ROUNDS}, got {rounds}")
    return rounds


@task(timeout=SHORT, requests=SMALL, limits=SMALL, cache=CACHE)
def start_review(items: list[Explanation], problems: list[FlyteFile]) -> ReviewState:
    """The review before its first round: every explanation under review."""
    if len(items) != len(problems):
        raise DaikiriError(f"{len(items)} explanations for {len(problems)} learning problems")
    return ReviewState(items=items, problems=problems, records=[], open=True)


@task(timeout=SHORT, requests=SMALL, limits=SMALL, enable_deck=True,
      deck_fields=DECK_FIELDS, cache=CACHE)
def show_review(items: list[Explanation], records: list[ReviewRecord], round_number: int,
                rounds: int) -> str:
    """What the reviewer answers in this round: each explanation under review with its id
    and scores, what earlier rounds decided, and the answer format (Deck and log)."""
    prompt = review_prompt(items, records, round_number, rounds)
    Deck(f"Review round {round_number}", f"<pre>{html.escape(prompt)}</pre>")
    print(prompt, file=sys.stderr, flush=True)  # above the local gate's prompt
    return prompt


class Applied(NamedTuple):
    """A round's answer applied: the problems to relearn, all problems, all records."""

    revised: list[FlyteFile]
    problems: list[FlyteFile]
    records: list[ReviewRecord]


@task(timeout=SHORT, requests=SMALL, limits=SMALL)  # not cached: it records when it ran
def apply_review(answer: str, items: list[Explanation], problems: list[FlyteFile],
                 records: list[ReviewRecord], spec: DatasetSpec, table: pd.DataFrame,
                 round_number: int) -> Applied:
    """Parse the reviewer's answer (errors name the line) and write a revised learning
    problem for each explanation to revise: excluded and required features, its maximum
    length, relabelled and dropped runs. Accepted and rejected ones are final."""
    asked = under_review(items, records)
    review = parse_review(answer, asked, spec, table[spec.id_column].astype(str))
    vocab = vocabulary(spec, categories_of(table, spec))
    position = {e.problem: i for i, e in enumerate(items)}
    current = list(problems)
    revised = []
    folder = work_dir(f"review-round-{round_number}")
    for revision in review.revisions:
        if revision.decision is not Decision.REVISE:
            continue
        index = position[revision.problem]
        data = json.loads(Path(problems[index].download()).read_text(encoding="utf-8"))
        problem = LearningProblem.from_json(data[0] if isinstance(data, list) else data)
        if problem.id != revision.problem:
            raise DaikiriError(f"learning problem {index} is {problem.id}, expected "
                               f"{revision.problem}")
        path = folder / f"{index:03d}.json"
        changed = revised_problem(problem, revision, vocab)
        path.write_text(json.dumps([changed.to_json()]), encoding="utf-8")
        current[index] = FlyteFile(str(path))
        revised.append(current[index])
    return Applied(revised=revised, problems=current,
                   records=records + records_of(review, round_number, now()))


@task(timeout=SHORT, requests=SMALL, limits=SMALL, cache=CACHE)
def close_round(items: list[Explanation], relearned: list[Explanation],
                problems: list[FlyteFile], records: list[ReviewRecord], round_number: int,
                rounds: int) -> ReviewState:
    """The explanations after a round (relearned ones replace their predecessors) and
    whether another round is needed: some were revised and rounds are left."""
    new = {e.problem: e for e in relearned}
    merged = [new.get(e.problem, e) for e in items]
    pending = under_review(merged, records)
    return ReviewState(items=merged, problems=problems, records=records,
                       open=bool(pending) and round_number < rounds)


@task(timeout=SHORT, requests=SMALL, limits=SMALL, cache=CACHE)
def end_review(items: list[Explanation], problems: list[FlyteFile],
               records: list[ReviewRecord]) -> ReviewState:
    """A round not needed: the review as it stood (the other branch of each round)."""
    return ReviewState(items=items, problems=problems, records=records, open=False)


class Reviewed(NamedTuple):
    table: pd.DataFrame
    summary: DiagnosisSummary


@task(timeout=SHORT, requests=SMALL, limits=SMALL, enable_deck=True,
      deck_fields=DECK_FIELDS, cache=CACHE)
def reviewed_table(items: list[Explanation], records: list[ReviewRecord],
                   diagnosis: DiagnosisSummary) -> Reviewed:
    """The explanations as the review left them: each with its last decision, round,
    constraints and reviewer ("revise" means relearned but not reviewed again), and the
    summary whose headline is the reviewed sentences, each after its decision."""
    latest = latest_decisions(records)
    frame = explanation_table(items)
    frame["decision"] = [latest[p].decision if p in latest else "" for p in frame["problem"]]
    frame["round"] = [latest[p].round if p in latest else 0 for p in frame["problem"]]
    frame["constraints"] = [_constraints_of(p, records) for p in frame["problem"]]
    frame["reviewer"] = [latest[p].reviewer if p in latest else "" for p in frame["problem"]]
    Deck("Reviewed explanations", table_to_html(frame, "The explanations after the review"))
    decision = {p: r.decision for p, r in latest.items()}
    summary = replace(diagnosis, headline=[
        f"[{decision.get(e.problem, 'unreviewed')}] {line}"
        for e, line in zip(items, headline(items), strict=True)],
        explained=sum(is_judged(e) and decision.get(e.problem) == Decision.ACCEPT.value
                      for e in items), problems=len(items))
    return Reviewed(table=frame, summary=summary)


@task(timeout=SHORT, requests=SMALL, limits=SMALL)
def publish_ontology(kg: FlyteDirectory, spec: DatasetSpec, items: list[Explanation],
                     records: list[ReviewRecord], provenance: ProvenanceRecord,
                     cluster_names: str = "") -> FlyteFile:
    """After the review: the ontology with the accepted definitions as equivalent-class
    axioms, annotated with provenance (learner, F1, held-out F1, date, the English sentence)
    and with the review (round, decision, constraints of every revision, reviewer, time); the
    ontology itself carries the run's provenance record (code version, content hashes of the
    input table and knowledge graph, parameters, execution).

    Fault labels get their definitions; each accepted regime becomes a class ``Regime_k``
    labelled with the name a person gave it. Rejected explanations, ones still under review
    when the rounds ran out, non-explainable ones and those of the model's predictions are not
    published.
    """
    from daikiri.publish import publish

    names = parse_cluster_names(cluster_names)
    vocab = vocabulary(spec, {})
    latest = latest_decisions(records)
    definitions = []
    extra = work_dir("publish") / "regimes.ttl"
    regime_lines = ["@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
                    "@prefix owl: <http://www.w3.org/2002/07/owl#> ."]
    for item in items:
        decision = latest.get(item.problem)
        if (decision is None or decision.decision != Decision.ACCEPT.value
                or not item.explainable or item.kind is ProblemKind.MODEL
                or item.expression is None):
            continue
        if item.kind is ProblemKind.LABEL:
            target = vocab.label_classes[item.target]
        else:
            target = f"{spec.base_iri}Regime_{item.target}"
            label = names.get(item.target, f"regime {item.target}").replace('"', "'")
            regime_lines.append(f'<{target}> a owl:Class ; rdfs:label "{label}"@en ; '
                                f"rdfs:subClassOf <{vocab.entity}> .")
        annotations: dict[str, object] = {
            "learner": "daikiri-learner 0.1.0", "f1": round(item.f1, 6),
            "sentence": item.sentence, "reviewDecision": decision.decision,
            "reviewRound": decision.round, "reviewer": decision.reviewer,
            "reviewedAt": decision.reviewed_at}
        if item.validation_f1 >= 0:  # none when too few positives to hold any out
            annotations["heldOutF1"] = round(item.validation_f1, 6)
        constraints = _constraints_of(item.problem, records)
        if constraints:
            annotations["reviewConstraints"] = constraints
        definitions.append((target, item.expression, annotations))
    extra.write_text("\n".join(regime_lines) + "\n", encoding="utf-8")
    out = extra.parent / f"{spec.name}-published.ttl"
    publish(Path(kg.download()) / "tbox.owl", definitions, out, extra=[extra],
            ontology_annotations=ontology_provenance(provenance))
    return FlyteFile(str(out))


def _constraints_of(problem: str, records: list[ReviewRecord]) -> str:
    """Every revision of ``problem``, by round ("round 1: exclude=air_temperature_k")."""
    return "; ".join(f"round {r.round}: {r.constraints}" for r in records
                     if r.problem == problem and r.constraints)
