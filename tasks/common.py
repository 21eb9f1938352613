"""Settings shared by every task module: resources, images, logging."""

from __future__ import annotations

import logging
import os
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from flytekit import Resources, current_context
from flytekit.deck import DeckField
from flytekit.exceptions.user import FlyteRecoverableException
from flytekit.types.file import FlyteFile

from daikiri.errors import DaikiriError, DataValidationError

#: The Python task image; overridden at registration with ``pyflyte ... -i``/``--image``.
PYTHON_IMAGE = os.environ.get("DAIKIRI_PYTHON_IMAGE", "localhost:30000/daikiri-python:latest")

SMALL = Resources(cpu="1", mem="1Gi")
MEDIUM = Resources(cpu="2", mem="4Gi")
LARGE = Resources(cpu="2", mem="8Gi")

#: The decks flytekit adds beside a task's own: its source code, timeline, inputs and outputs.
#: Not flytekit's "Dependencies" deck: it runs ``pip list`` and ``pip freeze`` in subprocesses at
#: every execution of a decked task, 1.3 s each here (ten decked tasks in ``diagnose``); the
#: installed packages are those ``constraints.txt`` pins, i.e. the code version the provenance
#: record names.
DECK_FIELDS = (DeckField.SOURCE_CODE, DeckField.TIMELINE, DeckField.INPUT, DeckField.OUTPUT)

#: Timeouts: a hung step fails (and is retried where declared) instead of blocking a run.
SHORT = timedelta(minutes=30)
LONG = timedelta(hours=4)


#: The level of the library's progress logs; the ``daikiri`` command sets WARNING (its own
#: progress lines replace them) unless asked for ``--verbose``.
LOG_LEVEL_ENV = "DAIKIRI_LOG_LEVEL"


def configure_logging() -> None:
    """Send the ``daikiri`` library's progress logs (counts, rates) to stderr, at INFO unless
    ``$DAIKIRI_LOG_LEVEL`` says otherwise."""
    logger = logging.getLogger("daikiri")
    if not any(getattr(h, "_daikiri", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s", "%H:%M:%S"))
        handler._daikiri = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(os.environ.get(LOG_LEVEL_ENV, "INFO").upper())


def work_dir(name: str) -> Path:
    """A fresh folder for a task's output files, inside the task's working directory."""
    root = Path(current_context().working_directory or tempfile.gettempdir())
    return Path(tempfile.mkdtemp(prefix=f"{name}-", dir=root))


@contextmanager
def user_file(file: FlyteFile, what: str) -> Iterator[str]:
    """The local path of an input file, with every error about it naming the file as the user
    gave it (``s3://...``, ``/data/runs.csv``), never flytekit's download location: the same
    message in a local run, in a container and on a cluster.

    A file that cannot be fetched is a :class:`DataValidationError` naming it.
    """
    name = str(file.remote_source or file.path)
    try:
        local = file.download()
    except Exception as exc:  # noqa: BLE001 - flytekit's and fsspec's many error types
        reason = str(exc).strip().splitlines()[-1][:200] if str(exc).strip() else type(exc)
        raise DataValidationError(f"{what} '{name}' cannot be read: {reason}") from None
    try:
        yield local
    except DaikiriError as exc:
        if local == name:
            raise
        raise type(exc)(str(exc).replace(local, name)) from None


class OutputNotWritten(FlyteRecoverableException):
    """A task's output could not be written (a full disk, a read-only folder): a fault of the
    machine, not of the input, so Flyte retries it (the task's ``retries``; a user error,
    :class:`DaikiriError`, is never retried). A failed task's outputs are never cached."""

    def __str__(self) -> str:  # the message itself, not flytekit's "USER:Recoverable: ..."
        return str(self.args[0]) if self.args else ""


@contextmanager
def writing(what: str, folder: Path) -> Iterator[None]:
    """Turn an operating-system failure while writing ``what`` into ``folder`` into one
    :class:`OutputNotWritten` naming both, instead of a trace from deep inside a writer."""
    try:
        yield
    except OSError as exc:
        reason = exc.strerror or str(exc) or type(exc).__name__
        where = f" ({exc.filename})" if exc.filename else ""
        raise OutputNotWritten(f"cannot write the {what} to '{folder}': {reason}{where}") \
            from None
