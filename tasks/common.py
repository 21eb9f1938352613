"""Settings shared by every task module: resources, images, logging."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from datetime import timedelta
from pathlib import Path

from flytekit import Resources, current_context

#: The Python task image; overridden at registration with ``pyflyte ... -i``/``--image``.
PYTHON_IMAGE = os.environ.get("DAIKIRI_PYTHON_IMAGE", "localhost:30000/daikiri-python:latest")

SMALL = Resources(cpu="1", mem="1Gi")
MEDIUM = Resources(cpu="2", mem="4Gi")
LARGE = Resources(cpu="2", mem="8Gi")

#: Timeouts: a hung step fails (and is retried where declared) instead of blocking a run.
SHORT = timedelta(minutes=30)
LONG = timedelta(hours=4)


def configure_logging() -> None:
    """Send the ``daikiri`` library's progress logs (counts, rates) to stderr at INFO."""
    logger = logging.getLogger("daikiri")
    if not any(getattr(h, "_daikiri", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s", "%H:%M:%S"))
        handler._daikiri = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def work_dir(name: str) -> Path:
    """A fresh folder for a task's output files, inside the task's working directory."""
    root = Path(current_context().working_directory or tempfile.gettempdir())
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=root))
