"""Workflow fragments that pick the pandas or the Spark task with a Flyte ``conditional``.

``engine`` is a workflow input (``Engine``: a drop-down of "pandas" and "spark" in the launch
form, ``--engine spark`` on the command line), so a user switches engines without editing
code. Both branches give the same outputs.
"""

from __future__ import annotations

from flytekit import conditional
from flytekit.core.promise import Promise

from daikiri.params import Engine
from tasks.ingest import ingest
from tasks.semantify import build_kg
from tasks.spark import build_kg_spark, ingest_spark


def ingest_with(engine: Promise, spec: Promise, table_file: Promise, rows: Promise,
                seed: Promise) -> Promise:
    """Ingestion on the chosen engine (outputs ``table``, ``summary``)."""
    return (conditional("ingest_engine")
            .if_(engine == Engine.SPARK)
            .then(ingest_spark(spec=spec, table_file=table_file, rows=rows, seed=seed))
            .else_()
            .then(ingest(spec=spec, table_file=table_file, rows=rows, seed=seed)))


def build_kg_with(engine: Promise, table: Promise, spec: Promise,
                  quantile_bins: Promise | int = 0) -> Promise:
    """The knowledge graph on the chosen engine (outputs ``kg``, ``manifest``)."""
    return (conditional("kg_engine")
            .if_(engine == Engine.SPARK)
            .then(build_kg_spark(table=table, spec=spec, quantile_bins=quantile_bins))
            .else_()
            .then(build_kg(table=table, spec=spec, quantile_bins=quantile_bins)))
