"""Benchmark: the ``diagnose`` workflow end to end.

Three figures, each measured in fresh processes, the two paths alternating in one run:

* **platform overhead** — ``diagnose`` under flytekit local execution vs the same task
  functions called directly in plain Python (same inputs, same order, the learner jar run
  as a subprocess in both, one for all problems with a search thread per core, as
  ``learn_in_parallel`` runs it); the ratio, and
  where flytekit's extra time goes (imports, converting values to and from Flyte literals);
* **caching** — a second run of ``diagnose`` with the same inputs in the same process,
  every cacheable task served from flytekit's local cache, vs the first run;
* **scale curve** — wall time and peak memory (process and children) per step of the
  direct path at each size, and the growth exponent of each step between sizes;
* **the user's command** — ``pyflyte run workflows/diagnose.py diagnose`` as a whole process
  with an empty cache (a fresh ``HOME``): start-up, the module's imports, the run and the
  printed outputs, what a person waits for.

    python -m bench.diagnose --rows 10000 100000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench import common
from bench.common import PeakMemory, isolated, write

#: The repository: ``pyflyte run`` is given the workflow's file relative to it.
ROOT = Path(__file__).resolve().parent.parent
#: The three paths, measured in turn (each one first in every third repeat).
MODES = ("command", "flyte", "direct")
#: The workflow's inputs besides ``rows`` (explain every label, every regime, the model).
INPUTS: dict[str, Any] = {"seed": 42, "max_runtime": 10.0, "max_length": 12, "noise": 5.0}


class Steps:
    """Wall seconds and peak memory of named steps."""

    def __init__(self) -> None:
        self.rows: list[dict] = []

    def run(self, name: str, call: Callable[[], Any]) -> Any:
        started = time.perf_counter()
        with PeakMemory() as memory:
            value = call()
        self.rows.append({"step": name, "wall_s": time.perf_counter() - started,
                          "peak_mib": memory.peak_mib})
        print(f"  {name:<22} {self.rows[-1]['wall_s']:8.2f} s  {memory.peak_mib:7.0f} MiB",
              file=sys.stderr, flush=True)
        return value


def direct(rows: int, epochs: int) -> dict:
    """The diagnose steps as plain function calls: the task functions without flytekit."""
    from flytekit.types.file import FlyteFile

    from daikiri.learner import learner_command, learner_jar, local_env
    from daikiri.params import DiagnoseParams
    from tasks.clustering import cluster
    from tasks.diagnosis import (
        collect_explanations,
        make_lexicon,
        pose_problems,
        render_report,
        verbalize_one,
        write_report,
    )
    from tasks.fanout import local_parallelism
    from tasks.ingest import ingest, load_spec
    from tasks.learner import merge_problem_files, split_results
    from tasks.model import train_fault_model
    from tasks.semantify import build_kg, embed_and_classify

    steps = Steps()
    seed = INPUTS["seed"]
    started = time.perf_counter()
    spec = load_spec.task_function(None)
    ingested = steps.run("ingest", lambda: ingest.task_function(spec, None, rows, seed))
    table = ingested.table
    regimes = steps.run("cluster", lambda: cluster.task_function(table, spec, seed=seed))
    graph = steps.run("build_kg", lambda: build_kg.task_function(table, spec))
    classes = steps.run("embed_and_classify", lambda: embed_and_classify.task_function(
        table, spec, epochs=epochs, seed=seed))
    model = steps.run("train_fault_model",
                      lambda: train_fault_model.task_function(table, spec, seed=seed))
    problems = steps.run("pose_problems", lambda: pose_problems.task_function(
        table, spec, [], regimes.assignments, model.predictions))
    kg = Path(graph.kg.path)

    # as the workflow's local fan-out runs them: one batch of problems, one learner JVM
    # (a search thread per core), lean for the graph's size
    env = {**os.environ, **local_env(kg, local_parallelism())}

    def learn() -> list[FlyteFile]:
        out = Path(tempfile.mkdtemp(prefix="results-")) / "results.json"
        command = learner_command(learner_jar(), kg, Path(merge_problem_files(problems).path),
                                  out, INPUTS["max_runtime"], INPUTS["max_length"],
                                  INPUTS["noise"], seed)
        subprocess.run(command, check=True, capture_output=True, env=env)
        return split_results(FlyteFile(str(out)), len(problems))

    results = steps.run("learn (all problems)", learn)
    lexicon = make_lexicon.task_function(spec, table)
    verbal = steps.run("verbalize", lambda: collect_explanations.task_function(
        [verbalize_one.task_function(r, spec, lexicon) for r in results], spec, table,
        model.predictions))
    params = DiagnoseParams(rows=rows, seed=seed, max_runtime=INPUTS["max_runtime"],
                            max_length=INPUTS["max_length"], noise=INPUTS["noise"],
                            embedding_epochs=epochs)
    rendered = steps.run("render_report", lambda: render_report.task_function(
        spec, ingested.summary, regimes.metrics, regimes.profile, regimes.assignments,
        graph.manifest, classes.result, model.report, model.predictions,
        verbal.explanations, table, params, graph.kg, model.model))
    steps.run("write_report", lambda: write_report.task_function(rendered.summary,
                                                                 rendered.page))
    return {"wall_s": time.perf_counter() - started, "steps": steps.rows,
            "problems": len(problems)}


class ConversionTimer:
    """Time flytekit spends turning Python values into Flyte literals and back."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self._depth = 0

    def install(self) -> None:
        from flytekit.core.type_engine import TypeEngine

        for name in ("to_literal", "to_python_value", "async_to_literal",
                     "async_to_python_value"):
            original = getattr(TypeEngine, name)
            wrapper = self._async_wrap(original) if name.startswith("async") \
                else self._wrap(original)
            setattr(TypeEngine, name, classmethod(wrapper))

    def _enter(self) -> float:
        self._depth += 1
        return time.perf_counter()

    def _leave(self, started: float) -> None:
        self._depth -= 1
        if self._depth == 0:
            self.seconds += time.perf_counter() - started

    def _wrap(self, original: Any) -> Callable:
        def timed(cls: type, *args: Any, **kwargs: Any) -> Any:
            started = self._enter()
            try:
                return original.__func__(cls, *args, **kwargs)
            finally:
                self._leave(started)
        return timed

    def _async_wrap(self, original: Any) -> Callable:
        async def timed(cls: type, *args: Any, **kwargs: Any) -> Any:
            started = self._enter()
            try:
                return await original.__func__(cls, *args, **kwargs)
            finally:
                self._leave(started)
        return timed


def flyte(rows: int, epochs: int) -> dict:
    """``diagnose`` under flytekit local execution: a first run, then the cached re-run."""
    started = time.perf_counter()
    from workflows.diagnose import diagnose

    imports = time.perf_counter() - started
    timer = ConversionTimer()
    timer.install()
    runs = []
    for _ in range(2):
        timer.seconds = 0.0
        started = time.perf_counter()
        with PeakMemory() as memory:
            out = diagnose(rows=rows, embedding_epochs=epochs, **INPUTS)
        runs.append({"wall_s": time.perf_counter() - started, "peak_mib": memory.peak_mib,
                     "conversion_s": timer.seconds})
    return {"import_s": imports, "first": runs[0], "cached": runs[1],
            "explained": out.summary.explained, "problems": out.summary.problems}


def command(rows: int, epochs: int) -> dict:
    """``pyflyte run workflows/diagnose.py diagnose`` as a whole process, in the environment
    :func:`measure` prepared (an empty flytekit cache, the learner on the host)."""
    pyflyte = Path(sys.executable).with_name("pyflyte")
    run = [str(pyflyte), "run", "workflows/diagnose.py", "diagnose", "--rows", str(rows),
           "--embedding_epochs", str(epochs), "--max_runtime", str(INPUTS["max_runtime"])]
    started = time.perf_counter()
    done = subprocess.run(run, capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(run)} failed: {done.stderr[-3000:]}")
    return {"wall_s": wall}


def measure(mode: str, rows: int, epochs: int) -> dict:
    """One measurement in this (fresh) process, with an empty flytekit cache."""
    os.environ["HOME"] = tempfile.mkdtemp(prefix="bench-home-")
    # the learner on the host in both paths: with a Docker daemon and the image at hand the
    # workflow would run it in a container ("auto"), and the comparison would time Docker
    os.environ.setdefault("DAIKIRI_CONTAINER_RUNTIME", "host")
    if mode == "command":
        return command(rows, epochs)
    return direct(rows, epochs) if mode == "direct" else flyte(rows, epochs)


def growth(curve: list[dict], key: str) -> list[dict]:
    """Exponent b of wall ~ rows^b between consecutive sizes (1 = linear); none for a step
    one of the two sizes did not time (a step added since the other was measured)."""
    out = []
    for small, large in zip(curve, curve[1:], strict=False):
        if small.get(key, 0) > 0 and large.get(key, 0) > 0:
            out.append({"from": small["rows"], "to": large["rows"],
                        "exponent": math.log(large[key] / small[key])
                        / math.log(large["rows"] / small["rows"])})
    return out


def merged(sizes: list[dict]) -> list[dict]:
    """These sizes plus those of earlier runs (by row count), so sizes can be rerun apart."""
    path = common.RESULTS / "diagnose.json"
    if not path.exists():
        return sizes
    earlier = json.loads(path.read_text(encoding="utf-8"))["results"][0]["sizes"]
    return common.by_rows(earlier, sizes)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=20, help="KG embedding epochs")
    parser.add_argument("--max-runtime", type=float, default=INPUTS["max_runtime"],
                        help="learner seconds per problem")
    parser.add_argument("--one", nargs=3, metavar=("MODE", "ROWS", "EPOCHS"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    INPUTS["max_runtime"] = args.max_runtime
    if args.one:
        print(json.dumps(measure(args.one[0], int(args.one[1]), int(args.one[2]))))
        return {}
    sizes = []
    for rows in args.rows:
        runs: dict[str, list[dict]] = {mode: [] for mode in MODES}
        for repeat in range(args.repeat):
            order = [*MODES[repeat % 3:], *MODES[:repeat % 3]]  # each mode first once in 3
            for mode in order:
                print(f"{rows:,} rows, {mode} run {repeat + 1}/{args.repeat}",
                      file=sys.stderr, flush=True)
                runs[mode].append(isolated("bench.diagnose", mode, str(rows), str(args.epochs),
                                           "--max-runtime", str(args.max_runtime)))
        direct_runs, flyte_runs = runs["direct"], runs["flyte"]
        med = statistics.median
        steps = {}
        for step in (s["step"] for s in direct_runs[0]["steps"]):
            rows_of = [s for r in direct_runs for s in r["steps"] if s["step"] == step]
            steps[step] = {"wall_s": med(s["wall_s"] for s in rows_of),
                           "peak_mib": med(s["peak_mib"] for s in rows_of)}
        first = med(r["first"]["wall_s"] for r in flyte_runs)
        cached = med(r["cached"]["wall_s"] for r in flyte_runs)
        plain = med(r["wall_s"] for r in direct_runs)
        whole = med(r["wall_s"] for r in runs["command"])
        size = {"rows": rows, "repeat": args.repeat, "epochs": args.epochs,
                "max_runtime": args.max_runtime,
                "problems": flyte_runs[0]["problems"], "explained": flyte_runs[0]["explained"],
                "command_s": whole, "flyte_first_s": first, "flyte_cached_s": cached,
                "direct_s": plain,
                "overhead_ratio": first / plain, "cached_fraction": cached / first,
                "flyte_import_s": med(r["import_s"] for r in flyte_runs),
                "conversion_s": med(r["first"]["conversion_s"] for r in flyte_runs),
                "flyte_peak_mib": med(r["first"]["peak_mib"] for r in flyte_runs),
                "direct_peak_mib": max(s["peak_mib"] for s in steps.values()),
                "steps": steps}
        sizes.append(size)
        print(f"{rows:>9,} rows: pyflyte run {whole:7.1f} s (the whole command), flytekit "
              f"{first:7.1f} s, direct {plain:7.1f} s "
              f"(ratio {size['overhead_ratio']:.2f}; literal conversion "
              f"{size['conversion_s']:.1f} s, imports {size['flyte_import_s']:.1f} s), "
              f"cached re-run {cached:.1f} s = {100 * size['cached_fraction']:.1f} % of the "
              f"first (median of {args.repeat})", flush=True)
    sizes = merged(sizes)
    curve = [{"rows": s["rows"], **{name: v["wall_s"] for name, v in s["steps"].items()},
              "total": s["direct_s"]} for s in sizes]
    exponents = {name: growth(curve, name) for name in curve[0] if name != "rows"}
    result = {"sizes": sizes, "growth_exponents": exponents}
    write("diagnose", [result])
    return result


if __name__ == "__main__":
    main()
