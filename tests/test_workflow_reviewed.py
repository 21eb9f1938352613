"""Human in the loop: cluster names at an input gate, approval before publication."""

from pathlib import Path
from unittest import mock

import click
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS

from daikiri.diagnosis import parse_cluster_names
from daikiri.errors import DaikiriError
from workflows.diagnose import diagnose_reviewed

A = "https://example.org/ai4i#"


def _run(confirm: bool):
    # flytekit's local gates read stdin through click: the prompt gets the names, the
    # confirmation the approval (these stand in for the person, not for the thing tested).
    with mock.patch.object(click, "prompt", return_value="0=steady load; 1=heavy load"), \
         mock.patch.object(click, "confirm", return_value=confirm) as confirmed:
        out = diagnose_reviewed(rows=3_000, seed=42, labels=["hdf", "pwf"], max_runtime=3.0,
                                explain_model=False, embedding_epochs=3, max_length=10)
        assert confirmed.called
    return out


def test_names_flow_into_explanations_and_the_approved_ontology_is_published():
    out = _run(confirm=True)
    lines = out.summary.headline
    assert any("belongs to steady load" in line or "belongs to heavy load" in line
               for line in lines)
    ontology = Graph().parse(Path(out.published_ontology.download()))
    pwf = URIRef(A + "PowerFailure")
    assert (pwf, OWL.equivalentClass, None) in ontology
    axioms = list(ontology.subjects(OWL.annotatedSource, pwf))
    assert axioms
    provenance = {str(p).split("#")[-1]: str(o) for p, o in ontology.predicate_objects(axioms[0])}
    assert provenance["learner"].startswith("daikiri-learner")
    assert float(provenance["f1"]) >= 0.95 and "learnedOn" in provenance
    labels = {str(o) for s, o in ontology.subject_objects(RDFS.label)
              if str(s).startswith(A + "Regime_")}
    assert labels & {"steady load", "heavy load"}
    # the ontology carries the run's provenance: code version and content hashes
    [onto] = ontology.subjects(RDF.type, OWL.Ontology)
    header = {str(p).split("#")[-1]: str(o) for p, o in ontology.predicate_objects(onto)}
    assert header["codeVersion"] == out.provenance.code_version
    assert header["sha256CleanTable"] == out.provenance.hash_of("clean table")
    assert header["sha256KnowledgeGraph"] == out.provenance.hash_of("knowledge graph")
    assert '"seed": "42"' in header["parameters"]
    # every parameter reaches the diagnosis (it once hard-coded epochs, length and noise)
    assert '"embedding_epochs": "3"' in header["parameters"]
    assert '"max_length": "10"' in header["parameters"]
    assert not any(line.startswith("A machine run is predicted") for line in lines)


def test_a_rejection_publishes_nothing():
    with pytest.raises(Exception, match="did not approve"):
        _run(confirm=False)


@pytest.mark.parametrize("text, expected", [
    ("0=idle; 1=high load", {"0": "idle", "1": "high load"}),
    ('{"2": "warm-up"}', {"2": "warm-up"}),
    ("", {}),
])
def test_cluster_names_are_parsed(text, expected):
    assert parse_cluster_names(text) == expected


@pytest.mark.parametrize("text, message", [
    ("idle", "is not of the form NUMBER=NAME"),
    ("x=idle", "'x' is not a cluster number"),
    ("{bad json", "not valid JSON"),
])
def test_bad_cluster_names_are_explained(text, message):
    with pytest.raises(DaikiriError, match=message):
        parse_cluster_names(text)
