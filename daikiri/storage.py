"""Files and folders named by a local path or a URI (``file://``, ``gs://``, ``s3://``), the
few operations the Spark engine needs, through fsspec.

On a cluster, Spark's executors run in other pods: they can read a table and write the ABox
only where every pod can reach, i.e. the object store behind Flyte's raw output prefix. The
driver does the small things itself (the ingestion checks read the file's bytes, the KG build
renames the executors' part files and writes TBox and manifest) with this module, so the same
code serves a laptop folder and a bucket.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import SimpleNamespace
from typing import IO, Any

import fsspec
from fsspec.core import url_to_fs
from fsspec.utils import get_protocol


def is_uri(location: str | Path) -> bool:
    """Whether ``location`` names a file system by protocol (``gs://b/x``, ``file:///x``)."""
    return "://" in str(location)


def is_remote(location: str | Path) -> bool:
    """Whether ``location`` is in an object store or elsewhere off this machine (decided by
    its protocol alone: no file system is contacted)."""
    return is_uri(location) and get_protocol(str(location)) not in ("file", "local")


@dataclass(frozen=True)
class StoredPath:
    """A file or folder by path or URI, with the slice of ``pathlib.Path`` the checks use."""

    location: str
    fs: fsspec.AbstractFileSystem = field(init=False, repr=False, compare=False)
    path: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        fs, path = url_to_fs(str(self.location))
        object.__setattr__(self, "fs", fs)
        object.__setattr__(self, "path", path)

    def __str__(self) -> str:
        return str(self.location)

    def __truediv__(self, name: str) -> StoredPath:
        return StoredPath(f"{str(self.location).rstrip('/')}/{name}")

    @property
    def name(self) -> str:
        return PurePosixPath(self.path).name

    @property
    def suffix(self) -> str:
        return PurePosixPath(self.path).suffix

    @property
    def is_local(self) -> bool:
        return not is_remote(self.location)

    def exists(self) -> bool:
        return bool(self.fs.exists(self.path))

    def is_file(self) -> bool:
        return bool(self.fs.isfile(self.path))

    def stat(self) -> SimpleNamespace:
        return SimpleNamespace(st_size=int(self.fs.size(self.path)))

    def open(self, mode: str = "r", **kwargs: Any) -> IO:
        return self.fs.open(self.path, mode, **kwargs)

    def glob(self, pattern: str) -> list[StoredPath]:
        """Files under this folder matching ``pattern``, sorted by name, as full locations."""
        base = str(self.location).rstrip("/")
        found = sorted(self.fs.glob(f"{self.path.rstrip('/')}/{pattern}"))
        return [StoredPath(f"{base}/{PurePosixPath(p).relative_to(self.path)}") for p in found]

    def rename(self, target: StoredPath) -> None:
        self.fs.mv(self.path, target.path)

    def mkdir(self) -> None:
        self.fs.makedirs(self.path, exist_ok=True)

    def remove_tree(self) -> None:
        if self.fs.exists(self.path):
            self.fs.rm(self.path, recursive=True)

    def upload(self, local_file: Path) -> None:
        """Copy a local file to this location."""
        self.fs.put_file(str(local_file), self.path)

    def spark_location(self) -> str:
        """What to hand Spark: the plain path for local files, the URI otherwise."""
        return self.path if self.is_local else str(self.location)

