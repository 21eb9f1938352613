"""Failures in long runs cost no repeated work: a learner process killed in the middle of a
local ``diagnose`` fails the run naming its problems and the signal, and the rerun with the same
inputs takes every step before it from the cache and relearns only what did not finish (in a
local run, the killed learner's batch of problems)."""

from __future__ import annotations

import re
import signal
import subprocess
import time

import pytest
from flytekit.core.local_cache import LocalTaskCache

from tasks.container import (
    ContainerTaskFailed,
    ContainerTaskKilled,
    HostContainerTask,
    exit_description,
)
from workflows.diagnose import diagnose

INPUTS = dict(rows=2_000, seed=3, labels=["hdf", "pwf"], explain_clusters=False,
              max_runtime=3.0, embedding_epochs=2)


def test_exit_descriptions_name_signals():
    assert exit_description(2) == "exited with status 2"
    assert exit_description(-9) == ("was killed by SIGKILL (out of memory, or stopped by "
                                    "someone), status -9")
    assert exit_description(137).startswith("was killed by SIGKILL")  # a container's 128 + 9
    assert exit_description(143) == "was killed by SIGTERM, status 143"


def _kill(command: list[str]) -> tuple[int, str]:
    """Start the real learner process and kill it with SIGKILL while it starts up."""
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
    time.sleep(0.2)
    process.send_signal(signal.SIGKILL)
    _, stderr = process.communicate()
    return process.returncode, stderr


def _problem_of(command: list[str]) -> str:
    return command[command.index("--problem") + 1]


def test_a_learner_killed_once_is_retried_and_a_failing_one_is_not(monkeypatch, tmp_path,
                                                                   caplog):
    """A signal is the machine's fault: retried (the task's retries); a non-zero exit is the
    program's verdict on its input: never retried."""
    monkeypatch.setenv("DAIKIRI_LEARNER_RUNTIME", "host")
    LocalTaskCache.clear()
    original = HostContainerTask._run_on_host
    attempts: list[str] = []
    killed: list[bool] = []

    def kill_the_first_attempt(self, commands, volumes, output_directory, env):
        attempts.append("run")
        if not killed:
            killed.append(True)
            return _kill(self.host_command(commands, volumes, output_directory))
        return original(self, commands, volumes, output_directory, env)

    monkeypatch.setattr(HostContainerTask, "_run_on_host", kill_the_first_attempt)
    out = explain_one(tmp_path, "pwf")
    assert len(attempts) == 2 and out.explained == 1
    assert "was killed by SIGKILL" in caplog.text and "retrying (attempt 2 of 3)" in caplog.text
    attempts.clear()
    with pytest.raises(ContainerTaskFailed) as info:
        explain_one(tmp_path, "nobody")  # a problem the learner rejects: exit status 2
    assert len(attempts) == 1 and "exited with status 2" in str(info.value)
    assert not isinstance(info.value, ContainerTaskKilled)


def explain_one(folder, label: str):
    """The learner task on one problem of a small knowledge graph."""
    import json

    from flytekit.types.directory import FlyteDirectory
    from flytekit.types.file import FlyteFile

    from daikiri.ingest import load_table
    from daikiri.kg.build import build_knowledge_graph
    from daikiri.problems import problems_from_flags, problems_json
    from daikiri.spec import default_spec
    from tasks.learner import learn_class_expressions

    spec = default_spec()
    table, _ = load_table(spec, None, rows=2_000, seed=3)
    kg = folder / "kg"
    if not kg.exists():
        build_knowledge_graph(table, spec, kg)
    if label == "nobody":
        problems = [{"name": "nobody", "positives": ["urn:nobody"], "negatives": []}]
    else:
        problems = problems_json(problems_from_flags(table, spec, [label]))
    path = folder / f"{label}.json"
    path.write_text(json.dumps(problems), encoding="utf-8")
    return learn_class_expressions(kg=FlyteDirectory(str(kg)), problems=FlyteFile(str(path)),
                                   max_runtime=3.0, max_length=8, noise=5.0, seed=1)


def _names_of(problem_file: str) -> list[str]:
    import json
    from pathlib import Path

    data = json.loads(Path(problem_file).read_text(encoding="utf-8"))
    return [problem["name"] for problem in (data if isinstance(data, list) else [data])]


def test_a_killed_learner_fails_the_run_and_the_rerun_relearns_only_what_did_not_finish(
        monkeypatch):
    """The local fan-out's learner (one JVM for all problems) is killed on every attempt: the
    run fails naming its problems after the task's retries; the rerun takes every step before
    the learner from the cache, relearns the batch, and explains what a clean run does."""
    monkeypatch.setenv("DAIKIRI_LEARNER_RUNTIME", "host")
    LocalTaskCache.clear()
    original = HostContainerTask._run_on_host
    attempts: list[list[str]] = []

    def kill_the_learner(self, commands, volumes, output_directory, env):
        command = self.host_command(commands, volumes, output_directory)
        names = _names_of(_problem_of(command))
        attempts.append(names)
        if "label:pwf" in names:
            return _kill(command)
        return original(self, commands, volumes, output_directory, env)

    monkeypatch.setattr(HostContainerTask, "_run_on_host", kill_the_learner)
    with pytest.raises(ContainerTaskKilled) as info:
        diagnose(**INPUTS)
    message = str(info.value)
    assert re.search(r"daikiri\.learner\.learn \(problems 'label:hdf', 'label:pwf', "
                     r"'model:hdf' \.\.\.\) was killed by SIGKILL", message), message[-2000:]
    assert message.endswith("(attempt 3 of 3)")  # the task's two retries, then the failure
    # four problems (two labels, the model's two) in one batch, tried three times
    assert attempts == [["label:hdf", "label:pwf", "model:hdf", "model:pwf"]] * 3

    lookups: list[tuple[str, bool]] = []
    relearned: list[list[str]] = []
    get = LocalTaskCache.get

    def spy(task_name, *args, **kwargs):
        found = get(task_name, *args, **kwargs)
        lookups.append((task_name, found is not None))
        return found

    def count(self, commands, volumes, output_directory, env):
        relearned.append(_names_of(_problem_of(
            self.host_command(commands, volumes, output_directory))))
        return original(self, commands, volumes, output_directory, env)

    monkeypatch.setattr(LocalTaskCache, "get", staticmethod(spy))
    monkeypatch.setattr(HostContainerTask, "_run_on_host", count)
    out = diagnose(**INPUTS)
    hits = {name: hit for name, hit in lookups}
    for step in ("tasks.clustering.cluster", "tasks.semantify.build_kg",
                 "tasks.semantify.embed_and_classify", "tasks.model.train_fault_model",
                 "tasks.diagnosis.pose_problems"):
        assert hits[step], (step, lookups)  # every step before the learner: from the cache
    assert [hit for name, hit in lookups if name == "daikiri.learner.learn"] == [False]
    assert relearned == [attempts[0]]
    assert out.summary.explained >= 2
    # and the rerun explains exactly what a run without the failure explains
    monkeypatch.setattr(HostContainerTask, "_run_on_host", original)
    LocalTaskCache.clear()
    clean = diagnose(**INPUTS)
    columns = ["problem", "explainable", "expression", "F1", "held-out F1", "explanation"]
    assert out.explanations[columns].equals(clean.explanations[columns])


def test_a_knowledge_graph_that_cannot_be_written_is_one_error_and_never_cached(
        monkeypatch, tmp_path):
    """A full disk (a real ENOSPC: the TBox file is /dev/full) while the graph is written."""
    import tasks.semantify as semantify
    from daikiri.ingest import load_table
    from daikiri.spec import default_spec
    from tasks.common import OutputNotWritten

    LocalTaskCache.clear()
    spec = default_spec()
    table, _ = load_table(spec, None, rows=2_000, seed=3)
    full = tmp_path / "kg"
    full.mkdir()
    (full / "tbox.ttl").symlink_to("/dev/full")
    real_work_dir = semantify.work_dir
    monkeypatch.setattr(semantify, "work_dir", lambda name: full)
    with pytest.raises(OutputNotWritten) as info:
        semantify.build_kg(table=table, spec=spec)
    assert str(info.value).strip().splitlines()[-1].strip() == (
        f"cannot write the knowledge graph to '{full}': No space left on device")
    lookups: list[bool] = []
    get = LocalTaskCache.get
    monkeypatch.setattr(LocalTaskCache, "get", staticmethod(
        lambda *a, **k: lookups.append(get(*a, **k) is not None) or get(*a, **k)))
    monkeypatch.setattr(semantify, "work_dir", real_work_dir)
    graph = semantify.build_kg(table=table, spec=spec)
    assert lookups == [False]  # the failed attempt left nothing in the cache
    assert graph.manifest.individuals == 2_000


def _error_kind(task, inputs: dict, tmp_path):
    """Run ``task`` through flytekit's container entrypoint (what ``pyflyte-execute`` runs in a
    pod) and return the kind of the error document it writes for Flyte's propeller, which
    retries RECOVERABLE errors up to the task's ``retries`` and never NON_RECOVERABLE ones."""
    from flyteidl.core import errors_pb2
    from flytekit.bin.entrypoint import _dispatch_execute
    from flytekit.core.context_manager import FlyteContextManager
    from flytekit.core.type_engine import TypeEngine
    from flytekit.models.literals import LiteralMap

    ctx = FlyteContextManager.current_context()
    types = task.python_interface.inputs
    literals = {name: TypeEngine.to_literal(ctx, value, types[name],
                                            TypeEngine.to_literal_type(types[name]))
                for name, value in inputs.items()}
    tmp_path.mkdir(parents=True, exist_ok=True)
    inputs_pb = tmp_path / "inputs.pb"
    inputs_pb.write_bytes(LiteralMap(literals).to_flyte_idl().SerializeToString())
    out = tmp_path / "out"
    out.mkdir()
    with FlyteContextManager.with_context(ctx.with_execution_state(
            ctx.execution_state.with_params(mode=ctx.execution_state.Mode.TASK_EXECUTION))) as run:
        _dispatch_execute(run, lambda: task, str(inputs_pb), str(out))
    [error] = out.glob("error*.pb")
    document = errors_pb2.ErrorDocument.FromString(error.read_bytes())
    return errors_pb2.ContainerError.Kind.Name(document.error.kind), document.error.message


def test_a_full_disk_is_retried_by_flyte_and_a_user_error_is_not(monkeypatch, tmp_path):
    """The error kind flytekit's entrypoint reports decides Flyte's retries: the full disk
    (a real ENOSPC) is RECOVERABLE, and build_kg is serialized with a retry; a table that
    fails validation is NON_RECOVERABLE, so no retry repeats it."""
    import tasks.semantify as semantify
    from daikiri.ingest import load_table
    from daikiri.spec import default_spec

    spec = default_spec()
    table, _ = load_table(spec, None, rows=2_000, seed=3)
    full = tmp_path / "kg"
    full.mkdir()
    (full / "tbox.ttl").symlink_to("/dev/full")
    monkeypatch.setattr(semantify, "work_dir", lambda name: full)
    kind, message = _error_kind(semantify.build_kg, {"table": table, "spec": spec,
                                                     "quantile_bins": 0}, tmp_path / "disk")
    assert kind == "RECOVERABLE" and "No space left on device" in message
    assert semantify.build_kg.metadata.retries >= 1
    kind, message = _error_kind(semantify.build_kg, {"table": table.drop(columns=["torque_nm"]),
                                                     "spec": spec, "quantile_bins": 0},
                                tmp_path / "user")
    assert kind == "NON_RECOVERABLE" and "torque_nm" in message
