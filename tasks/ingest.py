"""Flyte tasks: load a DatasetSpec and ingest (validate) a table."""

from __future__ import annotations

from typing import Annotated, NamedTuple

import pandas as pd
from flytekit import Deck, HashMethod, task
from flytekit.types.file import FlyteFile

from daikiri.ingest import IngestSummary, load_table
from daikiri.params import ClusterMethod, DiagnoseParams, Engine
from daikiri.plots import table_to_html
from daikiri.provenance import frame_hash
from daikiri.spec import DatasetSpec, default_spec
from tasks.common import DECK_FIELDS, MEDIUM, SHORT, SMALL, configure_logging, user_file


@task(timeout=SHORT, requests=SMALL, limits=SMALL)
def load_spec(spec_file: FlyteFile | None = None) -> DatasetSpec:
    """Read and check a DatasetSpec YAML file, or return the built-in spec of the default data.

    Errors name the file and the offending key (unknown keys, wrong types, unsafe derived
    expressions, a base IRI that is not an absolute http(s) IRI).
    """
    if spec_file is None:
        return default_spec()
    with user_file(spec_file, "spec file") as path:
        return DatasetSpec.from_yaml(path)


class IngestOutputs(NamedTuple):
    table: Annotated[pd.DataFrame, HashMethod(frame_hash)]
    summary: IngestSummary


@task(timeout=SHORT, requests=MEDIUM, limits=MEDIUM, enable_deck=True, deck_fields=DECK_FIELDS)
def ingest(spec: DatasetSpec, table_file: FlyteFile | None = None, rows: int = 10_000,
           seed: int = 42) -> IngestOutputs:
    """Validate a CSV/Parquet table against its spec, or generate the default data.

    With no file, ``rows`` machine runs of the embedded AI4I 2020-style data set are generated
    for ``seed``. The output table has derived features added and typed columns; the summary
    counts rows read, kept and dropped and the positives per label. Any problem with the table
    fails this step with a message naming the file, column and rows.
    """
    configure_logging()
    if table_file is None:
        table, summary = load_table(spec, None, rows=rows, seed=seed)
    else:
        with user_file(table_file, "table file") as path:
            table, summary = load_table(spec, path, rows=rows, seed=seed)
    ingest_deck(summary, table.describe().T.reset_index())
    return IngestOutputs(table=table, summary=summary)


def ingest_deck(summary: IngestSummary, columns: pd.DataFrame) -> None:
    """The Deck of an ingestion (either engine): counts, positives per label, column stats."""
    counts = pd.DataFrame({"label": list(summary.label_counts),
                           "positives": list(summary.label_counts.values())})
    Deck("Ingestion", f"<p>{summary.source}: {summary.rows_read} rows read, "
         f"{summary.rows_kept} kept, {summary.rows_dropped} dropped.</p>"
         + table_to_html(counts, "Positives per label")
         + table_to_html(columns.round(3), "Columns"))


@task(timeout=SHORT, requests=SMALL, limits=SMALL)
def check_params(spec: DatasetSpec, rows: int, seed: int, labels: list[str],
                 explain_clusters: bool, explain_model: bool, cluster_method: ClusterMethod,
                 max_runtime: float, max_length: int, noise: float, embedding_epochs: int,
                 engine: Engine) -> DiagnoseParams:
    """Check a diagnosis's inputs before any heavy work: numeric ranges, choices, and the
    labels against the spec. A bad input fails here, in a second, with one line naming it
    (instead of minutes later inside the learner). Returns them as one ``DiagnoseParams``."""
    return DiagnoseParams(rows=rows, seed=seed, labels=list(labels),
                          explain_clusters=explain_clusters, explain_model=explain_model,
                          cluster_method=cluster_method, max_runtime=max_runtime,
                          max_length=max_length, noise=noise,
                          embedding_epochs=embedding_epochs, engine=engine).checked(spec)
