"""Registration check without a Flyte backend: serialize everything and read the protobufs.

`pyflyte package` produces exactly what `pyflyte register` sends to a cluster; these tests
read it back and assert what the cluster will get.
"""

import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml
from flyteidl.admin import launch_plan_pb2, task_pb2, workflow_pb2
from flyteidl.core import execution_pb2

ROOT = Path(__file__).resolve().parents[1]
PYFLYTE = str(Path(sys.executable).parent / "pyflyte")
PYTHON_IMAGE = "localhost:30000/daikiri-python:test"
LEARNER_IMAGE = "localhost:30000/daikiri-learner:test"
PARTNER_IMAGE = "localhost:30000/daikiri-partner_tool:test"
#: every --image flag, from the script that register.sh and `make package` use too
IMAGE_FLAGS = subprocess.run(["bash", "scripts/image-flags.sh", "localhost:30000", "test"],
                             cwd=ROOT, check=True, capture_output=True, text=True).stdout.split()


@pytest.fixture(scope="module")
def package(tmp_path_factory):
    out = tmp_path_factory.mktemp("pkg")
    subprocess.run([PYFLYTE, "--pkgs", "workflows", "package", *IMAGE_FLAGS,
                    "-o", str(out / "flyte.tgz"), "--force"],
                   cwd=ROOT, check=True, capture_output=True, text=True)
    with tarfile.open(out / "flyte.tgz") as archive:
        archive.extractall(out, filter="data")
    tasks, workflows, plans = {}, {}, {}
    for pb in sorted(out.glob("*.pb")):
        data = pb.read_bytes()
        if pb.name.endswith("_1.pb"):  # pyflyte package: _1 tasks, _2 workflows, _3 plans
            spec = task_pb2.TaskSpec()
            spec.ParseFromString(data)
            tasks[spec.template.id.name] = spec.template
        elif pb.name.endswith("_2.pb"):
            spec = workflow_pb2.WorkflowSpec()
            spec.ParseFromString(data)
            workflows[spec.template.id.name] = spec
        else:
            spec = launch_plan_pb2.LaunchPlan()
            spec.ParseFromString(data)
            plans[spec.id.name] = spec
    return tasks, workflows, plans


def _resources(container) -> dict:
    names = {1: "cpu", 3: "memory"}
    return {names.get(r.name, r.name): r.value for r in container.resources.requests}


def test_every_task_is_serialized_with_its_image_and_resources(package):
    tasks, _, _ = package
    assert set(tasks) >= {"tasks.ingest.load_spec", "tasks.ingest.ingest",
                          "tasks.clustering.cluster", "tasks.semantify.build_kg",
                          "tasks.semantify.embed_and_classify", "tasks.diagnosis.pose_problems",
                          "tasks.diagnosis.learn_in_parallel", "tasks.diagnosis.verbalize_one",
                          "tasks.diagnosis.collect_explanations",
                          "tasks.diagnosis.render_report", "tasks.diagnosis.write_report",
                          "daikiri.learner.learn"}
    for name, template in tasks.items():
        expected = {"daikiri.learner.learn": LEARNER_IMAGE,
                    "partner.regime_counts": PARTNER_IMAGE}.get(name, PYTHON_IMAGE)
        assert template.container.image == expected, name
        assert _resources(template.container), f"{name} declares no resource requests"


def test_the_learner_container_task(package):
    tasks, _, _ = package
    learner = tasks["daikiri.learner.learn"]
    assert learner.type == "raw-container"
    args = list(learner.container.command) + list(learner.container.args)
    assert args[:7] == ["java", "-XX:MaxRAMPercentage=75", "-XX:+UseSerialGC",
                        "-XX:SharedArchiveFile=/opt/daikiri/learner.jsa",
                        "-jar", "/opt/daikiri/learner.jar", "learn"]
    # the heap is three quarters of the pod's memory limit: 6 GiB of 8Gi
    assert {r.name: r.value for r in learner.container.resources.limits}[3] == "8Gi"  # memory
    assert "/var/inputs/kg" in args and "/var/inputs/problems" in args
    assert "{{.inputs.max_runtime}}" in args and "/var/outputs/results" in args
    assert learner.container.data_config.input_path == "/var/inputs"
    assert learner.container.data_config.output_path == "/var/outputs"
    assert learner.metadata.retries.retries == 2
    assert learner.metadata.timeout.seconds == 7200
    assert _resources(learner.container) == {"cpu": "2", "memory": "8Gi"}
    assert set(learner.interface.inputs.variables) == {"kg", "problems", "max_runtime",
                                                        "max_length", "noise", "seed"}
    assert set(learner.interface.outputs.variables) == {"results", "explained", "problems"}


def test_spark_tasks_carry_their_spark_configuration(package):
    tasks, workflows, _ = package
    for name in ("tasks.spark.ingest_spark", "tasks.spark.build_kg_spark"):
        template = tasks[name]
        assert template.type == "spark", name
        conf = dict(template.custom["sparkConf"])
        assert conf["spark.executor.instances"] == "2" and conf["spark.driver.memory"] == "2g"
        assert conf["spark.ui.enabled"] == "false"
        assert template.container.image == PYTHON_IMAGE
    diagnose = workflows["workflows.diagnose.diagnose"].template
    shared = workflows["workflows.diagnose.diagnosis"].template
    # ingestion (in diagnose) and the knowledge graph (in the shared diagnosis), by engine
    for template in (diagnose, shared):
        assert len([n for n in template.nodes if n.HasField("branch_node")]) == 1
        assert "engine" in template.interface.inputs.variables


def test_one_diagnosis_subworkflow_with_typed_parameters(package):
    _, workflows, _ = package
    for name in ("diagnose", "diagnose_reviewed"):
        template = workflows[f"workflows.diagnose.{name}"].template
        [node] = [n for n in template.nodes if n.HasField("workflow_node")
                  and n.workflow_node.sub_workflow_ref.name == "workflows.diagnose.diagnosis"]
        [params] = [b.binding.promise for b in node.inputs if b.var == "params"]
        checked = next(n for n in template.nodes if n.id == params.node_id)
        assert checked.task_node.reference_id.name == "tasks.ingest.check_params"
    # tasks get their own knob out of the parameters (attribute paths): a changed learner
    # budget does not change clustering's cache key
    shared = workflows["workflows.diagnose.diagnosis"].template
    paths = {tuple(p.string_value for p in b.binding.promise.attr_path)
             for n in shared.nodes for b in n.inputs
             if b.binding.HasField("promise") and b.binding.promise.var == "params"}
    assert {("seed",), ("max_runtime",), ("labels",), ("embedding_epochs",)} <= paths


def test_cache_and_retry_settings(package):
    tasks, _, _ = package
    cluster = tasks["tasks.clustering.cluster"]
    from tasks.versions import LEARNER_SOURCES, code_version

    assert cluster.metadata.discoverable
    assert cluster.metadata.discovery_version == code_version("tasks.clustering")
    learn = tasks["tasks.diagnosis.learn_in_parallel"].metadata
    assert learn.discovery_version == code_version("tasks.diagnosis", LEARNER_SOURCES)
    assert learn.discovery_version != tasks["tasks.diagnosis.pose_problems"].metadata \
        .discovery_version  # the learner's sources count for the learner's task only
    assert tasks["tasks.semantify.build_kg"].metadata.retries.retries == 1
    assert not tasks["tasks.diagnosis.write_report"].metadata.discoverable  # dated per run
    assert tasks["tasks.diagnosis.render_report"].metadata.discoverable


def test_workflows_and_default_launch_plans(package):
    _, workflows, plans = package
    assert set(workflows) >= {"workflows.diagnose.diagnose", "workflows.explore.explore",
                              "workflows.semantify.semantify", "workflows.explain.explain"}
    diagnose = workflows["workflows.diagnose.diagnose"].template
    assert set(diagnose.interface.inputs.variables) >= {"table_file", "spec_file", "rows",
                                                         "seed", "labels", "max_runtime"}
    assert "diagnose" in plans["workflows.diagnose.diagnose"].id.name


def test_launch_plans_with_schedule_and_failure_notifications(package):
    _, _, plans = package
    nightly = plans["daikiri.nightly_diagnose"]
    assert nightly.spec.workflow_id.name == "workflows.diagnose.diagnose"
    assert nightly.spec.entity_metadata.schedule.cron_schedule.schedule == "0 2 * * *"
    assert nightly.spec.overwrite_cache  # every night recomputes (workflows/launch_plans.py)
    for name in ("daikiri.nightly_diagnose", "daikiri.quick_diagnose", "daikiri.large_diagnose",
                 "daikiri.explore_hdbscan"):
        [notification] = plans[name].spec.entity_metadata.notifications
        phases = {execution_pb2.WorkflowExecution.Phase.Name(p) for p in notification.phases}
        assert phases == {"FAILED", "TIMED_OUT"}
        assert notification.email.recipients_email
    quick = plans["daikiri.quick_diagnose"].spec.default_inputs.parameters
    assert quick["rows"].default.scalar.primitive.integer == 2_000


def test_every_python_task_has_a_timeout(package):
    tasks, _, _ = package
    for name, template in tasks.items():
        assert template.metadata.timeout.seconds > 0, name


def _nodes(nodes, workflows):
    """Every node under ``nodes``: inside branches and subworkflows too."""
    for node in nodes:
        yield node
        if node.HasField("branch_node"):
            branch = node.branch_node.if_else
            inner = [branch.case.then_node, *(c.then_node for c in branch.other)]
            if branch.HasField("else_node"):
                inner.append(branch.else_node)
            yield from _nodes(inner, workflows)
        elif node.HasField("workflow_node"):
            sub = workflows[node.workflow_node.sub_workflow_ref.name].template
            yield from _nodes(sub.nodes, workflows)


def test_review_gates_one_per_round_in_the_serialized_workflow(package):
    _, workflows, _ = package
    reviewed = workflows["workflows.diagnose.diagnose_reviewed"].template
    gates = [n.gate_node for n in _nodes(reviewed.nodes, workflows) if n.HasField("gate_node")]
    assert all(g.HasField("signal") for g in gates)  # inputs, no yes/no approval
    signals = [g.signal.signal_id for g in gates]
    from tasks.review import MAX_ROUNDS

    assert signals == ["cluster_names"] + [f"review-round-{k}" for k in range(1, MAX_ROUNDS + 1)]
    # rounds after the first are conditional on the one before
    conditional = [n.branch_node.if_else.case.then_node.workflow_node.sub_workflow_ref.name
                   for n in reviewed.nodes if n.HasField("branch_node")]
    assert [c for c in conditional if "review_round" in c] == [
        f"workflows.review.review_round_{k}" for k in range(2, MAX_ROUNDS + 1)]
    for k in range(1, MAX_ROUNDS + 1):
        assert f"workflows.review.review_round_{k}" in workflows


def test_register_dry_run_with_an_explicit_version():
    done = subprocess.run([PYFLYTE, "register", "--dry-run", "--project", "daikiri", "--domain",
                           "development", "--version", "test-sha", *IMAGE_FLAGS, "--copy", "none",
                           "workflows"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Successfully registered" in done.stdout


def test_sandbox_files_parse():
    compose = yaml.safe_load((ROOT / "docker-compose.sandbox.yml").read_text(encoding="utf-8"))
    sandbox = compose["services"]["flyte-sandbox"]
    assert sandbox["privileged"] is True
    assert "flyte-sandbox-bundled:${FLYTE_SANDBOX_TAG:-sha-" in sandbox["image"]  # see
    # tests/test_sandbox.py: Flyte publishes this image only as latest and sha-<commit>
    assert {p.split(":")[0] for p in sandbox["ports"]} == {"6443", "30000", "30001", "30002",
                                                           "30080"}
    config = yaml.safe_load((ROOT / "deploy/sandbox/config.yaml").read_text(encoding="utf-8"))
    assert config["admin"]["endpoint"] == "dns:///localhost:30080" and config["admin"]["insecure"]
