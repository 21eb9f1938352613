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
from flytekit import wait_for_input, workflow
from flytekit.core.promise import Promise
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

from daikiri.clustering import ClusterMetrics
from daikiri.diagnosis import DiagnosisSummary, Explanation
from daikiri.ingest import IngestSummary
from daikiri.params import ClusterMethod, DiagnoseParams, Engine
from daikiri.provenance import ProvenanceRecord
from daikiri.spec import DatasetSpec
from tasks.clustering import cluster
from tasks.diagnosis import (
    learn_in_parallel,
    pose_problems,
    render_report,
    verbalize_results,
    write_report,
)
from tasks.ingest import check_params, load_spec
from tasks.model import train_fault_model
from tasks.provenance import record_provenance
from tasks.review import check_rounds, publish_ontology, reviewed_table, start_review
from tasks.semantify import embed_and_classify
from workflows.engines import build_kg_with, ingest_with
from workflows.review import review_rounds


def checked_regimes(spec_file: Promise, table_file: Promise, engine: Promise,
                    **knobs: Promise) -> tuple[Promise, Promise, Promise, Promise]:
    """Workflow fragment of both diagnoses, up to the regimes: the spec, the checked
    parameters (``check_params``, before any data is read), ingestion on the chosen engine,
    and clustering."""
    spec = load_spec(spec_file=spec_file)
    params = check_params(spec=spec, engine=engine, **knobs)
    ingested = ingest_with(engine, spec=spec, table_file=table_file, rows=params.rows,
                           seed=params.seed)
    regimes = cluster(table=ingested.table, spec=spec, method=params.cluster_method,
                      seed=params.seed)
    return spec, params, ingested, regimes


class DiagnosisOutputs(NamedTuple):
    summary: DiagnosisSummary
    report: FlyteFile
    explanations: pd.DataFrame
    items: list[Explanation]
    problems: list[FlyteFile]
    kg: FlyteDirectory
    model: FlyteFile
    predictions: pd.DataFrame
    provenance: ProvenanceRecord


@workflow
def diagnosis(spec: DatasetSpec, table: pd.DataFrame, ingest_summary: IngestSummary,
              assignments: pd.DataFrame, metrics: ClusterMetrics, profile: pd.DataFrame,
              params: DiagnoseParams, engine: Engine, table_file: FlyteFile | None,
              workflow_name: str, cluster_names: str = "") -> DiagnosisOutputs:
    """The diagnosis after the regimes are known, shared by ``diagnose`` and
    ``diagnose_reviewed``: knowledge graph, Tab2Onto classes, fault model, learning problems,
    the learner per problem, English explanations, the report and the provenance record.

    ``engine`` picks the knowledge graph's branch (a Flyte condition compares a plain input,
    so it is passed beside ``params``, which holds the same value for the record).
    """
    graph = build_kg_with(engine, table=table, spec=spec)
    classes = embed_and_classify(table=table, spec=spec, epochs=params.embedding_epochs,
                                 seed=params.seed)
    model = train_fault_model(table=table, spec=spec, seed=params.seed)
    problems = pose_problems(table=table, spec=spec, labels=params.labels, clusters=assignments,
                             predictions=model.predictions,
                             explain_clusters=params.explain_clusters,
                             explain_model=params.explain_model)
    results = learn_in_parallel(kg=graph.kg, problems=problems, max_runtime=params.max_runtime,
                                max_length=params.max_length, noise=params.noise,
                                seed=params.seed)
    verbal = verbalize_results(results=results, spec=spec, table=table,
                               predictions=model.predictions, cluster_names=cluster_names)
    rendered = render_report(spec=spec, ingest_summary=ingest_summary, metrics=metrics,
                             profile=profile, assignments=assignments, manifest=graph.manifest,
                             tab2onto=classes.result, model_report=model.report,
                             predictions=model.predictions, items=verbal.explanations,
                             table=table, params=params, kg=graph.kg, model=model.model,
                             cluster_names=cluster_names)
    report = write_report(summary=rendered.summary, page=rendered.page)
    provenance = record_provenance(
        workflow=workflow_name, spec=spec, table=table, table_file=table_file, kg=graph.kg,
        model=model.model, explanations=verbal.table, report=report.report, params=params)
    return DiagnosisOutputs(summary=report.summary, report=report.report,
                            explanations=verbal.table, items=verbal.explanations,
                            problems=problems, kg=graph.kg, model=model.model,
                            predictions=model.predictions, provenance=provenance)


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
             cluster_method: ClusterMethod = ClusterMethod.KMEANS,
             max_runtime: float = 10.0, max_length: int = 12, noise: float = 5.0,
             embedding_epochs: int = 20, engine: Engine = Engine.PANDAS) -> DiagnoseOutputs:
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
    spec, params, ingested, regimes = checked_regimes(
        spec_file, table_file, engine, rows=rows, seed=seed, labels=labels,
        explain_clusters=explain_clusters, explain_model=explain_model,
        cluster_method=cluster_method, max_runtime=max_runtime, max_length=max_length,
        noise=noise, embedding_epochs=embedding_epochs)
    found = diagnosis(spec=spec, table=ingested.table, ingest_summary=ingested.summary,
                      assignments=regimes.assignments, metrics=regimes.metrics,
                      profile=regimes.profile, params=params, engine=engine,
                      table_file=table_file, workflow_name="diagnose")
    return DiagnoseOutputs(summary=found.summary, report=found.report,
                           explanations=found.explanations, kg=found.kg, model=found.model,
                           provenance=found.provenance)


class ReviewedOutputs(NamedTuple):
    summary: DiagnosisSummary
    report: FlyteFile
    reviewed: pd.DataFrame
    published_ontology: FlyteFile
    provenance: ProvenanceRecord


@workflow
def diagnose_reviewed(table_file: FlyteFile | None = None, spec_file: FlyteFile | None = None,
                      rows: int = 10_000, seed: int = 42,
                      labels: list[str] = [],  # noqa: B006
                      explain_clusters: bool = True, explain_model: bool = True,
                      cluster_method: ClusterMethod = ClusterMethod.KMEANS,
                      max_runtime: float = 10.0,
                      max_length: int = 12, noise: float = 5.0, embedding_epochs: int = 20,
                      engine: Engine = Engine.PANDAS, rounds: int = 3) -> ReviewedOutputs:
    """The diagnosis with a person in the loop (LabEnt-style annotation), then publication.

    Same inputs as ``diagnose``, and ``rounds``. 1. After clustering, the run waits for
    ``cluster_names`` ("0=idle; 1=high load"): the names label the regime classes and appear in
    the explanations. 2. Review rounds: the gate ``review-round-1`` waits for the expert's
    answer to each explanation by its id (accept, reject, or revise with exclude=, require=,
    max_length=, relabel=, drop=; README "Reviewing explanations"); revised problems are
    relearned with those constraints and shown again at ``review-round-2``, up to ``rounds``
    rounds. 3. The accepted definitions are published as an ontology whose annotations record
    the review (round, decision, constraints, reviewer, time) beside the learner's provenance.

    :param rounds: the most review rounds (1 to 5); a round runs only while explanations were
        revised in the one before.
    """
    rounds_asked = check_rounds(rounds=rounds)
    spec, params, ingested, regimes = checked_regimes(
        spec_file, table_file, engine, rows=rows, seed=seed, labels=labels,
        explain_clusters=explain_clusters, explain_model=explain_model,
        cluster_method=cluster_method, max_runtime=max_runtime, max_length=max_length,
        noise=noise, embedding_epochs=embedding_epochs)
    rounds_asked >> spec
    names = wait_for_input("cluster_names", timeout=timedelta(hours=24), expected_type=str)
    regimes.assignments >> names
    found = diagnosis(spec=spec, table=ingested.table, ingest_summary=ingested.summary,
                      assignments=regimes.assignments, metrics=regimes.metrics,
                      profile=regimes.profile, params=params, engine=engine,
                      table_file=table_file, workflow_name="diagnose_reviewed",
                      cluster_names=names)
    start = start_review(items=found.items, problems=found.problems)
    final = review_rounds(start, rounds_asked, kg=found.kg, spec=spec, table=ingested.table,
                          predictions=found.predictions, params=params, cluster_names=names)
    reviewed = reviewed_table(items=final.items, records=final.records,
                              diagnosis=found.summary)
    published = publish_ontology(kg=found.kg, spec=spec, items=final.items,
                                 records=final.records, provenance=found.provenance,
                                 cluster_names=names)
    return ReviewedOutputs(summary=reviewed.summary, report=found.report, reviewed=reviewed.table,
                           published_ontology=published, provenance=found.provenance)
