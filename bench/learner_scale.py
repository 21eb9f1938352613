"""Benchmark: the Java learner on one problem (heat dissipation failure) from 10k to 1M
individuals with 10 numeric data properties; wall time and peak memory of the Java process.

    python -m bench.learner_scale --rows 10000 100000 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
import tempfile
from pathlib import Path

from bench.common import run_measured, write

EXTRA_FEATURES = {"torque_per_speed": "torque_nm / rotational_speed_rpm",
                  "wear_squared": "tool_wear_min ** 2"}


def prepare(rows: int, folder: Path) -> Path:
    """A knowledge graph with 10 numeric properties and the HDF learning problem."""
    from daikiri.ingest import load_table
    from daikiri.kg.build import KGConfig, build_knowledge_graph
    from daikiri.problems import problems_from_flags, problems_json
    from daikiri.spec import default_spec

    spec = default_spec()
    spec.derived.update(EXTRA_FEATURES)
    table, _ = load_table(spec, None, rows=rows, seed=1)
    assert len(spec.feature_columns) == 10
    build_knowledge_graph(table, spec, folder / "kg",
                          KGConfig(include_labels=False, combined_max_rows=0))
    problem = folder / "problem.json"
    problems = problems_json(problems_from_flags(table, spec, ["hdf"]))
    problem.write_text(json.dumps(problems), encoding="utf-8")
    return problem


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--max-runtime", type=float, default=60.0)
    args = parser.parse_args(argv)
    from daikiri.learner import learner_command, learner_jar

    results = []
    for rows in args.rows:
        folder = Path(tempfile.mkdtemp(prefix=f"learner-{rows}-"))
        try:
            problem = prepare(rows, folder)
            runs = []
            for _ in range(args.repeat):
                command = learner_command(learner_jar(), folder / "kg", problem,
                                          folder / "r.json", args.max_runtime, 12, 5.0, 1)
                measured = run_measured(["/usr/bin/env", "python3", "-c",
                                         "import resource,subprocess,sys;"
                                         "subprocess.run(sys.argv[1:],check=True);"
                                         "print(resource.getrusage(resource.RUSAGE_CHILDREN)"
                                         ".ru_maxrss)", *command])
                result = json.loads((folder / "r.json").read_text())[0]
                runs.append({"wall_s": measured["wall_s"],
                             "peak_mib": int(measured["stdout"].split()[-1]) / 1024,
                             "search_s": result["stats"]["search_seconds"],
                             "f1": result["hypotheses"][0]["f1"],
                             "dl": result["hypotheses"][0]["dl"]})
            walls = sorted(r["wall_s"] for r in runs)
            row = {"rows": rows, "repeat": args.repeat, "wall_s": walls[len(walls) // 2],
                   "peak_mib": sorted(r["peak_mib"] for r in runs)[len(runs) // 2],
                   "search_s": sorted(r["search_s"] for r in runs)[len(runs) // 2],
                   "f1": runs[0]["f1"], "expression": re.sub(r"\s+", " ", runs[0]["dl"])}
            results.append(row)
            print(f"{rows:>9,} individuals: wall {row['wall_s']:6.1f} s (search "
                  f"{row['search_s']:5.1f} s), peak {row['peak_mib']:6.0f} MiB, F1 "
                  f"{row['f1']:.3f}: {row['expression']} (median of {args.repeat})", flush=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    write("learner_scale", results)
    return results


if __name__ == "__main__":
    main()
