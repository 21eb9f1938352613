"""Flyte Spark tasks: ingestion and the knowledge graph for tables beyond one machine.

Each is a ``@task(task_config=Spark(...))``: on the cluster the Spark operator starts a driver
and executors sized by :data:`daikiri.spark.session.SPARK_CONF`; a local run gets a
``local[*]`` session with the UI off. The workflows choose these or the pandas tasks with
their ``engine`` input (a Flyte ``conditional``), so switching engines needs no code change.
"""

from __future__ import annotations

from typing import NamedTuple

import pyspark.sql
from flytekit import FlyteContextManager, current_context, task
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile
from flytekitplugins.spark import Spark

from daikiri.ingest import IngestSummary
from daikiri.kg.build import KGConfig
from daikiri.spark.ingest import load_table
from daikiri.spark.kg import build_knowledge_graph_spark
from daikiri.spark.session import SPARK_CONF, use_this_python
from daikiri.spec import DatasetSpec
from daikiri.storage import StoredPath, is_remote
from tasks.common import DECK_FIELDS, LONG, MEDIUM, configure_logging, work_dir
from tasks.ingest import ingest_deck
from tasks.semantify import KnowledgeGraph, kg_deck

use_this_python()
SPARK = Spark(spark_conf=SPARK_CONF)


class SparkIngestOutputs(NamedTuple):
    table: pyspark.sql.DataFrame
    summary: IngestSummary


@task(task_config=SPARK, timeout=LONG, requests=MEDIUM, limits=MEDIUM, retries=1,
      enable_deck=True, deck_fields=DECK_FIELDS)
def ingest_spark(spec: DatasetSpec, table_file: FlyteFile | None = None, rows: int = 10_000,
                 seed: int = 42) -> SparkIngestOutputs:
    """Validate a CSV/Parquet table against its spec on Spark: the same checks and messages
    as the pandas ingestion, the same clean table, with the work spread over executors.

    With no file, the default data set is generated (``rows``, ``seed``) and read back from
    Parquet, so both cases take the same Spark path.
    """
    configure_logging()
    spark = current_context().spark_session
    if table_file is None:
        from daikiri.datagen import generate_machine_runs

        # written where the executors can read it (pandas writes gs:// through fsspec)
        path = f"{shared_location('generated').rstrip('/')}/runs.parquet"
        generate_machine_runs(rows=rows, seed=seed).to_parquet(path)
    else:
        path = table_location(table_file)
    table, summary = load_table(spark, spec, path)
    ingest_deck(summary, table.drop(spec.id_column).summary("count", "mean", "stddev", "min",
                                                             "max").toPandas().T.reset_index())
    return SparkIngestOutputs(table=table, summary=summary)


@task(task_config=SPARK, timeout=LONG, requests=MEDIUM, limits=MEDIUM, retries=1,
      enable_deck=True, deck_fields=DECK_FIELDS)
def build_kg_spark(table: pyspark.sql.DataFrame, spec: DatasetSpec, quantile_bins: int = 0,
                   include_labels: bool = True) -> KnowledgeGraph:
    """The knowledge graph of a table, built by Spark: the same folder and the same triples
    as ``build_kg`` (TBox, ``abox/part-*.nt``, ``labels/part-*.nt``, manifest), the ABox
    written in parallel; quantile bins from Spark's approximate quantiles."""
    configure_logging()
    out = shared_location("kg")
    config = KGConfig(include_labels=include_labels, quantile_bins=quantile_bins)
    manifest = build_knowledge_graph_spark(table, spec, out, config)
    kg_deck(manifest, StoredPath(out), spec)
    return KnowledgeGraph(kg=FlyteDirectory(out), manifest=manifest)


def table_location(table_file: FlyteFile) -> str:
    """Where Spark reads an input table: its URI when it is stored remotely (every executor
    can reach the bucket; the driver downloads nothing), else the local file."""
    source = table_file.remote_source
    if source and is_remote(source):
        return str(source)
    return table_file.download()


def shared_location(name: str) -> str:
    """A new folder that the driver and every executor can reach: under the execution's raw
    output prefix when that is remote (a bucket; a FlyteDirectory there is passed on by
    reference, not uploaded), else a local work folder (a local run is one machine)."""
    file_access = FlyteContextManager.current_context().file_access
    if is_remote(file_access.raw_output_prefix):
        return file_access.join(file_access.get_random_remote_directory(), name)
    return str(work_dir(name))
