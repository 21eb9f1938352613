"""Build a spec's knowledge graph into a folder of files, with a manifest of counts.

Folder layout (all paths relative to the folder):

- ``tbox.ttl``, ``tbox.owl`` and ``tbox.nt`` — the TBox as Turtle and RDF/XML (Protégé / OWL
  API) and N-Triples (the learner's own reader, no OWL API start-up);
- ``abox/part-NNNNN.nt`` — the ABox, streamed as N-Triples in row chunks;
- ``labels/part-NNNNN.nt`` — label (fault) class assertions, kept apart so a learner can be
  given the graph without them;
- ``kg.ttl`` — TBox + ABox + labels in one Turtle file (the TBox's Turtle followed by the
  ABox lines: N-Triples is a subset of Turtle, so this is a plain concatenation), for tables
  up to ``combined_max_rows`` rows;
- ``manifest.json`` — the :class:`KGManifest`.
"""

from __future__ import annotations

import json
import logging
import shutil
import time
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from daikiri.errors import DaikiriError, DataValidationError
from daikiri.kg.abox import AboxCounts, write_abox
from daikiri.kg.bins import Bins, quantile_bins
from daikiri.kg.manifest import MANIFEST_FILE, KGManifest
from daikiri.kg.naming import Vocabulary, categories_of, vocabulary
from daikiri.kg.sources import FrameSource, TableSource
from daikiri.kg.tbox import build_tbox
from daikiri.spec import DatasetSpec

log = logging.getLogger(__name__)


@dataclass
class KGConfig:
    """Options of the knowledge-graph build."""

    include_labels: bool = True
    quantile_bins: int = 0  # 0: bin classes only where the spec gives cut points
    chunk_rows: int = 50_000
    combined_max_rows: int = 100_000

    def validate(self) -> KGConfig:
        if self.chunk_rows < 1:
            raise DaikiriError(f"chunk_rows must be positive, got {self.chunk_rows}")
        if self.quantile_bins < 0 or self.quantile_bins == 1:
            raise DaikiriError(f"quantile_bins must be 0 (off) or at least 2, got "
                               f"{self.quantile_bins}")
        return self


def build_knowledge_graph(table: pd.DataFrame | TableSource, spec: DatasetSpec,
                          out_dir: str | Path, config: KGConfig | None = None) -> KGManifest:
    """Write the knowledge graph of ``table`` (validated against ``spec``) into ``out_dir``."""
    config = (config or KGConfig()).validate()
    spec.validate()
    source = FrameSource(table) if isinstance(table, pd.DataFrame) else table
    if source.rows == 0:
        raise DataValidationError(f"cannot build a knowledge graph of spec '{spec.name}': the "
                                  "table is empty")
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    check_needed_columns(source.names, spec)
    _check_unique_iris(source, spec)
    categories = categories_of(source.columns(spec.categorical_columns), spec)
    vocab = vocabulary(spec, categories)
    bins = _bins(source, spec, config)
    tbox = write_tbox(out, spec, vocab, bins, config)
    counts = write_abox(source, spec, vocab, bins, out, config.chunk_rows,
                        config.include_labels)
    return finish(out, spec, vocab, tbox, counts, config, started)


def check_needed_columns(names: list[str], spec: DatasetSpec) -> None:
    needed = [spec.id_column] + spec.categorical_columns + spec.feature_columns
    missing = [c for c in needed if c not in names]
    if missing:
        raise DataValidationError(f"cannot build a knowledge graph of spec '{spec.name}': the "
                                  f"table lacks column(s) {missing} (run ingestion first: it "
                                  "adds the derived features)")


#: The TBox's files and their RDF syntaxes.
TBOX_FILES = {"tbox.ttl": "turtle", "tbox.owl": "xml", "tbox.nt": "nt"}


def write_tbox(out: Path, spec: DatasetSpec, vocab: Vocabulary, bins: list[Bins],
               config: KGConfig) -> Graph:
    """``tbox.ttl``, ``tbox.owl`` and ``tbox.nt`` (the same TBox whichever engine writes the
    ABox; the learner reads ``tbox.nt``, people and the OWL API the others)."""
    tbox = build_tbox(spec, vocab, bins, include_labels=config.include_labels)
    for name, syntax in TBOX_FILES.items():
        tbox.serialize(out / name, format=syntax, encoding="utf-8")
    return tbox


def finish(out: Path, spec: DatasetSpec, vocab: Vocabulary, tbox: Graph, counts: AboxCounts,
           config: KGConfig, started: float) -> KGManifest:
    """The combined ``kg.ttl`` (small graphs) and ``manifest.json``, after the ABox."""
    files = [*TBOX_FILES, *counts.data_files, *counts.label_files]
    if counts.individuals <= config.combined_max_rows:
        _write_combined(out, list(counts.data_files + counts.label_files))
        files.append("kg.ttl")
    classes = len({c for c in tbox.subjects(RDF.type, OWL.Class) if isinstance(c, URIRef)})
    manifest = KGManifest(
        name=spec.name, base_iri=spec.base_iri, entity_class=vocab.entity,
        individuals=counts.individuals, classes=classes,
        data_properties=len(vocab.properties), tbox_triples=len(tbox),
        abox_triples=counts.data_triples, label_triples=counts.label_triples, files=files,
        label_classes=dict(vocab.label_classes) if config.include_labels else {},
        feature_properties=dict(vocab.properties),
        seconds=round(time.perf_counter() - started, 3))
    (out / MANIFEST_FILE).write_text(json.dumps(asdict(manifest), indent=2), encoding="utf-8")
    log.info("knowledge graph of '%s': %d individuals, %d triples in %.1f s", spec.name,
             manifest.individuals, manifest.triples, manifest.seconds)
    return manifest


def _write_combined(out: Path, parts: list[str]) -> None:
    with (out / "kg.ttl").open("wb") as combined:
        combined.write((out / "tbox.ttl").read_bytes())
        for name in parts:
            with (out / name).open("rb") as part:
                shutil.copyfileobj(part, combined)


def _check_unique_iris(source: TableSource, spec: DatasetSpec) -> None:
    ids = source.columns([spec.id_column])[spec.id_column]
    if ids.isna().any():
        raise DataValidationError(f"id column '{spec.id_column}' has missing values; every "
                                  "individual needs an IRI")
    text = ids.astype(str)
    clash = text.duplicated(keep=False).to_numpy()
    if clash.any():
        raise iri_clash_error(spec, sorted(set(text[clash]))[:5],
                              (np.flatnonzero(clash) + 1).tolist()[:5])


def iri_clash_error(spec: DatasetSpec, ids: list[str], rows: list[int]) -> DataValidationError:
    return DataValidationError(f"id column '{spec.id_column}': ids {ids} at rows {rows} "
                               "would give the same individual IRI")


def _bins(source: TableSource, spec: DatasetSpec, config: KGConfig) -> list[Bins]:
    result = [Bins(column, tuple(cuts)) for column, cuts in spec.bins.items()]
    if config.quantile_bins:
        given = set(spec.bins)
        sample = source.columns([c for c in spec.feature_columns if c not in given])
        if len(sample) > 200_000:
            sample = sample.sample(n=200_000, random_state=0)
        for column in sample.columns:
            found = quantile_bins(column, sample[column].to_numpy(dtype=np.float64),
                                  config.quantile_bins)
            if found.cuts:
                result.append(found)
    return result
