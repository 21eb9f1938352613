"""A dynamic workflow's fan-out, side by side in local execution too.

On a cluster a ``@dynamic`` task's body is compiled into a workflow and its task calls become
nodes that Flyte runs side by side. flytekit's local execution runs the same body as plain
Python, each task call finishing before the next starts, so twelve learning problems take
twelve times one on a machine with cores to spare. :func:`fan_out` keeps the compiled shape
(plain calls, one node each) and, in local execution only, makes the calls from a pool of
threads, each with its own copy of flytekit's context stack; every call is still a whole local
task execution with its own cache lookup, retries and failure.

:func:`fan_out_batched` goes one step further where a call has a fixed cost worth sharing (a
learner JVM loading the knowledge graph): in local execution the items are merged into
batches (one per core, or as many as the caller says: the learner takes one batch and solves
its problems on a thread per core) and each batch is one call, its result split back per item;
compiled for a cluster it is :func:`fan_out`, one node per item.

``DAIKIRI_LOCAL_PARALLELISM`` sets how many at once (default: the cores this process may use).
"""

from __future__ import annotations

import importlib.util
import logging
import os
import sys
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any, TypeVar

from flytekit.core.context_manager import ExecutionState, FlyteContextManager, flyte_context_Var
from flytekit.core.promise import Promise
from flytekit.core.type_engine import TypeEngine

from daikiri.errors import DaikiriError

log = logging.getLogger("daikiri.fanout")

PARALLELISM_ENV = "DAIKIRI_LOCAL_PARALLELISM"
T = TypeVar("T")


def local_parallelism() -> int:
    """How many calls :func:`fan_out` makes at once in local execution."""
    setting = os.environ.get(PARALLELISM_ENV, "").strip()
    if not setting:
        return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") \
            else os.cpu_count() or 1
    try:
        value = int(setting)
    except ValueError:
        value = 0
    if value < 1:
        raise DaikiriError(f"{PARALLELISM_ENV} must be a whole number of at least 1, got "
                           f"{setting!r}")
    return value


def executing_locally() -> bool:
    """Whether task calls run now (flytekit's local execution) rather than becoming nodes of
    a workflow being compiled for a cluster."""
    ctx = FlyteContextManager.current_context()
    state = ctx.execution_state
    return (ctx.compilation_state is None and state is not None
            and state.mode in (ExecutionState.Mode.LOCAL_DYNAMIC_TASK_EXECUTION,
                               ExecutionState.Mode.LOCAL_WORKFLOW_EXECUTION,
                               ExecutionState.Mode.LOCAL_TASK_EXECUTION))


def load_lazy_modules() -> None:
    """Finish loading the modules imported lazily so far (flytekit imports ``joblib``, which
    its local cache uses, with importlib's ``LazyLoader``). Python 3.11's lazy loading is not
    thread-safe (fixed in 3.12): two threads touching one such module at once can find it
    half-loaded (``module 'joblib' has no attribute 'hash'``)."""
    for module in list(sys.modules.values()):
        if type(module) is importlib.util._LazyModule:  # type() does not trigger the load
            module.__dict__  # noqa: B018 - any attribute access loads it

def fan_out(call: Callable[[T], Any], items: Sequence[T]) -> list[Any]:
    """``[call(item) for item in items]``, in order; in local execution up to
    :func:`local_parallelism` calls at once.

    Every call runs to its end even when another fails (their results are cached, so a rerun
    repeats only what failed); the first failure in ``items`` order is then raised.
    """
    workers = min(local_parallelism(), len(items))
    if workers <= 1 or not executing_locally():
        return [call(item) for item in items]
    load_lazy_modules()
    stack = flyte_context_Var.get()

    def in_own_context(item: T) -> Any:
        flyte_context_Var.set(list(stack))  # this thread's own stack, starting as the caller's
        return call(item)

    log.info("running %d calls %d at a time (%s)", len(items), workers, PARALLELISM_ENV)
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="fan-out") as pool:
        futures = [pool.submit(in_own_context, item) for item in items]
    return [future.result() for future in futures]


def fan_out_batched(call: Callable[[T], Any], items: Sequence[T],
                    merge: Callable[[list[T]], T], split: Callable[[Any, int], list[Any]],
                    batches: int | None = None) -> list[Any]:
    """One result per item, in order: in local execution from ``batches`` calls (default
    :func:`local_parallelism`), side by side, each on ``merge`` of a batch of items (every
    ``batches``-th item, so costly and cheap ones mix; a batch of one when there are fewer
    items than batches) with ``split(result, batch size)`` turning its result back into one
    per item; compiled for a cluster, :func:`fan_out` of ``call`` on each item.

    A batch is one local task execution: cached, retried and failing as a whole.
    """
    if batches is not None and batches < 1:
        raise DaikiriError(f"fan_out_batched: batches must be at least 1, got {batches}")
    workers = min(batches or local_parallelism(), len(items))
    if not executing_locally() or not items:
        return fan_out(call, items)
    chosen = batch_indices(len(items), workers)
    log.info("%d items in %d batch%s", len(items), len(chosen), "" if workers == 1 else "es")
    outputs = fan_out(lambda batch: split(call(merge([items[i] for i in batch])), len(batch)),
                      chosen)
    return unbatched(chosen, outputs)


def batch_indices(count: int, workers: int) -> list[list[int]]:
    """The items' indices in ``workers`` batches: every ``workers``-th item, so costly and
    cheap ones mix."""
    return [list(range(first, count, workers)) for first in range(min(workers, count))]


def unbatched(batches: list[list[int]], outputs: Sequence[Sequence[Any]]) -> list[Any]:
    """Per-batch results back in the items' order."""
    results: list[Any] = [None] * sum(len(batch) for batch in batches)
    for batch, output in zip(batches, outputs, strict=True):
        for index, result in zip(batch, output, strict=True):
            results[index] = result
    return results


def local_value(output: Any, python_type: type[T]) -> T:
    """The Python value of a task call's output in local execution (a ``Promise`` holding a
    literal there)."""
    if not isinstance(output, Promise):
        return output
    return TypeEngine.to_python_value(FlyteContextManager.current_context(), output.val,
                                      python_type)
