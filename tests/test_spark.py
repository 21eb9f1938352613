"""The Spark path (a real local[2] session) against the pandas path: same table, same triples,
same validation messages."""

from __future__ import annotations

import glob
import json
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from daikiri.errors import DataValidationError
from daikiri.ingest import load_table
from daikiri.kg.bins import quantile_bins
from daikiri.kg.build import KGConfig, build_knowledge_graph
from daikiri.params import Engine
from daikiri.spec import default_spec

pytest.importorskip("pyspark")

HOSTILE_IDS = ["a b", "ü/ñ#1", "100%", 'q"uote', "007", "<x>", "tab\tin", "é"]


@pytest.fixture(scope="module")
def spark():
    from daikiri.spark.session import local_session

    session = local_session("daikiri-tests", cores="2", memory="1g")
    yield session
    session.stop()


def _hostile(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.astype({"udi": str})
    frame.loc[: len(HOSTILE_IDS) - 1, "udi"] = HOSTILE_IDS
    return frame


def _triples(folder: Path) -> set[str]:
    lines: set[str] = set()
    for part in glob.glob(str(folder / "abox" / "*.nt")) + glob.glob(str(folder / "labels"
                                                                          / "*.nt")):
        lines |= {line for line in Path(part).read_text(encoding="utf-8").splitlines() if line}
    return lines


def test_csv_ingestion_gives_the_same_clean_table_and_the_same_triples(spark, tmp_path,
                                                                       small_runs):
    from daikiri.spark.ingest import load_table as spark_load_table
    from daikiri.spark.kg import build_knowledge_graph_spark

    spec = default_spec()
    spec.nan_policy = "drop"
    frame = _hostile(small_runs).astype({"torque_nm": object})
    frame.loc[[20, 30, 40], "torque_nm"] = "NA"       # pandas' missing spellings → dropped
    frame.loc[50, "air_temperature_k"] = np.nan
    path = tmp_path / "runs.csv"
    frame.to_csv(path, index=False)

    expected, expected_summary = load_table(spec, path)
    clean, summary = spark_load_table(spark, spec, path)
    got = clean.toPandas()
    assert summary == expected_summary and summary.rows_dropped == 4
    assert list(got.columns) == list(expected.columns)
    for column in expected.columns:
        assert (got[column].astype(str).to_numpy()
                == expected[column].astype(str).to_numpy()).all(), column

    pandas_manifest = build_knowledge_graph(expected, spec, tmp_path / "kg-pandas")
    spark_manifest = build_knowledge_graph_spark(clean, spec, tmp_path / "kg-spark")
    assert _triples(tmp_path / "kg-spark") == _triples(tmp_path / "kg-pandas")
    assert spark_manifest.abox_triples == pandas_manifest.abox_triples
    assert spark_manifest.label_triples == pandas_manifest.label_triples
    assert (tmp_path / "kg-spark" / "tbox.ttl").read_text() == \
        (tmp_path / "kg-pandas" / "tbox.ttl").read_text()
    assert all((tmp_path / "kg-spark" / f).exists() for f in spark_manifest.files)


def test_a_table_with_nan_features_gives_the_same_triples(spark, tmp_path, small_runs):
    from daikiri.spark.kg import build_knowledge_graph_spark

    spec = default_spec()
    table, _ = load_table(spec, None, rows=3_000, seed=5)
    table = _hostile(table)
    table.loc[[3, 9, 27], "power_w"] = np.nan               # no assertion for a NaN value
    table.to_parquet(tmp_path / "t.parquet")
    config = KGConfig(include_labels=True)
    build_knowledge_graph(table, spec, tmp_path / "p", config)
    build_knowledge_graph_spark(spark.read.parquet(str(tmp_path / "t.parquet")), spec,
                                tmp_path / "s", config)
    triples = _triples(tmp_path / "s")
    assert triples == _triples(tmp_path / "p")
    assert sum("power_w" in t for t in triples) == 3_000 - 3
    assert any("Machine_run_a%20b>" in t or "_a%20b>" in t for t in triples)


def test_quantile_bins_from_approximate_quantiles_are_close_to_exact(spark, tmp_path):
    from daikiri.spark.kg import build_knowledge_graph_spark

    spec = default_spec()
    table, _ = load_table(spec, None, rows=5_000, seed=2)
    manifest = build_knowledge_graph_spark(spark.createDataFrame(table), spec, tmp_path / "kg",
                                           KGConfig(quantile_bins=3))
    tbox = (tmp_path / "kg" / "tbox.ttl").read_text(encoding="utf-8")
    exact = quantile_bins("torque_nm", table.torque_nm.to_numpy(), 3)
    assert "low torque" in tbox and manifest.individuals == 5_000
    for cut in exact.cuts:   # Spark's cut points are within its relative error of the exact
        near = table.torque_nm.between(cut - 0.5, cut + 0.5).any()
        assert near and f"{cut:.4g}"[:3] in tbox


def _case_frames(small_runs: pd.DataFrame) -> dict[str, pd.DataFrame]:
    base = small_runs.astype({"torque_nm": object, "hdf": object, "udi": str})
    cases = {}
    frame = base.copy()
    frame.loc[[4, 16], "torque_nm"] = ["n/a?", "12,5"]
    cases["non-numeric"] = frame
    frame = base.copy()
    frame.loc[7, "torque_nm"] = "inf"
    cases["infinite"] = frame
    frame = base.copy()
    frame.loc[[3, 5, 6, 8, 9, 10, 11], "torque_nm"] = ""
    cases["missing"] = frame
    frame = base.copy()
    frame.loc[[2, 9], "udi"] = frame.loc[1, "udi"]
    cases["duplicate ids"] = frame
    frame = base.copy()
    frame.loc[12, "udi"] = None
    cases["missing id"] = frame
    frame = base.copy()
    frame.loc[[1, 2], "hdf"] = ["yes", "2"]
    cases["text label"] = frame
    frame = base.copy()
    frame.loc[[1], "hdf"] = [2]
    cases["label 2"] = frame
    cases["single class"] = base.assign(rnf=0)
    cases["missing column"] = base.drop(columns=["tool_wear_min"])
    cases["extra column"] = base.assign(operator="x")
    cases["derived column in table"] = base.assign(power_w=1.0)
    frame = base.copy()
    frame.loc[[0, 5], "rotational_speed_rpm"] = 0.0
    cases["derived division by zero"] = frame
    return cases


@pytest.mark.parametrize("case", ["non-numeric", "infinite", "missing", "duplicate ids",
                                  "missing id", "text label", "label 2", "single class",
                                  "missing column", "extra column", "derived column in table",
                                  "derived division by zero"])
def test_spark_validation_reports_exactly_what_pandas_reports(spark, tmp_path, small_runs,
                                                              case):
    from daikiri.spark.ingest import load_table as spark_load_table

    spec = default_spec()
    if case == "derived division by zero":
        spec.derived["torque_per_speed"] = "torque_nm / rotational_speed_rpm"
    path = tmp_path / "runs.csv"
    _case_frames(small_runs)[case].to_csv(path, index=False)
    with pytest.raises(DataValidationError) as pandas_error:
        load_table(spec, path)
    with pytest.raises(DataValidationError) as spark_error:
        spark_load_table(spark, spec, path)
    assert str(spark_error.value) == str(pandas_error.value)


def test_file_level_problems_read_the_same(spark, tmp_path):
    from daikiri.spark.ingest import load_table as spark_load_table

    spec = default_spec()
    header = ",".join(["udi", "product_id", "type", "air_temperature_k"])
    files = {"ragged.csv": f"{header}\n1,a,L,300\n2,b,M,301,99\n",
             "header-only.csv": f"{header}\n",
             "empty.csv": "",
             "latin1.csv": f"{header}\n1,\xe9,L,300\n".encode("latin-1"),
             "runs.xlsx": "x"}
    for name, content in files.items():
        path = tmp_path / name
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        with pytest.raises(DataValidationError) as pandas_error:
            load_table(spec, path)
        with pytest.raises(DataValidationError) as spark_error:
            spark_load_table(spark, spec, path)
        assert str(spark_error.value) == str(pandas_error.value), name


def test_the_workflow_input_switches_the_engine(spark):
    from workflows.semantify import semantify

    on_spark = semantify(rows=2_000, seed=4, embedding_epochs=1, engine=Engine.SPARK)
    on_pandas = semantify(rows=2_000, seed=4, embedding_epochs=1, engine=Engine.PANDAS)
    assert on_spark.ingest_summary.label_counts == on_pandas.ingest_summary.label_counts
    assert on_spark.kg_manifest.abox_triples == on_pandas.kg_manifest.abox_triples
    assert _triples(Path(on_spark.kg.download())) == _triples(Path(on_pandas.kg.download()))
    with pytest.raises(Exception, match="Failed argument 'engine': Value polars is not in Enum"):
        semantify(rows=200, engine="polars")


def test_tables_are_read_and_the_graph_written_by_uri(spark, tmp_path, small_runs):
    # The cluster path: executors read the table where it is stored and write the ABox parts
    # to the store; the driver renames them and puts TBox + manifest beside them. file:// takes
    # exactly that code path (fsspec's local file system standing in for the bucket).
    from daikiri.spark.ingest import load_table as spark_load_table
    from daikiri.spark.kg import build_knowledge_graph_spark

    spec = default_spec()
    small_runs.to_csv(tmp_path / "runs.csv", index=False)
    by_path, _ = spark_load_table(spark, spec, tmp_path / "runs.csv")
    by_uri, summary = spark_load_table(spark, spec, f"file://{tmp_path}/runs.csv")
    assert summary.rows_kept == len(small_runs)
    assert by_uri.toPandas().equals(by_path.toPandas())
    manifest = build_knowledge_graph_spark(by_uri, spec, f"file://{tmp_path}/store/kg")
    build_knowledge_graph_spark(by_path, spec, tmp_path / "local-kg")
    stored = tmp_path / "store" / "kg"
    assert _triples(stored) == _triples(tmp_path / "local-kg")
    assert "kg.ttl" not in manifest.files and "kg.ttl" in json.loads(
        (tmp_path / "local-kg" / "manifest.json").read_text())["files"]
    assert sorted(p.name for p in stored.iterdir()) == ["abox", "labels", "manifest.json",
                                                         "tbox.nt", "tbox.owl", "tbox.ttl"]
    assert all((stored / f).exists() for f in manifest.files)
    assert (stored / "tbox.ttl").read_text() == (tmp_path / "local-kg" / "tbox.ttl").read_text()
    with pytest.raises(DataValidationError, match=f"table file 'file://{tmp_path}/nope.csv' "
                                                  "does not exist"):
        spark_load_table(spark, spec, f"file://{tmp_path}/nope.csv")


def test_cluster_locations_come_from_flyte_without_downloading():
    # What a task sees on the cluster: its input table as a gs:// literal and a gs:// raw output
    # prefix. The Spark tasks hand Spark the URI (no download to the driver) and write the KG
    # under the prefix; nothing here contacts a bucket.
    from flytekit import FlyteContextManager
    from flytekit.core.data_persistence import FileAccessProvider
    from flytekit.core.type_engine import TypeEngine
    from flytekit.models.core.types import BlobType
    from flytekit.models.literals import Blob, BlobMetadata, Literal, Scalar
    from flytekit.types.directory import FlyteDirectory
    from flytekit.types.file import FlyteFile

    from daikiri.storage import is_remote
    from tasks.spark import shared_location, table_location

    ctx = FlyteContextManager.current_context()
    blob = Blob(metadata=BlobMetadata(type=BlobType(
        format="", dimensionality=BlobType.BlobDimensionality.SINGLE)),
        uri="gs://bucket/in/runs.parquet")
    table_file = TypeEngine.to_python_value(ctx, Literal(scalar=Scalar(blob=blob)), FlyteFile)
    on_cluster = FileAccessProvider(local_sandbox_dir=tempfile.mkdtemp(),
                                    raw_output_prefix="gs://bucket/raw")
    with FlyteContextManager.with_context(ctx.with_file_access(on_cluster)):
        assert table_location(table_file) == "gs://bucket/in/runs.parquet"
        assert not table_file.downloaded
        kg = shared_location("kg")
        assert kg.startswith("gs://bucket/raw/") and kg.endswith("/kg")
        literal = TypeEngine.to_literal(FlyteContextManager.current_context(), FlyteDirectory(kg),
                                        FlyteDirectory, TypeEngine.to_literal_type(FlyteDirectory))
        assert literal.scalar.blob.uri == kg  # passed on by reference, not uploaded
    assert is_remote("gs://b/x") and is_remote("s3://b/x")
    assert not is_remote("file:///tmp/x") and not is_remote("/tmp/x")


def test_text_read_as_missing_elsewhere_is_a_value_in_ids_and_categories(spark, tmp_path,
                                                                        small_runs):
    """`NA`, `None`, `null`, `nan` are values in an id or category column on both engines;
    only an empty cell is missing there (numeric columns keep pandas' spellings)."""
    from daikiri.spark.ingest import load_table as spark_load_table

    spec = default_spec()
    spec.nan_policy = "drop"  # nothing may silently disappear
    frame = small_runs.astype({"udi": str, "torque_nm": object})
    frame.loc[:3, "udi"] = ["None", "null", "NA", "nan"]
    frame.loc[[10, 11], "type"] = "NA"
    frame.loc[12, "torque_nm"] = "NA"                  # a numeric column: missing, dropped
    path = tmp_path / "runs.csv"
    frame.to_csv(path, index=False)
    expected, summary = load_table(spec, path)
    assert summary.rows_dropped == 1 and summary.dropped_ids == [frame.loc[12, "udi"]]
    assert list(expected["udi"][:4]) == ["None", "null", "NA", "nan"]
    assert (expected["type"] == "NA").sum() == 2
    clean, spark_summary = spark_load_table(spark, spec, path)
    got = clean.toPandas()
    assert spark_summary == summary
    for column in ("udi", "type"):
        assert list(got[column].astype(str)) == list(expected[column].astype(str)), column
