"""KG embeddings with PyKEEN and Tab2Onto classes."""

import numpy as np
import pandas as pd
import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import OWL, RDF, RDFS
from sklearn.linear_model import RidgeCV
from sklearn.model_selection import cross_val_score
from sklearn.preprocessing import StandardScaler

from daikiri.embeddings import (
    EmbeddingConfig,
    embedding_triples,
    purity,
    tab2onto,
    train_row_embeddings,
    write_cluster_classes,
)
from daikiri.errors import DaikiriError
from daikiri.ingest import load_table
from daikiri.params import DiagnoseParams
from daikiri.spec import DatasetSpec, default_spec

REGIMES = {"idle": (10.0, 300.0, 0.5), "load": (60.0, 900.0, 5.0), "peak": (95.0, 1500.0, 9.0)}


def planted(rows_per_regime: int = 150, seed: int = 0) -> tuple[pd.DataFrame, DatasetSpec]:
    """Three operating regimes in three numeric columns; 'regime' is hidden from the graph."""
    rng = np.random.default_rng(seed)
    parts = []
    for name, (speed, power, vibration) in REGIMES.items():
        parts.append(pd.DataFrame({
            "speed": rng.normal(speed, 4, rows_per_regime),
            "power": rng.normal(power, 40, rows_per_regime),
            "vibration": rng.normal(vibration, 0.4, rows_per_regime),
            "regime": name}))
    frame = pd.concat(parts, ignore_index=True).sample(frac=1, random_state=seed)
    frame = frame.reset_index(drop=True)
    frame["id"] = [f"m{i}" for i in range(len(frame))]
    frame["fault"] = (frame.vibration > 8).astype(int)
    spec = DatasetSpec(name="planted", base_iri="https://example.org/p#", id_column="id",
                       label_columns=["fault"], numeric_columns=["speed", "power", "vibration"],
                       ignore_columns=["regime"], entity="Machine")
    return frame, spec


def test_embedding_graph_has_values_as_nodes_and_no_labels():
    frame, spec = planted(20)
    triples, ids = embedding_triples(frame, spec, value_bins=5)
    assert len(ids) == 60
    relations = set(triples[:, 1])
    assert relations == {"has:speed", "has:power", "has:vibration", "next:speed", "next:power",
                         "next:vibration"}
    assert len(triples) == 60 * 3 + 3 * 4
    assert not any("fault" in t or "regime" in t for t in triples[:, 2])


@pytest.mark.parametrize("model", ["DistMult", "ComplEx", "TransE", "RotatE"])
def test_planted_regimes_are_recovered_as_classes(model):
    frame, spec = planted()
    config = EmbeddingConfig(model=model, dimension=16, epochs=40, value_bins=6, seed=1,
                             k_min=2, k_max=5)
    run = tab2onto(frame, spec, config, reference_column="regime")
    labels, embeddings, result = run.labels, run.embeddings, run.result
    assert result.purity >= 0.9, result
    assert embeddings.shape[0] == len(frame)
    assert result.trained_rows == len(frame) and result.triples > 0
    assert set(result.cluster_classes) == {str(k) for k in np.unique(labels)}


def test_default_data_embeddings_encode_the_runs_and_form_real_classes():
    """On the default data (10,000 runs, the diagnosis' epochs) the row embeddings encode the
    runs' features (a linear map predicts each standardised feature from them, R² 0.44-0.58
    over seeds; 0.1 after 5 epochs), and the Tab2Onto classes are real groups: no class of a
    handful of outlying runs (standardised embeddings gave 9,993 + 7)."""
    spec = default_spec()
    table, _ = load_table(spec, None, rows=10_000, seed=42)
    run = tab2onto(table, spec, EmbeddingConfig(epochs=DiagnoseParams().embedding_epochs))
    assert min(run.result.clusters.sizes.values()) >= 0.05 * len(table)
    features = StandardScaler().fit_transform(table[spec.feature_columns].to_numpy(float))
    r2 = [cross_val_score(RidgeCV(), run.embeddings, features[:, j], cv=3).mean()
          for j in range(features.shape[1])]
    assert np.mean(r2) >= 0.3, r2


def test_no_progress_bar_in_a_log_file(capfd):
    """The epochs' progress bar is drawn on a terminal only: written to a file (a CI log, a
    pod's log) it ran into the next log line."""
    frame, spec = planted(20)
    train_row_embeddings(frame, spec, EmbeddingConfig(dimension=4, epochs=2))
    assert "epochs" not in capfd.readouterr().err


def test_training_is_deterministic_for_a_seed():
    frame, spec = planted(40)
    config = EmbeddingConfig(dimension=8, epochs=5, seed=3, k_max=4)
    first = tab2onto(frame, spec, config)
    second = tab2onto(frame, spec, config)
    assert np.array_equal(first.embeddings, second.embeddings)
    assert np.array_equal(first.labels, second.labels)


def test_large_tables_train_on_a_sample_and_assign_every_row():
    frame, spec = planted(200)
    config = EmbeddingConfig(dimension=16, epochs=40, value_bins=6, max_rows=240, seed=1,
                             k_max=5)
    run = tab2onto(frame, spec, config, reference_column="regime")
    labels, embeddings, result = run.labels, run.embeddings, run.result
    assert result.trained_rows == 240 and embeddings.shape[0] == 240
    assert len(run.trained_index) == 240
    assert len(labels) == 600 and result.purity >= 0.9


def test_cluster_classes_are_written_with_labels_and_members(tmp_path):
    frame, spec = planted(30)
    run = tab2onto(frame, spec, EmbeddingConfig(dimension=8, epochs=10, k_max=4))
    labels, result = run.labels, run.result
    path = tmp_path / "clusters.ttl"
    names = {"0": 'the "quiet" regime'}
    triples = write_cluster_classes(path, frame, labels, spec, result, names)
    graph = Graph().parse(path)
    assert len(graph) == triples
    first = URIRef("https://example.org/p#Cluster_0")
    assert (first, RDF.type, OWL.Class) in graph
    assert str(graph.value(first, RDFS.label)) == 'the "quiet" regime'
    assert (first, RDFS.subClassOf, URIRef("https://example.org/p#Machine")) in graph
    members = {str(s) for s in graph.subjects(RDF.type, first)}
    assert members == {f"https://example.org/p#Machine_{i}" for i in frame.id[labels == 0]}


def test_purity_definition():
    assert purity(np.array([0, 0, 1, 1]), np.array(["a", "a", "b", "a"])) == 0.75


@pytest.mark.parametrize("config, message", [
    (EmbeddingConfig(model="Word2Vec"), "embedding model 'Word2Vec' is not supported"),
    (EmbeddingConfig(epochs=0), "embedding epochs must be positive"),
    (EmbeddingConfig(value_bins=1), "value_bins must be at least 2"),
])
def test_bad_configuration(config, message):
    frame, spec = planted(10)
    with pytest.raises(DaikiriError, match=message):
        tab2onto(frame, spec, config)


def test_unknown_reference_column():
    frame, spec = planted(10)
    with pytest.raises(DaikiriError, match="reference column 'nope' is not in the table"):
        tab2onto(frame, spec, EmbeddingConfig(epochs=1), reference_column="nope")
