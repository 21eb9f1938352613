"""Shared fixtures: the default spec, small generated tables, a temporary CSV writer."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest

from daikiri.datagen import generate_machine_runs
from daikiri.spec import DatasetSpec, default_spec

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def isolated_flyte_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh HOME for the whole session (and the `pyflyte` subprocesses, which inherit it):
    flytekit's local task cache lives in ~/.flyte/local-cache, and entries from earlier runs
    point at temporary files that may be gone. Tests start with an empty cache."""
    home = tmp_path_factory.mktemp("home")
    previous = os.environ.get("HOME")
    os.environ["HOME"] = str(home)
    yield home
    if previous is not None:
        os.environ["HOME"] = previous


@pytest.fixture(scope="session")
def docker_daemon() -> None:
    done = subprocess.run(["bash", "scripts/docker-daemon.sh"], cwd=ROOT, capture_output=True,
                          text=True)
    if done.returncode != 0:
        pytest.skip(f"no Docker daemon can be had here: {done.stderr.strip()}")


@pytest.fixture(scope="session")
def local_images(docker_daemon) -> None:
    done = subprocess.run(["bash", "scripts/images.sh", "--local"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-4000:]


@pytest.fixture
def spec() -> DatasetSpec:
    return default_spec()


@pytest.fixture(scope="session")
def runs_10k() -> pd.DataFrame:
    return generate_machine_runs(rows=10_000, seed=7)


@pytest.fixture
def small_runs() -> pd.DataFrame:
    """2,000 generated runs: every label has positives for this seed (asserted in a test)."""
    return generate_machine_runs(rows=2_000, seed=3)


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[[pd.DataFrame, str], Path]:
    def write(frame: pd.DataFrame, name: str = "table.csv") -> Path:
        path = tmp_path / name
        frame.to_csv(path, index=False)
        return path
    return write
