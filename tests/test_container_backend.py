"""Every task in its image, the way Flyte's backend runs it (deploy/container_backend.py).

The workflows are serialized with ``pyflyte package`` against the local images, then each
task's serialized command runs in its image through ``docker run`` as the image's user, with
``inputs.pb`` written and ``outputs.pb`` read back; the learner and the partner tool run as
raw containers, the Spark task as the Spark operator's driver pod. Not covered: Kubernetes,
propeller (retries, caching), object storage (a shared folder stands in), Spark executors in
other pods (the executor entrypoint is started on its own).
"""

from __future__ import annotations

import logging
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from flytekit.core.context_manager import FlyteContextManager
from flytekit.core.local_cache import LocalTaskCache
from flytekit.core.type_engine import TypeEngine
from flytekit.models.literals import Literal

from daikiri.ingest import IngestSummary, load_table
from daikiri.spec import DatasetSpec, default_spec
from deploy.container_backend import (
    BackendError,
    ContainerBackend,
    SerializedPackage,
    file_literal,
    literal,
)
from workflows.diagnose import diagnose

ROOT = Path(__file__).resolve().parents[1]
PYFLYTE = str(Path(sys.executable).parent / "pyflyte")


@pytest.fixture(scope="module")
def package(local_images, tmp_path_factory) -> SerializedPackage:
    """The workflows serialized with the local images as their images."""
    flags = subprocess.run(["bash", "scripts/image-flags.sh", "", "latest"], cwd=ROOT,
                           check=True, capture_output=True, text=True).stdout.split()
    archive = tmp_path_factory.mktemp("package") / "flyte.tgz"
    subprocess.run([PYFLYTE, "--pkgs", "workflows", "package", *flags, "-o", str(archive),
                    "--force"], cwd=ROOT, check=True, capture_output=True, text=True)
    return SerializedPackage.read(archive)


@pytest.fixture
def backend(package, tmp_path) -> ContainerBackend:
    return ContainerBackend(package, tmp_path / "storage")


def _inputs(package: SerializedPackage, workflow: str, **values) -> dict:
    variables = package.workflows[workflow].interface.inputs.variables
    return {name: literal(value, variables[name]) for name, value in values.items()}


def _python(value, python_type: type):
    ctx = FlyteContextManager.current_context()
    return TypeEngine.to_python_value(ctx, Literal.from_flyte_idl(value), python_type)


def test_container_serialized_diagnose_runs_every_task_in_its_image(package, backend,
                                                                    monkeypatch):
    values = dict(rows=2_000, seed=3, labels=["hdf", "pwf"], explain_clusters=False,
                  max_runtime=3.0, embedding_epochs=2)
    out = backend.run_workflow("workflows.diagnose.diagnose",
                               _inputs(package, "workflows.diagnose.diagnose", **values))
    by_how = {}
    for run in backend.runs:
        by_how.setdefault(run.how, []).append(run.task)
    assert set(by_how["python"]) >= {
        "tasks.ingest.load_spec", "tasks.ingest.ingest", "tasks.clustering.cluster",
        "tasks.semantify.build_kg", "tasks.semantify.embed_and_classify",
        "tasks.model.train_fault_model", "tasks.diagnosis.pose_problems",
        "tasks.diagnosis.learn_in_parallel", "tasks.diagnosis.collect_explanations",
        "tasks.diagnosis.render_report", "tasks.diagnosis.write_report",
        "tasks.provenance.record_provenance"}
    # the dynamic fan-out: one learner raw container per problem; the map task per index
    assert by_how["raw container"] == ["daikiri.learner.learn"] * 4
    assert sum("map_verbalize_one" in t for t in by_how["python"]) == 4
    explanations = pd.read_parquet(backend.host_path(
        out.literals["explanations"].scalar.structured_dataset.uri))
    report = backend.host_path(out.literals["report"].scalar.blob.uri).read_text("utf-8")
    assert "heat dissipation failure" in report
    # the same explanations as the local run (learner on the host) at the same inputs
    LocalTaskCache.clear()
    monkeypatch.setenv("DAIKIRI_LEARNER_RUNTIME", "host")
    local = diagnose(**values).explanations
    columns = ["problem", "explainable", "expression", "F1", "held-out F1", "explanation"]
    pd.testing.assert_frame_equal(explanations[columns].reset_index(drop=True),
                                  local[columns].reset_index(drop=True))
    assert explanations["explainable"].sum() >= 2


def test_container_serialized_explore_runs_the_partner_tool_as_a_raw_container(package,
                                                                              backend):
    out = backend.run_workflow("workflows.explore.explore", _inputs(
        package, "workflows.explore.explore", rows=900, k_max=3,
        count_regimes_with_partner_tool=True))
    assert [r.how for r in backend.runs].count("raw container") == 1
    counts = backend.host_path(out.literals["regime_counts"].scalar.blob.uri).read_text()
    profile = pd.read_parquet(backend.host_path(
        out.literals["cluster_profile"].scalar.structured_dataset.uri))
    groups = out.literals["regime_groups"].scalar.primitive.integer
    assert groups == len(profile) >= 2
    rows = {int(v) for v in (line.split(",")[1] for line in counts.splitlines()[1:])}
    assert rows == set(profile["rows"].astype(int))


def test_container_spec_error_names_the_file_as_a_local_run_does(package, backend, tmp_path):
    spec_variable = package.tasks["tasks.ingest.load_spec"].interface.inputs.variables
    bad = backend.work / "bad.yaml"
    bad.write_text("name: x\nbogus: 1\n", encoding="utf-8")
    local_bad = tmp_path / "bad.yaml"
    local_bad.write_text(bad.read_text(), encoding="utf-8")
    with pytest.raises(Exception) as local:
        DatasetSpec.from_yaml(local_bad)
    with pytest.raises(BackendError) as remote:
        backend.run_task("tasks.ingest.load_spec", {
            "spec_file": file_literal("/flyte/bad.yaml", spec_variable["spec_file"])})
    expected = str(local.value).replace(str(local_bad), "/flyte/bad.yaml")
    assert str(remote.value).splitlines()[-1].strip().endswith(expected)
    # (a table file that is not there fails in flytekit's input conversion when its URI is a
    # local path, as in a local run; a cluster's remote URI reaches tasks.common.user_file,
    # tested in tests/test_ingest.py)


def test_container_spark_task_runs_as_the_spark_operators_driver_pod(package, backend, caplog):
    spec = backend.run_task("tasks.ingest.load_spec", {})
    variables = package.tasks["tasks.spark.ingest_spark"].interface.inputs.variables
    defaults = package.default_inputs("workflows.diagnose.diagnose")
    with caplog.at_level(logging.INFO, logger="daikiri.container_backend"):
        out = backend.run_task("tasks.spark.ingest_spark", {
            "spec": spec.literals["o0"], "rows": literal(600, variables["rows"]),
            "seed": literal(3, variables["seed"]), "table_file": defaults["table_file"]})
    assert backend.runs[-1].how == "spark driver"
    summary = _python(out.literals["summary"], IngestSummary)
    expected = load_table(default_spec(), None, rows=600, seed=3)[1]
    assert summary.rows_kept == 600 and summary.label_counts == expected.label_counts
    table = pd.read_parquet(backend.host_path(out.literals["table"].scalar.structured_dataset.uri))
    assert len(table) == 600 and "power_w" in table.columns


def test_container_spark_executor_entrypoint_starts_spark_kubernetes_backend(local_images):
    """What an executor pod runs: the image's entrypoint with `executor` and the environment
    Spark sets on the pod. No driver listens here, so it starts, tries to connect, and stops."""
    env = {"SPARK_DRIVER_URL": "spark://CoarseGrainedScheduler@127.0.0.1:7078",
           "SPARK_EXECUTOR_ID": "1", "SPARK_EXECUTOR_CORES": "1",
           "SPARK_EXECUTOR_MEMORY": "512m", "SPARK_APPLICATION_ID": "spark-app-1",
           "SPARK_EXECUTOR_POD_IP": "127.0.0.1", "SPARK_JAVA_OPT_0": "-Dspark.driver.port=7078"}
    args = [a for key, value in env.items() for a in ("-e", f"{key}={value}")]
    done = subprocess.run(["docker", "run", "--rm", *args, "daikiri-python:latest", "executor"],
                          capture_output=True, text=True, timeout=120)
    log = done.stdout + done.stderr
    assert "KubernetesExecutorBackend: Started daemon" in log
    assert "Changing view acls to: flyte" in log  # the image's own non-root user
    assert "setupEndpointRefByURI" in log  # it went on to connect to the driver
