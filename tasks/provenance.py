"""Flyte task: the provenance record of a diagnosis (content hashes, code, parameters)."""

from __future__ import annotations

import json

import pandas as pd
from flytekit import Deck, current_context, task
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

from daikiri.params import DiagnoseParams
from daikiri.plots import table_to_html
from daikiri.provenance import (
    Artifact,
    ProvenanceRecord,
    code_version,
    file_hash,
    frame_hash,
    now,
    path_hash,
    spec_hash,
)
from daikiri.spec import DatasetSpec
from tasks.common import DECK_FIELDS, SHORT, SMALL


def _execution() -> str:
    """The Flyte execution id (project:domain:name), or ``local``."""
    ident = current_context().execution_id
    return f"{ident.project}:{ident.domain}:{ident.name}" if ident and ident.name else "local"


@task(timeout=SHORT, requests=SMALL, limits=SMALL, enable_deck=True, deck_fields=DECK_FIELDS)
def record_provenance(workflow: str, spec: DatasetSpec, table: pd.DataFrame,
                      table_file: FlyteFile | None, kg: FlyteDirectory, model: FlyteFile,
                      explanations: pd.DataFrame, report: FlyteFile,
                      params: DiagnoseParams) -> ProvenanceRecord:
    """Trace the results to exact data and code: the SHA-256 of the input file, the clean
    table, the spec, the knowledge graph, the model, the explanations and the report, with the
    code version (git SHA), the workflow's parameters and the execution id."""
    parameters = params.as_text() | {
        "rows": str(params.rows) if table_file is None else "(from the file)",
        "labels": ",".join(params.labels) or "(all)"}
    inputs = [Artifact("clean table", frame_hash(table)), Artifact("spec", spec_hash(spec))]
    if table_file is not None:
        inputs.insert(0, Artifact("input file", file_hash(table_file.download()),
                                  table_file.remote_source or table_file.path))
    outputs = [Artifact("knowledge graph", path_hash(kg.download()), kg.path),
               Artifact("model", file_hash(model.download()), model.path),
               Artifact("explanations", frame_hash(explanations)),
               Artifact("report", file_hash(report.download()), report.path)]
    record = ProvenanceRecord(workflow=workflow, code_version=code_version(),
                              execution=_execution(), created=now(),
                              parameters=parameters, inputs=inputs, outputs=outputs)
    rows = pd.DataFrame([{"kind": kind, "name": a.name, "sha256": a.sha256}
                         for kind, items in (("input", inputs), ("output", outputs))
                         for a in items])
    Deck("Provenance", f"<p>code {record.code_version}, execution {record.execution}, "
         f"{record.created}</p><pre>{json.dumps(parameters, indent=1)}</pre>"
         + table_to_html(rows, "Content hashes"))
    return record
