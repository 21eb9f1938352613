"""Benchmark: knowledge-graph build (TBox + streamed N-Triples ABox) at several sizes.

Each size runs in a fresh process, reading the table from a Parquet file in row batches
(``ParquetSource``), so peak memory shows whether it grows with rows. Median of --repeat.

    python -m bench.kg_build --rows 100000 1000000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import shutil
import tempfile
import time
from pathlib import Path

from bench.common import isolated, median_of, own_peak_mib, write


def measure_once(parquet: str) -> dict:
    from daikiri.kg.build import KGConfig, build_knowledge_graph
    from daikiri.kg.sources import ParquetSource
    from daikiri.spec import default_spec

    out = Path(tempfile.mkdtemp())
    started = time.perf_counter()
    manifest = build_knowledge_graph(ParquetSource(parquet), default_spec(), out,
                                     KGConfig(combined_max_rows=0))
    seconds = time.perf_counter() - started
    shutil.rmtree(out)
    return {"seconds": seconds, "triples": manifest.triples,
            "peak_mib": own_peak_mib()}


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", nargs=1, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure_once(args.one[0])))
        return []
    from daikiri.datagen import generate_machine_runs
    from daikiri.ingest import validate_table
    from daikiri.spec import default_spec

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            table, _ = validate_table(generate_machine_runs(rows, seed=1), default_spec())
            path = str(Path(tmp) / f"t{rows}.parquet")
            table.to_parquet(path, row_group_size=50_000)
            del table
            runs = [isolated("bench.kg_build", path) for _ in range(args.repeat)]
            row = median_of(runs, ["seconds", "peak_mib"])
            row.update(rows=rows, triples=runs[0]["triples"], repeat=args.repeat,
                       triples_per_s=runs[0]["triples"] / row["seconds"])
            results.append(row)
            print(f"{rows:>9,} rows: {row['triples']:>11,} triples in {row['seconds']:7.2f} s "
                  f"({row['triples_per_s']:,.0f} triples/s), peak {row['peak_mib']:6.0f} MiB "
                  f"(median of {args.repeat})", flush=True)
    write("kg_build", results)
    return results


if __name__ == "__main__":
    main()
