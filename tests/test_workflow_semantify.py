"""The semantify workflow under flytekit local execution and through `pyflyte run`."""

from pathlib import Path

from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF

from tests.test_workflow_explore import _pyflyte
from workflows.semantify import semantify


def test_semantify_builds_the_graph_and_cluster_classes():
    out = semantify(rows=800, seed=3, embedding_epochs=5, embedding_dimension=8,
                    reference_column="type", quantile_bins=3)
    manifest = out.kg_manifest
    assert manifest.individuals == 800
    folder = Path(out.kg.download())
    graph = Graph().parse(folder / "kg.ttl")
    assert len(graph) == manifest.triples
    assert (URIRef("https://example.org/ai4i#torque_nm_bin2"), RDF.type, OWL.Class) in graph
    clusters = Graph().parse(out.cluster_classes.download())
    classes = set(clusters.subjects(RDF.type, OWL.Class))
    assert {str(c) for c in classes} == set(out.tab2onto.cluster_classes.values())
    members = sum(len(set(clusters.subjects(RDF.type, c))) for c in classes)
    assert members == 800
    assert 0.0 <= out.tab2onto.purity <= 1.0 and out.tab2onto.reference_column == "type"


def test_pyflyte_run_semantify():
    done = _pyflyte("workflows/semantify.py", "semantify", "--rows", "600",
                    "--embedding_epochs", "3", "--embedding_dimension", "8")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "individuals=600" in done.stdout and "Cluster_0" in done.stdout
