"""Discretisation of numeric columns into ordered bins (for bin classes and embeddings).

Cut points come from the spec (user-given) or from quantiles of the data. A value v falls in
bin i when cuts[i-1] <= v < cuts[i] (bin 0 below the first cut, the last bin from the last cut).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Bins:
    """Ordered cut points of one numeric column."""

    column: str
    cuts: tuple[float, ...]

    @property
    def count(self) -> int:
        return len(self.cuts) + 1

    def assign(self, values: np.ndarray) -> np.ndarray:
        """Bin index per value (NaN values get -1)."""
        index = np.searchsorted(np.asarray(self.cuts), values, side="right")
        return np.where(np.isnan(values), -1, index)

    def describe(self, index: int, label: str, unit: str) -> str:
        """An English label for bin ``index``: ``low torque (below 33.2 Nm)``."""
        suffix = f" {unit}" if unit else ""
        names = {3: ("low", "medium", "high"), 2: ("low", "high"),
                 5: ("very low", "low", "medium", "high", "very high")}.get(self.count)
        name = f"{names[index]} {label}" if names else f"{label} bin {index + 1} of {self.count}"
        if index == 0:
            return f"{name} (below {_fmt(self.cuts[0])}{suffix})"
        if index == self.count - 1:
            return f"{name} (at least {_fmt(self.cuts[-1])}{suffix})"
        return f"{name} ({_fmt(self.cuts[index - 1])} to {_fmt(self.cuts[index])}{suffix})"


def quantile_bins(column: str, values: np.ndarray, count: int) -> Bins:
    """``count`` bins with (approximately) equal numbers of values; duplicate cuts merged."""
    finite = values[np.isfinite(values)]
    if count < 2 or len(finite) == 0:
        return Bins(column, ())
    cuts = np.unique(np.quantile(finite, np.linspace(0, 1, count + 1)[1:-1]))
    return Bins(column, tuple(float(c) for c in cuts))


def _fmt(value: float) -> str:
    return f"{value:.4g}"
