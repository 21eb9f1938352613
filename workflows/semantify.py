"""The ``semantify`` workflow: table → knowledge graph → KG embeddings → Tab2Onto classes.

``pyflyte run workflows/semantify.py semantify`` runs it on the embedded default data.
"""

from __future__ import annotations

from typing import NamedTuple

from flytekit import workflow
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

from daikiri.embeddings import Tab2OntoResult
from daikiri.ingest import IngestSummary
from daikiri.kg.manifest import KGManifest
from daikiri.params import Engine
from tasks.ingest import load_spec
from tasks.semantify import embed_and_classify
from workflows.engines import build_kg_with, ingest_with


class SemantifyOutputs(NamedTuple):
    ingest_summary: IngestSummary
    kg: FlyteDirectory
    kg_manifest: KGManifest
    cluster_classes: FlyteFile
    tab2onto: Tab2OntoResult


@workflow
def semantify(table_file: FlyteFile | None = None, spec_file: FlyteFile | None = None,
              rows: int = 10_000, seed: int = 42, quantile_bins: int = 0,
              embedding_model: str = "DistMult", embedding_dimension: int = 32,
              embedding_epochs: int = 30, reference_column: str = "",
              engine: Engine = Engine.PANDAS) -> SemantifyOutputs:
    """Build the knowledge graph of a table and derive new classes from KG embeddings.

    :param table_file: CSV or Parquet table; empty = generate the embedded default data set.
    :param spec_file: DatasetSpec YAML; empty = the default data's spec.
    :param rows: rows to generate when no table is given.
    :param seed: random seed of the generator, the embeddings and the clustering.
    :param quantile_bins: add this many "low ... high" bin classes per feature (0 = none).
    :param embedding_model: PyKEEN model: DistMult, ComplEx, TransE or RotatE.
    :param embedding_dimension: embedding size.
    :param embedding_epochs: training epochs.
    :param reference_column: column to score the clusters against (purity, adjusted Rand).
    :param engine: "pandas" (one machine) or "spark" (ingestion and knowledge graph as Spark
        tasks, for tables of millions of rows; see the README for when to switch).
    """
    spec = load_spec(spec_file=spec_file)
    ingested = ingest_with(engine, spec=spec, table_file=table_file, rows=rows, seed=seed)
    graph = build_kg_with(engine, table=ingested.table, spec=spec, quantile_bins=quantile_bins)
    classes = embed_and_classify(table=ingested.table, spec=spec, model=embedding_model,
                                 dimension=embedding_dimension, epochs=embedding_epochs,
                                 seed=seed, reference_column=reference_column)
    return SemantifyOutputs(ingest_summary=ingested.summary, kg=graph.kg,
                            kg_manifest=graph.manifest, cluster_classes=classes.cluster_classes,
                            tab2onto=classes.result)
