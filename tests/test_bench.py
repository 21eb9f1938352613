"""Benchmarks are not tests; this only checks that each one runs at a tiny size."""

import json
import sys
import time
from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def results_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv("DAIKIRI_BENCH_RESULTS", str(tmp_path))
    import bench.common

    monkeypatch.setattr(bench.common, "RESULTS", tmp_path)
    return tmp_path


def test_measured_children_write_temporary_files_into_a_folder_that_is_removed():
    """What a measured child leaves in temporary files (flytekit's outputs: GBs at 1M rows)
    goes with its scratch folder."""
    from bench.common import run_measured

    child = ("import os, tempfile; d = tempfile.mkdtemp(); "
             "open(os.path.join(d, 'big'), 'w').write('x' * 100000); print(d)")
    left = Path(run_measured([sys.executable, "-c", child])["stdout"].strip())
    assert left.parent.name.startswith("bench-child-")
    assert not left.parent.exists()


def test_ingest_cluster_benchmark_runs(tmp_path):
    from bench import ingest_cluster

    rows = ingest_cluster.main(["--rows", "2000", "--repeat", "1", "--out",
                                str(tmp_path / "ic.json")])
    assert {r["source"] for r in rows} == {"csv", "generated"}
    assert json.loads((tmp_path / "ic.json").read_text())[0]["rows"] == 2000


def test_kg_build_benchmark_runs(tmp_path):
    from bench import kg_build

    [row] = kg_build.main(["--rows", "2000", "--repeat", "1"])
    assert row["triples"] > 2000 * 10 and (tmp_path / "kg_build.json").exists()


def test_learner_scale_benchmark_runs(tmp_path):
    from bench import learner_scale

    [row] = learner_scale.main(["--rows", "3000", "--repeat", "1", "--max-runtime", "3"])
    assert row["f1"] >= 0.95 and (tmp_path / "learner_scale.json").exists()


def test_learner_side_by_side_benchmark_runs(tmp_path):
    from bench import learner_side_by_side

    rows = learner_side_by_side.main(["--rows", "2000", "--repeat", "1", "--max-runtime", "1"])
    assert len(rows) == len(learner_side_by_side.OPTION_SETS)
    # a small graph: the platform chooses the client compiler (the serial collector always)
    assert [r["options"] for r in rows if r["chosen"]] == ["C1 only"]
    assert all(r["wall_s"] > 0 for r in rows) and (tmp_path / "learner_side_by_side.json").exists()


def test_embeddings_benchmark_runs(tmp_path):
    from bench import embeddings

    [row] = embeddings.main(["--rows", "1000", "--epochs", "1", "--repeat", "1"])
    assert row["triples"] > 0 and row["seconds"] > 0


def test_spark_vs_pandas_benchmark_runs(tmp_path):
    from bench import spark_vs_pandas

    [row] = spark_vs_pandas.main(["--rows", "3000", "--repeat", "1", "--spark-memory", "1g"])
    assert row["triples"] > 3000 * 10 and row["spark_wall_s"] > 0 and row["pandas_wall_s"] > 0
    assert (tmp_path / "spark_vs_pandas.json").exists()


def test_diagnose_benchmark_runs(tmp_path):
    from bench import diagnose

    result = diagnose.main(["--rows", "500", "--repeat", "1", "--epochs", "1",
                            "--max-runtime", "1"])
    [size] = result["sizes"]
    assert size["flyte_cached_s"] < size["flyte_first_s"] and size["direct_s"] > 0
    # the user's whole command: the same run plus start-up and imports
    assert size["command_s"] > size["flyte_first_s"]
    assert {"ingest", "learn (all problems)", "write_report"} <= set(size["steps"])
    assert (tmp_path / "diagnose.json").exists()


def test_learner_vs_ontolearn_benchmark_runs(tmp_path):
    # Real ontolearn in its own virtualenv (created on first use, a few minutes; reused after),
    # never in the platform's environment.
    from bench import learner_vs_ontolearn

    result = learner_vs_ontolearn.main(["--suites", "family", "--limit", "2", "--repeat", "1",
                                        "--max-runtime", "2"])
    venv_python = learner_vs_ontolearn.ROOT / ".bench-venvs" / "ontolearn" / "bin" / "python"
    assert venv_python.exists()
    import importlib.util

    assert importlib.util.find_spec("ontolearn") is None  # not in the platform's environment
    rows = {(r["problem"], r["learner"]): r for r in result["rows"]}
    learners = ("daikiri", "celoe", "evolearner", "tdl")
    assert set(rows) == {(p, x) for p in ("father", "mother") for x in learners}
    assert rows[("father", "daikiri")]["f1"] == 1.0
    assert all(0.0 <= r["f1"] <= 1.0 and r["total_s"] > 0 for r in rows.values())
    # judged as a user would: on examples no learner saw, and by the expression's length,
    # both by one retrieval (ontolearn's) for every learner, ours parsed from its Manchester
    father = rows[("father", "daikiri")]
    assert father["held_out_f1"] == 1.0 and father["length"] == 5  # Male ⊓ ∃hasChild.⊤
    assert all(r["held_out_f1"] is None or 0.0 <= r["held_out_f1"] <= 1.0
               for r in rows.values())
    assert set(result["summary"]) == {"celoe", "evolearner", "tdl"}
    assert all(s["process_speedup"]["family"] > 0 for s in result["summary"].values())
    # one process per learner and suite, both sides timed alike (load + search per problem)
    processes = {p["learner"]: p for p in result["processes"]}
    assert set(processes) == {*learners, learner_vs_ontolearn.ONE_THREAD}  # ours on 1 thread too
    assert all(s["process_speedup_one_thread"]["family"] > 0 for s in result["summary"].values())
    assert all(p["problems"] == 2 and p["process_s"] > 0 for p in processes.values())
    assert all(r["learn_s"] <= r["total_s"] < processes[r["learner"]]["process_s"]
               for r in rows.values())
    saved = json.loads((tmp_path / "learner_vs_ontolearn.json").read_text())
    assert saved["results"][0]["summary"] == result["summary"]


def test_a_timed_out_round_is_counted_but_does_not_become_the_answer(monkeypatch, tmp_path):
    """A learner that answered in one round and timed out in the other: its F1, expression and
    length are the answer's, its time is over both rounds, and the timeout is counted."""
    from bench import learner_vs_ontolearn

    answered = {"f1": 0.77, "held_out_f1": 0.7, "length": 7, "total_s": 4.0, "learn_s": 3.0,
                "expression": "(power ≤ 3500) ⊔ (power ≥ 9000)"}
    timed_out = {"f1": 0.0, "total_s": 60.0, "learn_s": 60.0, "expression": "",
                 "timed_out": True}
    runs = {("pwf", "evolearner"): [answered, timed_out]}
    processes = {"evolearner": [{"process_s": 70.0, "problems": 1}]}
    monkeypatch.setattr(learner_vs_ontolearn, "_measure", lambda *args: (runs, processes))
    [row], _ = learner_vs_ontolearn.compare("runs", tmp_path, [], Path(sys.executable), 2,
                                            10.0, ["evolearner"])
    assert (row["f1"], row["held_out_f1"], row["length"]) == (0.77, 0.7, 7)
    assert row["expression"] == answered["expression"] and row["timed_out"] == 1
    assert row["total_s"] == 32.0  # the median of 4 s and 60 s: the timeout's time counts


def test_a_partial_rerun_keeps_the_other_learners_rows_with_their_date(tmp_path):
    """``--keep``: the learners and suites measured now replace theirs; the rest comes from the
    last run with the same budget, marked with when it was measured."""
    from bench import learner_vs_ontolearn
    from bench.common import write

    def row(suite, learner, f1):
        return {"suite": suite, "problem": "p", "learner": learner, "f1": f1}

    def process(suite, learner, seconds):
        return {"suite": suite, "learner": learner, "process_s": seconds, "problems": 1}

    write(learner_vs_ontolearn.NAME, [{
        "max_runtime_s": 10.0,
        "rows": [row("runs", "daikiri", 0.5), row("runs", "tdl", 0.4),
                 row("family", "daikiri", 1.0)],
        "processes": [process("runs", "daikiri", 8.0), process("runs", "tdl", 60.0),
                      process("runs", learner_vs_ontolearn.ONE_THREAD, 9.0)]}])
    rows, processes = learner_vs_ontolearn.with_kept(
        [row("runs", "daikiri", 0.9)],
        [process("runs", "daikiri", 4.0), process("runs", learner_vs_ontolearn.ONE_THREAD, 5.0)],
        10.0)
    by_key = {(r["suite"], r["learner"]): r for r in rows}
    assert by_key[("runs", "daikiri")]["f1"] == 0.9  # re-measured: the new figure
    assert by_key[("runs", "daikiri")]["measured"] == time.strftime("%Y-%m-%d")
    assert by_key[("runs", "tdl")]["f1"] == 0.4 and by_key[("runs", "tdl")]["measured"] == \
        "earlier"
    assert ("family", "daikiri") in by_key and len(rows) == 3
    # a process measured now (one without per-problem rows too) replaces the kept one
    assert sorted((p["learner"], p["process_s"]) for p in processes) == [
        ("daikiri", 4.0), (learner_vs_ontolearn.ONE_THREAD, 5.0), ("tdl", 60.0)]
    # another budget: nothing of that run is comparable, nothing kept
    rows, processes = learner_vs_ontolearn.with_kept([row("runs", "daikiri", 0.9)], [], 5.0)
    assert len(rows) == 1 and processes == []
