"""Write bench/RESULTS.md from the JSON results of the benchmarks (with the machine)."""

from __future__ import annotations

import json
from pathlib import Path

from bench.common import RESULTS

TABLES = {
    "ingest_cluster": ("Ingest + cluster (K-Means, k by silhouette over 2..8)",
                       ["rows", "source", "ingest_s", "cluster_s", "total_s", "peak_mib"]),
    "kg_build": ("Knowledge graph: TBox + streamed N-Triples ABox from Parquet",
                 ["rows", "triples", "seconds", "triples_per_s", "peak_mib"]),
    "embeddings": ("PyKEEN KG embeddings (Tab2Onto)",
                   ["rows", "triples", "model", "epochs", "seconds", "per_epoch_s", "peak_mib"]),
    "learner_scale": ("Java learner, one problem (heat dissipation failure), 10 numeric "
                      "properties", ["rows", "wall_s", "search_s", "peak_mib", "f1",
                                     "expression"]),
}


def fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1e4 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def main() -> str:
    lines = ["# Benchmark results", "",
             "Every figure is the median of repeated runs, each in a fresh process. Regenerate "
             "with `make bench`.", ""]
    loaded = {name: json.loads((RESULTS / f"{name}.json").read_text(encoding="utf-8"))
              for name in TABLES if (RESULTS / f"{name}.json").exists()}
    machines = [d["machine"] for d in loaded.values() if isinstance(d, dict)]
    if machines:
        lines += [f"Machine: {machines[0]}", ""]
    for name, data in loaded.items():
        title, columns = TABLES[name]
        rows = data["results"] if isinstance(data, dict) else data
        lines += [f"## {title}", "", "| " + " | ".join(columns) + " |",
                  "|" + "---|" * len(columns)]
        for row in rows:
            lines.append("| " + " | ".join(fmt(row.get(c, "")) for c in columns) + " |")
        lines.append("")
    text = "\n".join(lines)
    (Path(__file__).resolve().parent / "RESULTS.md").write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    print(main())
