"""The sandbox path: configs against what Flyte's sources require, and the end-to-end driver
(deploy/sandbox.py) against a stub of Flyte's admin and signal services on loopback.

A real sandbox needs an image registry these machines cannot reach; the stub speaks the
same gRPC services (flyteidl's AdminService and SignalService) through flytekit's own
``FlyteRemote`` and client, so project creation and gate answering are exercised as they
would be against the sandbox. The GitHub Actions job ``sandbox-e2e`` runs the whole path.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from concurrent import futures
from pathlib import Path

import grpc
import pytest
import yaml
from flyteidl.admin import project_pb2, signal_pb2
from flyteidl.core import types_pb2
from flyteidl.service import admin_pb2_grpc, signal_pb2_grpc

from deploy.sandbox import (
    GateAnswer,
    SandboxCheckFailed,
    answer_gates,
    check_headline,
    check_published_regimes,
    cluster_names_text,
    ensure_project,
    remote_for,
    wait_ready,
)

ROOT = Path(__file__).resolve().parents[1]
PYFLYTE = str(Path(sys.executable).parent / "pyflyte")


class _StubAdmin(admin_pb2_grpc.AdminServiceServicer, signal_pb2_grpc.SignalServiceServicer):
    """Projects and signals, as flyteadmin keeps them (in memory)."""

    def __init__(self) -> None:
        self.projects: dict[str, project_pb2.Project] = {}
        self.signals: dict[str, signal_pb2.Signal] = {}
        self.set_requests: list[signal_pb2.SignalSetRequest] = []
        self.lock = threading.Lock()

    def RegisterProject(self, request, context):  # noqa: N802 - gRPC's names
        with self.lock:
            if request.project.id in self.projects:
                context.abort(grpc.StatusCode.ALREADY_EXISTS,
                              f"project {request.project.id} already exists")
            self.projects[request.project.id] = request.project
        return project_pb2.ProjectRegisterResponse()

    def ListProjects(self, request, context):  # noqa: N802
        return project_pb2.Projects(projects=list(self.projects.values()))

    def reach_gate(self, execution: str, signal_id: str, kind: types_pb2.SimpleType) -> None:
        """What propeller does when an execution reaches a gate node."""
        signal = signal_pb2.Signal(type=types_pb2.LiteralType(simple=kind))
        signal.id.signal_id = signal_id
        signal.id.execution_id.project = "daikiri"
        signal.id.execution_id.domain = "development"
        signal.id.execution_id.name = execution
        with self.lock:
            self.signals[signal_id] = signal

    def ListSignals(self, request, context):  # noqa: N802
        with self.lock:
            return signal_pb2.SignalList(signals=[
                s for s in self.signals.values()
                if s.id.execution_id.name == request.workflow_execution_id.name])

    def SetSignal(self, request, context):  # noqa: N802
        with self.lock:
            signal = self.signals.get(request.id.signal_id)
            if signal is None or signal.HasField("value"):
                context.abort(grpc.StatusCode.NOT_FOUND, "no such pending signal")
            signal.value.CopyFrom(request.value)
            self.set_requests.append(request)
        return signal_pb2.SignalSetResponse()


@pytest.fixture
def admin(tmp_path):
    stub = _StubAdmin()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=4))
    admin_pb2_grpc.add_AdminServiceServicer_to_server(stub, server)
    signal_pb2_grpc.add_SignalServiceServicer_to_server(stub, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"admin": {"endpoint": f"dns:///127.0.0.1:{port}",
                                                "insecure": True}}), encoding="utf-8")
    yield stub, remote_for(config)
    server.stop(grace=None)


def test_sandbox_project_is_created_once_and_then_found(admin):
    stub, remote = admin
    wait_ready(remote, timeout=10)
    assert ensure_project(remote, "daikiri") is True
    assert ensure_project(remote, "daikiri") is False  # idempotent: a second run finds it
    assert list(stub.projects) == ["daikiri"]
    assert stub.projects["daikiri"].name == "DAIKIRI"


def test_sandbox_wait_ready_names_what_did_not_answer(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump({"admin": {"endpoint": "dns:///127.0.0.1:9",
                                                "insecure": True}}), encoding="utf-8")
    now = iter(range(0, 1000, 30))
    with pytest.raises(SandboxCheckFailed, match="Flyte admin did not answer within 60 s"):
        wait_ready(remote_for(config), timeout=60, clock=lambda: next(now),
                   sleep=lambda _: None)


def test_sandbox_gates_are_answered_in_order_when_the_execution_reaches_them(admin):
    stub, remote = admin
    steps = iter([
        lambda: None,  # the execution is still clustering: no gate yet
        lambda: stub.reach_gate("exec1", "cluster_names", types_pb2.STRING),
        lambda: None,  # the names are in; the learner is running
        lambda: stub.reach_gate("exec1", "review-round-1", types_pb2.STRING),
    ])
    answered = answer_gates(
        remote, "exec1",
        [GateAnswer("cluster_names", cluster_names_text({"0": "idle", "1": "high load"}), str),
         GateAnswer("review-round-1", "* accept", str)],
        poll=0, sleep=lambda _: next(steps, lambda: None)())
    assert answered == ["cluster_names", "review-round-1"]
    names, review = stub.set_requests
    assert names.id.signal_id == "cluster_names"
    assert names.value.scalar.primitive.string_value == "0=idle; 1=high load"
    assert names.id.execution_id.project == "daikiri" and names.id.execution_id.name == "exec1"
    assert review.value.scalar.primitive.string_value == "* accept"


def test_sandbox_a_gate_that_never_comes_fails_naming_it(admin):
    _, remote = admin
    with pytest.raises(SandboxCheckFailed, match="ended before its gate 'cluster_names'"):
        answer_gates(remote, "exec2", [GateAnswer("cluster_names", "0=a", str)], poll=0,
                     sleep=lambda _: None, is_done=lambda: True)


def test_sandbox_result_checks_accept_the_truth_and_reject_anything_else():
    good = ["A machine run has a heat dissipation failure when its rotational speed is below "
            "1377.5 rpm and its temperature difference is below 8.6 K. (F1 1.000)",
            "A machine run has a power failure when its power is below 3500 W or above 9000 W. "
            "(F1 1.000)"]
    check_headline(good)
    with pytest.raises(SandboxCheckFailed, match="power failure"):
        check_headline(good[:1])
    ontology = ('<https://ex.org/d#Regime_0> a owl:Class ; rdfs:label "idle"@en .\n'
                '<https://ex.org/d#Regime_1> a owl:Class ; rdfs:label "high load"@en .\n')
    check_published_regimes(ontology, {"0": "idle", "1": "high load"})
    with pytest.raises(SandboxCheckFailed, match="no regime labelled \\['cold start'\\]"):
        check_published_regimes(ontology, {"0": "idle", "2": "cold start"})


def test_sandbox_compose_mounts_no_server_configuration_and_pins_a_published_tag():
    compose = yaml.safe_load((ROOT / "docker-compose.sandbox.yml").read_text(encoding="utf-8"))
    sandbox = compose["services"]["flyte-sandbox"]
    # docker/sandbox-bundled/bootstrap (Flyte): /var/lib/flyte/config is server configuration
    assert not any(str(v).split(":")[1].startswith("/var/lib/flyte/config")
                   for v in sandbox.get("volumes", []))
    # flyte-sandbox-bundled is published as latest and sha-<commit> only (single-binary.yml)
    tag = sandbox["image"].split(":-", 1)[1].rstrip("}")
    assert tag == "sha-b5f898ceae0f69f7b7b6e70dbaa50ac2bd172bd1"  # Flyte v1.16.4


def test_sandbox_client_config_names_every_component_image():
    config = yaml.safe_load((ROOT / "deploy/sandbox/config.yaml").read_text(encoding="utf-8"))
    assert config["admin"] == {"endpoint": "dns:///localhost:30080", "insecure": True}
    flags = subprocess.run(["bash", "scripts/image-flags.sh", "r", "v"], cwd=ROOT, check=True,
                           capture_output=True, text=True).stdout.split()
    components = {f.split("=")[0] for f in flags if "=" in f}
    assert set(config["images"]) == components == {"learner", "partner_tool"}
    # registration with this file needs no --image NAME=... (the AssertionError of old)
    done = subprocess.run([PYFLYTE, "--config", "deploy/sandbox/config.yaml", "register",
                           "--dry-run", "--project", "daikiri", "--domain", "development",
                           "--version", "t", "--image", "localhost:30000/daikiri-python:latest",
                           "--copy", "none", "workflows"],
                          cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]


def test_sandbox_gke_values_carry_notifications_spark_rbac_and_a_pinned_chart():
    values = yaml.safe_load((ROOT / "deploy/gke/values.yaml").read_text(encoding="utf-8"))
    notifications = values["configuration"]["inline"]["notifications"]
    assert notifications["type"] == "gcp" and notifications["publisher"]["topicName"]
    emailer = notifications["emailer"]
    assert emailer["emailServerConfig"]["serviceName"] == "sendgrid"
    assert emailer["emailServerConfig"]["apiKeyFilePath"].startswith("/etc/sendgrid/")
    mounts = {m["mountPath"] for m in values["deployment"]["extraVolumeMounts"]}
    assert "/etc/sendgrid" in mounts  # the key comes from a secret, never from the values
    [rule] = values["rbac"]["extraRules"]
    assert rule["apiGroups"] == ["sparkoperator.k8s.io"]
    assert "sparkapplications" in rule["resources"] and "create" in rule["verbs"]
    templates = {k: yaml.safe_load(v.replace("{{", "").replace("}}", ""))
                 for k, v in values["clusterResourceTemplates"]["inline"].items()}
    kinds = {(t["kind"], t["metadata"]["name"]) for t in templates.values()}
    assert {("Role", "spark-role"), ("ServiceAccount", "spark"),
            ("RoleBinding", "spark-role-binding")} <= kinds
    readme = (ROOT / "deploy/gke/README.md").read_text(encoding="utf-8")
    assert "flyteorg/flyte-binary --version v1.16.4" in readme
    assert "no DAIKIRI task requests a GPU" in readme


def test_sandbox_e2e_script_is_the_one_ci_and_make_run():
    workflow = yaml.safe_load((ROOT / ".github/workflows/sandbox-e2e.yml").read_text("utf-8"))
    triggers = workflow[True] if True in workflow else workflow["on"]  # YAML 1.1: on = True
    assert "pull_request" in triggers and triggers["push"]["branches"] == ["main"]
    steps = [s.get("run", "") for s in workflow["jobs"]["sandbox-e2e"]["steps"]]
    assert any("make sandbox-e2e" in s for s in steps)
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert "sandbox-e2e:" in makefile and "scripts/sandbox-e2e.sh" in makefile
    script = (ROOT / "scripts/sandbox-e2e.sh").read_text(encoding="utf-8")
    for step in ("compose -f docker-compose.sandbox.yml up -d", "deploy.sandbox wait-ready",
                 "scripts/images.sh", "deploy.sandbox ensure-project", "scripts/register.sh",
                 "deploy.sandbox check"):
        assert step in script, step
    done = subprocess.run(["bash", "-n", "scripts/sandbox-e2e.sh"], cwd=ROOT)
    assert done.returncode == 0
