"""Benchmark: ingest + cluster at several table sizes (issue: foundation).

Each measurement runs in a fresh Python process (so peak memory is that size's alone), reading
the table from a CSV file written beforehand (the realistic path) and, separately, generating
it in process. Reports per step wall time and the process's peak resident memory; every figure
is the median of ``--repeat`` runs.

    python -m bench.ingest_cluster --rows 10000 100000 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import own_peak_mib, write


def measure_once(rows: int, source: str, csv_path: str | None) -> dict:
    """One measurement in this process: returns step timings and peak memory."""
    from daikiri.clustering import ClusteringConfig, cluster_features
    from daikiri.ingest import load_table
    from daikiri.spec import default_spec

    spec = default_spec()
    started = time.perf_counter()
    table, _ = load_table(spec, csv_path if source == "csv" else None, rows=rows, seed=1)
    ingested = time.perf_counter()
    cluster_features(table[spec.feature_columns], ClusteringConfig(seed=1))
    clustered = time.perf_counter()
    return {"rows": rows, "source": source, "ingest_s": ingested - started,
            "cluster_s": clustered - ingested, "total_s": clustered - started,
            "peak_mib": own_peak_mib()}


def run(rows_list: list[int], repeat: int) -> list[dict]:
    from daikiri.datagen import generate_machine_runs

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in rows_list:
            csv_path = str(Path(tmp) / f"runs_{rows}.csv")
            generate_machine_runs(rows, seed=1).to_csv(csv_path, index=False)
            for source in ("csv", "generated"):
                runs = []
                for _ in range(repeat):
                    out = subprocess.run(
                        [sys.executable, "-m", "bench.ingest_cluster", "--one", str(rows),
                         source, csv_path], capture_output=True, text=True, check=True)
                    runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
                row = {key: statistics.median(r[key] for r in runs)
                       for key in ("ingest_s", "cluster_s", "total_s", "peak_mib")}
                row.update(rows=rows, source=source, repeat=repeat)
                results.append(row)
                print(f"{rows:>9,} rows {source:>9}: ingest {row['ingest_s']:6.2f} s, cluster "
                      f"{row['cluster_s']:6.2f} s, total {row['total_s']:6.2f} s, peak "
                      f"{row['peak_mib']:7.0f} MiB (median of {repeat})", flush=True)
    return results


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--out", type=Path, help="write the results as JSON here")
    parser.add_argument("--one", nargs=3, metavar=("ROWS", "SOURCE", "CSV"),
                        help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure_once(int(args.one[0]), args.one[1], args.one[2])))
        return []
    results = run(args.rows, args.repeat)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    else:
        write("ingest_cluster", results)
    return results


if __name__ == "__main__":
    main()
