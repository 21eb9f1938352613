"""The GKE values parse and carry what the flyte-binary chart needs."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def test_gke_values_have_database_storage_auth_and_plugins():
    values = yaml.safe_load((ROOT / "deploy/gke/values.yaml").read_text(encoding="utf-8"))
    config = values["configuration"]
    assert config["database"]["host"] and config["database"]["passwordPath"]
    assert "password" not in config["database"]  # secrets come from Kubernetes secrets
    assert config["storage"]["provider"] == "gcs"
    assert config["storage"]["metadataContainer"] != config["storage"]["userDataContainer"]
    assert config["auth"]["enabled"] and config["auth"]["oidc"]["baseUrl"]
    plugins = config["inline"]["tasks"]["task-plugins"]
    assert "spark" in plugins["enabled-plugins"] and plugins["default-for-task-types"]["spark"]
    assert config["inline"]["plugins"]["k8s"]["gpu-resource-name"] == "nvidia.com/gpu"
    assert config["logging"]["plugins"]["stackdriver"]["enabled"]
    annotations = values["serviceAccount"]["annotations"]
    assert "iam.gke.io/gcp-service-account" in annotations
    templates = values["clusterResourceTemplates"]["inline"]
    assert "iam.gke.io/gcp-service-account" in templates["002_serviceaccount.yaml"]
    for template in templates.values():
        assert yaml.safe_load(template.replace("{{", "").replace("}}", ""))["kind"]
    domains = {next(iter(d)) for d in config["inline"]["cluster_resources"]["customData"]}
    assert domains == {"development", "staging", "production"}


def test_gke_readme_walks_from_an_empty_project_to_registration():
    text = (ROOT / "deploy/gke/README.md").read_text(encoding="utf-8")
    for step in ("gcloud services enable", "node-pools create gpu", "Cloud SQL",
                 "workload", "helm install flyte-binary", "flytectl create project",
                 "make onboard", "make images", "make register"):
        assert step in text, step
