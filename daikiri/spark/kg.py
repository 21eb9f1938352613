"""The knowledge graph of a Spark DataFrame: the same folder as :mod:`daikiri.kg.build`.

The TBox is built on the driver by the same code as the pandas path. The ABox lines are made
by the same functions (:func:`daikiri.kg.abox.data_lines` / ``label_lines``) applied to each
Arrow batch with ``mapInPandas``, so both engines write identical triples; Spark writes them
in parallel as partitioned text, renamed afterwards to ``abox/part-NNNNN.nt`` and
``labels/part-NNNNN.nt``. Quantile bins use Spark's approximate quantiles.
"""

from __future__ import annotations

import logging
import shutil
import tempfile
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from pyspark.sql import DataFrame
from pyspark.sql import functions as F

from daikiri.errors import DataValidationError
from daikiri.kg.abox import AboxCounts, data_lines, label_lines, subject_iris
from daikiri.kg.bins import Bins
from daikiri.kg.build import (
    TBOX_FILES,
    KGConfig,
    check_needed_columns,
    finish,
    iri_clash_error,
    write_tbox,
)
from daikiri.kg.manifest import MANIFEST_FILE, KGManifest
from daikiri.kg.naming import Vocabulary, vocabulary
from daikiri.spark.session import ROW_ID, row_numbers, with_row_ids
from daikiri.spec import DatasetSpec
from daikiri.storage import StoredPath, is_uri

log = logging.getLogger(__name__)

#: Relative error of Spark's approximate quantiles for quantile bins.
QUANTILE_ERROR = 1e-3


def build_knowledge_graph_spark(frame: DataFrame, spec: DatasetSpec, out_dir: str | Path,
                                config: KGConfig | None = None) -> KGManifest:
    """Write the knowledge graph of ``frame`` (a validated table) into ``out_dir`` with Spark.

    ``out_dir`` is a local folder or a URI (``gs://bucket/prefix/kg``, ``file:///...``): the
    executors write the ABox parts there directly, the driver renames them and puts the TBox
    and manifest (written in a local scratch folder) beside them. At a URI there is no
    combined ``kg.ttl`` (it would need every part on the driver's disk); the learner and the
    embeddings read the parts.
    """
    config = (config or KGConfig()).validate()
    spec.validate()
    target = StoredPath(str(out_dir))
    in_store = is_uri(out_dir)  # file:// too: the same code path as a bucket
    if not in_store:
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
    else:
        out = Path(tempfile.mkdtemp(prefix="kg-driver-"))
        config = replace(config, combined_max_rows=0)
    started = time.perf_counter()
    check_needed_columns(frame.columns, spec)
    if frame.isEmpty():
        raise DataValidationError(f"cannot build a knowledge graph of spec '{spec.name}': the "
                                  "table is empty")
    _check_unique_iris(frame, spec)
    categories = {c: sorted(str(r[0]) for r in frame.select(F.col(c).cast("string"))
                            .distinct().collect()) for c in spec.categorical_columns}
    vocab = vocabulary(spec, categories)
    bins = _bins(frame, spec, config)
    tbox = write_tbox(out, spec, vocab, bins, config)
    counts = _write_abox(frame, spec, vocab, bins, target, config.include_labels)
    manifest = finish(out, spec, vocab, tbox, counts, config, started)
    if in_store:
        for name in (*TBOX_FILES, MANIFEST_FILE):
            (target / name).upload(out / name)
        shutil.rmtree(out)
    return manifest


def _check_unique_iris(frame: DataFrame, spec: DatasetSpec) -> None:
    ids = F.col(spec.id_column)
    if not frame.where(ids.isNull()).isEmpty():
        raise DataValidationError(f"id column '{spec.id_column}' has missing values; every "
                                  "individual needs an IRI")
    text = ids.cast("string")
    repeated = frame.groupBy(text.alias("__id")).count().where(F.col("count") > 1)
    if not repeated.isEmpty():
        numbered = with_row_ids(frame)
        clash = numbered.join(repeated, numbered[spec.id_column].cast("string")
                              == repeated["__id"], "left_semi")
        first = [r[ROW_ID] for r in clash.orderBy(ROW_ID).select(ROW_ID).limit(5).collect()]
        same = [r[0] for r in repeated.orderBy("__id").select("__id").limit(5).collect()]
        raise iri_clash_error(spec, same, row_numbers(numbered, first))


def _bins(frame: DataFrame, spec: DatasetSpec, config: KGConfig) -> list[Bins]:
    result = [Bins(column, tuple(cuts)) for column, cuts in spec.bins.items()]
    if config.quantile_bins:
        probabilities = np.linspace(0, 1, config.quantile_bins + 1)[1:-1].tolist()
        columns = [c for c in spec.feature_columns if c not in spec.bins]
        finite = frame.select(*[F.when(~F.isnan(c) & (F.abs(c) != float("inf")), F.col(c))
                                .alias(c) for c in columns])
        found = finite.approxQuantile(columns, probabilities, QUANTILE_ERROR)
        for column, cuts in zip(columns, found, strict=True):
            unique = tuple(float(c) for c in np.unique(cuts))
            if unique:
                result.append(Bins(column, unique))
    return result


def _write_abox(frame: DataFrame, spec: DatasetSpec, vocab: Vocabulary, bins: list[Bins],
                out: StoredPath, include_labels: bool) -> AboxCounts:
    """ABox and label lines per Arrow batch (the pandas path's functions), written by Spark."""
    labels = [c for c in spec.all_label_columns if c in frame.columns] if include_labels else []

    def lines(batches: Iterator[pd.DataFrame]) -> Iterator[pd.DataFrame]:
        for chunk in batches:
            chunk = chunk.reset_index(drop=True)
            subjects = subject_iris(chunk[spec.id_column], vocab)
            kinds = ["abox"]
            texts = ["".join(data_lines(chunk, subjects, spec, vocab, bins)).rstrip("\n")]
            if include_labels:
                kinds.append("labels")
                texts.append("".join(label_lines(chunk, subjects, spec, vocab)).rstrip("\n"))
            yield pd.DataFrame({"kind": kinds, "text": texts})

    needed = list(dict.fromkeys([spec.id_column, *spec.categorical_columns,
                                 *spec.feature_columns, *labels]))
    staging = out / "_spark"
    staging.remove_tree()
    started = time.perf_counter()
    (frame.select(*needed).mapInPandas(lines, "kind string, text string")
     .write.partitionBy("kind").text(staging.spark_location()))
    counts = _count_triples(frame, spec, vocab, bins, labels)
    counts.data_files = _collect_parts(staging / "kind=abox", out / "abox")
    if include_labels:
        counts.label_files = _collect_parts(staging / "kind=labels", out / "labels")
    staging.remove_tree()
    elapsed = time.perf_counter() - started
    log.info("ABox (Spark): %d rows, %d triples in %d + %d files (%.0f rows/s)",
             counts.individuals, counts.data_triples + counts.label_triples,
             len(counts.data_files), len(counts.label_files),
             counts.individuals / max(elapsed, 1e-9))
    return counts


def _collect_parts(source: StoredPath, target: StoredPath) -> tuple[str, ...]:
    """Spark's ``part-*.txt`` files as ``part-NNNNN.nt`` in input order."""
    target.mkdir()
    names = []
    parts = [p for p in source.glob("part-*") if not p.name.endswith(".crc")]
    for index, part in enumerate(parts):
        name = f"part-{index:05d}.nt"
        part.rename(target / name)
        names.append(f"{target.name}/{name}")
    return tuple(names)


def _count_triples(frame: DataFrame, spec: DatasetSpec, vocab: Vocabulary, bins: list[Bins],
                   labels: list[str]) -> AboxCounts:
    """Triple counts by one aggregation over the table (what the lines functions emit: two
    type triples per row, one per category column, one per present value and per binned
    value, one per positive label)."""
    present = [F.count(F.when(~F.isnan(c), 1)).alias(f"v:{c}") for c in vocab.properties]
    binned = [F.count(F.when(~F.isnan(b.column), 1)).alias(f"b:{i}") for i, b in enumerate(bins)]
    positive = [F.count(F.when(F.col(c) == 1, 1)).alias(f"l:{c}") for c in labels]
    row = frame.agg(F.count(F.lit(1)).alias("rows"), *present, *binned, *positive).first()
    individuals = row["rows"]
    data = individuals * (2 + len(vocab.value_classes))
    data += sum(row[f"v:{c}"] for c in vocab.properties)
    data += sum(row[f"b:{i}"] for i in range(len(bins)))
    return AboxCounts(individuals=individuals, data_triples=data,
                      label_triples=sum(row[f"l:{c}"] for c in labels))
