"""The explore workflow under flytekit's local execution and through a real `pyflyte run`."""

import os
import subprocess
import sys
from pathlib import Path

import flytekit.deck.deck as flyte_deck
import pandas as pd
import pytest
import yaml
from flytekit.types.file import FlyteFile

from daikiri.params import ClusterMethod
from daikiri.spec import default_spec
from workflows.explore import explore

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def deck_html(monkeypatch) -> list[str]:
    """Record the Deck HTML each task renders (wraps flytekit's own renderer)."""
    rendered: list[str] = []
    original = flyte_deck._get_deck

    def spy(*args, **kwargs):
        html = original(*args, **kwargs)
        rendered.append(html)
        return html

    monkeypatch.setattr(flyte_deck, "_get_deck", spy)
    return rendered


def test_explore_on_generated_default_data(deck_html, monkeypatch):
    commands: list[list[str]] = []
    check_output = subprocess.check_output

    def recorded(command, *args, **kwargs):
        commands.append(list(command))
        return check_output(command, *args, **kwargs)

    monkeypatch.setattr(subprocess, "check_output", recorded)
    out = explore(rows=1_500, seed=3, k_min=2, k_max=4)
    assert out.ingest_summary.rows_kept == 1_500
    assert out.ingest_summary.label_counts["hdf"] > 0
    assert 2 <= out.cluster_metrics.n_clusters <= 4
    assert sum(out.cluster_metrics.sizes.values()) == 1_500
    assert len(out.cluster_assignments) == 1_500
    assert set(out.cluster_assignments.columns) == {"udi", "cluster"}
    assert out.cluster_profile["rows"].sum() == 1_500
    joined = "".join(deck_html)
    assert "Cluster profiles" in joined and "data:image/png;base64," in joined
    assert "Positives per label" in joined
    # flytekit's own decks beside ours, but not its "Dependencies" deck (`pip list` and `pip
    # freeze` at every decked task, 1.3 s each; tasks.common.DECK_FIELDS)
    assert "Source Code" in joined
    assert not [c for c in commands if "pip" in c], commands


def test_explore_on_a_user_table_with_its_own_spec(tmp_path):
    """Another table, other column names, labels and derived features: nothing AI4I-specific."""
    rng = pd.Series(range(600))
    table = pd.DataFrame({
        "part": [f"P-{i:04d}" for i in rng],
        "pressure_bar": (rng % 3) * 10.0 + (rng % 7) * 0.1,
        "flow_lpm": (rng % 3) * -5.0 + (rng % 5) * 0.2,
        "line": ["north" if i % 2 else "south" for i in rng],
        "leak": ((rng % 3) == 2).astype(int),
    })
    table_path = tmp_path / "parts.csv"
    table.to_csv(table_path, index=False)
    spec_path = tmp_path / "parts.yaml"
    spec_path.write_text(yaml.safe_dump({
        "name": "parts", "base_iri": "https://example.org/parts#", "entity": "Part",
        "id_column": "part", "label_columns": ["leak"], "numeric_columns": ["pressure_bar",
                                                                            "flow_lpm"],
        "categorical_columns": ["line"], "derived": {"ratio": "pressure_bar / (flow_lpm - 20)"},
    }), encoding="utf-8")
    out = explore(table_file=FlyteFile(str(table_path)), spec_file=FlyteFile(str(spec_path)),
                  k_min=2, k_max=5)
    assert out.ingest_summary.rows_kept == 600
    assert out.ingest_summary.label_counts == {"leak": 200}
    assert out.cluster_metrics.n_clusters == 3  # three planted pressure/flow regimes
    assert "ratio mean" in out.cluster_profile.columns
    rates = sorted(out.cluster_profile["leak rate"])
    assert rates == [0.0, 0.0, 1.0]


def test_explore_surfaces_a_bad_table_as_one_clear_message(tmp_path):
    frame = default_spec()  # spec unchanged; the table lacks a label column
    bad = tmp_path / "bad.csv"
    from daikiri.datagen import generate_machine_runs
    generate_machine_runs(100, seed=1).drop(columns=["osf"]).to_csv(bad, index=False)
    with pytest.raises(Exception) as info:
        explore(table_file=FlyteFile(str(bad)))
    assert "missing column(s) ['osf'] required by spec 'ai4i2020'" in str(info.value)
    assert frame.name == "ai4i2020"


def _pyflyte(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([str(Path(sys.executable).parent / "pyflyte"), "run", *args],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_pyflyte_run_explore_with_defaults_and_with_a_user_table(tmp_path):
    done = _pyflyte("workflows/explore.py", "explore", "--rows", "1200", "--k_max", "3")
    assert done.returncode == 0, done.stderr[-3000:]
    assert "cluster_metrics" in done.stdout and "n_clusters=" in done.stdout
    assert "rows_kept=1200" in done.stdout


def test_pyflyte_run_reports_the_bad_column_without_a_deep_trace(tmp_path):
    from daikiri.datagen import generate_machine_runs
    frame = generate_machine_runs(300, seed=2).astype({"torque_nm": object})
    frame.loc[4, "torque_nm"] = "n/a Nm"
    bad = tmp_path / "bad.csv"
    frame.to_csv(bad, index=False)
    done = _pyflyte("workflows/explore.py", "explore", "--table_file", str(bad))
    assert done.returncode != 0
    assert [line for line in done.stderr.splitlines() if line.strip()] == [
        f"Error: ingest: table file '{bad}': numeric column 'torque_nm' has non-numeric "
        "value(s) 'n/a Nm' at row 5"]  # one line (the project's pyflyte plugin), no trace


def test_a_clustering_without_regimes_warns_in_the_deck_and_the_diagnosis(deck_html):
    from workflows.diagnose import diagnose

    out = diagnose(rows=2_000, seed=42, labels=["pwf"], cluster_method=ClusterMethod.HDBSCAN,
                   explain_model=False, max_runtime=2.0, embedding_epochs=2)
    [warning] = out.summary.warnings
    assert warning.startswith("hdbscan ") and "noise" in warning
    page = Path(out.report.download()).read_text(encoding="utf-8")
    assert page.index("Warnings") < page.index("Why runs fail")
    assert any("<b>Warning:</b> hdbscan " in html for html in deck_html)
