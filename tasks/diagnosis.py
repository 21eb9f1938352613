"""Flyte tasks of the diagnose workflow: problems, the learner fan-out, verbalization, report."""

from __future__ import annotations

import json
from functools import partial
from pathlib import Path
from typing import NamedTuple

import pandas as pd
from flytekit import Cache, Deck, dynamic, map_task, task
from flytekit.core.promise import Promise
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

from daikiri.clustering import ClusterMetrics
from daikiri.diagnosis import (
    DiagnosisSummary,
    Explanation,
    diagnosis_problems,
    explanation_table,
    explanations,
    headline,
    is_judged,
    model_problems,
    parse_cluster_names,
    truth_scores,
)
from daikiri.embeddings import Tab2OntoResult
from daikiri.ingest import IngestSummary
from daikiri.kg.lexicon import lexicon_from_spec
from daikiri.kg.manifest import KGManifest
from daikiri.kg.naming import categories_of
from daikiri.learner import read_results
from daikiri.model import ModelReport
from daikiri.params import DiagnoseParams
from daikiri.plots import table_to_html
from daikiri.provenance import code_version as source_version
from daikiri.provenance import (
    file_hash,
    frame_hash,
    now,
    path_hash,
    spec_hash,
)
from daikiri.report import ReportData, diagnosis_page, stamped
from daikiri.spec import DatasetSpec
from daikiri.verbalize import Lexicon
from tasks.common import DECK_FIELDS, SHORT, SMALL, work_dir
from tasks.fanout import fan_out_batched, local_value
from tasks.learner import learn_class_expressions, merge_problem_files, split_results
from tasks.versions import LEARNER_SOURCES, code_version

#: Cached results stay valid while this module and what it imports are unchanged.
CACHE = Cache(version=code_version(__name__))


@task(timeout=SHORT, requests=SMALL, limits=SMALL, cache=CACHE)
def pose_problems(table: pd.DataFrame, spec: DatasetSpec, labels: list[str],
                  clusters: pd.DataFrame, predictions: pd.DataFrame,
                  explain_clusters: bool = True, explain_model: bool = True) -> list[FlyteFile]:
    """One learner problem file per label to explain and, optionally, per operating regime
    and per label as the fault model predicts it (on held-out rows)."""
    problems = diagnosis_problems(table, spec, labels, clusters if explain_clusters else None)
    if explain_model:
        problems += model_problems(predictions, spec, labels)
    folder = work_dir("problems")
    files = []
    for index, problem in enumerate(problems):
        path = folder / f"{index:03d}.json"
        path.write_text(json.dumps([problem.to_json()]), encoding="utf-8")
        files.append(FlyteFile(str(path)))
    return files


@dynamic(timeout=SHORT, requests=SMALL, limits=SMALL,
         cache=Cache(version=code_version(__name__, LEARNER_SOURCES)))
def learn_in_parallel(kg: FlyteDirectory, problems: list[FlyteFile], max_runtime: float,
                      max_length: int, noise: float, seed: int) -> list[FlyteFile]:
    """Fan out: one learner ContainerTask per problem, side by side on a cluster. In a local
    run the problems go in one batch (``tasks.fanout.fan_out_batched``): one learner JVM that
    loads the knowledge graph once and solves the problems on a thread per core (one JVM per
    core held the graph once per core: 5.0 vs 4.2 GiB at 1,000,000 rows before the heap bound,
    about as fast); the result is one file per problem either way.

    (``map_task`` does not accept ContainerTasks, so the fan-out is a dynamic workflow.)
    """
    return fan_out_batched(
        lambda p: learn_class_expressions(kg=kg, problems=p, max_runtime=max_runtime,
                                          max_length=max_length, noise=noise,
                                          seed=seed).results,
        problems, merge=merge_problem_files,
        split=lambda results, count: split_results(local_value(results, FlyteFile), count),
        batches=1)


@task(timeout=SHORT, requests=SMALL, limits=SMALL, cache=CACHE)
def make_lexicon(spec: DatasetSpec, table: pd.DataFrame) -> Lexicon:
    """The words of the explanations: labels and units of the knowledge graph's classes and
    properties, from the spec and the table's categories (the same the TBox holds), made
    once so each mapped verbalization task needs only its own learner result."""
    return lexicon_from_spec(spec, categories_of(table, spec))


@task(timeout=SHORT, requests=SMALL, limits=SMALL, cache=CACHE)
def verbalize_one(results: FlyteFile, spec: DatasetSpec, lexicon: Lexicon,
                  cluster_names: str = "") -> list[Explanation]:
    """Turn one learner result's best class expression into an English definition.

    Mapped over the learner results (``map_task``), so on a cluster the problems are
    verbalized side by side. Names a person gave the regimes ("0=idle; 1=high load") are
    used.
    """
    return explanations(read_results(results.download()), spec, lexicon,
                        parse_cluster_names(cluster_names))


class Verbalized(NamedTuple):
    explanations: list[Explanation]
    table: pd.DataFrame


@task(timeout=SHORT, requests=SMALL, limits=SMALL, enable_deck=True,
      deck_fields=DECK_FIELDS, cache=CACHE)
def collect_explanations(batches: list[list[Explanation]], spec: DatasetSpec,
                         table: pd.DataFrame, predictions: pd.DataFrame) -> Verbalized:
    """All verbalized explanations in one table (Deck).

    Explanations of the model's predictions get their F1 against the true labels on the
    same held-out rows (their F1 against the predictions is the model's fidelity).
    """
    items = [item for batch in batches for item in batch]
    truth_scores(items, table, predictions, spec)
    frame = explanation_table(items)
    Deck("Explanations", table_to_html(frame, "Learned explanations"))
    return Verbalized(explanations=items, table=frame)


def verbalize_results(results: list[Promise], spec: Promise, table: Promise,
                      predictions: Promise, cluster_names: Promise | str = "") -> Promise:
    """Workflow fragment: the lexicon, ``verbalize_one`` mapped over the results, then
    collected."""
    lexicon = make_lexicon(spec=spec, table=table)
    verbalize = map_task(partial(verbalize_one, spec=spec, lexicon=lexicon,
                                 cluster_names=cluster_names))
    return collect_explanations(batches=verbalize(results=results), spec=spec, table=table,
                                predictions=predictions)


class RenderedReport(NamedTuple):
    summary: DiagnosisSummary
    page: FlyteFile


@task(timeout=SHORT, requests=SMALL, limits=SMALL, cache=CACHE)
def render_report(spec: DatasetSpec, ingest_summary: IngestSummary, metrics: ClusterMetrics,
                  profile: pd.DataFrame, assignments: pd.DataFrame, manifest: KGManifest,
                  tab2onto: Tab2OntoResult, model_report: ModelReport,
                  predictions: pd.DataFrame, items: list[Explanation], table: pd.DataFrame,
                  params: DiagnoseParams, kg: FlyteDirectory, model: FlyteFile,
                  cluster_names: str = "") -> RenderedReport:
    """The diagnosis as one self-contained HTML page (explanations first, then plots of the
    regimes, the fault model and each explanation's coverage, the regime profiles, and a
    footer with the parameters and content hashes) and a typed summary.

    Explanations from fewer than 10 positive examples are listed apart and not counted as
    explained. Cached: a rerun of the same diagnosis reuses the page (drawing its plots is
    most of a cached rerun's time otherwise); ``write_report`` dates it."""
    judged = [e for e in items if is_judged(e)]
    summary = DiagnosisSummary(headline=headline(items), explained=len(judged),
                               problems=len(items), clusters=metrics.n_clusters,
                               warnings=list(metrics.warnings))
    footer = {"parameters": ", ".join(f"{k}={v}" for k, v in params.as_text().items()),
              "sha256 of the clean table": frame_hash(table),
              "sha256 of the spec": spec_hash(spec),
              "sha256 of the knowledge graph": path_hash(kg.download()),
              "sha256 of the model": file_hash(model.download())}
    page = diagnosis_page(ReportData(spec=spec, summary=summary, items=items,
                                     ingest=ingest_summary, metrics=metrics, profile=profile,
                                     manifest=manifest, tab2onto=tab2onto, model=model_report,
                                     predictions=predictions, table=table,
                                     assignments=assignments, footer=footer, seed=params.seed),
                          parse_cluster_names(cluster_names))
    path = work_dir("report") / "page.html"
    path.write_text(page, encoding="utf-8")
    return RenderedReport(summary=summary, page=FlyteFile(str(path)))


class Report(NamedTuple):
    summary: DiagnosisSummary
    report: FlyteFile


@task(timeout=SHORT, requests=SMALL, limits=SMALL, enable_deck=True, deck_fields=DECK_FIELDS)
def write_report(summary: DiagnosisSummary, page: FlyteFile) -> Report:
    """The diagnosis report of this run: the rendered page with the date and the code version
    first in its footer, also shown as a Deck. Never cached: every run gets its own dated
    page, even when everything before it came from the cache."""
    stamp = {"created": now(), "code version": source_version()}
    text = stamped(Path(page.download()).read_text(encoding="utf-8"), stamp)
    path = work_dir("report") / "diagnosis.html"
    path.write_text(text, encoding="utf-8")
    Deck("Diagnosis", text)
    return Report(summary=summary, report=FlyteFile(str(path)))
