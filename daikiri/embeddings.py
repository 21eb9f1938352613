"""KG embeddings and Tab2Onto classes: table → graph → embeddings → clusters → OWL classes.

The embedding graph is built from the same spec as the knowledge graph, with values as nodes
(numeric features discretised into quantile bins, linked in order; categorical values as
nodes), because KG-embedding models embed entities, not literals. Entity embeddings of the row
individuals are trained with PyKEEN (DistMult, ComplEx, TransE, RotatE, ...; CPU, seeded),
on a sample of rows when the table is large, then clustered with the platform's clustering,
and the clusters are written back as OWL classes (``Cluster_k`` with an ``rdfs:label`` humans
can later rename, members asserted) in the manner of Tab2Onto.
"""

from __future__ import annotations

import gc
import logging
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import torch
from sklearn.metrics import adjusted_rand_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.preprocessing import StandardScaler

from daikiri.clustering import ClusteringConfig, ClusterMetrics, cluster_features
from daikiri.errors import DaikiriError
from daikiri.kg.bins import quantile_bins
from daikiri.kg.naming import DK, OWL, RDF, RDFS, vocabulary
from daikiri.spec import DatasetSpec

log = logging.getLogger(__name__)
MODELS = ("DistMult", "ComplEx", "TransE", "RotatE")
MIN_STEPS_PER_EPOCH = 16


@dataclass
class EmbeddingConfig:
    """PyKEEN training and Tab2Onto clustering options."""

    model: str = "DistMult"
    dimension: int = 32
    epochs: int = 30
    #: 4,096, not 2,048: a step costs mostly PyKEEN's and torch's per-batch overhead on a CPU.
    #: The default data (90,072 triples, 20 epochs): training 5.6 -> 3.9 s (median of 3), the
    #: same final loss (0.4941 / 0.4937), features encoded as well (R² of a linear map 0.47-0.58
    #: against 0.44-0.51 over four seeds).
    batch_size: int = 4096
    learning_rate: float = 0.05
    value_bins: int = 10
    max_rows: int = 20_000
    seed: int = 42
    k_min: int = 2
    k_max: int = 8
    cluster_prefix: str = "Cluster"

    def validate(self) -> EmbeddingConfig:
        if self.model not in MODELS:
            raise DaikiriError(f"embedding model {self.model!r} is not supported; expected one "
                               f"of {list(MODELS)}")
        for name in ("dimension", "epochs", "batch_size", "max_rows"):
            if getattr(self, name) < 1:
                raise DaikiriError(f"embedding {name} must be positive, got "
                                   f"{getattr(self, name)}")
        if self.value_bins < 2:
            raise DaikiriError(f"value_bins must be at least 2, got {self.value_bins}")
        return self


@dataclass
class Tab2OntoResult:
    """Clusters of the row embeddings and how well they match a reference column."""

    model: str
    trained_rows: int
    triples: int
    entities: int
    final_loss: float
    train_seconds: float
    clusters: ClusterMetrics
    cluster_classes: dict[str, str] = field(default_factory=dict)
    reference_column: str = ""
    purity: float = -1.0
    adjusted_rand: float = -1.0


def embedding_triples(table: pd.DataFrame, spec: DatasetSpec, value_bins: int
                      ) -> tuple[np.ndarray, list[str]]:
    """Labelled (head, relation, tail) triples of the embedding graph and the row entity names.

    Rows are named by their individual IRIs; values by ``column=binN`` / ``column=value``.
    """
    ids = [f"row:{i}" for i in table[spec.id_column].astype(str)]
    heads: list[str] = []
    relations: list[str] = []
    tails: list[str] = []
    for column in spec.feature_columns:
        values = table[column].to_numpy(dtype=np.float64)
        bins = quantile_bins(column, values, value_bins)
        index = bins.assign(values)
        keep = index >= 0
        heads += [h for h, k in zip(ids, keep, strict=True) if k]
        relations += [f"has:{column}"] * int(keep.sum())
        tails += [f"{column}=bin{b}" for b in index[keep].tolist()]
        for b in range(bins.count - 1):  # order of the bins, so neighbours embed nearby
            heads.append(f"{column}=bin{b}")
            relations.append(f"next:{column}")
            tails.append(f"{column}=bin{b + 1}")
    for column in spec.categorical_columns:
        heads += ids
        relations += [f"has:{column}"] * len(ids)
        tails += [f"{column}={v}" for v in table[column].astype(str)]
    return np.array([heads, relations, tails], dtype=object).T.astype(str), ids


def train_row_embeddings(table: pd.DataFrame, spec: DatasetSpec, config: EmbeddingConfig
                         ) -> tuple[np.ndarray, dict[str, float]]:
    """Train a PyKEEN model on the embedding graph; return row embeddings and statistics."""
    from pykeen.models import model_resolver
    from pykeen.training import SLCWATrainingLoop
    from pykeen.triples import TriplesFactory
    from pykeen.utils import set_random_seed

    triples, ids = embedding_triples(table, spec, config.value_bins)
    set_random_seed(config.seed)
    factory = TriplesFactory.from_labeled_triples(triples)
    model = model_resolver.make(config.model, triples_factory=factory,
                                embedding_dim=config.dimension, random_seed=config.seed)
    optimizer = torch.optim.Adam(model.get_grad_params(), lr=config.learning_rate)
    # No automatic memory optimisation: on a CPU its trial batches only cost time (and run
    # PyTorch's data loader with memory pinning, which warns without a GPU).
    loop = SLCWATrainingLoop(model=model, triples_factory=factory, optimizer=optimizer,
                             automatic_memory_optimization=False)
    # At least MIN_STEPS_PER_EPOCH optimiser steps per epoch, so small graphs train too.
    batch_size = max(16, min(config.batch_size, factory.num_triples // MIN_STEPS_PER_EPOCH))
    started = time.perf_counter()
    # PyKEEN runs a full garbage collection after every epoch; in a process holding a few
    # million objects (torch, pandas, flytekit) that was half the training time. Frozen, the
    # objects that exist before training are not scanned again; the epochs' garbage still is.
    gc.freeze()
    try:
        losses = loop.train(triples_factory=factory, num_epochs=config.epochs,
                            batch_size=batch_size, use_tqdm=True, use_tqdm_batch=False,
                            pin_memory=torch.cuda.is_available(),  # pinning helps a GPU only
                            # a bar where a person watches (a terminal), none in a log file
                            # (it ran into the next log line there); the summary line below
                            # gives the rate either way
                            tqdm_kwargs={"desc": f"{config.model} epochs", "leave": False,
                                         "disable": None})
    finally:
        gc.unfreeze()
    seconds = time.perf_counter() - started
    log.info("%s: %d triples, %d entities, %d epochs in %.1f s (%.0f triples/s), final loss "
             "%.4f", config.model, factory.num_triples, factory.num_entities, config.epochs,
             seconds, factory.num_triples * config.epochs / max(seconds, 1e-9),
             losses[-1] if losses else float("nan"))
    index = torch.as_tensor([factory.entity_to_id[i] for i in ids])
    with torch.no_grad():
        vectors = model.entity_representations[0](indices=index)
    if torch.is_complex(vectors):
        vectors = torch.view_as_real(vectors)
    embeddings = vectors.reshape(len(ids), -1).cpu().numpy().astype(np.float64)
    stats = {"triples": float(factory.num_triples), "entities": float(factory.num_entities),
             "final_loss": float(losses[-1]) if losses else float("nan"),
             "seconds": seconds}
    return embeddings, stats


@dataclass
class Tab2OntoRun:
    """Everything one Tab2Onto run produced (arrays stay in Python; ``result`` is typed)."""

    labels: np.ndarray          # cluster per table row
    embeddings: np.ndarray      # one row per trained row
    trained_index: np.ndarray   # table positions of the trained rows
    result: Tab2OntoResult


def tab2onto(table: pd.DataFrame, spec: DatasetSpec, config: EmbeddingConfig,
             reference_column: str = "") -> Tab2OntoRun:
    """Embed the rows, cluster the embeddings, and score the clusters against a reference.

    Rows beyond
    ``max_rows`` are not trained on; they join the cluster of their nearest trained row in the
    standardised feature space.
    """
    config.validate()
    if reference_column and reference_column not in table:
        raise DaikiriError(f"reference column '{reference_column}' is not in the table; "
                           f"columns are {list(table.columns)}")
    rng = np.random.default_rng(config.seed)
    sample = (np.arange(len(table)) if len(table) <= config.max_rows
              else np.sort(rng.choice(len(table), size=config.max_rows, replace=False)))
    trained = table.iloc[sample].reset_index(drop=True)
    embeddings, stats = train_row_embeddings(trained, spec, config)
    # the embeddings' coordinates share one scale: clustered as they are, not standardised
    clustering = ClusteringConfig(k_min=config.k_min, k_max=min(config.k_max, len(trained) - 1),
                                  seed=config.seed, standardise=False)
    sample_labels, metrics = cluster_features(pd.DataFrame(embeddings), clustering)
    labels = np.empty(len(table), dtype=np.int64)
    labels[sample] = sample_labels
    if len(sample) < len(table):
        features = StandardScaler().fit_transform(table[spec.feature_columns].to_numpy())
        rest = np.setdiff1d(np.arange(len(table)), sample)
        knn = KNeighborsClassifier(n_neighbors=1).fit(features[sample], sample_labels)
        labels[rest] = knn.predict(features[rest])
    vocab = vocabulary(spec, {})
    result = Tab2OntoResult(
        model=config.model, trained_rows=len(trained), triples=int(stats["triples"]),
        entities=int(stats["entities"]), final_loss=round(stats["final_loss"], 6),
        train_seconds=round(stats["seconds"], 3), clusters=metrics,
        cluster_classes={str(k): vocab.cluster_class(config.cluster_prefix, int(k))
                         for k in np.unique(labels)})
    if reference_column:
        reference = table[reference_column].astype(str).to_numpy()
        result.reference_column = reference_column
        result.purity = round(purity(labels, reference), 4)
        result.adjusted_rand = round(float(adjusted_rand_score(reference, labels)), 4)
        log.info("Tab2Onto clusters vs '%s': purity %.3f, adjusted Rand %.3f", reference_column,
                 result.purity, result.adjusted_rand)
    return Tab2OntoRun(labels=labels, embeddings=embeddings, trained_index=sample,
                       result=result)


def purity(labels: np.ndarray, reference: np.ndarray) -> float:
    """Share of rows whose cluster's majority reference value is their own."""
    frame = pd.DataFrame({"cluster": labels, "reference": reference})
    majority = frame.groupby("cluster")["reference"].agg(lambda s: s.value_counts().iloc[0])
    return float(majority.sum() / len(frame))


def write_cluster_classes(path: str | Path, table: pd.DataFrame, labels: np.ndarray,
                          spec: DatasetSpec, result: Tab2OntoResult,
                          names: dict[str, str] | None = None) -> int:
    """Write the clusters as OWL classes with members (Turtle); return the triple count.

    ``names`` optionally maps a cluster number to a human name, which becomes its rdfs:label.
    """
    vocab = vocabulary(spec, {})
    names = names or {}
    lines = [f"@prefix rdf: <{RDF}> .", f"@prefix rdfs: <{RDFS}> .", f"@prefix owl: <{OWL}> .",
             f"@prefix dk: <{DK}> .", ""]
    triples = 0
    for cluster, iri in result.cluster_classes.items():
        size = int((labels == int(cluster)).sum())
        label = names.get(cluster) or f"cluster {cluster}"
        lines += [f"<{iri}> a owl:Class ;", f"    rdfs:subClassOf <{vocab.entity}> ;",
                  f"    rdfs:label {_turtle_string(label)}@en ;",
                  f'    dk:clusterSize {size} ;',
                  f"    dk:embeddingModel {_turtle_string(result.model)} .", ""]
        triples += 5
    for row_id, cluster in zip(table[spec.id_column].tolist(), labels.tolist(), strict=True):
        lines.append(f"<{vocab.individual(row_id)}> a <{result.cluster_classes[str(cluster)]}> .")
        triples += 1
    Path(path).write_text("\n".join(lines) + "\n", encoding="utf-8")
    return triples


def _turtle_string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"'
