"""Benchmark: one learner JVM solving problems side by side on a thread per core (as a local
``diagnose`` runs it) under each JVM option set, by graph size. It decides
``daikiri.learner.local_jvm_options``: from which graph size the client compiler alone stops
paying. Every learner runs on the serial collector (``daikiri.learner.LEARNER_GC``, part of the
command): the option sets differ in the compiler only. (Until the sixth session they also
compared collectors; those rows of ``bench/RESULTS.md`` were measured with a class-data-sharing
archive recorded under G1, which slowed every serial-collector variant.)

    python -m bench.learner_side_by_side --rows 10000 100000 --repeat 3
    python -m bench.learner_side_by_side --rows 1000000 --repeat 1   # keeps the rows above

Each measurement runs the six label problems of the default data in one learner process,
``--threads`` searches at a time, and times the process (graph loading included: it is what a
user waits for). The heap is the JVM's default bound in every set, so that only the compiler
and the collector differ. Each row says which problems' best expressions differ from those
with both compilers: a search stopped by its (CPU-time) budget tests fewer expressions on
slower code, so it may end elsewhere.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path

from bench import common
from bench.common import write

NAME = "learner_side_by_side"
LABELS = ("twf", "hdf", "pwf", "osf", "rnf", "machine_failure")
#: The option sets compared (JDK_JAVA_OPTIONS of each learner process).
OPTION_SETS = {"both compilers": "", "C1 only": "-XX:TieredStopAtLevel=1"}


def prepare(rows: int, folder: Path) -> tuple[Path, list[Path], int]:
    """The default data's knowledge graph (labels apart, as the workflow builds it), one
    problem file per label, and the graph's triple count."""
    from daikiri.ingest import load_table
    from daikiri.kg.build import build_knowledge_graph
    from daikiri.problems import problems_from_flags, problems_json
    from daikiri.spec import default_spec

    spec = default_spec()
    table, _ = load_table(spec, None, rows=rows, seed=42)
    manifest = build_knowledge_graph(table, spec, folder / "kg")
    files = []
    for label in LABELS:
        path = folder / f"{label}.json"
        path.write_text(json.dumps(problems_json(problems_from_flags(table, spec, [label]))),
                        encoding="utf-8")
        files.append(path)
    return folder / "kg", files, manifest.triples


def learn_batch(kg: Path, problems: list[Path], options: str, threads: int,
                max_runtime: float, out: Path) -> tuple[float, dict[str, str]]:
    """Wall seconds of one learner process for all problems on ``threads`` threads, and each
    problem's best expression."""
    from daikiri.learner import json_items, run_learner

    batch = [problem for path in problems for problem in json_items(path)]
    started = time.perf_counter()
    results = run_learner(kg, batch, out, max_runtime, 12, 5.0, 42, threads=threads,
                          env={"JDK_JAVA_OPTIONS": options} if options else None)
    wall = time.perf_counter() - started
    return wall, {r.target: r.best.dl if r.best else "" for r in results}


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--max-runtime", type=float, default=10.0)
    args = parser.parse_args(argv)
    from daikiri.learner import local_jvm_options

    results = []
    for rows in args.rows:
        folder = Path(tempfile.mkdtemp(prefix=f"side-by-side-{rows}-"))
        try:
            kg, problems, triples = prepare(rows, folder)
            chosen = " ".join(o for o in local_jvm_options(triples) if not o.startswith("-Xmx"))
            walls: dict[str, list[float]] = {name: [] for name in OPTION_SETS}
            found: dict[str, dict[str, str]] = {}
            for _ in range(args.repeat):  # option sets interleaved: the same noise for each
                for name, options in OPTION_SETS.items():
                    wall, found[name] = learn_batch(kg, problems, options, args.threads,
                                                    args.max_runtime, folder)
                    walls[name].append(wall)
            reference = found["both compilers"]
            for name, options in OPTION_SETS.items():
                row = {"rows": rows, "triples": triples, "options": name,
                       "chosen": options == chosen, "threads": args.threads,
                       "repeat": args.repeat, "wall_s": statistics.median(walls[name]),
                       "same_expressions": found[name] == reference,
                       "other_expressions": ", ".join(sorted(
                           label for label, dl in found[name].items()
                           if dl != reference[label]))}
                results.append(row)
                print(f"{rows:>9,} rows, {name:<15} {row['wall_s']:6.1f} s"
                      f"{' (chosen)' if row['chosen'] else ''}"
                      f"{'' if row['same_expressions'] else ' other expressions: '}"
                      f"{row['other_expressions']}", flush=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    measured = {r["rows"] for r in results}
    write(NAME, sorted(kept_rows(measured) + results, key=lambda r: r["rows"]))
    return results


def kept_rows(measured: set[int]) -> list[dict]:
    """Rows of other sizes from the last results file: a large size can be measured in its
    own (longer, fewer-repeat) run without losing the small ones."""
    return [r for r in common.previous_results(NAME) if r["rows"] not in measured]


if __name__ == "__main__":
    main()
