"""Drive a Flyte sandbox (or cluster) end to end through flytekit's ``FlyteRemote``.

The steps of ``scripts/sandbox-e2e.sh`` (``make sandbox-e2e``) after the images are pushed
and the workflows registered, each a subcommand:

    python -m deploy.sandbox wait-ready      --config deploy/sandbox/config.yaml
    python -m deploy.sandbox ensure-project  --config ... --project daikiri
    python -m deploy.sandbox check           --config ... --project daikiri --version <sha>

``check`` launches ``diagnose`` at 2,000 rows and ``explore`` from their registered launch
plans, waits for success and asserts the headline explanations (heat dissipation and power
failures with their known thresholds) and the regimes; then launches
``diagnose_reviewed``, answers its two gates through ``FlyteRemote.set_signal`` as a person
does in the UI (names for the regimes, then the approval) and checks that the published
ontology labels the regimes with those names. Everything here speaks Flyte's admin API only,
so it is tested against a stub admin service (tests/test_sandbox.py); the sandbox itself
cannot run on machines without an image registry.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

log = logging.getLogger("daikiri.sandbox")

#: Project id and description of the platform's own project (scripts/register.sh's default).
PROJECT = "daikiri"
DOMAIN = "development"
#: What a person types at the regime-naming gate in the check (two regimes at least).
REGIME_NAMES = {"0": "idle", "1": "high load"}
#: Known failure mechanisms of the default data that a diagnosis must state.
HEADLINE_PATTERNS = (
    r"heat dissipation failure when its rotational speed is below 13\d\d(\.\d+)? rpm and its "
    r"temperature difference is below 8\.6 K",
    r"power failure when its power is below 3500 W or above 9000 W",
)


class SandboxCheckFailed(AssertionError):
    """An end-to-end check found something other than what the platform promises."""


def remote_for(config: str | Path, project: str = PROJECT, domain: str = DOMAIN) -> Any:
    """A ``FlyteRemote`` from a pyflyte config file (endpoint, insecure, storage)."""
    from flytekit.configuration import Config
    from flytekit.remote import FlyteRemote

    return FlyteRemote(Config.auto(config_file=str(config)), default_project=project,
                       default_domain=domain)


def wait_ready(remote: Any, timeout: float = 900.0, poll: float = 10.0,
               clock: Callable[[], float] = time.monotonic,
               sleep: Callable[[float], None] = time.sleep) -> None:
    """Wait until the admin service answers (a fresh sandbox takes minutes to boot)."""
    deadline = clock() + timeout
    while True:
        try:
            remote.client.list_projects()
            log.info("Flyte admin answers")
            return
        except Exception as exc:  # noqa: BLE001 - gRPC's UNAVAILABLE and friends
            if clock() > deadline:
                raise SandboxCheckFailed(f"Flyte admin did not answer within {timeout:.0f} s: "
                                         f"{str(exc).splitlines()[0][:200]}") from None
            log.info("waiting for Flyte admin ...")
            sleep(poll)


def ensure_project(remote: Any, project: str = PROJECT, name: str = "DAIKIRI",
                   description: str = "DAIKIRI platform workflows") -> bool:
    """Create ``project`` unless it exists; True when it was created. Domains are the
    server's (development, staging, production by default): every project has them all."""
    from flytekit.exceptions.user import FlyteEntityAlreadyExistsException
    from flytekit.models.project import Project

    try:
        remote.client.register_project(Project(id=project, name=name, description=description))
    except FlyteEntityAlreadyExistsException:
        log.info("project %s exists", project)
        return False
    log.info("project %s created", project)
    return True


def pending_signals(remote: Any, execution_name: str) -> dict[str, Any]:
    """The gates of an execution waiting for an answer, by signal id."""
    return {s.id.signal_id: s for s in remote.list_signals(execution_name)
            if not s.HasField("value")}


@dataclass(frozen=True)
class GateAnswer:
    """What a person answers at a gate: the value and its Python type."""

    signal_id: str
    value: Any
    python_type: type


def answer_gates(remote: Any, execution_name: str, answers: Sequence[GateAnswer],
                 timeout: float = 1800.0, poll: float = 10.0,
                 clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep,
                 is_done: Callable[[], bool] = lambda: False) -> list[str]:
    """Answer each gate when the execution reaches it, in order; the signal ids answered.

    A gate exists (``list_signals``) only once the execution reaches it; an answer sent
    earlier would be an error, so each is sent when its gate shows up unanswered."""
    answered: list[str] = []
    deadline = clock() + timeout
    for answer in answers:
        while answer.signal_id not in pending_signals(remote, execution_name):
            if is_done():
                raise SandboxCheckFailed(f"execution {execution_name} ended before its gate "
                                         f"'{answer.signal_id}'")
            if clock() > deadline:
                raise SandboxCheckFailed(f"gate '{answer.signal_id}' of {execution_name} did not "
                                         f"appear within {timeout:.0f} s")
            sleep(poll)
        remote.set_signal(answer.signal_id, execution_name, answer.value,
                          python_type=answer.python_type)
        log.info("answered gate %s of %s", answer.signal_id, execution_name)
        answered.append(answer.signal_id)
    return answered


def check_headline(headline: Sequence[str]) -> None:
    """The diagnosis states the known failure mechanisms with their thresholds."""
    text = "\n".join(headline)
    missing = [p for p in HEADLINE_PATTERNS if not re.search(p, text)]
    if missing:
        raise SandboxCheckFailed(f"the headline misses {missing}; it reads:\n{text}")


def check_published_regimes(ontology_turtle: str, names: Mapping[str, str]) -> None:
    """The published ontology labels regime classes with the names a person gave."""
    labels = set(re.findall(r'rdfs:label "([^"]*)"@en', ontology_turtle))
    missing = sorted(set(names.values()) - labels)
    if missing:
        raise SandboxCheckFailed(f"the published ontology has no regime labelled {missing} "
                                 f"(labels: {sorted(labels)[:20]})")


def cluster_names_text(names: Mapping[str, str]) -> str:
    """The gate's text format, ``0=idle; 1=high load``."""
    return "; ".join(f"{k}={v}" for k, v in names.items())


def run_checks(remote: Any, version: str, rows: int = 2_000,
               timeout: float = 3600.0) -> None:
    """Launch diagnose, explore and diagnose_reviewed on the backend and check them."""
    from datetime import timedelta

    from daikiri.diagnosis import DiagnosisSummary

    wait = timedelta(seconds=timeout)
    diagnose = remote.fetch_launch_plan(name="workflows.diagnose.diagnose", version=version)
    execution = remote.wait(remote.execute(diagnose, inputs={"rows": rows}), timeout=wait)
    _succeeded(execution)
    summary = execution.outputs.get("summary", as_type=DiagnosisSummary)
    check_headline(summary.headline)
    explore = remote.fetch_launch_plan(name="workflows.explore.explore", version=version)
    execution = remote.wait(remote.execute(explore, inputs={"rows": rows}), timeout=wait)
    _succeeded(execution)
    from daikiri.clustering import ClusterMetrics

    metrics = execution.outputs.get("cluster_metrics", as_type=ClusterMetrics)
    if metrics.n_clusters < 2:
        raise SandboxCheckFailed(f"explore found {metrics.n_clusters} regime(s), expected >= 2")
    reviewed = remote.fetch_launch_plan(name="workflows.diagnose.diagnose_reviewed",
                                        version=version)
    execution = remote.execute(reviewed, inputs={"rows": rows})
    name = execution.id.name

    def done() -> bool:
        return remote.sync_execution(execution).is_done

    answer_gates(remote, name, [GateAnswer("cluster_names", cluster_names_text(REGIME_NAMES),
                                           str),
                                GateAnswer("review-round-1", "* accept", str)],
                 timeout=timeout, is_done=done)
    execution = remote.wait(execution, timeout=wait)
    _succeeded(execution)
    from flytekit.types.file import FlyteFile

    published = execution.outputs.get("published_ontology", as_type=FlyteFile)
    check_published_regimes(Path(published.download()).read_text(encoding="utf-8"),
                            REGIME_NAMES)
    log.info("sandbox checks passed: diagnose, explore, diagnose_reviewed (version %s)",
             version)


def _succeeded(execution: Any) -> None:
    if execution.closure.phase != 4:  # WorkflowExecutionPhase.SUCCEEDED
        error = execution.closure.error.message if execution.closure.error else ""
        raise SandboxCheckFailed(f"execution {execution.id.name} did not succeed: {error}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=["wait-ready", "ensure-project", "check"])
    parser.add_argument("--config", default="deploy/sandbox/config.yaml")
    parser.add_argument("--project", default=PROJECT)
    parser.add_argument("--domain", default=DOMAIN)
    parser.add_argument("--version", help="the registered version (check)")
    parser.add_argument("--rows", type=int, default=2_000)
    parser.add_argument("--timeout", type=float, default=3600.0)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    remote = remote_for(args.config, args.project, args.domain)
    try:
        if args.command == "wait-ready":
            wait_ready(remote, timeout=args.timeout)
        elif args.command == "ensure-project":
            ensure_project(remote, args.project)
        else:
            if not args.version:
                parser.error("check needs --version (the registered version, the git SHA)")
            run_checks(remote, args.version, rows=args.rows, timeout=args.timeout)
    except SandboxCheckFailed as exc:
        print(f"sandbox: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
