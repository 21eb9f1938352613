"""The ``explore`` workflow: ingest a table (or the embedded default data) and find regimes.

Run it on the default data with ``pyflyte run workflows/explore.py explore`` or on your own
table with ``--table_file my.csv --spec_file my.yaml``.
"""

from __future__ import annotations

from typing import NamedTuple

import pandas as pd
from flytekit import conditional, workflow
from flytekit.types.file import FlyteFile

from daikiri.clustering import ClusterMetrics
from daikiri.ingest import IngestSummary
from daikiri.params import ClusterMethod
from tasks.clustering import cluster
from tasks.ingest import ingest, load_spec
from tasks.partner import count_regimes, no_regime_counts, table_as_csv


class ExploreOutputs(NamedTuple):
    ingest_summary: IngestSummary
    cluster_metrics: ClusterMetrics
    cluster_profile: pd.DataFrame
    cluster_assignments: pd.DataFrame
    regime_counts: FlyteFile
    regime_groups: int


@workflow
def explore(table_file: FlyteFile | None = None, spec_file: FlyteFile | None = None,
            rows: int = 10_000, seed: int = 42,
            method: ClusterMethod = ClusterMethod.KMEANS, k_min: int = 2,
            k_max: int = 8, count_regimes_with_partner_tool: bool = False) -> ExploreOutputs:
    """Validate a table and cluster its rows into operating regimes.

    :param table_file: CSV or Parquet table; empty = generate the embedded default data set.
    :param spec_file: DatasetSpec YAML describing the table; empty = the default data's spec.
    :param rows: rows to generate when no table is given.
    :param seed: random seed of the generator and the clustering.
    :param method: ``kmeans`` or ``hdbscan``.
    :param k_min: smallest k tried by K-Means.
    :param k_max: largest k tried by K-Means.
    :param count_regimes_with_partner_tool: also count the rows per regime with the partner's
        ``regime-counts`` tool (a non-Python ContainerTask in its own image; README, "Add your
        component").
    """
    spec = load_spec(spec_file=spec_file)
    ingested = ingest(spec=spec, table_file=table_file, rows=rows, seed=seed)
    regimes = cluster(table=ingested.table, spec=spec, method=method, k_min=k_min, k_max=k_max,
                      seed=seed)
    # (one node per branch: a conditional's branch holds a single task on a cluster)
    assignments_csv = table_as_csv(table=regimes.assignments)
    counted = (conditional("partner_tool")
               .if_(count_regimes_with_partner_tool.is_true())
               .then(count_regimes(table=assignments_csv, column="cluster"))
               .else_()
               .then(no_regime_counts()))
    return ExploreOutputs(ingest_summary=ingested.summary, cluster_metrics=regimes.metrics,
                          cluster_profile=regimes.profile,
                          cluster_assignments=regimes.assignments,
                          regime_counts=counted[0], regime_groups=counted[1])
