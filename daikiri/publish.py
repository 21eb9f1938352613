"""Publishing: the ontology with the learned definitions, after a person approved them.

Each approved explanation becomes an equivalent-class axiom (target ≡ learned expression),
written as OWL in RDF with the expression's structure (intersections, unions, complements,
restrictions, datatype restrictions on xsd:double) and annotated, through OWL's axiom
annotations, with its provenance: the learner, its F1, the date and the run's parameters.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDF, RDFS, XSD

from daikiri import concepts as ce
from daikiri.errors import DaikiriError
from daikiri.kg.naming import DK

DKNS = Namespace(DK)


def expression_node(g: Graph, expression: ce.Concept) -> URIRef | BNode:
    """Add the OWL RDF of a class expression to ``g``; return its node."""
    match expression:
        case ce.Top():
            return OWL.Thing
        case ce.Bottom():
            return OWL.Nothing
        case ce.NamedClass(iri):
            return URIRef(iri)
        case ce.And(operands) | ce.Or(operands):
            node = _node(g, OWL.Class)
            listing = BNode()
            Collection(g, listing, [expression_node(g, o) for o in operands])
            g.add((node, OWL.intersectionOf if isinstance(expression, ce.And) else OWL.unionOf,
                   listing))
            return node
        case ce.Not(operand):
            node = _node(g, OWL.Class)
            g.add((node, OWL.complementOf, expression_node(g, operand)))
            return node
        case ce.DataRange(prop, low, high):
            node = _node(g, OWL.Restriction)
            g.add((node, OWL.onProperty, URIRef(prop)))
            datatype = _node(g, RDFS.Datatype)
            g.add((datatype, OWL.onDatatype, XSD.double))
            facets = []
            for bound, facet in ((low, XSD.minInclusive), (high, XSD.maxInclusive)):
                if bound is not None:
                    restriction = BNode()
                    g.add((restriction, facet, Literal(repr(bound), datatype=XSD.double)))
                    facets.append(restriction)
            listing = BNode()
            Collection(g, listing, facets)
            g.add((datatype, OWL.withRestrictions, listing))
            g.add((node, OWL.someValuesFrom, datatype))
            return node
        case ce.Some(role, filler) | ce.All(role, filler):
            node = _restriction(g, role)
            g.add((node, OWL.someValuesFrom if isinstance(expression, ce.Some)
                   else OWL.allValuesFrom, expression_node(g, filler)))
            return node
        case ce.HasValue(role, individual):
            node = _restriction(g, role)
            g.add((node, OWL.hasValue, URIRef(individual)))
            return node
        case ce.MinCardinality(role, n, filler):
            node = _restriction(g, role)
            g.add((node, OWL.minQualifiedCardinality,
                   Literal(n, datatype=XSD.nonNegativeInteger)))
            g.add((node, OWL.onClass, expression_node(g, filler)))
            return node
    raise ce.unsupported("publication as OWL", expression)


def _node(g: Graph, kind: URIRef) -> BNode:
    node = BNode()
    g.add((node, RDF.type, kind))
    return node


def _restriction(g: Graph, role: ce.Role) -> BNode:
    """An owl:Restriction on ``role`` (an owl:inverseOf node when the role is inverse)."""
    node = _node(g, OWL.Restriction)
    prop: URIRef | BNode = URIRef(role.iri)
    if role.inverse:
        inverse = BNode()
        g.add((inverse, OWL.inverseOf, prop))
        prop = inverse
    g.add((node, OWL.onProperty, prop))
    return node


def publish(tbox: str | Path, definitions: list[tuple[str, ce.Concept, dict[str, Any]]],
            out: str | Path, extra: list[str | Path] = (),
            ontology_annotations: Mapping[str, str] | None = None) -> int:
    """Write TBox (+ extra files) + one annotated equivalence per (target IRI, expression,
    provenance).

    ``ontology_annotations`` (``dk:<key> "value"``) go on the ontology itself: the run's
    provenance — code version, input and output hashes, parameters. Returns the number of
    definitions written. The result is Turtle.
    """
    g = Graph()
    g.parse(str(tbox))
    for path in extra:
        g.parse(str(path))
    g.bind("dk", DKNS)
    ontology = g.value(predicate=RDF.type, object=OWL.Ontology)
    if ontology is None:
        raise DaikiriError(f"'{tbox}' declares no owl:Ontology to annotate")
    for key, value in (ontology_annotations or {}).items():
        g.add((DKNS[key], RDF.type, OWL.AnnotationProperty))
        g.add((ontology, DKNS[key], Literal(value)))
    for prop in ("learner", "f1", "heldOutF1", "learnedOn", "sentence", "parameters"):
        g.add((DKNS[prop], RDF.type, OWL.AnnotationProperty))
    today = Literal(dt.date.today().isoformat(), datatype=XSD.date)
    for target, definition, provenance in definitions:
        cls = URIRef(target)
        expression = expression_node(g, definition)
        g.add((cls, OWL.equivalentClass, expression))
        axiom = BNode()
        g.add((axiom, RDF.type, OWL.Axiom))
        g.add((axiom, OWL.annotatedSource, cls))
        g.add((axiom, OWL.annotatedProperty, OWL.equivalentClass))
        g.add((axiom, OWL.annotatedTarget, expression))
        g.add((axiom, DKNS.learnedOn, today))
        for key, value in provenance.items():
            g.add((DKNS[key], RDF.type, OWL.AnnotationProperty))
            g.add((axiom, DKNS[key], Literal(value)))
    g.serialize(str(out), format="turtle")
    return len(definitions)
