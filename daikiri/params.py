"""The tuning knobs of a diagnosis, in one typed value, checked before any heavy work.

``diagnose`` and ``diagnose_reviewed`` take these as plain workflow inputs (the launch form
and ``pyflyte run --max_runtime 5`` stay as documented); their first task checks them against
the spec and returns one :class:`DiagnoseParams`, which the shared diagnosis subworkflow and
the provenance record take whole.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from enum import Enum

from daikiri.errors import DaikiriError
from daikiri.spec import DatasetSpec


class ClusterMethod(Enum):
    """How operating regimes are found (a drop-down in the Flyte UI)."""

    KMEANS = "kmeans"
    HDBSCAN = "hdbscan"


class Engine(Enum):
    """Where ingestion and the knowledge graph run: one machine or Spark."""

    PANDAS = "pandas"
    SPARK = "spark"

#: The learner's own limits (``java_tasks``: ``Main`` checks the same ranges).
MAX_RUNTIME_RANGE = (0.01, 1e7)
MAX_LENGTH_RANGE = (1, 100)
NOISE_RANGE = (0.0, 100.0)
MAX_ROWS = 100_000_000
MAX_EPOCHS = 10_000
MAX_SEED = 2**32 - 1


@dataclass
class DiagnoseParams:
    """Every tuning knob of a diagnosis, with the workflows' defaults."""

    rows: int = 10_000
    seed: int = 42
    labels: list[str] = field(default_factory=list)
    explain_clusters: bool = True
    explain_model: bool = True
    cluster_method: ClusterMethod = ClusterMethod.KMEANS
    max_runtime: float = 10.0
    max_length: int = 12
    noise: float = 5.0
    embedding_epochs: int = 20
    engine: Engine = Engine.PANDAS

    def checked(self, spec: DatasetSpec) -> DiagnoseParams:
        """These parameters, or a :class:`DaikiriError` naming the first bad input and what
        was expected (labels are checked against ``spec``)."""
        _within("rows", self.rows, 1, MAX_ROWS)
        _within("seed", self.seed, 0, MAX_SEED)
        _within("max_runtime", self.max_runtime, *MAX_RUNTIME_RANGE)
        _within("max_length", self.max_length, *MAX_LENGTH_RANGE)
        _within("noise", self.noise, *NOISE_RANGE)
        _within("embedding_epochs", self.embedding_epochs, 1, MAX_EPOCHS)
        check_labels(self.labels, spec)
        return self

    def as_text(self) -> dict[str, str]:
        """Each parameter as text, for provenance records and ontology annotations."""
        return {key: ",".join(value) if isinstance(value, list)
                else value.value if isinstance(value, Enum) else str(value)
                for key, value in asdict(self).items()}


def check_labels(labels: list[str], spec: DatasetSpec, name: str = "labels") -> None:
    """Every name in ``labels`` is a label column of ``spec``, none twice; else one
    :class:`DaikiriError` naming the input, the culprits and the spec's labels."""
    known = spec.all_label_columns
    unknown = [label for label in labels if label not in known]
    if unknown:
        raise DaikiriError(f"input '{name}': {', '.join(map(repr, unknown))[:100]} "
                           f"{'is not a label' if len(unknown) == 1 else 'are not labels'} "
                           f"of spec '{spec.name}'; its labels are {', '.join(known)}")
    if len(set(labels)) != len(labels):
        raise DaikiriError(f"input '{name}' names a label twice")


def _within(name: str, value: float, low: float, high: float) -> None:
    if isinstance(value, float) and not math.isfinite(value) or not low <= value <= high:
        raise DaikiriError(f"input '{name}' must be between {low:g} and {high:g}, got {value!r}")
