"""The TBox: classes, properties, labels and units of a spec's knowledge graph (rdflib)."""

from __future__ import annotations

import re
from decimal import Decimal

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from daikiri.kg.bins import Bins
from daikiri.kg.naming import DK, Vocabulary
from daikiri.spec import DatasetSpec

DKNS = Namespace(DK)


def ontology_iri(spec: DatasetSpec) -> URIRef:
    return URIRef(spec.base_iri.rstrip("#/"))


def humanise(name: str) -> str:
    """``MachineRun`` -> ``machine run``."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", name).replace("_", " ").lower()


def build_tbox(spec: DatasetSpec, vocab: Vocabulary, bins: list[Bins],
               include_labels: bool = True) -> Graph:
    """Build the TBox graph: declarations, hierarchy, disjointness, labels and units."""
    g = Graph()
    g.bind("owl", OWL)
    g.bind("dk", DKNS)
    g.bind("", Namespace(spec.base_iri))
    onto = ontology_iri(spec)
    g.add((onto, RDF.type, OWL.Ontology))
    g.add((onto, RDFS.label, Literal(f"{spec.name} knowledge graph", lang="en")))
    for prop in ("unit", "sourceColumn", "expression", "lowerBound", "upperBound"):
        g.add((DKNS[prop], RDF.type, OWL.AnnotationProperty))

    entity = URIRef(vocab.entity)
    _class(g, entity, humanise(spec.entity))

    for column, iri in vocab.properties.items():
        prop = URIRef(iri)
        g.add((prop, RDF.type, OWL.DatatypeProperty))
        g.add((prop, RDF.type, OWL.FunctionalProperty))
        g.add((prop, RDFS.domain, entity))
        g.add((prop, RDFS.range, XSD.double))
        g.add((prop, RDFS.label, Literal(spec.label_of(column), lang="en")))
        g.add((prop, DKNS.sourceColumn, Literal(column)))
        if spec.unit_of(column):
            g.add((prop, DKNS.unit, Literal(spec.unit_of(column))))
        if column in spec.derived:
            g.add((prop, DKNS.expression, Literal(spec.derived[column])))

    for column, values in vocab.value_classes.items():
        parent = URIRef(vocab.value_parents[column])
        _class(g, parent, spec.label_of(column), entity, column)
        members = []
        for value, iri in values.items():
            cls = URIRef(iri)
            _class(g, cls, f"{spec.label_of(column)} {value}", parent, column)
            members.append(cls)
        if len(members) >= 2:
            node = BNode(f"disjoint_{column}")
            g.add((node, RDF.type, OWL.AllDisjointClasses))
            g.add((node, OWL.members, _rdf_list(g, members, f"disjoint_{column}")))

    for column_bins in bins:
        label, unit = spec.label_of(column_bins.column), spec.unit_of(column_bins.column)
        for index in range(column_bins.count):
            cls = URIRef(vocab.bin_class(column_bins.column, index))
            _class(g, cls, column_bins.describe(index, label, unit), entity, column_bins.column)
            if index > 0:
                g.add((cls, DKNS.lowerBound, _exact(column_bins.cuts[index - 1])))
            if index < column_bins.count - 1:
                g.add((cls, DKNS.upperBound, _exact(column_bins.cuts[index])))

    if include_labels:
        for column, iri in vocab.label_classes.items():
            _class(g, URIRef(iri), spec.label_of(column), entity, column)
        if spec.any_label:
            union = BNode("any_label")
            members = [URIRef(vocab.label_classes[c]) for c in spec.label_columns]
            g.add((union, RDF.type, OWL.Class))
            g.add((union, OWL.unionOf, _rdf_list(g, members, "any_label")))
            g.add((URIRef(vocab.label_classes[spec.any_label]), OWL.equivalentClass, union))
    return g


def _rdf_list(g: Graph, items: list[URIRef], name: str) -> BNode:
    """An rdf:List with blank-node ids derived from ``name``, so output files are byte-stable
    across runs (rdflib's default blank nodes are random)."""
    head = rest = BNode(f"{name}_0")
    for index, item in enumerate(items):
        g.add((rest, RDF.first, item))
        following = BNode(f"{name}_{index + 1}") if index + 1 < len(items) else RDF.nil
        g.add((rest, RDF.rest, following))
        rest = following
    return head


def _exact(value: float) -> Literal:
    """An exact xsd:decimal literal of a float (rdflib writes xsd:double in Turtle with only
    seven significant digits, so a cut point would not read back exactly)."""
    return Literal(Decimal(repr(float(value))))


def _class(g: Graph, cls: URIRef, label: str, parent: URIRef | None = None,
           column: str | None = None) -> None:
    g.add((cls, RDF.type, OWL.Class))
    g.add((cls, RDFS.label, Literal(label, lang="en")))
    if parent is not None:
        g.add((cls, RDFS.subClassOf, parent))
    if column is not None:
        g.add((cls, DKNS.sourceColumn, Literal(column)))
