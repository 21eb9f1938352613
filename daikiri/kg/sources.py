"""Where table rows come from when building a graph: an in-memory frame or a Parquet file.

Both give the same interface: a few whole columns (for category lists, ids and bin cut points)
and an iterator of row chunks, so the ABox writer never holds more than one chunk of triples.
A Parquet source reads row batches with pyarrow, so memory stays flat in the number of rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pandas as pd
import pyarrow.dataset as ds


class TableSource(Protocol):
    rows: int
    names: list[str]

    def columns(self, names: list[str]) -> pd.DataFrame: ...

    def chunks(self, size: int) -> Iterator[pd.DataFrame]: ...


class FrameSource:
    """Rows of a pandas DataFrame already in memory."""

    def __init__(self, frame: pd.DataFrame) -> None:
        self.frame = frame.reset_index(drop=True)
        self.rows = len(frame)
        self.names = [str(c) for c in frame.columns]

    def columns(self, names: list[str]) -> pd.DataFrame:
        return self.frame[names]

    def chunks(self, size: int) -> Iterator[pd.DataFrame]:
        for start in range(0, self.rows, size):
            yield self.frame.iloc[start:start + size]


class ParquetSource:
    """Rows of a Parquet file or directory of Parquet files, read in batches."""

    def __init__(self, path: str | Path) -> None:
        self.dataset = ds.dataset(str(path), format="parquet")
        self.rows = self.dataset.count_rows()
        self.names = list(self.dataset.schema.names)

    def columns(self, names: list[str]) -> pd.DataFrame:
        return self.dataset.to_table(columns=names).to_pandas()

    def chunks(self, size: int) -> Iterator[pd.DataFrame]:
        for batch in self.dataset.to_batches(batch_size=size):
            if batch.num_rows:
                yield batch.to_pandas()
