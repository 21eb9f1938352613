"""Benchmark: the Java learner vs ontolearn's CELOE, EvoLearner and TDL on the same problems.

Problems: the family problems (``daikiri.family``) and the default data's five fault modes at
10,000 rows (labels not in the graph). Each problem is split once (seeded by its name,
stratified, 30 % held out when it has at least 10 positives) and every learner gets the same
training positives and negatives, knowledge base and time budget. ``f1`` is over the training
examples (the Java learner reports it; for ontolearn the runner retrieves the best
hypothesis' instances with ontolearn's own knowledge base and applies the same formula);
``held_out_f1`` is the same formula on the held-out examples and ``length`` owlapy's length of
the expression, both computed by that one retrieval for every learner (the Java learner's
expressions are parsed from its Manchester syntax): a learner that memorises individuals
(nominals, long disjunctions) reaches training F1 1.0 and shows it in those two columns.

Both sides alike: one process per learner and suite loads the knowledge base once and solves
problem after problem (the Java learner takes a list of problems and, by default, solves them
on one thread per core, so its process is also timed with ``--threads 1``; ontolearn through
``bench/ontolearn_runner.py``, one problem after another). Per problem ``learn_s`` is the
search (ours) or fit (theirs) and ``total_s`` = the knowledge base load + ``learn_s``, i.e.
what one problem costs on its own without process start-up; start-up (a JVM, ontolearn's
imports) is in ``process_s``, the whole process's wall time, reported per suite. A problem with
no result ``max(60 s, 12 × budget)`` after the previous one stops the runner: F1 0 and that
time, flagged ``timed_out``; it is not tried again in later rounds. A problem's F1, held-out
F1, length and expression are those of the rounds that answered (the timed-out ones are counted
in ``timed_out``), its times are over all rounds.

ontolearn pins pandas<3 and pulls heavy packages, so it is installed into a *separate*
virtualenv (``--venv``, default ``.bench-venvs/ontolearn``; created on first use) and runs
there through ``bench/ontolearn_runner.py``; it never enters the platform's environment.

    python -m bench.learner_vs_ontolearn --repeat 3 --max-runtime 10
    python -m bench.learner_vs_ontolearn --suites machine_runs --learners tdl --keep
        # re-measures the Java learner and TDL on one suite, keeps the last run's other rows
"""

from __future__ import annotations

import argparse
import fcntl
import json
import logging
import random
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import zlib
from pathlib import Path

from bench.common import previous_results, write

log = logging.getLogger("bench.learner_vs_ontolearn")
NAME = "learner_vs_ontolearn"
#: The Java learner's process on one thread (the process table's second daikiri row).
ONE_THREAD = "daikiri, 1 thread"

ROOT = Path(__file__).resolve().parent.parent
RUNNER = Path(__file__).resolve().parent / "ontolearn_runner.py"
#: torch pinned to the CPU build on local disk (an unpinned torch pulls GBs of CUDA wheels).
# owlready2 is optional in owlapy 1.6.6 but needed by the ontology class KnowledgeBase loads.
ONTOLEARN_REQUIREMENTS = ["torch==2.13.0", "ontolearn==0.11.0", "owlready2==0.51", "pandas<3"]
ONTOLEARN_LEARNERS = ["celoe", "evolearner", "tdl"]
#: Share of a problem's examples held out from every learner, and the fewest positives a
#: problem needs to hold any out (the Java learner's own rule).
HELD_OUT = 0.3
MIN_POSITIVES_TO_HOLD_OUT = 10
FAULT_MODES = ["hdf", "pwf", "osf", "twf", "rnf"]
#: Time a runner gets to import ontolearn and load the knowledge base.
IMPORT_ALLOWANCE_S = 120.0
#: A problem with no result after this many budgets is stopped (EvoLearner on the 10,000-run
#: graph takes about 7 budgets of 10 s: it checks the clock only between generations).
TIMEOUT_FACTOR = 12


def ensure_venv(venv: Path) -> Path:
    """The separate ontolearn virtualenv's Python, created and filled on first use.

    It reuses the platform's installed packages where they satisfy ontolearn's requirements
    (a ``.pth`` line puts the platform's site-packages after the virtualenv's own): 62 of the
    135 packages a clean install pulls are the same versions (torch, numpy, scipy, scikit-learn,
    …), so only the others (pandas < 3, ontolearn and its LLM and web stack) are installed into
    it, where they come first. The platform's environment is only read, never changed.
    A lock lets a second process (``scripts/test.sh`` starts the creation early, beside the
    image builds) wait for the first instead of creating it twice."""
    python = venv / "bin" / "python"
    stamp = venv / ".requirements"
    wanted = "\n".join(ONTOLEARN_REQUIREMENTS)
    venv.parent.mkdir(parents=True, exist_ok=True)
    with (venv.parent / f".{venv.name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if python.exists() and stamp.exists() and stamp.read_text() == wanted:
            return python
        started = time.perf_counter()
        log.info("creating the ontolearn virtualenv %s (%s); a few minutes", venv,
                 " ".join(ONTOLEARN_REQUIREMENTS))
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(venv)], check=True)
        own = subprocess.run([str(python), "-c", "import sysconfig; "
                              "print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
        Path(own, "daikiri-platform.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
        subprocess.run([str(python), "-m", "pip", "install", "-q", *ONTOLEARN_REQUIREMENTS],
                       check=True)
        stamp.write_text(wanted)
        log.info("ontolearn virtualenv ready in %.0f s", time.perf_counter() - started)
    return python


def combined_rdfxml(kg_dir: Path, out: Path) -> Path:
    """TBox and ABox of a knowledge-graph folder in one RDF/XML file (what owlready2 loads)."""
    from rdflib import Graph

    graph = Graph()
    graph.parse(kg_dir / "tbox.owl", format="xml")
    for part in sorted((kg_dir / "abox").glob("*.nt")):
        graph.parse(part, format="nt")
    graph.serialize(out, format="xml")
    return out


def family_problems(folder: Path, limit: int = 0) -> tuple[Path, list[dict]]:
    from daikiri.family import generate_family, write_family_kg

    family = generate_family()
    write_family_kg(family, folder)
    return folder, family.problems()[:limit or None]


def machine_run_problems(folder: Path, rows: int, limit: int = 0) -> tuple[Path, list[dict]]:
    from daikiri.ingest import load_table
    from daikiri.kg.build import KGConfig, build_knowledge_graph
    from daikiri.problems import problems_from_flags, problems_json
    from daikiri.spec import default_spec

    spec = default_spec()
    table, _ = load_table(spec, None, rows=rows, seed=42)
    build_knowledge_graph(table, spec, folder, KGConfig(include_labels=False,
                                                        combined_max_rows=0))
    return folder, problems_json(problems_from_flags(table, spec, FAULT_MODES[:limit or None]))


def held_out_split(problem: dict) -> dict:
    """The problem with ``HELD_OUT`` of its positives and of its negatives moved to
    ``test_positives``/``test_negatives`` (seeded by its name: the same split for every
    learner and every round); unchanged when it has too few positives."""
    if len(problem["positives"]) < MIN_POSITIVES_TO_HOLD_OUT:
        return problem
    rng = random.Random(zlib.crc32(problem["name"].encode()))
    split = dict(problem)
    for key in ("positives", "negatives"):
        examples = sorted(problem[key])
        rng.shuffle(examples)
        cut = round(len(examples) * HELD_OUT)
        split[f"test_{key}"], split[key] = sorted(examples[:cut]), sorted(examples[cut:])
    return split


def training_part(problem: dict) -> dict:
    """What a learner sees: the problem without its held-out examples."""
    return {k: v for k, v in problem.items() if not k.startswith("test_")}


def run_ours(kg_dir: Path, problems: list[dict], work: Path, max_runtime: float,
             threads: int | None = None) -> tuple[list[dict], float]:
    """All problems through one JVM (knowledge base loaded once), on its default thread count
    (one per core) or ``threads``, with the JVM options the platform gives a local learner
    (``daikiri.learner.local_env``: on a small graph the client compiler and the serial
    collector; with the JVM's defaults the optimising compiler and G1's threads took a core of
    their own, and two search threads were no faster than one); runs and the JVM's seconds."""
    from daikiri.learner import local_env, run_learner

    started = time.perf_counter()
    results = run_learner(kg_dir, [training_part(p) for p in problems], work / "ours",
                          max_runtime, 12, 5.0, 1, env=local_env(kg_dir), threads=threads)
    wall = time.perf_counter() - started
    runs = []
    for result in results:
        best = result.best
        runs.append({"problem": result.problem, "f1": best.f1 if best else 0.0,
                     "learn_s": result.search_seconds,
                     "total_s": result.load_seconds + result.search_seconds,
                     "expression": best.dl if best else "",
                     "manchester": best.manchester if best else "owl:Nothing"})
    return runs, wall


def score_ours(python: Path, kb: Path, problems: list[dict], ours: list[dict], work: Path
               ) -> None:
    """Held-out F1 and length of the Java learner's expressions, by the runner's retrieval
    (the same that scores ontolearn's)."""
    by_name = {p["name"]: p for p in problems}
    scored, _ = run_ontolearn(python, kb, [{**by_name[r["problem"]], "expression": r["manchester"]}
                                           for r in ours], "score", work, 0, timeout=600.0)
    for run, score in zip(ours, scored, strict=True):
        run.update(held_out_f1=score["held_out_f1"], length=score["length"],
                   f1_by_their_retrieval=score["f1"])


def run_ontolearn(python: Path, kb: Path, problems: list[dict], learner: str, work: Path,
                  max_runtime: float, timeout: float) -> tuple[list[dict], float]:
    """All problems through one runner process (imports and knowledge base loaded once); the
    runs and the runner processes' wall seconds.

    ontolearn's learners check their budget only between steps (EvoLearner evaluating one
    generation over 10,000 individuals overruns a 10 s budget by minutes), so a problem with
    no result ``timeout`` seconds after the previous one stops the runner: that problem is
    recorded as timed out (F1 0, ``timeout`` seconds) and a new runner takes the rest.
    """
    results: list[dict] = []
    remaining = list(problems)
    started = time.perf_counter()
    while remaining:
        problem_file, out = work / "problems.json", work / f"{learner}.jsonl"
        problem_file.write_text(json.dumps(remaining), encoding="utf-8")
        out.unlink(missing_ok=True)
        command = [str(python), str(RUNNER), "--kb", str(kb), "--problems", str(problem_file),
                   "--learner", learner, "--max-runtime", str(int(max_runtime)),
                   "--out", str(out)]
        log_file = (work / f"{learner}.log").open("w")
        process = subprocess.Popen(command, stdout=log_file, stderr=subprocess.STDOUT,
                                   text=True)
        done: list[dict] = []
        loaded = False
        # every problem gets ``timeout`` from the moment the previous one (or the knowledge
        # base load) finished; imports and loading get their own allowance
        deadline = time.monotonic() + IMPORT_ALLOWANCE_S
        while process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.5)
            if not loaded and "[ontolearn] loaded" in (work / f"{learner}.log").read_text():
                loaded, deadline = True, time.monotonic() + timeout
            finished = _read_lines(out)
            if len(finished) > len(done):
                done, deadline = finished, time.monotonic() + timeout
        timed_out = process.poll() is None
        if timed_out:
            process.kill()
        process.wait()
        log_file.close()
        done = _read_lines(out)
        for line in (work / f"{learner}.log").read_text().splitlines():
            if line.startswith("[ontolearn]"):
                log.info(line)
        results += [{**r, "timed_out": False} for r in done]
        if not timed_out and len(done) < len(remaining):
            raise RuntimeError(f"ontolearn {learner} failed (exit {process.returncode}): "
                               f"{(work / f'{learner}.log').read_text()[-3000:]}")
        if timed_out:
            stuck = remaining[len(done)]
            log.info("[ontolearn] %s %s: no result within %.0f s; stopped", learner,
                     stuck["name"], timeout)
            results.append({"problem": stuck["name"], "f1": 0.0, "held_out_f1": None,
                            "length": None, "fit_seconds": timeout, "load_seconds": 0.0,
                            "expression": "", "timed_out": True})
            remaining = remaining[len(done) + 1:]
        else:
            remaining = []
    return results, time.perf_counter() - started


def _read_lines(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.endswith("}")]


def compare(suite: str, kg_dir: Path, problems: list[dict], python: Path, repeat: int,
            max_runtime: float, learners: list[str]) -> tuple[list[dict], list[dict]]:
    """Every learner on every problem, ``repeat`` times, side by side: medians per problem,
    and per learner the median wall time of its process over the suite."""
    with tempfile.TemporaryDirectory(prefix=f"vs-ontolearn-{suite}-") as folder:
        runs, processes = _measure(suite, kg_dir, problems, python, repeat, max_runtime,
                                   learners, Path(folder))
    rows = []
    for (problem, learner), found in runs.items():
        # answers from the rounds that gave one (a round stopped by the timeout has none: its
        # F1 0 and empty expression would make a median of nothing); times from every round
        answered = [r for r in found if not r.get("timed_out")] or found
        held_out = [r["held_out_f1"] for r in answered if r.get("held_out_f1") is not None]
        row = {"suite": suite, "problem": problem, "learner": learner, "runs": len(found),
               "f1": statistics.median(r["f1"] for r in answered),
               "held_out_f1": statistics.median(held_out) if held_out else None,
               "length": answered[-1].get("length"),
               "total_s": statistics.median(r["total_s"] for r in found),
               "learn_s": statistics.median(r["learn_s"] for r in found),
               "timed_out": sum(r.get("timed_out", False) for r in found),
               "error": answered[-1].get("error", ""),
               "expression": answered[-1]["expression"]}
        rows.append(row)
    process_rows = [{"suite": suite, "learner": learner, "runs": len(found),
                     "process_s": statistics.median(r["process_s"] for r in found),
                     "problems": max(r["problems"] for r in found)}
                    for learner, found in processes.items()]
    return rows, process_rows


def _measure(suite: str, kg_dir: Path, problems: list[dict], python: Path, repeat: int,
             max_runtime: float, learners: list[str], work: Path
             ) -> tuple[dict[tuple[str, str], list[dict]], dict[str, list[dict]]]:
    """The runs of every (problem, learner), each with ``f1``, ``total_s`` and ``learn_s``;
    per learner its processes' wall seconds per round."""
    kb = combined_rdfxml(kg_dir, work / "kb.owl")
    problems = [held_out_split(p) for p in problems]
    runs: dict[tuple[str, str], list[dict]] = {}
    processes: dict[str, list[dict]] = {}
    for round_number in range(1, repeat + 1):
        ours, wall = run_ours(kg_dir, problems, work, max_runtime)
        processes.setdefault("daikiri", []).append({"process_s": wall,
                                                    "problems": len(problems)})
        # the same on one thread: what the whole process owes to solving problems side by
        # side (ontolearn's learners take one problem after another)
        _, wall = run_ours(kg_dir, problems, work, max_runtime, threads=1)
        processes.setdefault(ONE_THREAD, []).append({"process_s": wall,
                                                     "problems": len(problems)})
        score_ours(python, kb, problems, ours, work)
        for run in ours:
            runs.setdefault((run["problem"], "daikiri"), []).append(run)
            log.info("round %d %s/%s daikiri: F1 %.3f in %.2f s", round_number, suite,
                     run["problem"], run["f1"], run["total_s"])
        for learner in learners:
            # a problem a learner could not finish once is not tried again (minutes each)
            chosen = [p for p in problems if not any(
                r["timed_out"] for r in runs.get((p["name"], learner), []))]
            theirs, wall = run_ontolearn(python, kb, chosen, learner, work, max_runtime,
                                         timeout=max(60.0, TIMEOUT_FACTOR * max_runtime))
            processes.setdefault(learner, []).append({"process_s": wall,
                                                      "problems": len(chosen)})
            for run in theirs:
                run["total_s"] = run["load_seconds"] + run["fit_seconds"]
                run["learn_s"] = run["fit_seconds"]
                runs.setdefault((run["problem"], learner), []).append(run)
    return runs, processes


def summarise(rows: list[dict], processes: list[dict]) -> dict:
    """Per ontolearn learner: problems where our F1 is lower, the median speed-ups per problem
    (load + search; search alone) and per suite the speed-up of the whole process."""
    ours = {(r["suite"], r["problem"]): r for r in rows if r["learner"] == "daikiri"}
    our_process = {p["suite"]: p["process_s"] for p in processes if p["learner"] == "daikiri"}
    one_thread = {p["suite"]: p["process_s"] for p in processes if p["learner"] == ONE_THREAD}
    summary = {}
    for learner in sorted({r["learner"] for r in rows} - {"daikiri", ONE_THREAD}):
        theirs = [r for r in rows if r["learner"] == learner]
        worse = [r["problem"] for r in theirs
                 if ours[(r["suite"], r["problem"])]["f1"] < r["f1"] - 1e-9]
        worse_held_out = [r["problem"] for r in theirs if r["held_out_f1"] is not None
                          and (ours[(r["suite"], r["problem"])]["held_out_f1"] or 0.0)
                          < r["held_out_f1"] - 1e-9]
        summary[learner] = {
            "problems": len(theirs), "f1_lower_on": worse,
            "held_out_f1_lower_on": worse_held_out,
            "median_total_speedup": statistics.median(
                r["total_s"] / ours[(r["suite"], r["problem"])]["total_s"] for r in theirs),
            "median_learn_speedup": statistics.median(
                r["learn_s"] / max(ours[(r["suite"], r["problem"])]["learn_s"], 1e-3)
                for r in theirs),
            "process_speedup": {p["suite"]: p["process_s"] / our_process[p["suite"]]
                                for p in processes if p["learner"] == learner},
            "process_speedup_one_thread": {
                p["suite"]: p["process_s"] / one_thread[p["suite"]]
                for p in processes if p["learner"] == learner and p["suite"] in one_thread}}
    return summary


def with_kept(rows: list[dict], processes: list[dict], max_runtime: float
              ) -> tuple[list[dict], list[dict]]:
    """``rows`` and ``processes`` plus the last run's for the (suite, learner) pairs not
    measured now, when that run had the same budget; each row says when it was measured."""
    today = time.strftime("%Y-%m-%d")
    for row in rows + processes:
        row.setdefault("measured", today)
    measured = {(r["suite"], r["learner"]) for r in rows + processes}
    previous = [r for r in previous_results(NAME) if r.get("max_runtime_s") == max_runtime]
    for last in previous[:1]:
        rows = rows + [dict(r, measured=r.get("measured", "earlier")) for r in last["rows"]
                       if (r["suite"], r["learner"]) not in measured]
        processes = processes + [dict(p, measured=p.get("measured", "earlier"))
                                 for p in last["processes"]
                                 if (p["suite"], p["learner"]) not in measured]
    return rows, processes


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--max-runtime", type=float, default=10.0)
    parser.add_argument("--venv", type=Path, default=ROOT / ".bench-venvs" / "ontolearn")
    parser.add_argument("--learners", nargs="+", default=ONTOLEARN_LEARNERS,
                        choices=ONTOLEARN_LEARNERS)
    parser.add_argument("--suites", nargs="+", default=["family", "machine_runs"],
                        choices=["family", "machine_runs"])
    parser.add_argument("--keep", action="store_true",
                        help="keep the last run's rows of the learners and suites not measured "
                             "now (e.g. re-measure the Java learner and one reference learner)")
    parser.add_argument("--limit", type=int, default=0,
                        help="only the first N problems of each suite (0: all; for tests)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    python = ensure_venv(args.venv)
    rows: list[dict] = []
    processes: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="vs-ontolearn-kg-") as tmp:
        suites = []
        if "family" in args.suites:
            suites.append(("family", *family_problems(Path(tmp) / "family", args.limit)))
        if "machine_runs" in args.suites:
            suites.append((f"machine_runs_{args.rows}", *machine_run_problems(
                Path(tmp) / "runs", args.rows, args.limit)))
        for suite, kg_dir, problems in suites:
            suite_rows, suite_processes = compare(suite, kg_dir, problems, python, args.repeat,
                                                  args.max_runtime, args.learners)
            rows += suite_rows
            processes += suite_processes
    if args.keep:
        rows, processes = with_kept(rows, processes, args.max_runtime)
    result = {"max_runtime_s": args.max_runtime, "repeat": args.repeat, "rows": rows,
              "processes": processes, "summary": summarise(rows, processes)}
    path = write(NAME, [result])
    print(json.dumps(result["summary"], indent=1))
    log.info("wrote %s", path)
    return result


if __name__ == "__main__":
    main()
