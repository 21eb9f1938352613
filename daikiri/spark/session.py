"""The Spark settings every DAIKIRI Spark step uses, and a local session for tests and benches.

``SPARK_CONF`` is what the Flyte Spark tasks declare (so the cluster's Spark operator sizes the
driver and executors); a local session uses the same settings with the UI off.
ANSI mode is off so that a failed number conversion or a division by zero yields null, which
the validation turns into the same messages as the pandas path instead of a JVM stack trace.
"""

from __future__ import annotations

import os
import sys

from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

#: Sizing on a cluster; in a local run only the driver settings matter (local[*] mode).
SPARK_CONF: dict[str, str] = {
    "spark.driver.memory": "2g",
    "spark.driver.cores": "1",
    "spark.executor.memory": "4g",
    "spark.executor.cores": "2",
    "spark.executor.instances": "2",
    "spark.ui.enabled": "false",
    "spark.sql.ansi.enabled": "false",
    "spark.sql.shuffle.partitions": "16",
    "spark.sql.execution.arrow.maxRecordsPerBatch": "20000",
    "spark.sql.session.timeZone": "UTC",
    # gs:// through the GCS connector the Python image puts beside pyspark's jars (unused,
    # and harmless, where no gs:// path is read or written)
    "spark.hadoop.fs.gs.impl": "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem",
    "spark.hadoop.fs.AbstractFileSystem.gs.impl": "com.google.cloud.hadoop.fs.gcs.GoogleHadoopFS",
}


def use_this_python() -> None:
    """Python workers of a local session run this interpreter (with the project's packages)."""
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)


def local_session(app: str = "daikiri", cores: str = "*", memory: str = "2g") -> SparkSession:
    """A ``local[cores]`` session with :data:`SPARK_CONF`, quiet logs and the UI off."""
    use_this_python()
    builder = SparkSession.builder.master(f"local[{cores}]").appName(app)
    for key, value in {**SPARK_CONF, "spark.driver.memory": memory}.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


ROW_ID = "__daikiri_row_id"


def with_row_ids(frame: DataFrame) -> DataFrame:
    """Add an increasing id that follows the input order (partition, then position)."""
    return frame.withColumn(ROW_ID, F.monotonically_increasing_id())


def row_numbers(frame: DataFrame, ids: list[int]) -> list[int]:
    """1-based input row numbers of the given row ids of ``frame`` (from :func:`with_row_ids`).

    Only computed when a message needs them: the rows per partition give each partition's
    offset, and a row id holds its partition and position within it.
    """
    if not ids:
        return []
    counts = {r["p"]: r["count"] for r in frame.groupBy(
        (F.col(ROW_ID) / (1 << 33)).cast("long").alias("p")).count().collect()}
    offsets, total = {}, 0
    for partition in sorted(counts):
        offsets[partition] = total
        total += counts[partition]
    return [offsets[i >> 33] + (i & ((1 << 33) - 1)) + 1 for i in ids]
