"""User errors in one line: the culprit and what was expected, never a traceback box.

A :class:`DaikiriError` raised in a task reaches the caller re-raised by flytekit with the
task's name in front (``Error encountered while executing 'tasks.ingest.check_params': ...``);
a workflow input that flytekit cannot convert (a file that does not exist) reaches it as
``TypeTransformerFailedError: Failed argument 'table_file': Cannot convert from ...``. Both
become one line here; anything else is not a user error and keeps its traceback.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from daikiri.errors import DaikiriError

TASK_PREFIX = re.compile(r"Error encountered while executing '(?P<task>[\w.]+)':\s*(?P<rest>.*)",
                         re.S)
UNCONVERTIBLE_FILE = re.compile(
    r"Failed argument '(?P<input>\w+)': Cannot convert from (?P<value>\S+) to \S*Flyte"
    r"(?P<kind>File|Directory)")


def causes(exc: BaseException) -> Iterator[BaseException]:
    """``exc`` and the exceptions it was raised from or during, outermost first."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        current = current.__cause__ or current.__context__


def one_line(exc: BaseException) -> str | None:
    """The one-line message of a user error, naming the step or input; None when ``exc`` is
    not a user error (a bug or a fault of the machine, whose traceback is worth showing)."""
    for cause in causes(exc):
        if isinstance(cause, DaikiriError):
            text, step = str(cause), ""
            while match := TASK_PREFIX.match(text.strip()):  # innermost task: the culprit
                step, text = match.group("task").rsplit(".", 1)[-1], match.group("rest")
            return f"{step}: {_flat(text)}" if step else _flat(text)
        match = UNCONVERTIBLE_FILE.search(str(cause))
        if match:
            value, kind = match.group("value"), match.group("kind").lower()
            local = value.removeprefix("file://")
            if "://" not in local and not Path(local).exists():
                return f"input '{match.group('input')}': {kind} '{value}' does not exist"
            return (f"input '{match.group('input')}': '{value}' cannot be read as a "
                    f"{kind}")
    return None


def _flat(text: str) -> str:
    return " ".join(text.split())
