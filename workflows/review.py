"""The expert's review rounds of ``diagnose_reviewed``, unrolled: one subworkflow per round.

Round ``k`` (``review_round_k``): ``show_review`` → the gate ``review-round-k`` (the person's
answer, ``daikiri.review``'s format) → ``apply_review`` → the learner on the revised problems
only (``learn_in_parallel`` is given the revised problems alone, so an unchanged problem is
never relearned) → verbalization → ``close_round``. Round 1 always runs; round ``k`` > 1 runs
only while the previous round left revised explanations and ``rounds`` allows (a Flyte
condition on ``ReviewState.open``), otherwise ``end_review`` carries the state on. Each round
is a node of its own in the execution graph, with a gate of its own: Flyte gates need a
static workflow (not a ``@dynamic`` one), hence the unrolling up to ``MAX_ROUNDS``.
"""

from __future__ import annotations

from datetime import timedelta

import pandas as pd
from flytekit import conditional, wait_for_input, workflow
from flytekit.core.promise import Promise
from flytekit.core.workflow import PythonFunctionWorkflow
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

from daikiri.diagnosis import Explanation
from daikiri.params import DiagnoseParams
from daikiri.review import ReviewRecord
from daikiri.spec import DatasetSpec
from tasks.diagnosis import learn_in_parallel, verbalize_results
from tasks.review import (
    MAX_ROUNDS,
    ReviewState,
    apply_review,
    close_round,
    end_review,
    show_review,
)

#: How long a round waits for its answer.
ROUND_TIMEOUT = timedelta(hours=72)


def gate_name(round_number: int) -> str:
    return f"review-round-{round_number}"


def _round(number: int) -> PythonFunctionWorkflow:
    def review_round(kg: FlyteDirectory, spec: DatasetSpec, table: pd.DataFrame,
                     predictions: pd.DataFrame, params: DiagnoseParams, cluster_names: str,
                     items: list[Explanation], problems: list[FlyteFile],
                     records: list[ReviewRecord], rounds: int) -> ReviewState:
        prompt = show_review(items=items, records=records, round_number=number, rounds=rounds)
        answer = wait_for_input(gate_name(number), timeout=ROUND_TIMEOUT, expected_type=str)
        prompt >> answer
        applied = apply_review(answer=answer, items=items, problems=problems, records=records,
                               spec=spec, table=table, round_number=number)
        results = learn_in_parallel(kg=kg, problems=applied.revised,
                                    max_runtime=params.max_runtime,
                                    max_length=params.max_length, noise=params.noise,
                                    seed=params.seed)
        verbal = verbalize_results(results=results, spec=spec, table=table,
                                   predictions=predictions, cluster_names=cluster_names)
        return close_round(items=items, relearned=verbal.explanations,
                           problems=applied.problems, records=applied.records,
                           round_number=number, rounds=rounds)

    # one workflow per round: a gate's signal id is unique within an execution
    review_round.__name__ = review_round.__qualname__ = f"review_round_{number}"
    review_round.__doc__ = (f"Review round {number}: the explanations under review wait at "
                            f"the gate '{gate_name(number)}' for the expert's answer; revised "
                            "ones are relearned with its constraints.")
    return workflow(review_round)


ROUNDS = [_round(k) for k in range(1, MAX_ROUNDS + 1)]


def review_rounds(start: Promise, rounds: Promise, **shared: Promise) -> Promise:
    """Workflow fragment: round 1, then each further round while the review is open."""
    state = ROUNDS[0](items=start.items, problems=start.problems, records=start.records,
                      rounds=rounds, **shared)
    for number, round_workflow in enumerate(ROUNDS[1:], start=2):
        state = (conditional(f"round-{number}")
                 .if_(state.open.is_true())
                 .then(round_workflow(items=state.items, problems=state.problems,
                                      records=state.records, rounds=rounds, **shared))
                 .else_()
                 .then(end_review(items=state.items, problems=state.problems,
                                  records=state.records)))
    return state
