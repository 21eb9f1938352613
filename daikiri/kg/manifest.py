"""The manifest of a knowledge-graph folder: what was written, with the counts and IRIs later
steps need. Light to import (no pandas, no rdflib), so a step that only needs the counts (the
learner's JVM options) does not pay for the builder."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

#: The manifest's file name in a knowledge-graph folder.
MANIFEST_FILE = "manifest.json"


@dataclass
class KGManifest:
    """What was written: counts people and later steps check, and the IRIs they need."""

    name: str
    base_iri: str
    entity_class: str
    individuals: int
    classes: int
    data_properties: int
    tbox_triples: int
    abox_triples: int
    label_triples: int
    files: list[str] = field(default_factory=list)
    label_classes: dict[str, str] = field(default_factory=dict)
    feature_properties: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def triples(self) -> int:
        return self.tbox_triples + self.abox_triples + self.label_triples


def read_manifest(folder: str | Path) -> KGManifest:
    """The manifest of the knowledge graph in ``folder``."""
    return KGManifest(**json.loads((Path(folder) / MANIFEST_FILE).read_text(encoding="utf-8")))
