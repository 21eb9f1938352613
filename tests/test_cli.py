"""What a person sees: the ``daikiri`` command, its output folder, its errors, the report as
headless Chromium renders it, and ``pyflyte run``'s one-line user errors."""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
DAIKIRI = Path(sys.executable).parent / "daikiri"
PYFLYTE = Path(sys.executable).parent / "pyflyte"
CHROMIUM = shutil.which("chromium")
SMALL = ["--rows", "2000", "--seed", "3", "--max_runtime", "2", "--embedding_epochs", "2"]


def daikiri(*args: str, cwd: Path = ROOT, timeout: int = 900) -> subprocess.CompletedProcess:
    env = {**os.environ, "FLYTE_SDK_RICH_TRACEBACKS": "0"}
    return subprocess.run([str(DAIKIRI), *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """One small ``daikiri diagnose``: its output and its folder."""
    assert DAIKIRI.exists(), "the console script is installed by `pip install -e .`"
    out = tmp_path_factory.mktemp("run") / "diagnosis"
    done = daikiri("diagnose", *SMALL, "--out", str(out))
    assert done.returncode == 0, done.stderr[-3000:]
    return done, out


def test_the_terminal_shows_steps_problems_explanations_and_the_folder(run):
    done, out = run
    lines = done.stdout.splitlines()
    assert len(lines) <= 40, done.stdout
    assert lines[0].startswith("[1/15] load_spec (")
    steps = [line for line in lines if re.match(r"\[\d+/15\] ", line)]
    assert [s.split()[1].rstrip(":") for s in steps][:4] == ["load_spec", "check_params",
                                                              "ingest", "cluster"]
    assert len(steps) == 15 and steps[-1].startswith("[15/15] record_provenance")
    assert any(re.match(r"\[\d+/15\] build_kg: 2,000 individuals, [\d,]+ triples", s)
               for s in steps)
    learner = [line.strip() for line in lines if line.startswith("    learner ")]
    total = int(re.search(r"(\d+) learning problems", done.stdout).group(1))
    # one line per problem as it finishes (side by side, so in any order), numbered in turn
    assert [line.split()[1] for line in learner] == [f"{i}/{total}" for i in range(1, total + 1)]
    assert len({line.split()[2] for line in learner}) == total
    assert any(line.split()[2] == "label:twf:" for line in learner)
    assert any(re.match(r"learner \d+/\d+ label:pwf: F1 1\.000, target reached \(", line)
               for line in learner)
    explained = re.search(r"Explanations \((\d+) of (\d+) explained\):", done.stdout)
    assert explained and int(explained.group(2)) == total
    assert any("its power is below 3500 W or above 9000 W" in line for line in lines)
    assert lines[-1].startswith(f"Saved in {out}/: ")


def test_every_output_lands_in_the_folder(run):
    _, out = run
    assert {"report.html", "explanations.csv", "kg", "model.pt", "provenance.json",
            "summary.json", "decks"} <= {p.name for p in out.iterdir()}
    assert (out / "kg" / "tbox.nt").exists() and list((out / "kg" / "abox").glob("*.nt"))
    record = json.loads((out / "provenance.json").read_text())
    assert record["parameters"]["max_runtime"] == "2.0"
    decks = {p.stem for p in (out / "decks").glob("*.html")}
    assert {"ingest", "cluster", "build_kg", "write_report"} <= decks


def _render(report: Path, folder: Path) -> tuple[Path, dict]:
    """Headless Chromium at 1280 px: a screenshot, and what the laid-out page measures (the
    page's width, the images drawn, the first explanation's text) read back through a
    script appended to a copy of the report."""
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={folder / 'profile'}", "--window-size=1280,2000",
             "--hide-scrollbars"]
    png = folder / "report.png"
    subprocess.run([CHROMIUM, *flags, f"--screenshot={png}", report.as_uri()],
                   capture_output=True, timeout=120, check=True)
    probe = folder / "probe.html"
    probe.write_text(report.read_text(encoding="utf-8").replace("</body>", """<script>
      window.addEventListener('load', () => { document.title = JSON.stringify({
        width: document.documentElement.scrollWidth,
        drawn: [...document.images].filter(i => i.naturalWidth > 0
                                            && i.getBoundingClientRect().width > 0).length,
        first: document.querySelector('td').innerText}); });
    </script></body>"""), encoding="utf-8")
    dom = subprocess.run([CHROMIUM, *flags, "--virtual-time-budget=5000", "--dump-dom",
                          probe.as_uri()], capture_output=True, text=True, timeout=120,
                         check=True).stdout
    title = re.search(r"<title>(.*?)</title>", dom, re.S).group(1)
    return png, json.loads(title.replace("&quot;", '"').replace("&amp;", "&"))


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed "
                                              "(scripts/test.sh installs it)")
def test_the_report_as_chromium_renders_it(run, tmp_path):
    from matplotlib.image import imread

    _, out = run
    png, page = _render(out / "report.html", tmp_path)
    pixels = imread(png)
    assert pixels.shape[1] == 1280 and float(np.std(pixels[..., :3])) > 0.05  # not blank
    assert page["width"] <= 1280  # no sideways scrolling
    assert page["drawn"] >= 3  # the projection, the coverage, PR curves, confusion matrices
    assert page["first"].startswith("A machine run has a")  # explanations come first
    text = (out / "report.html").read_text(encoding="utf-8")
    assert "label:" not in text and "nan" not in re.sub(r"<[^>]+>", " ", text).split()
    assert "<footer>" in text and "sha256 of the clean table" in text


@pytest.mark.parametrize("args, message", [
    (["--labels", "nope"], "daikiri diagnose: error: check_params: input 'labels': 'nope' is "
                           "not a label of spec 'ai4i2020'"),
    (["--table_file", "/no/such/runs.csv"],
     "daikiri diagnose: error: input 'table_file': file '/no/such/runs.csv' does not exist"),
    (["--max_runtime", "0"], "daikiri diagnose: error: check_params: input 'max_runtime' must "
                             "be between 0.01 and 1e+07, got 0.0"),
    (["--seed", "-3"], "daikiri diagnose: error: check_params: input 'seed' must be between 0"),
    (["--cluster_method", "dbscan"], "daikiri diagnose: error: argument --cluster_method/"
                                     "--cluster-method: invalid choice: 'dbscan'"),
    (["--rows", "many"], "daikiri diagnose: error: argument --rows: invalid int value: 'many'"),
])
def test_a_user_error_is_one_line(args, message, tmp_path):
    done = daikiri("diagnose", *args, "--out", str(tmp_path / "out"), timeout=300)
    assert done.returncode != 0
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), done.stderr[-2000:]


def test_verbose_shows_the_traceback(tmp_path):
    done = daikiri("diagnose", "--labels", "nope", "--verbose", "--out", str(tmp_path / "o"),
                   timeout=300)
    assert done.returncode != 0 and "Traceback" in done.stderr


@pytest.mark.parametrize("args, message", [
    (["--labels", '["nope"]'], "Error: check_params: input 'labels': 'nope' is not a label of "
                               "spec 'ai4i2020'; its labels are twf, hdf, pwf, osf, rnf, "
                               "machine_failure"),
    (["--table_file", "/no/such/runs.csv"],
     "Error: input 'table_file': file '/no/such/runs.csv' does not exist"),
])
def test_pyflyte_run_prints_a_user_error_in_one_line(args, message):
    env = {**os.environ, "FLYTE_SDK_RICH_TRACEBACKS": "0"}
    done = subprocess.run([str(PYFLYTE), "run", "workflows/diagnose.py", "diagnose", *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode != 0
    assert [line for line in done.stderr.splitlines() if line.strip()] == [message], \
        done.stderr[-2000:]
    assert "is used more than once" not in done.stderr  # flytekit's duplicate-option noise


def test_help_comes_from_the_workflows_docstrings():
    done = daikiri("--help", timeout=300)
    assert done.returncode == 0 and "diagnose" in done.stdout and "explain" in done.stdout
    done = daikiri("diagnose", "--help", timeout=300)
    assert "--max_runtime FLOAT" in done.stdout
    assert "learner time limit per problem, seconds." in done.stdout
    assert ("--explain_clusters, --no-explain_clusters, --explain-clusters, "
            "--no-explain-clusters") in done.stdout
