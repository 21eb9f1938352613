"""ContainerTasks that also run for real without a Docker daemon.

flytekit executes a ContainerTask locally only through a Docker daemon (and ignores the
container's exit code). ``HostContainerTask`` runs the *same* command on the host when no
daemon is reachable: container input/output paths are mapped to local folders, container
paths of host-available programs (``host_paths``, e.g. the learner jar) to their local
builds, and a non-zero exit fails the task with the program's stderr. With a daemon, it runs
the image through Docker and also fails on a non-zero exit. On a Flyte cluster none of this
runs: the backend executes the image with the serialized command.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from typing import Any

from flytekit import ContainerTask
from flytekit.core.context_manager import FlyteContext
from flytekit.core.type_engine import TypeEngine
from flytekit.models.literals import LiteralMap
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile


class ContainerTaskFailed(RuntimeError):
    """The container's program exited non-zero; the message holds its stderr."""


def docker_available() -> bool:
    """Whether a Docker daemon answers (not just the docker CLI being installed)."""
    try:
        import docker

        docker.from_env(timeout=3).ping()
        return True
    except Exception:  # noqa: BLE001 - any failure means "no usable daemon"
        return False


class HostContainerTask(ContainerTask):
    """A ContainerTask whose local execution works with or without Docker."""

    def __init__(self, *args: Any, host_paths: dict[str, Callable[[], str]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._host_paths = host_paths or {}

    def execute(self, **kwargs: Any) -> LiteralMap:
        ctx = FlyteContext.current_context()
        self._input_data_dir = os.path.normpath(self._input_data_dir or "")
        self._output_data_dir = os.path.normpath(self._output_data_dir or "")
        output_directory = ctx.file_access.get_random_local_directory()
        for value in kwargs.values():
            if isinstance(value, FlyteFile | FlyteDirectory):
                value.download()  # make the local path real before it is mounted or mapped
        commands, volumes = self._prepare_command_and_volumes(
            (self._cmd or []) + (self._args or []), **kwargs)
        if docker_available():
            status, stderr = self._run_in_docker(commands, volumes, output_directory)
        else:
            status, stderr = self._run_on_host(commands, volumes, output_directory)
        if status != 0:
            raise ContainerTaskFailed(f"{self.name} exited with status {status}: "
                                      f"{stderr.strip()[-4000:]}")
        return TypeEngine.dict_to_literal_map(ctx, self._get_output_dict(output_directory))

    def local_image(self) -> str:
        """The image for local Docker runs: a registration template falls back to
        ``$DAIKIRI_LOCAL_IMAGE_<NAME>`` or ``daikiri-<name>:latest``."""
        image = str(self._image)
        match = re.match(r"^\{\{\.image\.(\w+)\.fqn\}\}", image)
        if not match:
            return image
        name = match.group(1)
        return os.environ.get(f"DAIKIRI_LOCAL_IMAGE_{name.upper()}", f"daikiri-{name}:latest")

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
                     output_directory: str) -> tuple[int, str]:
        done = subprocess.run(self.host_command(commands, volumes, output_directory),
                              capture_output=True, text=True)
        if done.stderr:
            print(done.stderr, end="", file=sys.stderr)
        return done.returncode, done.stderr

    def _run_in_docker(self, commands: list[str], volumes: dict[str, dict[str, str]],
                       output_directory: str) -> tuple[int, str]:
        import docker

        volumes = {**volumes, output_directory: {"bind": self._output_data_dir, "mode": "rw"}}
        client = docker.from_env()
        image = self.local_image()
        self._pull_image_if_not_exists(client, image)
        container = client.containers.run(image, command=commands, volumes=volumes, detach=True)
        try:
            status = container.wait().get("StatusCode", 1)
            stderr = container.logs(stdout=False, stderr=True).decode("utf-8", "replace")
        finally:
            container.remove(force=True)
        return status, stderr
