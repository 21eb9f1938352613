"""The ``diagnose`` workflow: the platform's main job.

ingest → operating regimes (clustering) → knowledge graph → KG embeddings and Tab2Onto
classes → learning problems (each fault label, each regime) → the Java learner, one
ContainerTask per problem in parallel → English explanations → HTML report.

``pyflyte run workflows/diagnose.py diagnose`` runs it on the embedded default data and prints
the typed summary, whose headline is the explanations with their F1.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
from flytekit import workflow
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

from daikiri.diagnosis import DiagnosisSummary
from tasks.clustering import cluster
from tasks.diagnosis import learn_in_parallel, pose_problems, verbalize_results, write_report
from tasks.ingest import ingest, load_spec
from tasks.semantify import build_kg, embed_and_classify


class DiagnoseOutputs(NamedTuple):
    summary: DiagnosisSummary
    report: FlyteFile
    explanations: pd.DataFrame
    kg: FlyteDirectory


@workflow
def diagnose(table_file: FlyteFile | None = None, spec_file: FlyteFile | None = None,
             rows: int = 10_000, seed: int = 42, labels: list[str] = [],  # noqa: B006
             explain_clusters: bool = True, cluster_method: str = "kmeans",
             max_runtime: float = 10.0, max_length: int = 12, noise: float = 5.0,
             embedding_epochs: int = 20) -> DiagnoseOutputs:
    """Diagnose a table of machine runs: regimes, knowledge graph, and why runs fail.

    :param table_file: CSV or Parquet table; empty = generate the embedded default data set.
    :param spec_file: DatasetSpec YAML describing the table; empty = the default data's spec.
    :param rows: rows to generate when no table is given.
    :param seed: random seed of every step.
    :param labels: label columns to explain; empty = all labels of the spec.
    :param explain_clusters: also explain each operating regime found by clustering.
    :param cluster_method: kmeans or hdbscan.
    :param max_runtime: learner time limit per problem, seconds.
    :param max_length: longest class expression the learner considers.
    :param noise: percentage of examples the learner may misclassify.
    :param embedding_epochs: PyKEEN training epochs for the Tab2Onto classes.
    """
    spec = load_spec(spec_file=spec_file)
    ingested = ingest(spec=spec, table_file=table_file, rows=rows, seed=seed)
    regimes = cluster(table=ingested.table, spec=spec, method=cluster_method, seed=seed)
    graph = build_kg(table=ingested.table, spec=spec)
    classes = embed_and_classify(table=ingested.table, spec=spec, epochs=embedding_epochs,
                                 seed=seed)
    problems = pose_problems(table=ingested.table, spec=spec, labels=labels,
                             clusters=regimes.assignments, explain_clusters=explain_clusters)
    results = learn_in_parallel(kg=graph.kg, problems=problems, max_runtime=max_runtime,
                                max_length=max_length, noise=noise, seed=seed)
    verbal = verbalize_results(results=results, kg=graph.kg, spec=spec)
    report = write_report(spec=spec, ingest_summary=ingested.summary, metrics=regimes.metrics,
                          profile=regimes.profile, manifest=graph.manifest,
                          tab2onto=classes.result, items=verbal.explanations,
                          table=verbal.table)
    return DiagnoseOutputs(summary=report.summary, report=report.report,
                           explanations=verbal.table, kg=graph.kg)
