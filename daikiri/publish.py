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

from daikiri.errors import DaikiriError
from daikiri.kg.naming import DK

DKNS = Namespace(DK)


def expression_node(g: Graph, ast: Mapping[str, Any]) -> URIRef | BNode:
    """Add the OWL RDF of a class-expression AST to ``g``; return its node."""
    kind = ast["type"]
    if kind == "top":
        return OWL.Thing
    if kind == "bottom":
        return OWL.Nothing
    if kind == "class":
        return URIRef(ast["iri"])
    node = BNode()
    if kind in ("and", "or"):
        members = [expression_node(g, op) for op in ast["operands"]]
        listing = BNode()
        Collection(g, listing, members)
        g.add((node, RDF.type, OWL.Class))
        g.add((node, OWL.intersectionOf if kind == "and" else OWL.unionOf, listing))
        return node
    if kind == "not":
        g.add((node, RDF.type, OWL.Class))
        g.add((node, OWL.complementOf, expression_node(g, ast["operand"])))
        return node
    g.add((node, RDF.type, OWL.Restriction))
    if kind == "data_range":
        g.add((node, OWL.onProperty, URIRef(ast["property"])))
        datatype = BNode()
        g.add((datatype, RDF.type, RDFS.Datatype))
        g.add((datatype, OWL.onDatatype, XSD.double))
        facets = []
        for key, facet in (("min", XSD.minInclusive), ("max", XSD.maxInclusive)):
            if ast.get(key) is not None:
                restriction = BNode()
                g.add((restriction, facet, Literal(repr(float(ast[key])), datatype=XSD.double)))
                facets.append(restriction)
        listing = BNode()
        Collection(g, listing, facets)
        g.add((datatype, OWL.withRestrictions, listing))
        g.add((node, OWL.someValuesFrom, datatype))
        return node
    prop: URIRef | BNode = URIRef(ast["property"])
    if ast.get("inverse"):
        inverse = BNode()
        g.add((inverse, OWL.inverseOf, prop))
        prop = inverse
    g.add((node, OWL.onProperty, prop))
    if kind == "some":
        g.add((node, OWL.someValuesFrom, expression_node(g, ast["filler"])))
    elif kind == "all":
        g.add((node, OWL.allValuesFrom, expression_node(g, ast["filler"])))
    elif kind == "has_value":
        g.add((node, OWL.hasValue, URIRef(ast["individual"])))
    elif kind == "min_cardinality":
        g.add((node, OWL.minQualifiedCardinality,
               Literal(int(ast["n"]), datatype=XSD.nonNegativeInteger)))
        g.add((node, OWL.onClass, expression_node(g, ast["filler"])))
    else:
        raise DaikiriError(f"cannot publish a {kind!r} expression")
    return node


def publish(tbox: str | Path, definitions: list[tuple[str, Mapping[str, Any], dict[str, Any]]],
            out: str | Path, extra: list[str | Path] = (),
            ontology_annotations: Mapping[str, str] | None = None) -> int:
    """Write TBox (+ extra files) + one annotated equivalence per (target IRI, AST, provenance).

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
    for target, ast, provenance in definitions:
        cls = URIRef(target)
        expression = expression_node(g, ast)
        g.add((cls, OWL.equivalentClass, expression))
        axiom = BNode()
        g.add((axiom, RDF.type, OWL.Axiom))
        g.add((axiom, OWL.annotatedSource, cls))
        g.add((axiom, OWL.annotatedProperty, OWL.equivalentClass))
        g.add((axiom, OWL.annotatedTarget, expression))
        g.add((axiom, DKNS.learnedOn, today))
        for key, value in provenance.items():
            g.add((axiom, DKNS[key], Literal(value)))
    g.serialize(str(out), format="turtle")
    return len(definitions)
