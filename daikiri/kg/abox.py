"""The ABox as N-Triples, written chunk by chunk (memory flat in the number of rows).

Per row: the individual is typed ``owl:NamedIndividual`` and with the entity class, with the
class of each categorical value and of each numeric bin, and carries one ``xsd:double`` data
property assertion per numeric/derived feature, written with Python's shortest round-trip
representation so every value reads back exactly. Missing (NaN) values get no assertion (the
learner's closed world then sees "no value"). Label assertions go to separate files so a
learner can be given the graph without the labels it has to explain.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from daikiri.kg.bins import Bins
from daikiri.kg.naming import OWL, RDF, XSD, Vocabulary
from daikiri.kg.sources import TableSource
from daikiri.spec import DatasetSpec

log = logging.getLogger(__name__)
TYPE = f"<{RDF}type>"
NAMED_INDIVIDUAL = f"<{OWL}NamedIndividual>"
DOUBLE = f"<{XSD}double>"


@dataclass
class AboxCounts:
    individuals: int = 0
    data_triples: int = 0
    label_triples: int = 0
    data_files: tuple[str, ...] = ()
    label_files: tuple[str, ...] = ()


def write_abox(source: TableSource, spec: DatasetSpec, vocab: Vocabulary, bins: list[Bins],
               out_dir: Path, chunk_rows: int = 50_000, include_labels: bool = True
               ) -> AboxCounts:
    """Write ``abox/part-NNNNN.nt`` (and ``labels/part-NNNNN.nt``) under ``out_dir``."""
    (out_dir / "abox").mkdir(parents=True, exist_ok=True)
    if include_labels:
        (out_dir / "labels").mkdir(parents=True, exist_ok=True)
    counts = AboxCounts()
    data_files, label_files = [], []
    started = time.perf_counter()
    for part, chunk in enumerate(source.chunks(chunk_rows)):
        subjects = subject_iris(chunk[spec.id_column], vocab)
        rows = data_lines(chunk, subjects, spec, vocab, bins)
        name = f"part-{part:05d}.nt"
        (out_dir / "abox" / name).write_text("".join(rows), encoding="utf-8")
        data_files.append(f"abox/{name}")
        counts.data_triples += len(rows)
        if include_labels:
            positives = label_lines(chunk, subjects, spec, vocab)
            (out_dir / "labels" / name).write_text("".join(positives), encoding="utf-8")
            label_files.append(f"labels/{name}")
            counts.label_triples += len(positives)
        counts.individuals += len(chunk)
        elapsed = time.perf_counter() - started
        log.info("ABox: %d / %d rows, %d triples (%.0f rows/s)", counts.individuals,
                 source.rows, counts.data_triples + counts.label_triples,
                 counts.individuals / max(elapsed, 1e-9))
    counts.data_files, counts.label_files = tuple(data_files), tuple(label_files)
    return counts


def subject_iris(ids: pd.Series, vocab: Vocabulary) -> list[str]:
    """The rows' individuals as N-Triples terms (the IRI rule is ``Vocabulary.individual``)."""
    return [f"<{vocab.individual(i)}>" for i in ids.tolist()]


def data_lines(chunk: pd.DataFrame, subjects: list[str], spec: DatasetSpec, vocab: Vocabulary,
                bins: list[Bins]) -> list[str]:
    entity = f"<{vocab.entity}>"
    lines = [f"{s} {TYPE} {NAMED_INDIVIDUAL} .\n" for s in subjects]
    lines += [f"{s} {TYPE} {entity} .\n" for s in subjects]
    for column, classes in vocab.value_classes.items():
        iris = {value: f"<{iri}>" for value, iri in classes.items()}
        values = chunk[column].astype(str).tolist()
        lines += [f"{s} {TYPE} {iris[v]} .\n" for s, v in zip(subjects, values, strict=True)]
    for column_bins in bins:
        values = chunk[column_bins.column].to_numpy(dtype=np.float64)
        classes = [f"<{vocab.bin_class(column_bins.column, i)}>" for i in range(column_bins.count)]
        lines += [f"{s} {TYPE} {classes[b]} .\n"
                  for s, b in zip(subjects, column_bins.assign(values).tolist(), strict=True)
                  if b >= 0]
    for column, iri in vocab.properties.items():
        prop = f"<{iri}>"
        values = chunk[column].to_numpy(dtype=np.float64).tolist()
        lines += [f'{s} {prop} "{v!r}"^^{DOUBLE} .\n'
                  for s, v in zip(subjects, values, strict=True) if v == v]
    return lines


def label_lines(chunk: pd.DataFrame, subjects: list[str], spec: DatasetSpec,
                 vocab: Vocabulary) -> list[str]:
    lines = []
    for column in spec.all_label_columns:
        if column not in chunk:
            continue
        cls = f"<{vocab.label_classes[column]}>"
        positive = chunk[column].to_numpy() == 1
        lines += [f"{s} {TYPE} {cls} .\n" for s, p in zip(subjects, positive, strict=True) if p]
    return lines
