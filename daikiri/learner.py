"""Python side of the Java class-expression learner: problems in, typed results out.

``run_learner`` runs the learner jar on learning problems (``daikiri.problems``) as a real Java
process (no Flyte needed); ``read_results`` turns its results JSON into dataclasses, checking
each expression's AST once at this boundary (``daikiri.concepts``). The AST is kept as JSON
text in the dataclasses (they cross Flyte tasks) and parsed by ``Hypothesis.expression``, so
Python never parses DL strings.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from daikiri.concepts import Concept, concept, concept_from_json
from daikiri.errors import DaikiriError
from daikiri.kg.manifest import read_manifest
from daikiri.problems import LearningProblem, ProblemKind

log = logging.getLogger(__name__)
ROOT = Path(__file__).resolve().parents[1]
JAR_ENV = "DAIKIRI_LEARNER_JAR"


class LearnerError(DaikiriError):
    """The Java learner failed; the message carries its one-line reason from stderr."""


@dataclass
class Hypothesis:
    """One learned class expression with its quality on the problem's examples."""

    ast_json: str
    dl: str
    manchester: str
    length: int
    accuracy: float
    precision: float
    recall: float
    f1: float
    covered_positives: int
    covered_negatives: int

    @property
    def expression(self) -> Concept:
        return concept_from_json(self.ast_json)


@dataclass
class LearnerResult:
    """Hypotheses for one problem (best first) and the run's statistics."""

    #: the problem's id (``label:hdf``), kind and target, as posed (``daikiri.problems``)
    problem: str
    kind: ProblemKind = ProblemKind.LABEL
    target: str = ""
    title: str = ""
    hypotheses: list[Hypothesis] = field(default_factory=list)
    explainable: bool = False
    validation_f1: float = -1.0
    strategy: str = ""
    expressions_tested: int = 0
    search_seconds: float = 0.0
    #: Why the search ended: "target reached", "no improvement" (``--patience``), "search space
    #: exhausted" or "time limit".
    stop_reason: str = ""
    #: Loading the knowledge base (once per learner run, so shared by its problems).
    load_seconds: float = 0.0
    #: Which reader read the TBox: "n-triples" (built in, no OWL API start-up) or "owl api".
    tbox_reader: str = ""
    positives: int = 0
    negatives: int = 0

    @property
    def best(self) -> Hypothesis | None:
        return self.hypotheses[0] if self.hypotheses else None


def learner_jar() -> Path:
    """The learner's runnable jar: ``$DAIKIRI_LEARNER_JAR`` or the local Maven build."""
    configured = os.environ.get(JAR_ENV)
    jar = Path(configured) if configured else (
        ROOT / "java_tasks" / "target" / "daikiri-learner-0.1.0-all.jar")
    if not jar.is_file():
        raise LearnerError(f"learner jar '{jar}' not found; build it with "
                           "`bash java_tasks/build.sh` (or set DAIKIRI_LEARNER_JAR)")
    return jar


def class_archive(jar: PurePath) -> PurePath:
    """The jar's class-data-sharing archive (``X.jar`` -> ``X.jsa``), recorded beside it by
    ``java_tasks/class-archive.sh`` after every build and in every image."""
    return jar.with_suffix(".jsa")


#: The learner's garbage collector, everywhere (cluster, Docker, host), and the one its
#: class-data-sharing archive is recorded under (``java_tasks/class-archive.sh`` passes the
#: same option). On 2 cores the serial collector leaves both cores to the searches: 1,000,000
#: rows 96.8 s vs 104.6 s with the JVM's default (G1), a third of its memory. An archive
#: recorded under G1 slowed the serial-collector learner by a third (the default data's 12
#: problems: CPU 15.5 s instead of 11.0 s, wall 9.6 s instead of 7.0 s, median of 3).
LEARNER_GC = "-XX:+UseSerialGC"


def jvm_options(jar: PurePath) -> list[str]:
    """The learner JVM's options, the same for the ContainerTask and ``run_learner``: its heap
    bound, three quarters of the memory the JVM sees (a cluster task's 8Gi limit: 6 GiB; a
    local run sets its own, :func:`local_jvm_options`, which takes precedence), its collector
    (:data:`LEARNER_GC`), and the jar's class-data-sharing archive, which shortens a learner
    process's start-up (the JVM ignores a missing or stale archive, so an unarchived build
    still runs)."""
    return ["-XX:MaxRAMPercentage=75", LEARNER_GC, f"-XX:SharedArchiveFile={class_archive(jar)}"]


#: The largest knowledge graph (triples) whose local learner runs on the client compiler
#: alone. Its searches (one thread per core) are short and the optimising compiler would take
#: a core from them; on a larger graph the search evaluates expressions over hundreds of
#: thousands of individuals and the KB load parses millions of triples, and code compiled by
#: the client compiler alone is too slow for that. ``bench/learner_side_by_side.py`` (six label
#: problems on 2 cores, graph load included): 10,000 rows (0.11 M triples), one JVM on two
#: threads, C1 + serial GC 11.1 s vs serial GC 13.6 s, the same expressions; measured in the
#: earlier layout (a JVM per problem, two at a time), 100,000 rows (1.1 M) serial 37.9 s, the
#: same expressions as the defaults (C1 ends some searches elsewhere), and 1,000,000 rows
#: (11 M) serial 96.8 s vs C1 + serial 167.0 s.
C1_ONLY_MAX_TRIPLES = 500_000
#: A local learner's heap: a base plus so much per triple of its graph (at most
#: ``LOCAL_HEAP_MAX_MIB``). The graph and two searches' retrieval caches at 1,000,000 rows
#: (11 M triples) hold 1.13 GiB after a full collection; without a bound the serial collector
#: let the heap grow to 4.2 GiB of resident memory; 3 GiB costs a few collections more.
LOCAL_HEAP_BASE_MIB = 1_536
LOCAL_HEAP_BYTES_PER_TRIPLE = 150
LOCAL_HEAP_MAX_MIB = 6_144


def local_heap_mib(triples: int) -> int:
    """The heap bound (MiB) of a local learner on a graph of ``triples``."""
    return min(LOCAL_HEAP_MAX_MIB,
               LOCAL_HEAP_BASE_MIB + triples * LOCAL_HEAP_BYTES_PER_TRIPLE // 2**20)


def local_jvm_options(triples: int | None, processors: int | None = None) -> tuple[str, ...]:
    """JVM options for a learner run locally on a knowledge graph of ``triples`` (None: not
    known), sharing the machine with the Python process that started it, beside
    :func:`jvm_options` (the serial collector among them): on a graph of known size, the client
    compiler only when it is small (``C1_ONLY_MAX_TRIPLES``) and a heap bound by its size
    (:func:`local_heap_mib`); when given, the processors the JVM may use (its default thread
    count: one search each)."""
    options: list[str] = []
    if triples is not None:
        options.append(f"-Xmx{local_heap_mib(triples)}m")
        if triples <= C1_ONLY_MAX_TRIPLES:
            options.insert(0, "-XX:TieredStopAtLevel=1")
    if processors is not None:
        options.append(f"-XX:ActiveProcessorCount={processors}")
    return tuple(options)


def local_env(kg_dir: str | Path, processors: int | None = None) -> dict[str, str]:
    """:func:`local_jvm_options` for the knowledge graph in ``kg_dir`` (its manifest's triple
    count, when it has one), as the environment of a learner process: the java launcher reads
    ``JDK_JAVA_OPTIONS`` and says so on stderr (none when there is nothing to add)."""
    triples: int | None
    try:
        triples = read_manifest(kg_dir).triples
    except (OSError, ValueError, TypeError):  # the learner itself says what is wrong with it
        triples = None
    options = local_jvm_options(triples, processors)
    return {"JDK_JAVA_OPTIONS": " ".join(options)} if options else {}


def learner_command(jar: Path, kg_dir: Path, problems: Path, out: Path, max_runtime: float,
                    max_length: int, noise: float, seed: int,
                    summary_dir: Path | None = None, threads: int | None = None) -> list[str]:
    """The ``learn`` command line; ``threads`` searches side by side (None: the learner's
    default, one per processor the JVM sees)."""
    command = ["java", *jvm_options(jar), "-jar", str(jar), "learn", "--kg", str(kg_dir),
               "--problem", str(problems), "--out", str(out), "--max-runtime", str(max_runtime),
               "--max-length", str(max_length), "--noise", str(noise), "--seed", str(seed)]
    if summary_dir is not None:
        command += ["--summary-dir", str(summary_dir)]
    if threads is not None:
        command += ["--threads", str(threads)]
    return command


def run_learner(kg_dir: str | Path, problems: Sequence[LearningProblem | Mapping[str, Any]],
                work_dir: str | Path,
                max_runtime: float = 10.0, max_length: int = 12, noise: float = 5.0,
                seed: int = 1, env: Mapping[str, str] | None = None,
                threads: int | None = None) -> list[LearnerResult]:
    """Run the learner jar on a knowledge-graph folder; raise LearnerError on failure.

    ``problems`` are typed problems or the learner's problem JSON as mappings (problems posed
    by another tool, e.g. the family benchmark); ``env`` is added to the JVM's environment
    (:func:`local_env` for a lean local learner); ``threads`` as in :func:`learner_command`."""
    work = Path(work_dir)
    work.mkdir(parents=True, exist_ok=True)
    problem_file = work / "problems.json"
    problem_file.write_text(json.dumps([p.to_json() if isinstance(p, LearningProblem)
                                        else dict(p) for p in problems]), encoding="utf-8")
    out = work / "results.json"
    command = learner_command(learner_jar(), Path(kg_dir), problem_file, out, max_runtime,
                              max_length, noise, seed, threads=threads)
    log.info("running the learner on %d problem(s): %s", len(problems), " ".join(command[:6]))
    done = subprocess.run(command, capture_output=True, text=True,
                          env={**os.environ, **env} if env else None)
    for line in done.stderr.splitlines():
        if line.startswith("[learner"):
            log.info(line)
    if done.returncode != 0:
        raise LearnerError(f"the learner exited with status {done.returncode}: "
                           f"{_reason(done.stderr)}")
    return read_results(out)


def _reason(stderr: str) -> str:
    lines = [line for line in stderr.strip().splitlines() if not line.startswith("[learner")]
    return lines[-1] if lines else "(no message on stderr)"


#: The result file layout this reader knows (``java_tasks/src/main/resources/schema``).
RESULT_SCHEMA_VERSION = 1
SCHEMA_DIR = ROOT / "java_tasks" / "src" / "main" / "resources" / "schema"


def json_items(path: str | Path) -> list[Any]:
    """The objects of a learner JSON file, problems or results: a list, or one object alone
    (the learner reads and writes both)."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    return data if isinstance(data, list) else [data]


def read_results(path: str | Path) -> list[LearnerResult]:
    """Parse the learner's results JSON (one result or a list) into dataclasses."""
    results = []
    for item in json_items(path):
        version = item.get("schema_version", RESULT_SCHEMA_VERSION)
        if not isinstance(version, int) or version > RESULT_SCHEMA_VERSION:
            raise LearnerError(f"'{path}' is a result file of layout version {version}; this "
                               f"reader knows version {RESULT_SCHEMA_VERSION} (a newer learner "
                               "wrote it: update the daikiri package)")
        stats = item.get("stats", {})
        hypotheses = [Hypothesis(
            ast_json=checked_ast(h["ast"], item["problem"]), dl=h["dl"], manchester=h["manchester"],
            length=int(h["length"]), accuracy=float(h["accuracy"]),
            precision=float(h["precision"]), recall=float(h["recall"]), f1=float(h["f1"]),
            covered_positives=int(h["covered_positives"]),
            covered_negatives=int(h["covered_negatives"])) for h in item["hypotheses"]]
        validation = stats.get("validation_f1")
        results.append(LearnerResult(
            problem=item["problem"], kind=ProblemKind(item.get("kind", "label")),
            target=str(item.get("target", item["problem"])),
            title=str(item.get("title", item.get("target", item["problem"]))),
            hypotheses=hypotheses,
            explainable=bool(stats.get("explainable", False)),
            validation_f1=-1.0 if validation is None else float(validation),
            strategy=str(stats.get("strategy", "")),
            expressions_tested=int(stats.get("expressions_tested", 0)),
            search_seconds=float(stats.get("search_seconds", 0.0)),
            stop_reason=str(stats.get("stop_reason", "")),
            load_seconds=float(stats.get("load_seconds", 0.0)),
            tbox_reader=str(stats.get("tbox_reader", "")),
            positives=int(stats.get("positives", 0)), negatives=int(stats.get("negatives", 0))))
    return results


def checked_ast(ast: Any, problem: str) -> str:
    """The AST as JSON text, after checking it parses into the typed model (a malformed
    result fails here, naming the problem, not later in a consumer)."""
    text = json.dumps(ast)
    try:
        concept_from_json(text)
    except DaikiriError as exc:
        raise LearnerError(f"the learner's result for problem '{problem}' holds an invalid "
                           f"expression: {exc}") from None
    return text


def parse_expression(text: str, tbox: str | Path, syntax: str = "manchester") -> Concept:
    """Read a class expression written by another tool (Manchester or DL syntax) into a typed
    expression, through the jar's ``parse`` subcommand (the OWL API's parser), so it
    can be verbalized or published like a learned one."""
    done = subprocess.run(["java", "-jar", str(learner_jar()), "parse", "--tbox", str(tbox),
                           "--syntax", syntax, "--expression", text],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise LearnerError(_reason(done.stderr))
    return concept(json.loads(done.stdout)["ast"])
