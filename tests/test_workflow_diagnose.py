"""The diagnose workflow end to end under flytekit local execution and `pyflyte run`."""

import re
from pathlib import Path

from daikiri.provenance import code_version, file_hash, frame_hash, tree_hash
from tests.test_workflow_explore import _pyflyte
from workflows.diagnose import diagnose


def test_diagnose_recovers_the_known_failure_mechanisms():
    out = diagnose(rows=4_000, seed=42, max_runtime=4.0, embedding_epochs=3,
                   labels=["hdf", "pwf", "osf", "rnf"])
    lines = out.summary.headline
    by_target = {row["problem"]: row for _, row in out.explanations.iterrows()}
    assert {"label:hdf", "label:pwf", "label:osf", "label:rnf"} <= set(by_target)
    hdf = next(line for line in lines if "heat dissipation failure" in line)
    assert re.search(r"rotational speed is below 13[6-9]\d(\.\d+)? rpm", hdf)
    assert "temperature difference is below 8.6 K" in hdf
    pwf = next(line for line in lines if "power failure" in line)
    assert "its power is below 3500 W or above 9000 W" in pwf
    assert by_target["label:osf"]["F1"] >= 0.95 and "strain" in by_target["label:osf"]["expression"]
    rnf = next(line for line in lines if "random failure" in line)
    assert rnf.startswith("Not explainable from the data") and rnf.endswith("held-out runs).")
    # random failures have no pattern: the model does not flag a region of runs for them
    assert "model:rnf" not in by_target
    assert out.summary.clusters >= 2
    assert out.summary.problems == len(out.explanations)
    kinds = out.explanations.kind.value_counts()
    assert kinds["label"] == 4 and kinds["regime"] == out.summary.clusters
    assert set(out.explanations.problem) == set(out.explanations.kind + ":"
                                                 + out.explanations.target)
    # explanations of the model's own predictions: fidelity (F1 vs the model) and truth
    for mode in ("hdf", "pwf", "osf"):
        row = by_target[f"model:{mode}"]
        assert row["F1"] >= 0.9, (mode, row)
        assert 0.0 <= row["F1 vs truth"] <= 1.0
    page = Path(out.report.download()).read_text(encoding="utf-8")
    assert "Why runs fail" in page and "heat dissipation failure" in page
    # provenance: each cited output's content hash, recomputable from the files themselves
    record = out.provenance
    assert record.hash_of("knowledge graph") == tree_hash(out.kg.download())
    assert record.hash_of("report") == file_hash(out.report.download())
    assert record.hash_of("model") == file_hash(out.model.download())
    assert record.hash_of("explanations") == frame_hash(out.explanations)
    assert record.code_version.startswith(code_version().removesuffix("-dirty"))
    assert record.parameters["rows"] == "4000" and record.parameters["labels"] == "hdf,pwf,osf,rnf"


def test_pyflyte_run_diagnose():
    done = _pyflyte("workflows/diagnose.py", "diagnose", "--rows", "2000", "--seed", "3",
                    "--labels", '["pwf"]', "--no-explain-clusters", "--max_runtime", "3",
                    "--embedding_epochs", "2")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "headline=['A machine run has a power failure when its power is below" in done.stdout


CACHEABLE = {"tasks.clustering.cluster", "tasks.semantify.build_kg",
             "tasks.semantify.embed_and_classify", "tasks.model.train_fault_model",
             "tasks.diagnosis.pose_problems", "tasks.diagnosis.learn_in_parallel",
             "tasks.diagnosis.make_lexicon", "tasks.diagnosis.verbalize_one",
             "tasks.diagnosis.collect_explanations", "tasks.diagnosis.render_report"}


def test_a_second_run_hits_the_cache_and_a_changed_input_or_version_misses(monkeypatch):
    from flytekit.core.local_cache import LocalTaskCache

    from tasks.clustering import cluster

    LocalTaskCache.clear()
    lookups = []
    original = LocalTaskCache.get

    def spy(task_name, *args, **kwargs):
        found = original(task_name, *args, **kwargs)
        # a mapped task is cached as a whole under "<module>.map_<task>_<hash>-arraynode"
        lookups.append((re.sub(r"map_(\w+?)_[0-9a-f]{32}-arraynode$", r"\1", task_name),
                        found is not None))
        return found

    monkeypatch.setattr(LocalTaskCache, "get", staticmethod(spy))
    inputs = dict(rows=2_000, seed=3, labels=["pwf"], max_runtime=2.0, embedding_epochs=2)

    def run(**changes):
        lookups.clear()
        out = diagnose(**{**inputs, **changes})
        return out, dict(lookups)

    first, looked = run()
    # (the learner's ContainerTask is cached per problem too; a cached fan-out skips it)
    assert set(looked) == CACHEABLE | {"daikiri.learner.learn"} and not any(looked.values())
    first_report = Path(first.report.path)
    first_page = first_report.read_text(encoding="utf-8")
    second, looked = run()
    assert all(looked[name] for name in CACHEABLE), looked
    assert second.summary.headline == first.summary.headline
    # the page comes from the cache, but this run dates it in a report of its own
    second_page = Path(second.report.path).read_text(encoding="utf-8")
    assert Path(second.report.path) != first_report

    def without_date(page: str) -> str:
        return re.sub(r"<div><b>created</b>: [^<]+</div>", "", page)

    assert "<div><b>created</b>: " in second_page and "<b>code version</b>" in second_page
    assert without_date(second_page) == without_date(first_page)
    # a new cache version of one task recomputes that task; unrelated steps still hit
    monkeypatch.setattr(cluster.metadata, "cache_version", "2")
    _, looked = run()
    assert not looked["tasks.clustering.cluster"], looked
    assert looked["tasks.semantify.build_kg"] and looked["tasks.model.train_fault_model"]
    # different data: every step misses, and the outputs go to a new place
    other, looked = run(seed=4)
    assert not any(looked.values()), looked
    assert Path(other.report.path) != first_report
    assert Path(other.kg.path) != Path(first.kg.path)
    assert first_report.read_text(encoding="utf-8") == first_page
