"""Semantification: the knowledge graph says exactly what the table says."""

import re
from urllib.parse import unquote

import numpy as np
import pandas as pd
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, XSD

from daikiri.errors import DataValidationError, SpecError
from daikiri.ingest import validate_table
from daikiri.kg.build import KGConfig, build_knowledge_graph
from daikiri.kg.manifest import read_manifest
from daikiri.kg.sources import ParquetSource
from daikiri.spec import DatasetSpec

BASE = "https://example.org/ai4i#"
IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')


@pytest.fixture
def table(spec, small_runs):
    clean, _ = validate_table(small_runs.head(400), spec)
    return clean


def _graph(folder, *names) -> Graph:
    graph = Graph()
    for name in names:
        graph.parse(folder / name)
    return graph


def _abox(folder, manifest) -> Graph:
    return _graph(folder, *[f for f in manifest.files if f.startswith("abox/")])


def test_triple_counts_follow_from_the_table(tmp_path, spec, table):
    manifest = build_knowledge_graph(table, spec, tmp_path)
    rows, features = len(table), len(spec.feature_columns)
    assert manifest.individuals == rows
    # NamedIndividual + entity + one value class per categorical column + one per feature
    assert manifest.abox_triples == rows * (2 + len(spec.categorical_columns) + features)
    assert manifest.label_triples == int(table[spec.all_label_columns].to_numpy().sum())
    assert len(_abox(tmp_path, manifest)) == manifest.abox_triples
    combined = _graph(tmp_path, "kg.ttl")
    assert len(combined) == manifest.triples
    assert read_manifest(tmp_path) == manifest


def test_every_numeric_cell_round_trips_exactly(tmp_path, spec, table):
    manifest = build_knowledge_graph(table, spec, tmp_path, KGConfig(chunk_rows=64))
    assert len([f for f in manifest.files if f.startswith("abox/")]) == 7  # 400 rows / 64
    graph = _abox(tmp_path, manifest)
    for column in spec.feature_columns:
        prop = URIRef(BASE + column)
        values = {str(s): o for s, o in graph.subject_objects(prop)}
        assert len(values) == len(table)
        for row_id, expected in zip(table.udi, table[column], strict=True):
            literal = values[f"{BASE}MachineRun_{row_id}"]
            assert literal.datatype == XSD.double
            assert float(literal) == expected  # exact, not approximate


def test_tbox_declares_classes_properties_labels_units_and_disjointness(tmp_path, spec, table):
    build_knowledge_graph(table, spec, tmp_path)
    for name in ("tbox.ttl", "tbox.owl", "tbox.nt"):
        tbox = _graph(tmp_path, name)
        torque = URIRef(BASE + "torque_nm")
        assert (torque, RDF.type, OWL.DatatypeProperty) in tbox
        assert (torque, RDFS.range, XSD.double) in tbox
        assert (torque, RDFS.label, Literal("torque", lang="en")) in tbox
        assert (torque, URIRef("https://w3id.org/daikiri/vocab#unit"), Literal("Nm")) in tbox
        power_failure = URIRef(BASE + "PowerFailure")
        assert (power_failure, RDFS.label, Literal("power failure", lang="en")) in tbox
        assert (power_failure, RDFS.subClassOf, URIRef(BASE + "MachineRun")) in tbox
        variants = {URIRef(BASE + f"type_{v}") for v in "LMH"}
        assert all((v, RDFS.label, None) in tbox for v in variants)
        disjoint = next(tbox.subjects(RDF.type, OWL.AllDisjointClasses))
        members = set(tbox.items(tbox.value(disjoint, OWL.members)))
        assert members == variants
        every_class = set(tbox.subjects(RDF.type, OWL.Class)) - set(tbox.subjects(OWL.unionOf))
        assert all(tbox.value(c, RDFS.label) for c in every_class)


def test_label_classes_can_be_excluded(tmp_path, spec, table):
    manifest = build_knowledge_graph(table, spec, tmp_path, KGConfig(include_labels=False))
    tbox = _graph(tmp_path, "tbox.ttl")
    assert (URIRef(BASE + "PowerFailure"), None, None) not in tbox
    assert manifest.label_triples == 0 and manifest.label_classes == {}
    assert not (tmp_path / "labels").exists()
    everything = _graph(tmp_path, "kg.ttl")
    assert not any("Failure" in str(o) for o in everything.objects(None, RDF.type))


def test_labels_live_apart_from_the_data(tmp_path, spec, table):
    manifest = build_knowledge_graph(table, spec, tmp_path)
    labels = _graph(tmp_path, *[f for f in manifest.files if f.startswith("labels/")])
    hdf = {str(s) for s in labels.subjects(RDF.type, URIRef(BASE + "HeatDissipationFailure"))}
    expected = {f"{BASE}MachineRun_{i}" for i in table.udi[table.hdf == 1]}
    assert hdf == expected and expected
    data = _abox(tmp_path, manifest)
    assert not set(data.subjects(RDF.type, URIRef(BASE + "HeatDissipationFailure")))


HOSTILE_IDS = ["run 1", "a/b", "50%", "x#y", "ü-ß-東京", 'q"uote', "<tag>", "a%2Fb", "1", "01",
               "tab\there", "plus+sign", "~tilde", "dot.", "back\\slash", "emoji🔧"]


def test_hostile_ids_give_valid_unique_reversible_iris(tmp_path):
    spec = DatasetSpec(name="hostile", base_iri="https://example.org/h/", id_column="id",
                       label_columns=["bad"], numeric_columns=["x"], entity="Thing")
    frame = pd.DataFrame({"id": HOSTILE_IDS, "x": np.arange(len(HOSTILE_IDS)) / 3,
                          "bad": [0, 1] * (len(HOSTILE_IDS) // 2)})
    manifest = build_knowledge_graph(frame, spec, tmp_path)
    graph = _graph(tmp_path, "kg.ttl")
    individuals = sorted(str(s) for s in graph.subjects(RDF.type, OWL.NamedIndividual))
    assert len(individuals) == len(set(individuals)) == len(HOSTILE_IDS) == manifest.individuals
    prefix = "https://example.org/h/Thing_"
    assert all(i.startswith(prefix) and not IRI_FORBIDDEN.search(i) for i in individuals)
    assert sorted(unquote(i[len(prefix):]) for i in individuals) == sorted(HOSTILE_IDS)
    by_id = {unquote(str(s)[len(prefix):]): float(o)
             for s, o in graph.subject_objects(URIRef("https://example.org/h/x"))}
    assert by_id == dict(zip(frame.id, frame.x, strict=True))


def test_ids_that_would_share_an_iri_are_rejected(tmp_path):
    spec = DatasetSpec(name="clash", base_iri="https://example.org/c#", id_column="id",
                       label_columns=["bad"], numeric_columns=["x"])
    frame = pd.DataFrame({"id": pd.Series([1, "1", 2], dtype=object), "x": [1.0, 2.0, 3.0],
                          "bad": [0, 1, 0]})
    with pytest.raises(DataValidationError, match=r"ids \['1'\] at rows \[1, 2\] would give the "
                                                  "same individual IRI"):
        build_knowledge_graph(frame, spec, tmp_path)


def test_missing_values_get_no_assertion(tmp_path, spec, table):
    holes = table.copy()
    holes.loc[[3, 5], "torque_nm"] = np.nan
    manifest = build_knowledge_graph(holes, spec, tmp_path)
    graph = _abox(tmp_path, manifest)
    assert len(set(graph.subjects(URIRef(BASE + "torque_nm")))) == len(table) - 2
    assert manifest.abox_triples == len(table) * 11 - 2


def test_bin_classes_from_spec_cut_points_and_quantiles(tmp_path, spec, table):
    spec.bins = {"torque_nm": [30.0, 50.0]}
    manifest = build_knowledge_graph(table, spec, tmp_path, KGConfig(quantile_bins=4))
    tbox = _graph(tmp_path, "tbox.ttl")
    labels = {str(tbox.value(URIRef(BASE + f"torque_nm_bin{i}"), RDFS.label)) for i in range(3)}
    assert labels == {"low torque (below 30 Nm)", "medium torque (30 to 50 Nm)",
                      "high torque (at least 50 Nm)"}
    graph = _abox(tmp_path, manifest)
    high = {str(s) for s in graph.subjects(RDF.type, URIRef(BASE + "torque_nm_bin2"))}
    assert high == {f"{BASE}MachineRun_{i}" for i in table.udi[table.torque_nm >= 50]}
    quartile = URIRef(BASE + "power_w_bin3")
    assert "power bin 4 of 4" in str(tbox.value(quartile, RDFS.label))
    members = len(set(graph.subjects(RDF.type, quartile)))
    assert members == pytest.approx(len(table) / 4, abs=2)


def test_parquet_source_streams_the_same_graph(tmp_path, spec, table):
    table.to_parquet(tmp_path / "t.parquet")
    from_frame = build_knowledge_graph(table, spec, tmp_path / "a", KGConfig(chunk_rows=100))
    from_file = build_knowledge_graph(ParquetSource(tmp_path / "t.parquet"), spec, tmp_path / "b",
                                      KGConfig(chunk_rows=100))
    assert from_frame.triples == from_file.triples
    for name in from_frame.files:
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_bad_inputs_are_named(tmp_path, spec, table):
    with pytest.raises(DataValidationError, match="the table is empty"):
        build_knowledge_graph(table.head(0), spec, tmp_path)
    with pytest.raises(DataValidationError, match=r"lacks column\(s\) \['power_w'\]"):
        build_knowledge_graph(table.drop(columns=["power_w"]), spec, tmp_path)
    spec.base_iri = "not an iri"
    with pytest.raises(SpecError, match="base_iri 'not an iri' is not an absolute http"):
        build_knowledge_graph(table, spec, tmp_path)
