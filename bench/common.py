"""Shared helpers of the benchmarks: isolated measurements and result files."""

from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

#: Where results go; tests point this elsewhere so tiny runs never overwrite real figures.
RESULTS = Path(os.environ.get("DAIKIRI_BENCH_RESULTS", Path(__file__).resolve().parent / "results"))


@contextmanager
def scratch_environment() -> Iterator[dict[str, str]]:
    """The environment for a measured child process with ``TMPDIR`` set to a fresh folder that
    is removed afterwards, so what the child writes to temporary files (flytekit's local
    execution outputs, knowledge graphs: gigabytes at a million rows) does not outlive it."""
    with tempfile.TemporaryDirectory(prefix="bench-child-") as folder:
        yield {**os.environ, "TMPDIR": folder}


def run_measured(command: list[str], timeout: float = 3600) -> dict:
    """Run a command as a child process; wall seconds and the child's peak RSS (MiB).

    Each call must run in a fresh Python process for the peak to be this command's alone
    (RUSAGE_CHILDREN keeps the maximum over all children reaped so far).
    """
    with scratch_environment() as env:
        started = time.perf_counter()
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env)
        wall = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if done.returncode != 0:
        raise RuntimeError(f"{command[:4]} failed: {done.stderr[-2000:]}")
    return {"wall_s": wall, "peak_mib": peak, "stdout": done.stdout}


def isolated(module: str, *args: str) -> dict:
    """Run ``python -m module --one args`` in a fresh interpreter (with its own temporary
    folder, see :func:`scratch_environment`) and parse its JSON line."""
    with scratch_environment() as env:
        done = subprocess.run([sys.executable, "-m", module, "--one", *args],
                              capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{module} {args} failed: {done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def median_of(runs: list[dict], keys: list[str]) -> dict:
    return {k: statistics.median(r[k] for r in runs) for k in keys}


def machine() -> dict:
    return {"python": platform.python_version(), "cpus": os.cpu_count(),
            "platform": platform.platform(), "processor": platform.processor() or "unknown"}


def write(name: str, results: list[dict]) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps({"machine": machine(), "results": results}, indent=2),
                    encoding="utf-8")
    return path


def previous_results(name: str) -> list[dict]:
    """The results of the last run of benchmark ``name`` (empty when there is none): a run
    that re-measures a part can keep the rest."""
    path = RESULTS / f"{name}.json"
    if not path.exists():
        return []
    return json.loads(path.read_text(encoding="utf-8"))["results"]


def own_peak_mib() -> float:
    """This process's peak resident memory (VmHWM), in MiB.

    Not ``getrusage(RUSAGE_SELF).ru_maxrss``: on Linux a child started by fork + exec inherits
    the parent's maximum at the fork, so a fresh measuring process would report at least the
    memory of the bench process that generated its input table.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def merged_by_rows(name: str, fresh: list[dict]) -> list[dict]:
    """``fresh`` results plus earlier ones of other sizes from RESULTS/<name>.json, so sizes
    can be measured in separate runs (the 5M-row run alone, say)."""
    path = RESULTS / f"{name}.json"
    earlier = json.loads(path.read_text(encoding="utf-8"))["results"] if path.exists() else []
    return by_rows(earlier, fresh)


def by_rows(earlier: list[dict], fresh: list[dict]) -> list[dict]:
    """One entry per row count, ``fresh`` replacing ``earlier``, in order of rows."""
    merged = {r["rows"]: r for r in earlier} | {r["rows"]: r for r in fresh}
    return [merged[rows] for rows in sorted(merged)]


def _tree_rss_mib(pid: int) -> float:
    """Resident memory of a process and all its descendants, from /proc (Linux)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    total, stack = 0.0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) / 1024
        except OSError:
            pass
        stack.extend(children.get(current, []))
    return total


class PeakMemory:
    """Peak resident memory (MiB) of this process and its children while the block runs.

    Sampled every ``interval`` seconds by a thread, so a child (the Java learner) counts too.
    """

    def __init__(self, interval: float = 0.1) -> None:
        self.interval = interval
        self.peak_mib = 0.0

    def __enter__(self) -> PeakMemory:
        import threading

        self._stop = threading.Event()
        self.peak_mib = _tree_rss_mib(os.getpid())

        def sample() -> None:
            while not self._stop.wait(self.interval):
                self.peak_mib = max(self.peak_mib, _tree_rss_mib(os.getpid()))

        self._thread = threading.Thread(target=sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak_mib = max(self.peak_mib, _tree_rss_mib(os.getpid()))
