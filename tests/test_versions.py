"""Cache versions follow the code (tasks/versions.py): the same tree gives the same version in
any process, and changing a file a task depends on changes that task's version only."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

from tasks.versions import (
    IMAGE_SOURCES,
    LEARNER_SOURCES,
    ROOT,
    code_version,
    own_dependencies,
    sources_version,
)


def _copy_tree(target: Path) -> Path:
    for folder in ("daikiri", "tasks"):
        shutil.copytree(ROOT / folder, target / folder,
                        ignore=shutil.ignore_patterns("__pycache__"))
    (target / "java_tasks").mkdir()
    shutil.copy(ROOT / "java_tasks" / "pom.xml", target / "java_tasks" / "pom.xml")
    shutil.copytree(ROOT / "java_tasks" / "src" / "main", target / "java_tasks" / "src" / "main")
    return target


def test_an_unchanged_tree_keeps_every_version_in_any_process(tmp_path):
    here = {m: code_version(m) for m in ("tasks.clustering", "tasks.model")}
    here["learn"] = code_version("tasks.diagnosis", LEARNER_SOURCES)
    copy = _copy_tree(tmp_path)  # another checkout of the same commit
    assert code_version("tasks.clustering", root=copy) == here["tasks.clustering"]
    assert code_version("tasks.diagnosis", LEARNER_SOURCES, root=copy) == here["learn"]
    other = subprocess.run(
        [sys.executable, "-c", "from tasks.clustering import CACHE; print(CACHE.version)"],
        cwd=ROOT, capture_output=True, text=True, check=True).stdout.strip()
    assert other == here["tasks.clustering"]


def test_changing_a_dependency_changes_the_versions_that_depend_on_it(tmp_path):
    copy = _copy_tree(tmp_path)
    before = {m: code_version(m, root=copy) for m in ("tasks.clustering", "tasks.model")}
    learn = code_version("tasks.diagnosis", LEARNER_SOURCES, root=copy)
    assert "daikiri.clustering" in own_dependencies("tasks.clustering", copy)
    assert "daikiri.clustering" not in own_dependencies("tasks.model", copy)
    with (copy / "daikiri" / "clustering.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# a change\n")
    assert code_version("tasks.clustering", root=copy) != before["tasks.clustering"]
    assert code_version("tasks.model", root=copy) == before["tasks.model"]
    image = sources_version(IMAGE_SOURCES["learner"], root=copy)
    assert image == sources_version(IMAGE_SOURCES["learner"])  # a Python change: no effect
    java = next((copy / "java_tasks" / "src" / "main").rglob("Learner.java"))
    java.write_text(java.read_text(encoding="utf-8") + "\n// a change\n", encoding="utf-8")
    assert code_version("tasks.diagnosis", LEARNER_SOURCES, root=copy) != learn
    assert sources_version(IMAGE_SOURCES["learner"], root=copy) != image
    label = subprocess.run([sys.executable, "-m", "tasks.versions", "learner"], cwd=ROOT,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert label == sources_version(IMAGE_SOURCES["learner"])
