"""IRIs and names of everything in the knowledge graph, derived from the DatasetSpec.

One place decides every IRI so the TBox, the streamed ABox, the embeddings and the learner's
results agree. Individual IRIs are ``<base><Entity>_<percent-encoded id>``: every character
outside ``A-Z a-z 0-9 - . _ ~`` (spaces, slashes, ``%``, unicode) is percent-encoded as UTF-8,
which is injective, so distinct ids never collide.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import quote

import pandas as pd

from daikiri.errors import SpecError
from daikiri.spec import DatasetSpec

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
#: DAIKIRI's own annotation vocabulary (units, source columns, expressions, provenance).
DK = "https://w3id.org/daikiri/vocab#"


def encode_local(value: object) -> str:
    """Percent-encode a value for use in an IRI local name (injective on strings)."""
    return quote(str(value), safe="")


def camel_case(text: str) -> str:
    """``heat dissipation failure`` -> ``HeatDissipationFailure`` (non-letters dropped)."""
    words = re.split(r"[^0-9A-Za-z]+", text)
    name = "".join(w[:1].upper() + w[1:] for w in words if w)
    return name if name and not name[0].isdigit() else f"C{name}"


@dataclass
class Vocabulary:
    """The IRIs of one spec's TBox: entity class, properties, value and label classes."""

    base: str
    entity: str
    properties: dict[str, str] = field(default_factory=dict)
    value_classes: dict[str, dict[str, str]] = field(default_factory=dict)
    #: per categorical column, the class its value classes are subclasses of
    value_parents: dict[str, str] = field(default_factory=dict)
    label_classes: dict[str, str] = field(default_factory=dict)

    def individual(self, row_id: object) -> str:
        return f"{self.base}{self.entity_name}_{encode_local(row_id)}"

    @property
    def entity_name(self) -> str:
        return self.entity[len(self.base):]

    def feature_entities(self, column: str) -> list[str]:
        """The classes and properties an expression uses to speak of a feature: a numeric
        column's data property; a categorical column's class and its value classes."""
        if column in self.value_parents:
            return [self.value_parents[column], *self.value_classes[column].values()]
        return [self.properties[column]]

    def bin_class(self, column: str, index: int) -> str:
        return f"{self.base}{column}_bin{index}"

    def cluster_class(self, prefix: str, cluster: int) -> str:
        return f"{self.base}{prefix}_{cluster}"


def categories_of(table: pd.DataFrame, spec: DatasetSpec) -> dict[str, list[str]]:
    """The values of each categorical column, as text and sorted: what ``vocabulary`` needs
    to name the value classes (the same for the TBox, the lexicon and table evaluation)."""
    return {c: sorted(table[c].astype(str).unique().tolist()) for c in spec.categorical_columns}


def vocabulary(spec: DatasetSpec, categories: dict[str, list[str]]) -> Vocabulary:
    """Build the IRIs for ``spec``; ``categories`` lists the values of each categorical column.

    Raises :class:`SpecError` when two different things would get the same IRI.
    """
    base = spec.base_iri
    vocab = Vocabulary(base=base, entity=base + spec.entity)
    for column in spec.feature_columns:
        vocab.properties[column] = base + column
    for column in spec.categorical_columns:
        vocab.value_classes[column] = {value: f"{base}{column}_{encode_local(value)}"
                                       for value in categories.get(column, [])}
        vocab.value_parents[column] = base + camel_case(spec.label_of(column))
    for column in spec.all_label_columns:
        vocab.label_classes[column] = base + camel_case(spec.label_of(column))
    owners: dict[str, str] = {vocab.entity: f"entity class {spec.entity}"}
    named = [(iri, f"column '{c}'") for c, iri in vocab.properties.items()]
    named += [(iri, f"value {v!r} of '{c}'") for c, values in vocab.value_classes.items()
              for v, iri in values.items()]
    named += [(iri, f"label column '{c}'") for c, iri in vocab.label_classes.items()]
    for iri, what in named:
        if iri in owners:
            raise SpecError(f"spec '{spec.name}': {what} and {owners[iri]} would both be named "
                            f"<{iri}>; rename one (column names or labels)")
        owners[iri] = what
    return vocab
