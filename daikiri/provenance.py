"""Provenance: content hashes that tie every cited result to exact data, code and parameters.

A :class:`ProvenanceRecord` names the code version, the parameters, and the SHA-256 of each
input (the user's file, the clean table, the spec) and each output (knowledge graph, model,
explanations, report). Two results with the same hashes came from the same data and code;
anyone holding a file can check it against the record. Hashes are of *content*, never of
storage locations, so they agree between a laptop, the sandbox and the cluster.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import subprocess
from dataclasses import asdict, dataclass, field
from pathlib import Path

import pandas as pd

from daikiri.spec import DatasetSpec

_BLOCK = 1 << 20


@dataclass
class Artifact:
    """One input or output: what it is, its content hash, and where this run kept it."""

    name: str
    sha256: str
    location: str = ""


@dataclass
class ProvenanceRecord:
    """Where a run's results came from: code, parameters, input and output hashes."""

    workflow: str
    code_version: str
    execution: str
    created: str
    parameters: dict[str, str] = field(default_factory=dict)
    inputs: list[Artifact] = field(default_factory=list)
    outputs: list[Artifact] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), indent=2, sort_keys=True)

    def hash_of(self, name: str) -> str:
        """The hash of the input or output called ``name``."""
        for artifact in self.inputs + self.outputs:
            if artifact.name == name:
                return artifact.sha256
        raise KeyError(f"no artifact named {name!r} in the provenance record")


def frame_hash(frame: pd.DataFrame) -> str:
    """Content hash of a table: its values, index and column names (not its storage)."""
    digest = hashlib.sha256(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    digest.update(",".join(map(str, frame.columns)).encode())
    return digest.hexdigest()


def file_hash(path: str | Path) -> str:
    """SHA-256 of a file's bytes."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
    return digest.hexdigest()


def tree_hash(path: str | Path) -> str:
    """SHA-256 over a folder: every file's relative path and content, in sorted order."""
    root = Path(path)
    digest = hashlib.sha256()
    for file in sorted(p for p in root.rglob("*") if p.is_file()):
        digest.update(file.relative_to(root).as_posix().encode() + b"\0")
        digest.update(file_hash(file).encode())
    return digest.hexdigest()


def path_hash(path: str | Path) -> str:
    """:func:`tree_hash` for a folder, :func:`file_hash` for a file."""
    return tree_hash(path) if Path(path).is_dir() else file_hash(path)


def spec_hash(spec: DatasetSpec) -> str:
    """Hash of a DatasetSpec's content (key order does not matter)."""
    return hashlib.sha256(json.dumps(asdict(spec), sort_keys=True).encode()).hexdigest()


def code_version() -> str:
    """The code's version: ``DAIKIRI_CODE_VERSION`` (set in the images to the git SHA), else
    the checkout's git SHA (with ``-dirty`` for uncommitted changes), else ``unknown``."""
    if version := os.environ.get("DAIKIRI_CODE_VERSION"):
        return version
    root = Path(__file__).resolve().parents[1]
    try:
        sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=root, capture_output=True,
                             text=True, check=True, timeout=10).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=root, capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return sha + ("-dirty" if dirty.strip() else "")


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def ontology_provenance(record: ProvenanceRecord) -> dict[str, str]:
    """The record as annotations on a published ontology (``dk:<key> "value"``)."""
    notes = {"codeVersion": record.code_version, "execution": record.execution,
             "workflow": record.workflow, "generated": record.created,
             "parameters": json.dumps(record.parameters, sort_keys=True)}
    for artifact in record.inputs + record.outputs:
        key = "".join(w.capitalize() for w in artifact.name.split())
        notes[f"sha256{key}"] = artifact.sha256
    return notes
