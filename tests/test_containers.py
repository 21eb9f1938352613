"""Container components for real: runtime choice, the learner and a partner's tool in Docker.

The tests that need a Docker daemon start one where they can (root on Debian:
``scripts/docker-daemon.sh``) and build the local images with ``scripts/images.sh --local``
(layers cached); where no daemon can be had they are skipped, and the skip says why.
``pytest -k container`` selects them all.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from flytekit.core.local_cache import LocalTaskCache
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

import tasks.container as container
from daikiri.ingest import load_table
from daikiri.kg.build import build_knowledge_graph
from daikiri.spec import default_spec
from tasks.container import ContainerRuntimeError, HostContainerTask
from tasks.learner import learn_class_expressions
from tasks.partner import count_regimes
from workflows.diagnose import diagnose
from workflows.explore import explore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def kg(tmp_path) -> Path:
    spec = default_spec()
    table, _ = load_table(spec, None, rows=2_000, seed=3)
    build_knowledge_graph(table, spec, tmp_path / "kg")
    return tmp_path / "kg"


@pytest.fixture
def runs_through(monkeypatch) -> list[str]:
    """Record which runtime each container component really used."""
    used: list[str] = []
    on_host, in_docker = HostContainerTask._run_on_host, HostContainerTask._run_in_docker

    def host(self, *args):
        used.append("host")
        return on_host(self, *args)

    def docker(self, *args):
        used.append("docker")
        return in_docker(self, *args)

    monkeypatch.setattr(HostContainerTask, "_run_on_host", host)
    monkeypatch.setattr(HostContainerTask, "_run_in_docker", docker)
    return used


def _message(info: pytest.ExceptionInfo) -> str:
    """The error's own message, without flytekit's "Error encountered while executing" line."""
    return str(info.value).strip().splitlines()[-1].strip()


def _learn(kg: Path, problems: Path, **overrides):
    inputs = dict(max_runtime=2.0, max_length=6, noise=5.0, seed=1) | overrides
    return learn_class_expressions(kg=FlyteDirectory(str(kg)), problems=FlyteFile(str(problems)),
                                   **inputs)


def _problem_file(tmp_path: Path, problem: dict) -> Path:
    path = tmp_path / "problem.json"
    path.write_text(json.dumps([problem]), encoding="utf-8")
    return path


def test_container_runtime_setting_names_itself_when_wrong(monkeypatch, tmp_path, kg):
    monkeypatch.setenv("DAIKIRI_LEARNER_RUNTIME", "kubernetes")
    with pytest.raises(ContainerRuntimeError,
                       match="DAIKIRI_LEARNER_RUNTIME must be one of auto, docker, host, "
                             "not 'kubernetes'"):
        _learn(kg, _problem_file(tmp_path, {}))


def test_container_docker_forced_without_a_daemon_says_so(monkeypatch, tmp_path, kg):
    monkeypatch.setenv("DAIKIRI_LEARNER_RUNTIME", "docker")
    monkeypatch.setattr(container, "docker_available", lambda: False)
    with pytest.raises(ContainerRuntimeError, match="DAIKIRI_LEARNER_RUNTIME=docker, but no "
                                                    "Docker daemon answers"):
        _learn(kg, _problem_file(tmp_path, {}))


def test_container_daemon_running_image_absent_runs_on_the_host(
        docker_daemon, monkeypatch, tmp_path, kg, caplog, runs_through):
    """The machine Flyte users have: a daemon, and no image of this project's (never pulled)."""
    monkeypatch.delenv("DAIKIRI_LEARNER_RUNTIME", raising=False)
    monkeypatch.setenv("DAIKIRI_LOCAL_IMAGE_LEARNER", "daikiri-learner:never-built")
    table, _ = load_table(default_spec(), None, rows=2_000, seed=3)
    from daikiri.problems import problems_from_flags, problems_json

    [problem] = problems_json(problems_from_flags(table, default_spec(), ["pwf"]))
    with caplog.at_level(logging.INFO, logger="daikiri.container"):
        out = _learn(kg, _problem_file(tmp_path, problem))
    assert runs_through == ["host"]
    assert out.explained == 1 and out.problems == 1
    assert ("daikiri.learner.learn runs on the host: the image daikiri-learner:never-built is "
            "not built (`bash scripts/images.sh --local`)") in caplog.text
    # forced to Docker, the same missing image is one clear error naming it and its build
    # (the learner is cached per problem: the same problem must not come from the cache)
    LocalTaskCache.clear()
    monkeypatch.setenv("DAIKIRI_LEARNER_RUNTIME", "docker")
    with pytest.raises(ContainerRuntimeError) as info:
        _learn(kg, _problem_file(tmp_path, problem))
    assert _message(info) == (
        "DAIKIRI_LEARNER_RUNTIME=docker, but the image 'daikiri-learner:never-built' is not on "
        "this machine: build it with `bash scripts/images.sh --local` (images are never pulled "
        "for local runs)")


def test_container_image_built_from_other_sources_is_not_used(
        local_images, monkeypatch, tmp_path, kg, caplog, runs_through):
    """An image whose program is not this checkout's (the learner edited, the image not
    rebuilt) would have its results cached under the current sources' version: never used."""
    import subprocess

    from tasks.versions import IMAGE_SOURCES, SOURCES_LABEL, sources_version

    current = container.local_image_labels("daikiri-learner:latest")
    assert current[SOURCES_LABEL] == sources_version(IMAGE_SOURCES["learner"])  # images.sh
    old = "daikiri-learner:other-sources"
    build = subprocess.run(["docker", "build", "-q", "-t", old, "--label",
                            f"{SOURCES_LABEL}=0123456789abcdef", "-"],
                           input="FROM daikiri-learner:latest\n", text=True,
                           capture_output=True)
    assert build.returncode == 0, build.stderr
    monkeypatch.delenv("DAIKIRI_LEARNER_RUNTIME", raising=False)
    monkeypatch.setenv("DAIKIRI_LOCAL_IMAGE_LEARNER", old)
    problem = _problem_file(tmp_path, {"name": "x", "positives": [], "negatives": []})
    with caplog.at_level(logging.INFO, logger="daikiri.container"), \
            pytest.raises(container.ContainerTaskFailed):
        _learn(kg, problem)  # an empty problem: the learner's own error, from the host
    assert runs_through == ["host"]
    stale = (f"the image {old} was built from other sources than this checkout's (label "
             f"{SOURCES_LABEL}=0123456789abcdef, the sources are "
             f"{sources_version(IMAGE_SOURCES['learner'])}): rebuild it with "
             "`bash scripts/images.sh --local`")
    assert f"daikiri.learner.learn runs on the host: {stale}" in caplog.text
    monkeypatch.setenv("DAIKIRI_LEARNER_RUNTIME", "docker")
    with pytest.raises(ContainerRuntimeError) as info:
        _learn(kg, problem)
    assert _message(info) == f"DAIKIRI_LEARNER_RUNTIME=docker, but {stale}"
    subprocess.run(["docker", "rmi", old], capture_output=True)


def test_container_learner_failure_in_docker_fails_the_task_with_its_stderr(
        local_images, monkeypatch, tmp_path, kg, runs_through):
    monkeypatch.setenv("DAIKIRI_LEARNER_RUNTIME", "docker")
    bad = _problem_file(tmp_path, {"name": "x", "positives": ["urn:nobody"], "negatives": []})
    with pytest.raises(container.ContainerTaskFailed) as info:
        _learn(kg, bad)
    assert runs_through == ["docker"]
    text = str(info.value)
    assert "daikiri.learner.learn (problem 'x') exited with status 2" in text
    assert "1 positive example(s) are not individuals of the knowledge base" in text


def test_container_diagnose_learns_in_docker_what_it_learns_on_the_host(
        local_images, monkeypatch, caplog, runs_through):
    """Every learning problem of ``diagnose`` in the learner image (one batch, one learner
    container solving the problems on a thread per core): same explanations.

    (Regimes are left out: their searches end at the time limit, so what they find depends
    on the machine's speed at that moment, on the host as in Docker.)"""
    inputs = dict(rows=2_000, seed=3, labels=["hdf", "pwf"], max_runtime=3.0,
                  embedding_epochs=2, explain_clusters=False)
    tables = {}
    for runtime in ("host", "docker"):
        LocalTaskCache.clear()
        runs_through.clear()
        monkeypatch.setenv("DAIKIRI_LEARNER_RUNTIME", runtime)
        with caplog.at_level(logging.INFO, logger="daikiri.container"):
            out = diagnose(**inputs)
        assert runs_through and set(runs_through) == {runtime}
        # one learner run for all problems in a local run
        assert len(runs_through) == 1 and out.summary.problems >= 2
        tables[runtime] = out.explanations
    assert "daikiri.learner.learn runs in image daikiri-learner:latest (Docker)" in caplog.text
    columns = ["problem", "explainable", "expression", "F1", "held-out F1", "explanation"]
    assert tables["docker"][columns].equals(tables["host"][columns])
    assert tables["docker"]["explainable"].sum() >= 2


@pytest.mark.parametrize("runtime", ["host", "docker"])
def test_container_partner_tool_counts_regimes_in_explore(local_images, monkeypatch, runtime,
                                                          runs_through):
    monkeypatch.setenv("DAIKIRI_PARTNER_TOOL_RUNTIME", runtime)
    out = explore(rows=900, seed=42, k_min=2, k_max=3, count_regimes_with_partner_tool=True)
    assert runs_through == [runtime]
    lines = Path(out.regime_counts.download()).read_text(encoding="utf-8").splitlines()
    counts = dict(line.split(",") for line in lines[1:])
    assert lines[0] == "value,rows"
    assert {k: int(v) for k, v in counts.items()} == out.cluster_metrics.sizes
    assert out.regime_groups == out.cluster_metrics.n_clusters


@pytest.mark.parametrize("runtime", ["host", "docker"])
def test_container_partner_tool_error_is_its_one_line(local_images, monkeypatch, tmp_path,
                                                      runtime):
    monkeypatch.setenv("DAIKIRI_PARTNER_TOOL_RUNTIME", runtime)
    table = tmp_path / "t.csv"
    table.write_text("id,cluster\n1,0\n", encoding="utf-8")
    with pytest.raises(container.ContainerTaskFailed) as info:
        count_regimes(table=FlyteFile(str(table)), column="regime")
    assert _message(info) == ("partner.regime_counts exited with status 2: regime-counts: "
                               "column 'regime' is not in the header of the table (id,cluster)")


def test_container_explore_without_the_partner_tool_returns_no_counts(monkeypatch, runs_through):
    out = explore(rows=600, seed=4, k_min=2, k_max=2)
    assert runs_through == []
    assert out.regime_groups == 0
    assert Path(out.regime_counts.download()).read_text(encoding="utf-8") == "value,rows\n"
