"""One line per step as it finishes, one per learning problem, while flytekit runs a workflow.

flytekit's local execution calls ``Task.local_execute`` for every task it runs (a workflow's
nodes, a dynamic workflow's tasks, a map task); :class:`Watch` wraps it for the duration of a
run, times each outermost call (a step) and says what it produced, from the step's own typed
outputs (``ingest``: rows kept, ``build_kg``: triples, ...). The learner's ContainerTask, run
inside the ``learn_in_parallel`` fan-out, gets a line of its own per problem.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from typing import Any, TextIO

from flytekit.core.base_task import Task
from flytekit.core.context_manager import FlyteContext
from flytekit.core.local_cache import LocalTaskCache
from flytekit.core.promise import Promise
from flytekit.core.type_engine import TypeEngine
from flytekit.core.workflow import WorkflowBase

from daikiri.diagnosis import is_judged
from daikiri.learner import json_items

#: The learner's ContainerTask (``tasks.learner``).
LEARNER = "daikiri.learner.learn"
#: flytekit's name of a mapped task: ``<module>.map_<task>_<hash>-arraynode``.
MAPPED = re.compile(r"map_(?P<task>\w+?)_[0-9a-f]{32}-arraynode$")


def _ingest(out: dict[str, Any]) -> str:
    s = out["summary"]
    return f"{s.rows_kept:,} of {s.rows_read:,} rows kept"


def _cluster(out: dict[str, Any]) -> str:
    m = out["metrics"]
    return f"{m.n_clusters} regimes ({m.method}, silhouette {m.silhouette:.2f})"


def _kg(out: dict[str, Any]) -> str:
    m = out["manifest"]
    return f"{m.individuals:,} individuals, {m.triples:,} triples"


def _model(out: dict[str, Any]) -> str:
    r = out["report"]
    return f"{r.epochs_trained} epochs on {r.train_rows:,} rows"


def _problems(out: dict[str, Any]) -> str:
    return f"{len(out['o0'])} learning problems"


def _explanations(out: dict[str, Any]) -> str:
    items = out["explanations"]
    return f"{sum(is_judged(e) for e in items)} of {len(items)} explained"


#: What a step's line says, by task name (the outputs it needs are converted, nothing else).
SUMMARIES: dict[str, tuple[tuple[str, ...], Callable[[dict[str, Any]], str]]] = {
    "tasks.ingest.ingest": (("summary",), _ingest),
    "tasks.spark.ingest_spark": (("summary",), _ingest),
    "tasks.clustering.cluster": (("metrics",), _cluster),
    "tasks.semantify.build_kg": (("manifest",), _kg),
    "tasks.spark.build_kg_spark": (("manifest",), _kg),
    "tasks.model.train_fault_model": (("report",), _model),
    "tasks.diagnosis.pose_problems": (("o0",), _problems),
    "tasks.diagnosis.collect_explanations": (("explanations",), _explanations),
}


def count_steps(workflow: WorkflowBase, counted: set[str] | None = None) -> int:
    """The tasks a run of ``workflow`` executes at its own level: nodes, a branch as one,
    subworkflows' nodes (gates are not steps). ``counted`` collects the workflows counted,
    so a subworkflow a branch runs can add its steps when it starts (:class:`Watch`)."""
    if counted is not None:
        counted.add(workflow.name)
    total = 0
    for node in workflow.nodes:
        entity = node.flyte_entity
        if isinstance(entity, WorkflowBase):
            total += count_steps(entity, counted)
        elif isinstance(entity, Task) or type(entity).__name__ == "BranchNode":
            total += 1
    return total


class Watch:
    """While active, prints a line per finished step and per learner problem to ``out``."""

    def __init__(self, workflow: WorkflowBase, out: TextIO) -> None:
        #: the workflows whose steps are in ``steps``; a branch counts as one step until it
        #: turns out to run a subworkflow, whose steps are added then
        self.counted: set[str] = set()
        self.steps = count_steps(workflow, self.counted)
        self.out = out
        self.done = 0
        self.depth = 0
        self.problems = 0
        self.learned = 0
        #: (thread, task name) of the tasks whose outputs came from flytekit's local cache, in
        #: order (a local fan-out runs several learner tasks at once, one per thread)
        self.hits: list[tuple[int, str]] = []
        self._lock = threading.Lock()
        self._original: Callable[..., Any] | None = None
        self._cache_get: Callable[..., Any] | None = None
        self._workflow_execute: Callable[..., Any] | None = None

    def __enter__(self) -> Watch:
        self._original = Task.local_execute
        self._cache_get = LocalTaskCache.get
        self._workflow_execute = WorkflowBase.local_execute
        watch = self

        def workflow_execute(workflow: WorkflowBase, ctx: FlyteContext, **kwargs: Any) -> Any:
            if workflow.name not in watch.counted:  # a subworkflow in a branch
                watch.steps += count_steps(workflow, watch.counted) - 1
            return watch._workflow_execute(workflow, ctx, **kwargs)

        def local_execute(task: Task, ctx: FlyteContext, **kwargs: Any) -> Any:
            return watch._run(task, ctx, kwargs)

        def cache_get(task_name: str, *args: Any, **kwargs: Any) -> Any:
            found = watch._cache_get(task_name, *args, **kwargs)
            if found is not None:
                watch.hits.append((threading.get_ident(), task_name))
            return found

        Task.local_execute = local_execute  # type: ignore[method-assign]
        WorkflowBase.local_execute = workflow_execute  # type: ignore[method-assign]
        LocalTaskCache.get = staticmethod(cache_get)  # type: ignore[method-assign]
        return self

    def __exit__(self, *exc: object) -> None:
        Task.local_execute = self._original  # type: ignore[method-assign]
        WorkflowBase.local_execute = self._workflow_execute  # type: ignore[method-assign]
        LocalTaskCache.get = staticmethod(self._cache_get)  # type: ignore[method-assign]

    def _run(self, task: Task, ctx: FlyteContext, kwargs: dict[str, Any]) -> Any:
        if task.name.endswith("learn_in_parallel"):
            self.problems = _length(kwargs.get("problems"))
        self.depth += 1
        hits_before = len(self.hits)
        started = time.monotonic()
        try:
            result = self._original(task, ctx, **kwargs)
        finally:
            self.depth -= 1
        seconds = time.monotonic() - started
        cached = (threading.get_ident(), task.name) in self.hits[hits_before:]
        took = "cached" if cached else f"{seconds:.1f} s"
        if task.name == LEARNER:
            self._learner_line(task, ctx, result, took)
        elif self.depth == 0:
            self.done += 1
            what = self._summary(task, ctx, result)
            name = task.name.rsplit(".", 1)[-1]
            mapped = MAPPED.match(name)
            if mapped:
                name = f"{mapped.group('task')} (mapped)"
            self._print(f"[{self.done}/{max(self.steps, self.done)}] {name}"
                        f"{': ' + what if what else ''} ({took})")
        return result

    def _summary(self, task: Task, ctx: FlyteContext, result: Any) -> str:
        wanted = SUMMARIES.get(task.name)
        if wanted is None:
            return ""
        try:
            return wanted[1](_outputs(task, ctx, result, wanted[0]))
        except Exception:  # noqa: BLE001 - a progress line never fails a run
            return ""

    def _learner_line(self, task: Task, ctx: FlyteContext, result: Any, took: str) -> None:
        try:
            results = _outputs(task, ctx, result, ("results",))["results"]
            items = json_items(results.download())
        except Exception:  # noqa: BLE001 - a progress line never fails a run
            items = []
        with self._lock:  # learners of a local fan-out finish in several threads
            for item in items:
                # a batch of problems shares one JVM: each line shows its own search time
                seconds = item.get("stats", {}).get("search_seconds") if len(items) > 1 \
                    else None
                self._problem_line(item, took if seconds is None or took == "cached"
                                   else f"{seconds:.1f} s")

    def _problem_line(self, item: dict[str, Any], took: str) -> None:
        self.learned += 1
        best = (item.get("hypotheses") or [{}])[0]
        stats = item.get("stats", {})
        verdict = (f"F1 {best.get('f1', 0.0):.3f}" if stats.get("explainable")
                   else f"not explainable (F1 {best.get('f1', 0.0):.2f})")
        stop = f", {stats['stop_reason']}" if stats.get("stop_reason") else ""
        self._print(f"    learner {self.learned}/{max(self.problems, self.learned)} "
                    f"{item.get('problem', '?')}: {verdict}{stop} ({took})")

    def _print(self, line: str) -> None:
        print(line, file=self.out, flush=True)


def _length(value: Any) -> int:
    if isinstance(value, Promise) and value.val.collection is not None:
        return len(value.val.collection.literals)
    return len(value) if isinstance(value, list) else 0


def _outputs(task: Task, ctx: FlyteContext, result: Any, names: tuple[str, ...]
             ) -> dict[str, Any]:
    """The named outputs of a finished task, as Python values."""
    promises = result if isinstance(result, tuple) else (result,)
    by_name = {p.var: p for p in promises if isinstance(p, Promise)}
    types = task.python_interface.outputs
    return {name: TypeEngine.to_python_value(ctx, by_name[name].val, types[name])
            for name in names}
