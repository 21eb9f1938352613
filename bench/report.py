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
    "learner_side_by_side": ("Learner JVM options by graph size (six label problems, graph "
                             "load included): one process per problem, `parallel` at a time "
                             "(the earlier layout), or one process on `threads` threads (the "
                             "platform's now)",
                             ["rows", "triples", "parallel", "threads", "options", "chosen",
                              "wall_s", "same_expressions"]),
    "spark_vs_pandas": ("Ingestion + knowledge graph: Spark local[*] vs pandas (same raw "
                        "Parquet table)", ["rows", "triples", "pandas_wall_s", "spark_wall_s",
                                           "spark_work_s", "spark_over_pandas",
                                           "pandas_tree_peak_mib", "spark_python_peak_mib",
                                           "spark_tree_peak_mib"]),
}


def fmt(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return f"{value:,.2f}" if abs(value) < 1e4 else f"{value:,.0f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def diagnose_section() -> list[str]:
    """The diagnose benchmark: overhead, caching, and the per-step scale curve."""
    path = RESULTS / "diagnose.json"
    if not path.exists():
        return []
    [result] = json.loads(path.read_text(encoding="utf-8"))["results"]
    columns = ["rows", "repeat", "problems", "command_s", "flyte_first_s", "direct_s",
               "overhead_ratio",
               "conversion_s", "flyte_import_s", "flyte_cached_s", "cached_fraction",
               "flyte_peak_mib", "direct_peak_mib"]
    lines = ["## diagnose end to end: flytekit local execution vs plain calls; cached re-run",
             "", "command_s: the whole `pyflyte run workflows/diagnose.py diagnose` process "
             "(start-up and imports included) with an empty cache; flyte_first_s: the "
             "workflow's run in an already started process.", "",
             "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(fmt(size.get(c, "")) for c in columns) + " |"
              for size in result["sizes"]]
    steps = list(result["sizes"][0]["steps"])
    lines += ["", "Per step (direct path): wall seconds / peak MiB (process and children)", "",
              "| step | " + " | ".join(f"{s['rows']:,} rows" for s in result["sizes"]) + " |",
              "|---|" + "---|" * len(result["sizes"])]
    for step in steps:
        cells = [f"{fmt(s['steps'][step]['wall_s'])} s / {fmt(s['steps'][step]['peak_mib'])}"
                 if step in s["steps"] else "" for s in result["sizes"]]
        lines.append(f"| {step} | " + " | ".join(cells) + " |")
    exponents = [f"{name} {e['exponent']:.2f} ({e['from']:,}→{e['to']:,})"
                 for name, found in result["growth_exponents"].items() for e in found]
    if exponents:
        lines += ["", "Growth exponents (wall ∝ rows^b): " + "; ".join(exponents)]
    return lines + [""]


def _learner_cell(row: dict) -> str:
    if row.get("timed_out") == row["runs"]:
        return f"no result in {row['total_s']:.0f} s"
    if row.get("error"):
        return f"failed after {row['total_s']:.1f} s ({row['error'][:60]})"
    held_out = row.get("held_out_f1")
    return (f"{row['f1']:.3f} / {'–' if held_out is None else f'{held_out:.3f}'} / "
            f"{row.get('length', '–')} / {row['total_s']:.2f} s")


def ontolearn_section() -> list[str]:
    """Java learner vs ontolearn: F1 and time per problem and learner, and the summary."""
    path = RESULTS / "learner_vs_ontolearn.json"
    if not path.exists():
        return []
    [result] = json.loads(path.read_text(encoding="utf-8"))["results"]
    learners = list(dict.fromkeys(r["learner"] for r in result["rows"]))
    cells: dict[tuple[str, str], dict[str, dict]] = {}
    for row in result["rows"]:
        cells.setdefault((row["suite"], row["problem"]), {})[row["learner"]] = row
    lines = [f"## Class-expression learners: the Java learner (daikiri) vs ontolearn "
             f"({result['max_runtime_s']:g} s budget each, median of {result['repeat']})", "",
             "training F1 / held-out F1 (30 % of the examples, the same split for every "
             "learner; – when a problem has fewer than 10 positives) / the expression's length "
             "(owlapy's metric) / seconds per problem: the knowledge-base load + the search "
             "(each learner loads once per suite and is timed alike; process start-up — a JVM, "
             "ontolearn's imports — is in the process table below)", "",
             "| suite | problem | " + " | ".join(learners) + " |",
             "|---|---|" + "---|" * len(learners)]
    for (suite, problem), found in cells.items():
        lines.append(f"| {suite} | {problem} | " + " | ".join(
            _learner_cell(found[x]) if x in found else "" for x in learners) + " |")
    lines.append("")
    if result.get("processes"):
        lines += ["Whole process per suite (start-up, load and every problem), seconds; "
                  "measured: the run a learner's figures on that suite come from (a run may "
                  "re-measure some learners and keep the others', `--keep`):", "",
                  "| suite | learner | problems | process | measured |", "|---|---|---|---|---|"]
        lines += [f"| {p['suite']} | {p['learner']} | {p['problems']} | {p['process_s']:.1f} "
                  f"| {p.get('measured', '')} |" for p in result["processes"]]
        lines.append("")
    for learner, summary in result["summary"].items():
        lower = ", ".join(summary["f1_lower_on"]) or "none"
        held_out_lower = ", ".join(summary.get("held_out_f1_lower_on", [])) or "none"
        one_thread = summary.get("process_speedup_one_thread", {})
        process = "; ".join(f"{suite} {ratio:.1f}×" + (
            f" ({one_thread[suite]:.1f}× on one thread)" if suite in one_thread else "")
            for suite, ratio in summary.get("process_speedup", {}).items())
        lines.append(f"- vs {learner}: daikiri's F1 lower on {lower} of {summary['problems']} "
                     f"problems, held-out F1 lower on {held_out_lower}; median speed-up "
                     f"{summary['median_total_speedup']:.1f}× per "
                     f"problem (search alone {summary['median_learn_speedup']:.0f}×)"
                     + (f"; whole process per suite: {process}" if process else ""))
    return lines + [""]


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
    lines += diagnose_section()
    lines += ontolearn_section()
    text = "\n".join(lines)
    (Path(__file__).resolve().parent / "RESULTS.md").write_text(text, encoding="utf-8")
    return text


if __name__ == "__main__":
    print(main())
