"""The Java learner as a Flyte ContainerTask, and the Python tasks around it."""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
import threading
from datetime import timedelta
from pathlib import Path, PurePosixPath
from typing import Any, NamedTuple

import pandas as pd
from flytekit import Deck, Resources, TaskMetadata, kwtypes, task
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

from daikiri.learner import (
    LearnerError,
    LearnerResult,
    class_archive,
    json_items,
    jvm_options,
    learner_jar,
    local_env,
    read_results,
)
from daikiri.params import check_labels
from daikiri.plots import table_to_html
from daikiri.problems import problems_from_flags, problems_json
from daikiri.spec import DatasetSpec
from tasks.common import DECK_FIELDS, SHORT, SMALL, work_dir
from tasks.container import container_component
from tasks.fanout import local_parallelism
from tasks.versions import IMAGE_SOURCES, LEARNER_SOURCES, code_version

#: Image of the Java ContainerTasks (JRE + learner jar): flytekit's named image "learner",
#: filled in at registration with ``--image learner=<registry>/daikiri-learner:<version>``.
LEARNER_IMAGE = os.environ.get("DAIKIRI_LEARNER_IMAGE", "learner")
#: Where the jar lives inside that image (see the Dockerfile).
JAR_IN_IMAGE = "/opt/daikiri/learner.jar"
#: Its class-data-sharing archive, recorded in the image beside the jar.
ARCHIVE_IN_IMAGE = str(class_archive(PurePosixPath(JAR_IN_IMAGE)))
LEARNER_RESOURCES = Resources(cpu="2", mem="8Gi")

learn_class_expressions = container_component(
    name="daikiri.learner.learn",
    image=LEARNER_IMAGE,
    inputs=kwtypes(kg=FlyteDirectory, problems=FlyteFile, max_runtime=float, max_length=int,
                   noise=float, seed=int),
    outputs=kwtypes(results=FlyteFile, explained=int, problems=int),
    command=["java", *jvm_options(PurePosixPath(JAR_IN_IMAGE)), "-jar", JAR_IN_IMAGE, "learn",
             "--kg", "/var/inputs/kg", "--problem", "/var/inputs/problems",
             "--out", "/var/outputs/results", "--summary-dir", "/var/outputs",
             "--max-runtime", "{{.inputs.max_runtime}}", "--max-length", "{{.inputs.max_length}}",
             "--noise", "{{.inputs.noise}}", "--seed", "{{.inputs.seed}}"],
    requests=LEARNER_RESOURCES,
    limits=LEARNER_RESOURCES,
    # cached per call (one problem on a cluster, a batch of problems in a local run): a rerun
    # after a learner failed recomputes only what that learner was given
    metadata=TaskMetadata(retries=2, timeout=timedelta(hours=2), cache=True,
                          cache_version=code_version(__name__, LEARNER_SOURCES)),
    host_paths={JAR_IN_IMAGE: lambda: str(learner_jar()),
                ARCHIVE_IN_IMAGE: lambda: str(class_archive(learner_jar()))},
    describe=lambda inputs: problem_names(inputs["problems"]),
    local_env=lambda inputs: local_env(inputs["kg"].path, local_parallelism()),
    sources=IMAGE_SOURCES["learner"],
)


def problem_names(problems: FlyteFile) -> str:
    """The problems of a learner run, for its failure message (``problem 'label:hdf'``)."""
    try:
        names = [p["name"] for p in json_items(problems.download())]
    except (OSError, ValueError, KeyError, TypeError):
        return "problems file unreadable"
    shown = ", ".join(f"'{n}'" for n in names[:3]) + (" ..." if len(names) > 3 else "")
    return f"problem {shown}" if len(names) == 1 else f"problems {shown}"


def merge_problem_files(files: list[FlyteFile]) -> FlyteFile:
    """One problem file with the problems of ``files``, in order: a batch for one learner
    JVM. Its path is named by its content, so a rerun passes the learner the same file (and
    finds its result in flytekit's local cache: a local file's path is its cache key)."""
    problems: list[Any] = []
    for file in files:
        problems += json_items(file.download())
    text = json.dumps(problems)
    folder = Path(tempfile.gettempdir()) / "daikiri-problem-batches"
    folder.mkdir(exist_ok=True)
    path = folder / f"{hashlib.sha256(text.encode('utf-8')).hexdigest()[:32]}.json"
    if not path.exists():
        partial = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.part")
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    return FlyteFile(str(path))


def split_results(results: FlyteFile, count: int) -> list[FlyteFile]:
    """A batch's result file as one result file per problem, in the batch's order."""
    items = json_items(results.download())
    if len(items) != count:
        raise LearnerError(f"the learner answered {len(items)} of a batch's {count} problems "
                           f"({results.path})")
    folder = work_dir("results")
    files = []
    for index, item in enumerate(items):
        path = folder / f"{index:03d}.json"
        path.write_text(json.dumps([item]), encoding="utf-8")
        files.append(FlyteFile(str(path)))
    return files


@task(timeout=SHORT, requests=SMALL, limits=SMALL)
def label_problems(table: pd.DataFrame, spec: DatasetSpec, columns: list[str]) -> FlyteFile:
    """Learning problems from 0/1 columns: positives are the rows with 1, negatives the rest.

    Empty ``columns`` means every label column of the spec. The file is the learner's
    problem JSON (a list), with the knowledge graph's individual IRIs.
    """
    check_labels(columns, spec, name="columns")
    chosen = columns or spec.all_label_columns
    problems = problems_from_flags(table, spec, chosen)
    path = work_dir("problems") / "problems.json"
    path.write_text(json.dumps(problems_json(problems)), encoding="utf-8")
    return FlyteFile(str(path))


class Explanations(NamedTuple):
    results: list[LearnerResult]
    table: pd.DataFrame


@task(timeout=SHORT, requests=SMALL, limits=SMALL, enable_deck=True, deck_fields=DECK_FIELDS)
def read_learner_results(results: FlyteFile) -> Explanations:
    """Turn the learner's results JSON into typed results and a table, shown in a Deck."""
    parsed = read_results(results.download())
    rows = []
    for r in parsed:
        best = r.best
        rows.append({"problem": r.problem, "explainable": r.explainable,
                     "expression (DL)": best.dl if best else "",
                     "F1": round(best.f1, 4) if best else 0.0,
                     "validation F1": round(r.validation_f1, 4),
                     "precision": round(best.precision, 4) if best else 0.0,
                     "recall": round(best.recall, 4) if best else 0.0,
                     "strategy": r.strategy, "stopped": r.stop_reason,
                     "expressions tested": r.expressions_tested,
                     "seconds": round(r.search_seconds, 2)})
    table = pd.DataFrame(rows)
    Deck("Learned class expressions", table_to_html(table, "Best hypothesis per problem"))
    return Explanations(results=parsed, table=table)
