"""Non-Python components as Flyte ContainerTasks that also run locally, in Docker or not.

On a Flyte cluster a ContainerTask is the image run with its serialized command; the backend
puts the inputs under ``/var/inputs`` and collects ``/var/outputs``. flytekit's own local
execution of a ContainerTask needs a Docker daemon, pulls any image it lacks (so it fails for
images only this project builds) and ignores the container's exit code.
``HostContainerTask`` runs the *same* command one of two ways and fails loudly on a non-zero
exit, with the program's stderr:

- ``docker``: the image, through a real ``docker run`` as the image's own user, the inputs
  mounted read-only where the command expects them and the output folder mounted writable;
- ``host``: the command on this machine, container paths mapped to the local files, and the
  program paths inside the image (``host_paths``, e.g. the learner jar) to their local builds.

Which one is chosen per image name ``N`` (the ``{{.image.N...}}`` of the task's image): the
setting ``DAIKIRI_<N>_RUNTIME`` (else ``DAIKIRI_CONTAINER_RUNTIME``) is ``auto`` (default: the
image when a Docker daemon answers and the image exists locally, built from this checkout's
sources where the component names them, else the host), ``docker`` or
``host``. Local images are ``daikiri-<N>:latest`` (``bash scripts/images.sh --local`` builds
them) or ``$DAIKIRI_LOCAL_IMAGE_<N>``; they are never pulled. One log line per task says
which runtime runs it.

``container_component`` is the public way to wrap a partner's program (README, "Add your
component"); the Java learner is one.
"""

from __future__ import annotations

import logging
import os
import re
import shutil
import signal
import stat
import subprocess
import tempfile
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from flytekit import ContainerTask, Resources, TaskMetadata
from flytekit.core.context_manager import FlyteContext
from flytekit.core.type_engine import TypeEngine
from flytekit.exceptions.user import FlyteRecoverableException
from flytekit.models.literals import LiteralMap
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile

from daikiri.errors import DaikiriError
from tasks.common import SHORT, SMALL, configure_logging
from tasks.versions import SOURCES_LABEL, sources_version

log = logging.getLogger("daikiri.container")

#: Where every component reads its inputs and writes its outputs inside its container.
INPUT_DIR = "/var/inputs"
OUTPUT_DIR = "/var/outputs"
#: The command that builds the local images.
BUILD_COMMAND = "bash scripts/images.sh --local"
RUNTIMES = ("auto", "docker", "host")
#: A component's environment for local runs, from the run's inputs.
LocalEnv = Callable[[dict[str, Any]], Mapping[str, str]]


class ContainerTaskFailed(RuntimeError):
    """The container's program exited non-zero; the message holds its stderr."""


class ContainerTaskKilled(ContainerTaskFailed, FlyteRecoverableException):
    """The program was killed by a signal (out of memory, a node going away): a fault of the
    machine, so the task's retries apply — locally here, on a cluster by Flyte."""

    def __str__(self) -> str:  # the message itself, not flytekit's "USER:Recoverable: ..."
        return str(self.args[0]) if self.args else ""


class ContainerRuntimeError(DaikiriError):
    """The runtime a user asked for cannot run the component (no daemon, no image, a bad
    setting); the message names the setting, the image and how to fix it."""


def docker_available() -> bool:
    """Whether a Docker daemon answers (not just the docker CLI being installed)."""
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:  # noqa: BLE001 - any failure means "no usable daemon"
        return False


def local_image_labels(image: str) -> dict[str, str] | None:
    """The labels of ``image`` on this Docker daemon, None when it does not have it."""
    import docker

    try:
        return dict(docker.from_env(timeout=10).images.get(image).labels or {})
    except docker.errors.ImageNotFound:
        return None


def image_name(image: str) -> str | None:
    """The flytekit image name of a registration template (``{{.image.learner.fqn}}...`` ->
    ``learner``), or None for a literal image reference."""
    match = re.match(r"^\{\{\.image\.(\w+)\.fqn\}\}", image)
    return match.group(1) if match else None


def runtime_setting(name: str | None) -> tuple[str, str]:
    """The runtime asked for a component of image ``name``, and the setting that asked."""
    keys = ([f"DAIKIRI_{name.upper()}_RUNTIME"] if name else []) + ["DAIKIRI_CONTAINER_RUNTIME"]
    for key in keys:
        value = os.environ.get(key, "").strip().lower()
        if value:
            if value not in RUNTIMES:
                raise ContainerRuntimeError(f"{key} must be one of {', '.join(RUNTIMES)}, "
                                            f"not {os.environ[key]!r}")
            return value, key
    return "auto", keys[0]


class HostContainerTask(ContainerTask):
    """A ContainerTask whose local execution runs its image in Docker or its command on the
    host (see the module docstring), and fails on a non-zero exit."""

    def __init__(self, *args: Any, host_paths: dict[str, Callable[[], str]] | None = None,
                 describe: Callable[[dict[str, Any]], str] | None = None,
                 local_env: LocalEnv | None = None,
                 sources: Sequence[Path] = (),
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._sources = tuple(sources)
        self._host_paths = host_paths or {}
        self._describe = describe
        self._local_env = local_env
        self._announced: str | None = None
        self._sources_version: str | None = None  # computed on first need (Docker runs only)

    def execute(self, **kwargs: Any) -> LiteralMap:
        ctx = FlyteContext.current_context()
        self._input_data_dir = os.path.normpath(self._input_data_dir or "")
        self._output_data_dir = os.path.normpath(self._output_data_dir or "")
        runtime = self.runtime()
        output_directory = ctx.file_access.get_random_local_directory()
        for value in kwargs.values():
            if isinstance(value, FlyteFile | FlyteDirectory):
                value.download()  # make the local path real before it is mounted or mapped
        commands, volumes = self._prepare_command_and_volumes(
            (self._cmd or []) + (self._args or []), **kwargs)
        what = f" ({self._describe(kwargs)})" if self._describe else ""
        env = self.extra_env(kwargs)
        attempts = 1 + (self.metadata.retries if self.metadata else 0)
        for attempt in range(1, attempts + 1):
            if runtime == "docker":
                status, stderr = self._run_in_docker(commands, volumes, output_directory, env)
            else:
                status, stderr = self._run_on_host(commands, volumes, output_directory, env)
            if status == 0:
                break
            message = (f"{self.name}{what} {exit_description(status)}: "
                       f"{stderr.strip()[-4000:] or '(nothing on stderr)'}")
            if signal_of(status) is None:  # the program's own verdict: not retried
                raise ContainerTaskFailed(message)
            if attempt == attempts:
                raise ContainerTaskKilled(f"{message} (attempt {attempt} of {attempts})")
            log.warning("%s%s %s; retrying (attempt %d of %d)", self.name, what,
                        exit_description(status), attempt + 1, attempts)
        return TypeEngine.dict_to_literal_map(ctx, self._get_output_dict(output_directory))

    def local_image(self) -> str:
        """The image for local Docker runs: a registration template falls back to
        ``$DAIKIRI_LOCAL_IMAGE_<NAME>`` or ``daikiri-<name>:latest``."""
        image = str(self._image)
        name = image_name(image)
        if name is None:
            return image
        return os.environ.get(f"DAIKIRI_LOCAL_IMAGE_{name.upper()}", f"daikiri-{name}:latest")

    def runtime(self) -> str:
        """``docker`` or ``host``, as the setting asks and this machine allows; says which
        once per task and process. A forced runtime that cannot run fails with what to do."""
        asked, key = runtime_setting(image_name(str(self._image)))
        image = self.local_image()
        if asked == "host":
            chosen, why = "host", f"on the host ({key}=host)"
        else:
            daemon = docker_available()
            labels = local_image_labels(image) if daemon else None
            stale = self.stale_image(labels) if labels is not None else ""
            if asked == "docker" and not daemon:
                raise ContainerRuntimeError(
                    f"{key}=docker, but no Docker daemon answers: start Docker, or set "
                    f"{key}=host (or auto) to run {self.name} on this machine")
            if asked == "docker" and labels is None:
                raise ContainerRuntimeError(
                    f"{key}=docker, but the image '{image}' is not on this machine: build it "
                    f"with `{BUILD_COMMAND}` (images are never pulled for local runs)")
            if asked == "docker" and stale:
                raise ContainerRuntimeError(f"{key}=docker, but {stale}")
            if labels is not None and not stale:
                chosen, why = "docker", f"image {image} (Docker)"
            else:
                chosen = "host"
                why = (f"on the host: {stale}" if stale else
                       f"on the host: the image {image} is not built (`{BUILD_COMMAND}`)"
                       if daemon else "on the host: no Docker daemon")
        if self._announced != why:
            configure_logging()
            log.info("%s runs %s", self.name, why if chosen == "host" else f"in {why}")
            self._announced = why
        return chosen

    def stale_image(self, labels: Mapping[str, str]) -> str:
        """Why the local image (with these labels) is not the program of this checkout's
        ``sources``, or "" when it is (or the component names no sources). Its results would
        be cached under the current sources' version, so it is never used."""
        if not self._sources:
            return ""
        if self._sources_version is None:  # read the sources once per task, not per call
            self._sources_version = sources_version(self._sources)
        expected = self._sources_version
        found = labels.get(SOURCES_LABEL)
        if found == expected:
            return ""
        return (f"the image {self.local_image()} was built from other sources than this "
                f"checkout's (label {SOURCES_LABEL}={found or '(none)'}, the sources are "
                f"{expected}): rebuild it with `{BUILD_COMMAND}`")

    def extra_env(self, inputs: dict[str, Any]) -> dict[str, str]:
        """Environment added to a local run with these inputs (``local_env``'s)."""
        return {} if self._local_env is None else dict(self._local_env(inputs))

    def host_command(self, commands: list[str], volumes: dict[str, dict[str, str]],
                     output_directory: str) -> list[str]:
        """The container command with container paths replaced by host paths."""
        mapping = {binding["bind"]: host for host, binding in volumes.items()}
        mapping[self._output_data_dir] = output_directory
        mapping.update({container: local() for container, local in self._host_paths.items()})
        longest_first = sorted(mapping.items(), key=lambda kv: -len(kv[0]))
        rewritten = []
        for arg in commands:
            # a path, or an option's value after "=" (-XX:SharedArchiveFile=/opt/...)
            option, equals, value = arg.partition("=") if arg.startswith("-") else ("", "", arg)
            for container, host in longest_first:
                if value == container or value.startswith(container + "/"):
                    value = host + value[len(container):]
                    break
            rewritten.append(option + equals + value)
        return rewritten

    def _run_on_host(self, commands: list[str], volumes: dict[str, dict[str, str]],
                     output_directory: str, env: Mapping[str, str]) -> tuple[int, str]:
        command = self.host_command(commands, volumes, output_directory)
        try:
            done = subprocess.run(command, capture_output=True, text=True,
                                  env={**os.environ, **env})
        except FileNotFoundError:
            raise ContainerRuntimeError(
                f"{self.name} cannot run on the host: '{command[0]}' is not installed here; "
                f"build its image (`{BUILD_COMMAND}`) and run it in Docker") from None
        relay(done.stderr)
        return done.returncode, done.stderr

    def _run_in_docker(self, commands: list[str], volumes: dict[str, dict[str, str]],
                       output_directory: str, env: Mapping[str, str]) -> tuple[int, str]:
        import docker

        # inputs read-only and readable by the image's own (non-root) user; the output folder
        # writable by it, as the shared volume of a Flyte pod is
        staging = tempfile.mkdtemp(prefix="container-inputs-")
        try:
            volumes = {readable_by_everyone(host, staging): {"bind": binding["bind"],
                                                             "mode": "ro"}
                       for host, binding in volumes.items()}
            volumes[output_directory] = {"bind": self._output_data_dir, "mode": "rw"}
            os.chmod(output_directory, 0o777)
            client = docker.from_env()
            container = client.containers.run(self.local_image(), command=commands,
                                              volumes=volumes, environment=dict(env),
                                              detach=True)
            try:
                status = container.wait().get("StatusCode", 1)
                stderr = container.logs(stdout=False, stderr=True).decode("utf-8", "replace")
            finally:
                container.remove(force=True)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        relay(stderr)
        return status, stderr


def readable_by_everyone(path: str, staging: str) -> str:
    """``path`` itself when every file and folder in it can be read by any user, else a
    staged copy that can (what Flyte's copilot gives a container: a download it can read).

    flytekit's local copies of files and folders live in folders only their owner may open
    (``mkdtemp``), which a container's non-root user cannot read. The copy hard-links
    readable files (no data is copied) and copies only the files that are not; it goes into
    ``staging``, which the caller removes after the run.
    """
    source = Path(path)
    if _everyone_reads(source):
        return path
    staged = Path(tempfile.mkdtemp(dir=staging)) / source.name
    if source.is_dir():
        shutil.copytree(source, staged, copy_function=_link_or_copy)
        for folder in [staged, *(p for p in staged.rglob("*") if p.is_dir())]:
            folder.chmod(0o755)
    else:
        _link_or_copy(str(source), str(staged))
    staged.parent.chmod(0o755)
    Path(staging).chmod(0o755)
    return str(staged)


def _everyone_reads(path: Path) -> bool:
    def readable(p: Path) -> bool:
        mode = p.stat().st_mode
        return bool(mode & stat.S_IROTH) and (not p.is_dir() or bool(mode & stat.S_IXOTH))

    return readable(path) and (not path.is_dir() or all(readable(p) for p in path.rglob("*")))


def _link_or_copy(source: str, target: str) -> None:
    if os.stat(source).st_mode & stat.S_IROTH:
        try:
            os.link(source, target)
            return
        except OSError:  # another file system
            pass
    shutil.copy2(source, target)
    os.chmod(target, 0o644)


def signal_of(status: int) -> int | None:
    """The signal that ended a program, from its status: a host process killed by signal N
    has status -N, a container's main process 128 + N; None when it exited by itself."""
    number = -status if status < 0 else status - 128 if 128 < status < 160 else 0
    return number or None


def exit_description(status: int) -> str:
    """How a program ended, signals named."""
    number = signal_of(status)
    if number:
        try:
            name = signal.Signals(number).name
        except ValueError:
            name = f"signal {number}"
        kill = " (out of memory, or stopped by someone)" if name == "SIGKILL" else ""
        return f"was killed by {name}{kill}, status {status}"
    return f"exited with status {status}"


def relay(stderr: str) -> None:
    """A component's progress lines (its stderr) as the library's INFO logs: shown with
    ``pyflyte run`` and ``daikiri --verbose``, quiet under ``daikiri``'s own progress lines."""
    configure_logging()
    for line in stderr.splitlines():
        log.info("%s", line)


def container_component(name: str, image: str, command: Sequence[str],
                        inputs: Mapping[str, type], outputs: Mapping[str, type], *,
                        host_paths: Mapping[str, Callable[[], str]] | None = None,
                        requests: Resources | None = None, limits: Resources | None = None,
                        metadata: TaskMetadata | None = None,
                        describe: Callable[[dict[str, Any]], str] | None = None,
                        local_env: LocalEnv | None = None,
                        sources: Sequence[Path] = (),
                        ) -> HostContainerTask:
    """A Flyte task that runs a non-Python program from its own image.

    :param name: the task's name in Flyte (``partner.tool.action``).
    :param image: a flytekit image name (``"learner"``: filled in at registration with
        ``--image learner=<registry>/<image>:<tag>``, locally ``daikiri-learner:latest``) or a
        full image reference.
    :param command: the program and its arguments. A file or folder input ``x`` is the path
        ``/var/inputs/x``; any other input is ``{{.inputs.x}}`` as a whole argument; the
        program writes each output ``y`` to ``/var/outputs/y`` (a file or folder, or for
        ``int``/``float``/``str``/``bool`` a file holding the value as text).
    :param inputs: input names and types (``FlyteFile``, ``FlyteDirectory``, primitives).
    :param outputs: output names and types, as for inputs.
    :param host_paths: program paths inside the image -> functions giving the local path of
        the same program, so the component also runs on a machine without its image.
    :param requests: resources, like every task's (default: 1 CPU, 1 GiB).
    :param limits: resource limits (default: the requests).
    :param metadata: retries, timeout, caching ... (default: no retries, a 30-minute timeout).
    :param describe: inputs -> a few words naming what failed in a failure message
        (the learner: the problem's name).
    :param local_env: inputs -> environment variables for local runs, which share the machine
        with the Python process running the workflow; never serialized, so a cluster's pods
        (each with its own resources) run the plain command. A function of the inputs
        (downloaded by then) because what helps may depend on them: the learner's JVM is
        lean, and how lean depends on the knowledge graph's size.
    :param sources: the files the image's program is built from (``tasks.versions
        .IMAGE_SOURCES``): a local image whose ``ai.daikiri.sources`` label does not match
        them is not used (the host runs the current build instead, or a forced ``docker``
        runtime fails saying so).
    """
    if re.fullmatch(r"\w+", image):
        image = f"{{{{.image.{image}.fqn}}}}:{{{{.image.{image}.version}}}}"
    return HostContainerTask(
        name=name, image=image, input_data_dir=INPUT_DIR, output_data_dir=OUTPUT_DIR,
        inputs=dict(inputs), outputs=dict(outputs), command=list(command),
        requests=requests or SMALL, limits=limits or requests or SMALL,
        metadata=metadata or TaskMetadata(timeout=SHORT),
        host_paths=dict(host_paths or {}), describe=describe,
        local_env=local_env, sources=sources)
