"""The learner as a Flyte ContainerTask run on the host (Docker: tests/test_containers.py)."""

import json

import pytest
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

from daikiri.ingest import load_table
from daikiri.kg.build import build_knowledge_graph
from daikiri.learner import class_archive, learner_jar
from daikiri.problems import ProblemKind
from daikiri.spec import default_spec
from tasks.learner import JAR_IN_IMAGE, learn_class_expressions
from tests.test_workflow_explore import _pyflyte
from workflows.explain import explain


def test_explain_runs_the_java_container_task_on_the_host(monkeypatch):
    monkeypatch.setenv("DAIKIRI_LEARNER_RUNTIME", "host")
    out = explain(rows=3_000, seed=5, labels=["hdf", "pwf"], max_runtime=5.0)
    by_target = {r.target: r for r in out.explanations}
    assert set(by_target) == {"hdf", "pwf"}
    assert {r.kind for r in out.explanations} == {ProblemKind.LABEL}
    assert by_target["hdf"].best.f1 >= 0.95 and by_target["pwf"].best.f1 >= 0.95
    assert out.explained == 2
    assert list(out.table["problem"]) == ["label:hdf", "label:pwf"]


@pytest.fixture
def kg(tmp_path):
    spec = default_spec()
    table, _ = load_table(spec, None, rows=2_000, seed=3)
    build_knowledge_graph(table, spec, tmp_path / "kg")
    return tmp_path / "kg"


def test_a_failing_java_process_fails_the_task_with_its_stderr(tmp_path, kg, monkeypatch):
    monkeypatch.setenv("DAIKIRI_LEARNER_RUNTIME", "host")
    problems = tmp_path / "p.json"
    problems.write_text(json.dumps({"name": "x", "positives": ["urn:nobody"], "negatives": []}),
                        encoding="utf-8")
    with pytest.raises(Exception) as info:
        learn_class_expressions(kg=FlyteDirectory(str(kg)), problems=FlyteFile(str(problems)),
                                max_runtime=1.0, max_length=6, noise=5.0, seed=1)
    text = str(info.value)
    assert "daikiri.learner.learn (problem 'x') exited with status 2" in text
    assert "1 positive example(s) are not individuals of the knowledge base" in text


def test_container_paths_map_to_host_paths(tmp_path, kg):
    commands, volumes = learn_class_expressions._prepare_command_and_volumes(
        learn_class_expressions._cmd, kg=FlyteDirectory(str(kg)),
        problems=FlyteFile(str(tmp_path / "p.json")), max_runtime=2.5, max_length=7, noise=1.0,
        seed=4)
    assert "/var/inputs/kg" in commands and "2.5" in commands and "7" in commands
    learn_class_expressions._output_data_dir = "/var/outputs"
    host = learn_class_expressions.host_command(commands, volumes, str(tmp_path / "out"))
    assert str(kg) in host and str(tmp_path / "p.json") in host
    assert JAR_IN_IMAGE not in host and any(a.endswith("-all.jar") for a in host)
    # an option's value is mapped too: the class-data-sharing archive beside the local jar
    assert f"-XX:SharedArchiveFile={class_archive(learner_jar())}" in host
    assert str(tmp_path / "out") + "/results" in host
    assert not any(a.startswith("/var/") for a in host)


def test_pyflyte_run_explain():
    done = _pyflyte("workflows/explain.py", "explain", "--rows", "2000", "--seed", "3",
                    "--labels", '["hdf"]', "--max_runtime", "3")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "problem='label:hdf'" in done.stdout and "explained=1" in done.stdout
