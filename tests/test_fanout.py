"""A dynamic workflow's fan-out runs side by side under flytekit's local execution: calls
overlap up to the parallelism asked for, results keep their order, a failing call lets the
others finish (and be cached), batches are one call each, and a component run locally gets its
local environment."""

from __future__ import annotations

import sys
import threading
import time

import pytest
from flytekit import dynamic, kwtypes, task
from flytekit.core.context_manager import CompilationState, FlyteContextManager
from flytekit.core.local_cache import LocalTaskCache

from daikiri.errors import DaikiriError
from tasks.container import container_component
from tasks.fanout import (
    executing_locally,
    fan_out,
    fan_out_batched,
    local_parallelism,
    local_value,
)

RAN: list[tuple[int, float, float]] = []
LOCK = threading.Lock()


@task(cache=True, cache_version="1")
def hold(item: int) -> int:
    """Hold a core-free second (a sleep), note when, then answer; item 13 fails."""
    started = time.monotonic()
    time.sleep(0.5)
    with LOCK:
        RAN.append((item, started, time.monotonic()))
    if item == 13:
        raise ValueError("thirteen")
    return item * 10


@dynamic
def hold_all(items: list[int]) -> list[int]:
    """The fan-out under test."""
    return fan_out(lambda i: hold(item=i), items)


def most_at_once(runs: list[tuple[int, float, float]]) -> int:
    events = sorted([(s, 1) for _, s, _ in runs] + [(e, -1) for _, _, e in runs],
                    key=lambda event: (event[0], event[1]))
    level = peak = 0
    for _, step in events:
        level += step
        peak = max(peak, level)
    return peak


@pytest.fixture(autouse=True)
def fresh():
    RAN.clear()
    LocalTaskCache.clear()
    yield
    LocalTaskCache.clear()


def test_calls_overlap_up_to_the_parallelism_and_keep_their_order(monkeypatch):
    monkeypatch.setenv("DAIKIRI_LOCAL_PARALLELISM", "2")
    assert hold_all(items=[1, 2, 3, 4, 5]) == [10, 20, 30, 40, 50]
    assert sorted(item for item, *_ in RAN) == [1, 2, 3, 4, 5]
    assert most_at_once(RAN) == 2


def test_one_at_a_time_when_asked(monkeypatch):
    monkeypatch.setenv("DAIKIRI_LOCAL_PARALLELISM", "1")
    assert hold_all(items=[1, 2, 3]) == [10, 20, 30]
    assert [item for item, *_ in RAN] == [1, 2, 3]
    assert most_at_once(RAN) == 1


def test_a_failing_call_lets_the_others_finish_and_be_cached(monkeypatch):
    monkeypatch.setenv("DAIKIRI_LOCAL_PARALLELISM", "2")
    with pytest.raises(Exception, match="thirteen"):
        hold_all(items=[13, 2, 3, 4])
    assert sorted(item for item, *_ in RAN) == [2, 3, 4, 13]
    RAN.clear()
    with pytest.raises(Exception, match="thirteen"):
        hold_all(items=[13, 2, 3, 4])
    assert [item for item, *_ in RAN] == [13]  # 2, 3 and 4: from the cache


def test_a_bad_parallelism_setting_is_named(monkeypatch):
    for bad in ("0", "two", "-1"):
        monkeypatch.setenv("DAIKIRI_LOCAL_PARALLELISM", bad)
        with pytest.raises(DaikiriError, match="DAIKIRI_LOCAL_PARALLELISM must be a whole "
                                               f"number of at least 1, got '{bad}'"):
            local_parallelism()
    monkeypatch.delenv("DAIKIRI_LOCAL_PARALLELISM")
    assert local_parallelism() >= 1


def test_compiling_for_a_cluster_makes_plain_calls():
    """Compiling a workflow (what a cluster does with a dynamic task's body) is not local
    execution: the calls are made in order, in the compiling thread, each becoming a node."""
    ctx = FlyteContextManager.current_context()
    threads: list[str] = []
    with FlyteContextManager.with_context(ctx.with_compilation_state(CompilationState(""))):
        assert not executing_locally()
        assert fan_out(lambda i: threads.append(threading.current_thread().name) or i,
                       [1, 2, 3]) == [1, 2, 3]
    assert threads == [threading.current_thread().name] * 3


ECHO = container_component(
    name="tests.fanout.echo_env", image="python",
    inputs=kwtypes(name=str), outputs=kwtypes(value=str),
    command=[sys.executable, "-c",
             "import os, sys; open(sys.argv[2], 'w').write(os.environ.get(sys.argv[1], '-'))",
             "{{.inputs.name}}", "/var/outputs/value"],
    local_env=lambda inputs: {"DAIKIRI_TEST_LEAN": f"for {inputs['name']}"})


@dynamic
def echo_twice(name: str) -> list[str]:
    return fan_out(lambda _: ECHO(name=name), [1, 2])


def test_a_component_run_locally_gets_its_local_environment(monkeypatch):
    monkeypatch.setenv("DAIKIRI_PYTHON_RUNTIME", "host")
    monkeypatch.setenv("DAIKIRI_LOCAL_PARALLELISM", "2")
    assert echo_twice(name="DAIKIRI_TEST_LEAN") == ["for DAIKIRI_TEST_LEAN"] * 2
    monkeypatch.setenv("DAIKIRI_LOCAL_PARALLELISM", "1")
    assert echo_twice(name="DAIKIRI_TEST_LEAN") == ["for DAIKIRI_TEST_LEAN"] * 2
    assert ECHO(name="DAIKIRI_TEST_LEAN") == "for DAIKIRI_TEST_LEAN"  # called on its own
    assert ECHO(name="DAIKIRI_NOT_SET") == "-"  # the environment is the hook's, nothing more


BATCHES: list[list[int]] = []


@task(cache=True, cache_version="1")
def hold_batch(items: list[int]) -> list[int]:
    """One call for a batch: note it, hold a core-free half second, answer per item."""
    with LOCK:
        BATCHES.append(list(items))
    time.sleep(0.5)
    return [item * 10 for item in items]


def batched(items: list[int], batches: int | None = None) -> list[int]:
    return fan_out_batched(lambda batch: hold_batch(items=batch), items,
                           merge=lambda parts: [item for part in parts for item in part],
                           split=lambda out, count: local_value(out, list[int]),
                           batches=batches)


@dynamic
def hold_batched(items: list[list[int]]) -> list[int]:
    """The batched fan-out under test: an item is a one-element list, a batch their union."""
    return batched(items)


@dynamic
def hold_in_one_batch(items: list[list[int]]) -> list[int]:
    """The same asked for one batch (as the learner's fan-out is)."""
    return batched(items, batches=1)


def test_one_batch_asked_for_is_one_call_whatever_the_cores(monkeypatch):
    BATCHES.clear()
    monkeypatch.setenv("DAIKIRI_LOCAL_PARALLELISM", "2")
    assert hold_in_one_batch(items=[[11], [12], [13]]) == [110, 120, 130]
    assert BATCHES == [[11, 12, 13]]
    with pytest.raises(DaikiriError, match="batches must be at least 1, got 0"):
        fan_out_batched(lambda item: item, [1], merge=lambda parts: parts[0],
                        split=lambda out, count: [out], batches=0)


def test_batches_are_one_call_per_core_and_results_keep_the_items_order(monkeypatch):
    BATCHES.clear()
    monkeypatch.setenv("DAIKIRI_LOCAL_PARALLELISM", "2")
    assert hold_batched(items=[[1], [2], [3], [4], [5]]) == [10, 20, 30, 40, 50]
    assert sorted(BATCHES) == [[1, 3, 5], [2, 4]]  # every other item: costly ones spread
    BATCHES.clear()
    assert hold_batched(items=[[1], [2], [3], [4], [5]]) == [10, 20, 30, 40, 50]
    assert BATCHES == []  # the same batches again: both from the cache
    monkeypatch.setenv("DAIKIRI_LOCAL_PARALLELISM", "1")
    assert hold_batched(items=[[6], [7], [8]]) == [60, 70, 80]
    assert BATCHES == [[6, 7, 8]]  # one core: one call for everything
    BATCHES.clear()
    monkeypatch.setenv("DAIKIRI_LOCAL_PARALLELISM", "4")
    assert hold_batched(items=[[9], [10]]) == [90, 100]
    assert sorted(BATCHES) == [[9], [10]]  # fewer items than cores: one call each


def test_compiled_for_a_cluster_a_batched_fan_out_is_one_node_per_item():
    ctx = FlyteContextManager.current_context()
    merged: list[list[int]] = []
    with FlyteContextManager.with_context(ctx.with_compilation_state(CompilationState(""))):
        assert fan_out_batched(lambda item: item * 10, [1, 2, 3],
                               merge=lambda parts: merged.append(parts) or parts[0],
                               split=lambda out, count: [out] * count) == [10, 20, 30]
    assert merged == []
