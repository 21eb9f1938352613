"""Benchmarks are not tests; this only checks that each one runs at a tiny size."""

import json

import pytest


@pytest.fixture(autouse=True)
def results_elsewhere(tmp_path, monkeypatch):
    monkeypatch.setenv("DAIKIRI_BENCH_RESULTS", str(tmp_path))
    import bench.common

    monkeypatch.setattr(bench.common, "RESULTS", tmp_path)
    return tmp_path


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
    assert {"ingest", "learn (all problems)", "write_report"} <= set(size["steps"])
    assert (tmp_path / "diagnose.json").exists()
