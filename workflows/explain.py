"""The ``explain`` workflow: why do runs fail? Class expressions learned for each label.

ingest → knowledge graph → one learning problem per label → the Java learner (a Flyte
ContainerTask) → typed results. ``pyflyte run workflows/explain.py explain`` runs it on the
embedded default data.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
from flytekit import workflow
from flytekit.types.file import FlyteFile

from daikiri.learner import LearnerResult
from daikiri.params import ClusterMethod, Engine
from tasks.ingest import check_params, ingest, load_spec
from tasks.learner import label_problems, learn_class_expressions, read_learner_results
from tasks.semantify import build_kg


class ExplainOutputs(NamedTuple):
    explanations: list[LearnerResult]
    table: pd.DataFrame
    explained: int


@workflow
def explain(table_file: FlyteFile | None = None, spec_file: FlyteFile | None = None,
            rows: int = 10_000, seed: int = 42, labels: list[str] = [],  # noqa: B006
            max_runtime: float = 10.0, max_length: int = 12,
            noise: float = 5.0) -> ExplainOutputs:
    """Learn an OWL class expression explaining each fault label of a table.

    :param table_file: CSV or Parquet table; empty = generate the embedded default data set.
    :param spec_file: DatasetSpec YAML; empty = the default data's spec.
    :param rows: rows to generate when no table is given.
    :param seed: random seed of the generator and the learner.
    :param labels: label columns to explain; empty = all of the spec's labels.
    :param max_runtime: learner time limit per problem, seconds.
    :param max_length: longest class expression the learner considers.
    :param noise: percentage of examples the learner may misclassify.
    """
    spec = load_spec(spec_file=spec_file)
    # the same input checks as the diagnosis (this workflow has no regimes or embeddings)
    params = check_params(spec=spec, rows=rows, seed=seed, labels=labels,
                          explain_clusters=False, explain_model=False,
                          cluster_method=ClusterMethod.KMEANS, max_runtime=max_runtime,
                          max_length=max_length, noise=noise, embedding_epochs=1,
                          engine=Engine.PANDAS)
    ingested = ingest(spec=spec, table_file=table_file, rows=params.rows, seed=params.seed)
    graph = build_kg(table=ingested.table, spec=spec)
    problems = label_problems(table=ingested.table, spec=spec, columns=params.labels)
    learned = learn_class_expressions(kg=graph.kg, problems=problems,
                                      max_runtime=params.max_runtime,
                                      max_length=params.max_length, noise=params.noise,
                                      seed=params.seed)
    read = read_learner_results(results=learned.results)
    return ExplainOutputs(explanations=read.results, table=read.table,
                          explained=learned.explained)
