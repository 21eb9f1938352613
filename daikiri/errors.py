"""User-facing error types.

A platform user must see *what* is wrong and *where* (file, column, rows, parameter), never a
stack trace from deep inside pandas or flytekit. Every check raises one of these types with a
message that stands on its own; the Flyte tasks let them propagate so the failing step and the
message are what the Flyte UI shows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any


class DaikiriError(ValueError):
    """Base class of every error the platform raises about a user's input."""


class SpecError(DaikiriError):
    """The DatasetSpec (YAML or dataclass) is malformed or inconsistent."""


class DataValidationError(DaikiriError):
    """The table does not match its DatasetSpec, or cannot be read as a table."""


#: How much of a user's input a message quotes at most.
QUOTE_LIMIT = 100


def clip(value: Any, limit: int = QUOTE_LIMIT) -> str:
    """``repr(value)`` cut to ``limit`` characters (with how much was left out), so a message
    never echoes a 20 KB expression or a gigabyte of YAML back at the user."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


def describe_rows(rows: Sequence[int], limit: int = 5) -> str:
    """Render 1-based row numbers compactly: ``rows 3, 7, 9 and 4 more``."""
    shown = ", ".join(str(r) for r in rows[:limit])
    more = len(rows) - limit
    noun = "row" if len(rows) == 1 else "rows"
    return f"{noun} {shown}" + (f" and {more} more" if more > 0 else "")


class RowSample(Sequence[int]):
    """The first few of ``total`` row numbers: what a message shows, without collecting every
    offending row of a large (Spark) table to the driver."""

    def __init__(self, first: Sequence[int], total: int) -> None:
        self.first = list(first)
        self.total = total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: int | slice) -> Any:
        return self.first[index]
