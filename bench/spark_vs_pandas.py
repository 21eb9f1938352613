"""Benchmark: ingestion + knowledge graph on Spark (local[*]) vs pandas, side by side.

Both read the same raw Parquet table (the generated default data), validate it and write the
knowledge graph folder. Each run is a fresh process; the two engines alternate. Reported:
wall time (Spark: with and without starting the session), peak memory of the Python process,
and peak memory of the whole process tree (for Spark: Python driver + JVM + Python workers).

    python -m bench.spark_vs_pandas --rows 100000 1000000 5000000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from bench.common import PeakMemory, isolated, merged_by_rows, own_peak_mib, write


def measure(engine: str, parquet: str, memory: str) -> dict:
    """One ingestion + KG build in this (fresh) process."""
    from daikiri.spec import default_spec

    spec = default_spec()
    out = Path(tempfile.mkdtemp(prefix=f"kg-{engine}-"))
    started = time.perf_counter()
    with PeakMemory(interval=0.25) as tree:
        if engine == "pandas":
            from daikiri.ingest import load_table
            from daikiri.kg.build import KGConfig, build_knowledge_graph

            work_started = time.perf_counter()
            table, summary = load_table(spec, parquet)
            manifest = build_knowledge_graph(table, spec, out, KGConfig(combined_max_rows=0))
        else:
            from daikiri.kg.build import KGConfig
            from daikiri.spark.ingest import load_table
            from daikiri.spark.kg import build_knowledge_graph_spark
            from daikiri.spark.session import local_session

            spark = local_session("bench", memory=memory)
            work_started = time.perf_counter()
            table, summary = load_table(spark, spec, parquet)
            manifest = build_knowledge_graph_spark(table, spec, out,
                                                   KGConfig(combined_max_rows=0))
            spark.stop()
        finished = time.perf_counter()
    shutil.rmtree(out, ignore_errors=True)
    return {"wall_s": finished - started, "work_s": finished - work_started,
            "python_peak_mib": own_peak_mib(),
            "tree_peak_mib": tree.peak_mib, "rows": summary.rows_kept,
            "triples": manifest.triples}


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[100_000, 1_000_000, 5_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--spark-memory", default="6g", help="local Spark driver memory")
    parser.add_argument("--one", nargs=3, metavar=("ENGINE", "PARQUET", "MEMORY"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(*args.one)))
        return []
    from daikiri.datagen import generate_machine_runs

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            path = str(Path(tmp) / f"raw{rows}.parquet")
            generate_machine_runs(rows, seed=1).to_parquet(path, row_group_size=100_000)
            runs: dict[str, list[dict]] = {"pandas": [], "spark": []}
            for repeat in range(args.repeat):
                for engine in (("pandas", "spark") if repeat % 2 == 0 else ("spark", "pandas")):
                    print(f"{rows:,} rows: {engine} run {repeat + 1}/{args.repeat}",
                          file=sys.stderr, flush=True)
                    runs[engine].append(isolated("bench.spark_vs_pandas", engine, path,
                                                 args.spark_memory))
            med = statistics.median
            row = {"rows": rows, "repeat": args.repeat, "triples": runs["pandas"][0]["triples"]}
            for engine, measured in runs.items():
                for key in ("wall_s", "work_s", "python_peak_mib", "tree_peak_mib"):
                    row[f"{engine}_{key}"] = med(r[key] for r in measured)
            assert runs["spark"][0]["triples"] == row["triples"], "engines disagree"
            row["spark_over_pandas"] = row["spark_wall_s"] / row["pandas_wall_s"]
            results.append(row)
            print(f"{rows:>9,} rows: pandas {row['pandas_wall_s']:7.1f} s "
                  f"({row['pandas_tree_peak_mib']:,.0f} MiB), Spark {row['spark_wall_s']:7.1f} s"
                  f" ({row['spark_work_s']:.1f} s after session start; "
                  f"{row['spark_tree_peak_mib']:,.0f} MiB incl. JVM, Python "
                  f"{row['spark_python_peak_mib']:,.0f} MiB) — Spark/pandas "
                  f"{row['spark_over_pandas']:.2f} (median of {args.repeat})", flush=True)
    write("spark_vs_pandas", merged_by_rows("spark_vs_pandas", results))
    return results


if __name__ == "__main__":
    main()
