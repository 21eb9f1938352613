"""A partner's component: ``regime-counts``, a shell tool in its own image, as a Flyte task.

The README's "Add your component" example, in the three steps it describes: (1) the tool
(``examples/partner_tool/regime_counts.sh``) reads a CSV and writes one file per output;
(2) its image (``Dockerfile``, target ``partner-tool``, local tag ``daikiri-partner_tool``);
(3) ``container_component`` below, which declares the typed inputs and outputs and the
command. ``explore --count_regimes`` runs it on the regime assignments.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import pandas as pd
from flytekit import kwtypes, task
from flytekit.types.file import FlyteFile

from tasks.common import SHORT, SMALL, work_dir
from tasks.container import container_component

ROOT = Path(__file__).resolve().parents[1]
#: The tool inside its image, and the same script in this repository (for host runs).
TOOL_IN_IMAGE = "/usr/local/bin/regime-counts"
TOOL_IN_REPOSITORY = ROOT / "examples" / "partner_tool" / "regime_counts.sh"

count_regimes = container_component(
    name="partner.regime_counts",
    image="partner_tool",
    command=[TOOL_IN_IMAGE, "--table", "/var/inputs/table", "--column", "{{.inputs.column}}",
             "--out", "/var/outputs"],
    inputs=kwtypes(table=FlyteFile, column=str),
    outputs=kwtypes(counts=FlyteFile, groups=int),
    host_paths={TOOL_IN_IMAGE: lambda: str(TOOL_IN_REPOSITORY)},
)


@task(timeout=SHORT, requests=SMALL, limits=SMALL)
def table_as_csv(table: pd.DataFrame) -> FlyteFile:
    """A table as a CSV file, the format the partner's tool reads."""
    path = work_dir("csv") / "table.csv"
    table.to_csv(path, index=False)
    return FlyteFile(str(path))


class RegimeCounts(NamedTuple):
    """The partner tool's outputs, by the names its ContainerTask declares."""

    counts: FlyteFile
    groups: int


@task(timeout=SHORT, requests=SMALL, limits=SMALL)
def no_regime_counts() -> RegimeCounts:
    """What ``explore`` returns in place of the partner's counts when it was not asked for:
    an empty CSV (header only) and no groups."""
    path = work_dir("csv") / "counts"
    path.write_text("value,rows\n", encoding="utf-8")
    return RegimeCounts(counts=FlyteFile(str(path)), groups=0)
