"""Flyte tasks: build the knowledge graph, then KG embeddings and Tab2Onto cluster classes."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd
from flytekit import Cache, Deck, task
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

from daikiri.embeddings import EmbeddingConfig, Tab2OntoResult, tab2onto, write_cluster_classes
from daikiri.kg.build import KGConfig, build_knowledge_graph
from daikiri.kg.manifest import KGManifest
from daikiri.plots import projection_plot, table_to_html
from daikiri.spec import DatasetSpec
from daikiri.storage import StoredPath
from tasks.common import DECK_FIELDS, LARGE, LONG, MEDIUM, configure_logging, work_dir, writing
from tasks.versions import code_version

#: Cached results stay valid while this module and what it imports are unchanged.
CACHE = Cache(version=code_version(__name__))


class KnowledgeGraph(NamedTuple):
    kg: FlyteDirectory
    manifest: KGManifest



@task(timeout=LONG, requests=MEDIUM, limits=MEDIUM, enable_deck=True,
      deck_fields=DECK_FIELDS, cache=CACHE, retries=1)
def build_kg(table: pd.DataFrame, spec: DatasetSpec, quantile_bins: int = 0,
             include_labels: bool = True, chunk_rows: int = 50_000) -> KnowledgeGraph:
    """Turn the validated table into an OWL knowledge graph (a folder of files).

    The folder holds the TBox (``tbox.ttl``, ``tbox.owl``), the ABox streamed as N-Triples
    (``abox/part-*.nt``), the label assertions apart (``labels/part-*.nt``) so a learner can
    explain a label without seeing it, one combined ``kg.ttl`` for small tables and
    ``manifest.json``. ``quantile_bins`` > 1 adds "low / medium / high ..." classes per feature.
    """
    configure_logging()
    out = work_dir("kg")
    config = KGConfig(include_labels=include_labels, quantile_bins=quantile_bins,
                      chunk_rows=chunk_rows)
    with writing("knowledge graph", out):
        manifest = build_knowledge_graph(table, spec, out, config)
    kg_deck(manifest, out, spec)
    return KnowledgeGraph(kg=FlyteDirectory(str(out)), manifest=manifest)


def kg_deck(manifest: KGManifest, out: Path | StoredPath, spec: DatasetSpec) -> None:
    """The Deck of a knowledge-graph build: counts and files (either engine)."""
    stats = pd.DataFrame({
        "what": ["individuals", "classes", "data properties", "TBox triples", "ABox triples",
                 "label triples", "seconds"],
        "count": [manifest.individuals, manifest.classes, manifest.data_properties,
                  manifest.tbox_triples, manifest.abox_triples, manifest.label_triples,
                  manifest.seconds]})
    files = pd.DataFrame({"file": manifest.files,
                          "bytes": [(out / f).stat().st_size for f in manifest.files]})
    Deck("Knowledge graph", table_to_html(stats, f"Knowledge graph of {spec.name}")
         + table_to_html(files, "Files"))


class Tab2OntoOutputs(NamedTuple):
    cluster_classes: FlyteFile
    result: Tab2OntoResult
    assignments: pd.DataFrame


@task(timeout=LONG, requests=LARGE, limits=LARGE, enable_deck=True,
      deck_fields=DECK_FIELDS, cache=CACHE, retries=1)
def embed_and_classify(table: pd.DataFrame, spec: DatasetSpec, model: str = "DistMult",
                       dimension: int = 32, epochs: int = 30, value_bins: int = 10,
                       max_rows: int = 20_000, seed: int = 42,
                       reference_column: str = "") -> Tab2OntoOutputs:
    """Tab2Onto: train KG embeddings (PyKEEN), cluster the rows' embeddings, write classes.

    The clusters become OWL classes ``Cluster_k`` (label "cluster k" until a person names
    them) with their members, in a Turtle file that extends the knowledge graph. With a
    ``reference_column`` (a label or categorical column) purity and adjusted Rand index say
    how well the clusters match it.
    """
    configure_logging()
    config = EmbeddingConfig(model=model, dimension=dimension, epochs=epochs,
                             value_bins=value_bins, max_rows=max_rows, seed=seed)
    run = tab2onto(table, spec, config, reference_column)
    labels, result = run.labels, run.result
    path = work_dir("tab2onto") / "clusters.ttl"
    write_cluster_classes(path, table, labels, spec, result)
    body = projection_plot(run.embeddings, labels[run.trained_index],
                           f"{model} row embeddings, PCA projection", seed=seed)
    summary = pd.DataFrame({"measure": ["model", "trained rows", "triples", "entities",
                                        "final loss", "training seconds", "clusters",
                                        "purity", "adjusted Rand"],
                            "value": [result.model, result.trained_rows, result.triples,
                                      result.entities, result.final_loss, result.train_seconds,
                                      result.clusters.n_clusters, result.purity,
                                      result.adjusted_rand]})
    body += table_to_html(summary, "Tab2Onto")
    if reference_column:
        crosstab = pd.crosstab(labels, table[reference_column].astype(str))
        body += table_to_html(crosstab.reset_index().rename(columns={"row_0": "cluster"}),
                              f"Clusters vs {reference_column}")
    Deck("Tab2Onto", body)
    assignments = pd.DataFrame({spec.id_column: table[spec.id_column].to_numpy(),
                                "cluster": labels})
    return Tab2OntoOutputs(cluster_classes=FlyteFile(str(path)), result=result,
                           assignments=assignments)

