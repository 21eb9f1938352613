"""The ``diagnose`` workflow: the platform's main job.

ingest → operating regimes (clustering) → knowledge graph → KG embeddings and Tab2Onto
classes → fault model (torch, with a gradient-boosting baseline) → learning problems (each
fault label, each regime, each label as the model predicts it) → the Java learner, one
ContainerTask per problem in parallel → English explanations → HTML report.

``pyflyte run workflows/diagnose.py diagnose`` runs it on the embedded default data and prints
the typed summary, whose headline is the explanations with their F1.
"""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

import pandas as pd
from flytekit import approve, wait_for_input, workflow
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

from daikiri.diagnosis import DiagnosisSummary
from daikiri.provenance import ProvenanceRecord
from tasks.clustering import cluster
from tasks.diagnosis import (
    learn_in_parallel,
    pose_problems,
    publish_ontology,
    verbalize_results,
    write_report,
)
from tasks.ingest import ingest, load_spec
from tasks.model import train_fault_model
from tasks.provenance import record_provenance
from tasks.semantify import build_kg, embed_and_classify
from workflows.engines import build_kg_with, ingest_with


class DiagnoseOutputs(NamedTuple):
    summary: DiagnosisSummary
    report: FlyteFile
    explanations: pd.DataFrame
    kg: FlyteDirectory
    model: FlyteFile
    provenance: ProvenanceRecord


@workflow
def diagnose(table_file: FlyteFile | None = None, spec_file: FlyteFile | None = None,
             rows: int = 10_000, seed: int = 42, labels: list[str] = [],  # noqa: B006
             explain_clusters: bool = True, explain_model: bool = True,
             cluster_method: str = "kmeans",
             max_runtime: float = 10.0, max_length: int = 12, noise: float = 5.0,
             embedding_epochs: int = 20, engine: str = "pandas") -> DiagnoseOutputs:
    """Diagnose a table of machine runs: regimes, knowledge graph, and why runs fail.

    :param table_file: CSV or Parquet table; empty = generate the embedded default data set.
    :param spec_file: DatasetSpec YAML describing the table; empty = the default data's spec.
    :param rows: rows to generate when no table is given.
    :param seed: random seed of every step.
    :param labels: label columns to explain; empty = all labels of the spec.
    :param explain_clusters: also explain each operating regime found by clustering.
    :param explain_model: also explain the fault model's predictions (fidelity per label).
    :param cluster_method: kmeans or hdbscan.
    :param max_runtime: learner time limit per problem, seconds.
    :param max_length: longest class expression the learner considers.
    :param noise: percentage of examples the learner may misclassify.
    :param embedding_epochs: PyKEEN training epochs for the Tab2Onto classes.
    :param engine: "pandas" or "spark": the engine of ingestion and the knowledge graph.
    """
    spec = load_spec(spec_file=spec_file)
    ingested = ingest_with(engine, spec=spec, table_file=table_file, rows=rows, seed=seed)
    regimes = cluster(table=ingested.table, spec=spec, method=cluster_method, seed=seed)
    graph = build_kg_with(engine, table=ingested.table, spec=spec)
    classes = embed_and_classify(table=ingested.table, spec=spec, epochs=embedding_epochs,
                                 seed=seed)
    model = train_fault_model(table=ingested.table, spec=spec, seed=seed)
    problems = pose_problems(table=ingested.table, spec=spec, labels=labels,
                             clusters=regimes.assignments, predictions=model.predictions,
                             explain_clusters=explain_clusters, explain_model=explain_model)
    results = learn_in_parallel(kg=graph.kg, problems=problems, max_runtime=max_runtime,
                                max_length=max_length, noise=noise, seed=seed)
    verbal = verbalize_results(results=results, kg=graph.kg, spec=spec, table=ingested.table,
                               predictions=model.predictions)
    report = write_report(spec=spec, ingest_summary=ingested.summary, metrics=regimes.metrics,
                          profile=regimes.profile, manifest=graph.manifest,
                          tab2onto=classes.result, model_report=model.report,
                          items=verbal.explanations,
                          table=verbal.table)
    provenance = record_provenance(
        workflow="diagnose", spec=spec, table=ingested.table, table_file=table_file,
        kg=graph.kg, model=model.model, explanations=verbal.table, report=report.report,
        rows=rows, seed=seed, labels=labels, explain_clusters=explain_clusters,
        explain_model=explain_model, cluster_method=cluster_method, max_runtime=max_runtime,
        max_length=max_length, noise=noise, embedding_epochs=embedding_epochs, engine=engine)
    return DiagnoseOutputs(summary=report.summary, report=report.report,
                           explanations=verbal.table, kg=graph.kg, model=model.model,
                           provenance=provenance)


class ReviewedOutputs(NamedTuple):
    summary: DiagnosisSummary
    report: FlyteFile
    published_ontology: FlyteFile
    provenance: ProvenanceRecord


@workflow
def diagnose_reviewed(table_file: FlyteFile | None = None, spec_file: FlyteFile | None = None,
                      rows: int = 10_000, seed: int = 42,
                      labels: list[str] = [],  # noqa: B006
                      max_runtime: float = 10.0) -> ReviewedOutputs:
    """The diagnosis with a person in the loop (LabEnt-style annotation), then publication.

    1. After clustering, the run waits for ``cluster_names`` ("0=idle; 1=high load"): the
       names become the labels of the regime classes and appear in the explanations.
    2. The English explanations wait at ``approve-explanations``; only when a person
       approves is the ontology with the learned definitions (equivalent-class axioms with
       provenance) published. A rejection ends the run without publishing.
    """
    spec = load_spec(spec_file=spec_file)
    ingested = ingest(spec=spec, table_file=table_file, rows=rows, seed=seed)
    regimes = cluster(table=ingested.table, spec=spec, seed=seed)
    names = wait_for_input("cluster_names", timeout=timedelta(hours=24), expected_type=str)
    regimes.assignments >> names
    graph = build_kg(table=ingested.table, spec=spec)
    classes = embed_and_classify(table=ingested.table, spec=spec, epochs=10, seed=seed)
    model = train_fault_model(table=ingested.table, spec=spec, seed=seed)
    problems = pose_problems(table=ingested.table, spec=spec, labels=labels,
                             clusters=regimes.assignments, predictions=model.predictions,
                             explain_clusters=True, explain_model=False)
    results = learn_in_parallel(kg=graph.kg, problems=problems, max_runtime=max_runtime,
                                max_length=12, noise=5.0, seed=seed)
    verbal = verbalize_results(results=results, kg=graph.kg, spec=spec, table=ingested.table,
                               predictions=model.predictions, cluster_names=names)
    report = write_report(spec=spec, ingest_summary=ingested.summary, metrics=regimes.metrics,
                          profile=regimes.profile, manifest=graph.manifest,
                          tab2onto=classes.result, model_report=model.report,
                          items=verbal.explanations, table=verbal.table)
    provenance = record_provenance(
        workflow="diagnose_reviewed", spec=spec, table=ingested.table, table_file=table_file,
        kg=graph.kg, model=model.model, explanations=verbal.table, report=report.report,
        rows=rows, seed=seed, labels=labels, explain_clusters=True, explain_model=False,
        cluster_method="kmeans", max_runtime=max_runtime, max_length=12, noise=5.0,
        embedding_epochs=10)
    approved = approve(verbal.review, "approve-explanations", timeout=timedelta(hours=48))
    published = publish_ontology(kg=graph.kg, spec=spec, items=verbal.explanations,
                                 approved=approved, cluster_names=names,
                                 provenance=provenance)
    return ReviewedOutputs(summary=report.summary, report=report.report,
                           published_ontology=published, provenance=provenance)
