"""Failures in long runs cost no repeated work: a learner process killed in the middle of a
local ``diagnose`` fails the run naming the problem and the signal, and the rerun with the same
inputs takes every step before it from the cache and relearns only what did not finish."""

from __future__ import annotations

import re
import signal
import subprocess
import time

import pytest
from flytekit.core.local_cache import LocalTaskCache

from tasks.container import HostContainerTask, exit_description
from workflows.diagnose import diagnose

INPUTS = dict(rows=2_000, seed=3, labels=["hdf", "pwf"], explain_clusters=False,
              max_runtime=3.0, embedding_epochs=2)


def test_exit_descriptions_name_signals():
    assert exit_description(2) == "exited with status 2"
    assert exit_description(-9) == ("was killed by SIGKILL (out of memory, or stopped by "
                                    "someone), status -9")
    assert exit_description(137).startswith("was killed by SIGKILL")  # a container's 128 + 9
    assert exit_description(143) == "was killed by SIGTERM, status 143"


def test_a_killed_learner_fails_the_run_and_the_rerun_relearns_only_what_did_not_finish(
        monkeypatch):
    monkeypatch.setenv("DAIKIRI_LEARNER_RUNTIME", "host")
    LocalTaskCache.clear()
    original = HostContainerTask._run_on_host
    started: list[str] = []

    def problem_of(command: list[str]) -> str:
        return command[command.index("--problem") + 1]

    def kill_the_second(self, commands, volumes, output_directory):
        command = self.host_command(commands, volumes, output_directory)
        started.append(problem_of(command))
        if len(started) != 2:
            return original(self, commands, volumes, output_directory)
        process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True)
        time.sleep(0.2)
        process.send_signal(signal.SIGKILL)  # a real JVM, really killed
        _, stderr = process.communicate()
        return process.returncode, stderr

    monkeypatch.setattr(HostContainerTask, "_run_on_host", kill_the_second)
    with pytest.raises(Exception) as info:
        diagnose(**INPUTS)
    message = str(info.value)
    assert re.search(r"daikiri\.learner\.learn \(problem 'label:pwf'\) was killed by SIGKILL",
                     message), message[-2000:]

    lookups: list[tuple[str, bool]] = []
    relearned: list[str] = []
    get = LocalTaskCache.get

    def spy(task_name, *args, **kwargs):
        found = get(task_name, *args, **kwargs)
        lookups.append((task_name, found is not None))
        return found

    def count(self, commands, volumes, output_directory):
        relearned.append(problem_of(self.host_command(commands, volumes, output_directory)))
        return original(self, commands, volumes, output_directory)

    monkeypatch.setattr(LocalTaskCache, "get", staticmethod(spy))
    monkeypatch.setattr(HostContainerTask, "_run_on_host", count)
    out = diagnose(**INPUTS)
    hits = {name: hit for name, hit in lookups}
    for step in ("tasks.clustering.cluster", "tasks.semantify.build_kg",
                 "tasks.semantify.embed_and_classify", "tasks.model.train_fault_model",
                 "tasks.diagnosis.pose_problems"):
        assert hits[step], (step, lookups)  # every step before the learner: from the cache
    assert [hit for name, hit in lookups if name == "daikiri.learner.learn"] == \
        [True, False, False, False]  # label:hdf finished before; the rest is relearned
    assert len(relearned) == 3 and started[0] not in relearned
    assert out.summary.explained >= 2
    # and the rerun explains exactly what a run without the failure explains
    monkeypatch.setattr(HostContainerTask, "_run_on_host", original)
    LocalTaskCache.clear()
    clean = diagnose(**INPUTS)
    columns = ["problem", "explainable", "expression", "F1", "held-out F1", "explanation"]
    assert out.explanations[columns].equals(clean.explanations[columns])
