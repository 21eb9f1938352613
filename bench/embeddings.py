"""Benchmark: PyKEEN KG-embedding training (Tab2Onto) at several table sizes.

    python -m bench.embeddings --rows 10000 100000 --epochs 10 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import time

from bench.common import isolated, median_of, own_peak_mib, write


def measure_once(rows: int, epochs: int, model: str) -> dict:
    from daikiri.embeddings import EmbeddingConfig, train_row_embeddings
    from daikiri.ingest import load_table
    from daikiri.spec import default_spec

    spec = default_spec()
    table, _ = load_table(spec, None, rows=rows, seed=1)
    started = time.perf_counter()
    _, stats = train_row_embeddings(table, spec, EmbeddingConfig(model=model, epochs=epochs))
    seconds = time.perf_counter() - started
    return {"seconds": seconds, "triples": stats["triples"], "per_epoch_s": seconds / epochs,
            "peak_mib": own_peak_mib()}


def main(argv: list[str] | None = None) -> list[dict]:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--model", default="DistMult")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure_once(int(args.one[0]), int(args.one[1]), args.one[2])))
        return []
    results = []
    for rows in args.rows:
        runs = [isolated("bench.embeddings", str(rows), str(args.epochs), args.model)
                for _ in range(args.repeat)]
        row = median_of(runs, ["seconds", "per_epoch_s", "peak_mib"])
        row.update(rows=rows, epochs=args.epochs, model=args.model, triples=runs[0]["triples"],
                   repeat=args.repeat)
        results.append(row)
        print(f"{rows:>9,} rows ({row['triples']:,.0f} triples): {args.model} {args.epochs} "
              f"epochs in {row['seconds']:6.1f} s ({row['per_epoch_s']:.2f} s/epoch), peak "
              f"{row['peak_mib']:6.0f} MiB (median of {args.repeat})", flush=True)
    write("embeddings", results)
    return results


if __name__ == "__main__":
    main()
