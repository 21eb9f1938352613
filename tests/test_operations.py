"""Operations: the CD pipeline, the delivery scripts, partner onboarding and monitoring."""

import os
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _make_targets() -> set[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][\w-]*):", text, flags=re.MULTILINE))


def _workflow() -> dict:
    return yaml.safe_load((ROOT / ".github/workflows/cd.yml").read_text(encoding="utf-8"))


def _make_calls(job: dict) -> list[str]:
    """The steps that run a make target, without a leading ``sudo``."""
    runs = [step.get("run", "").removeprefix("sudo ") for step in job["steps"]]
    return [run for run in runs if run.startswith("make ")]


def test_the_cd_workflow_runs_the_documented_make_targets():
    flow = _workflow()
    triggers = flow[True]  # YAML 1.1 reads the key "on" as True
    assert "push" in triggers and "pull_request" in triggers
    assert triggers["push"]["tags"] == ["v*"]
    jobs = flow["jobs"]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    targets = _make_targets()
    for job in jobs.values():
        for call in _make_calls(job):
            target = call.split("make ", 1)[1].split()[0]
            assert target in targets, f"{call!r}: no such make target"
            assert f"make {target}" in readme, f"README does not document make {target}"
    assert _make_calls(jobs["test"]) == ["make test", "make package"]
    assert "refs/heads/main" in jobs["staging"]["if"] and jobs["staging"]["needs"] == "test"
    assert any("DOMAIN=staging" in c for c in _make_calls(jobs["staging"]))
    assert "refs/tags/v" in jobs["production"]["if"]
    [register] = [c for c in _make_calls(jobs["production"]) if "register" in c]
    assert "DOMAIN=production" in register and "ACTIVATE=1" in register
    assert flow["env"]["VERSION"] == "${{ github.sha }}"


def test_credentials_come_only_from_the_secret_store():
    text = (ROOT / ".github/workflows/cd.yml").read_text(encoding="utf-8")
    for job in ("staging", "production"):
        env = _workflow()["jobs"][job]["env"]
        for key in ("FLYTE_PLATFORM_URL", "FLYTE_CREDENTIALS_CLIENT_ID",
                    "FLYTE_CREDENTIALS_CLIENT_SECRET", "REGISTRY"):
            assert re.fullmatch(r"\$\{\{ secrets\.[A-Z_]+ \}\}", env[key]), (job, key)
    assert not re.search(r"(password|secret|token)\s*[:=]\s*['\"]?[A-Za-z0-9+/]{12,}", text,
                         flags=re.IGNORECASE)


def test_register_script_passes_domain_version_and_activation_to_pyflyte():
    env = {**os.environ, "ACTIVATE": "1", "DRY_RUN": "1", "CONFIG": "",
           "DOMAIN": "production", "VERSION": "0123abcd", "REGISTRY": "r.example/daikiri",
           "PYFLYTE": str(Path(sys.executable).parent / "pyflyte")}
    done = subprocess.run(["bash", "scripts/register.sh"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "workflows.diagnose.diagnose" in done.stdout + done.stderr


def _fake_flytectl(tmp_path: Path) -> Path:
    """Stands in for flytectl (there is no Flyte backend here): records each call and the
    attribute file it was given."""
    log = tmp_path / "calls.log"
    fake = tmp_path / "flytectl"
    fake.write_text(f"""#!/usr/bin/env bash
echo "$*" >> {log}
for ((i=1; i<=$#; i++)); do
  if [[ "${{!i}}" == --attrFile ]]; then j=$((i+1)); cp "${{!j}}" {tmp_path}/; fi
done
""")
    fake.chmod(0o755)
    return log


def test_onboarding_creates_the_project_with_quotas_for_every_domain(tmp_path):
    log = _fake_flytectl(tmp_path)
    env = {**os.environ, "FLYTECTL": str(tmp_path / "flytectl"), "CPU_QUOTA": "48",
           "MEMORY_QUOTA": "192Gi", "GSA": "acme@p.iam.gserviceaccount.com",
           "TMPDIR": str(tmp_path)}
    done = subprocess.run(["bash", "scripts/onboard.sh", "acme", "ACME Machines"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    calls = log.read_text().splitlines()
    assert "create project --id acme --name ACME Machines" in calls[0]
    assert sum("update task-resource-attribute" in c for c in calls) == 3
    assert sum("update cluster-resource-attribute" in c for c in calls) == 3
    values = yaml.safe_load((ROOT / "deploy/gke/values.yaml").read_text(encoding="utf-8"))
    templates = "".join(values["clusterResourceTemplates"]["inline"].values())
    used = set(re.findall(r"\{\{ (\w+) \}\}", templates)) - {"namespace"}
    for domain in ("development", "staging", "production"):
        cluster = yaml.safe_load((tmp_path / f"cluster-resources-{domain}.yaml").read_text())
        assert cluster["project"] == "acme" and cluster["domain"] == domain
        assert set(cluster["attributes"]) == used  # every template variable gets a value
        assert cluster["attributes"]["projectQuotaCpu"] == "48"
        tasks = yaml.safe_load((tmp_path / f"task-resources-{domain}.yaml").read_text())
        assert tasks["limits"]["memory"] == "32Gi" and tasks["defaults"]["cpu"] == "1"


def test_onboarding_rejects_a_project_id_kubernetes_cannot_use(tmp_path):
    log = _fake_flytectl(tmp_path)
    env = {**os.environ, "FLYTECTL": str(tmp_path / "flytectl")}
    done = subprocess.run(["bash", "scripts/onboard.sh", "ACME_Corp"], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "project id 'ACME_Corp' must be 3-63 characters of lower-case" in done.stderr
    assert not log.exists()


def test_prometheus_scrapes_the_port_flyte_serves_metrics_on_and_alerts_are_declared():
    values = yaml.safe_load((ROOT / "deploy/gke/values.yaml").read_text(encoding="utf-8"))
    port = values["configuration"]["inline"]["propeller"]["prof-port"]
    [extra] = values["service"]["extraPorts"]
    assert extra["port"] == port and extra["name"] == "http-metrics"
    assert values["deployment"]["podAnnotations"]["prometheus.io/port"] == str(port)
    docs = list(yaml.safe_load_all((ROOT / "deploy/gke/monitoring.yaml").read_text()))
    kinds = {d["kind"]: d for d in docs}
    [endpoint] = kinds["ServiceMonitor"]["spec"]["endpoints"]
    assert endpoint["port"] == extra["name"] and endpoint["path"] == "/metrics"
    rules = [r for g in kinds["PrometheusRule"]["spec"]["groups"] for r in g["rules"]]
    names = {r["alert"] for r in rules}
    assert {"FlyteExecutionsFailing", "FlyteQueueLatencyHigh",
            "FlyteCacheHitRateDropped"} <= names
    assert all(r["expr"] and r["for"] and r["annotations"]["summary"] for r in rules)
    guide = (ROOT / "deploy/gke/README.md").read_text(encoding="utf-8")
    for topic in ("failed executions", "queueing latency", "task durations", "cache hit rate"):
        assert topic in guide, topic
