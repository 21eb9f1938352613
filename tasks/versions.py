"""Cache versions that follow the code.

A cached task's results stay valid exactly as long as the code that computes them is the
same. ``code_version(module)`` is a digest of the source of ``module`` (a task module) and of
every ``daikiri`` / ``tasks`` module it imports, directly or not, read with ``ast`` (nothing is
imported); ``extra`` adds other files (the Java learner's sources). Computed at import, it is
the same on every machine with the same tree — so registering at a new git SHA with unchanged
code still hits the cluster's cache — and changes when any of those files does, so a cached
result is never served for code that has changed. A hand-bumped ``Cache(version="1")`` did
neither (``learn_in_parallel`` stayed version 1 while the learner's output changed).
"""

from __future__ import annotations

import ast
import hashlib
from collections.abc import Iterable
from functools import cache
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
#: Packages of this project whose modules a version covers (others are pinned dependencies).
OWN_PACKAGES = ("daikiri", "tasks")
#: The Java learner's sources: what its results depend on (not the jar, whose bytes differ
#: between builds of the same sources). In the images they are copied beside the code.
LEARNER_SOURCES = (ROOT / "java_tasks" / "pom.xml", ROOT / "java_tasks" / "src" / "main")
#: The sources of the programs in this project's images, by image name: ``scripts/images.sh``
#: labels each image with their :func:`sources_version`, and a local run does not use an image
#: built from other sources (``tasks.container``).
IMAGE_SOURCES = {"learner": LEARNER_SOURCES}
#: The image label that records it.
SOURCES_LABEL = "ai.daikiri.sources"


def code_version(module: str, extra: Iterable[Path] = (), root: Path = ROOT) -> str:
    """A 16-hex-digit digest of ``module``'s own code, everything of this project it imports,
    and the ``extra`` files or folders (paths under ``root``; a missing one is an error, not
    a silently different version)."""
    digest = hashlib.sha256()
    for name in sorted(own_dependencies(module, root)):
        digest.update(f"{name}\n".encode())
        digest.update(_source_path(name, root).read_bytes())
    _add_files(digest, extra, root, f"cache version of {module}")
    return digest.hexdigest()[:16]


def sources_version(paths: Iterable[Path], root: Path = ROOT) -> str:
    """A 16-hex-digit digest of the files under ``paths`` alone: what an image's program is
    built from (``IMAGE_SOURCES``), recorded as the image's label :data:`SOURCES_LABEL`."""
    digest = hashlib.sha256()
    _add_files(digest, paths, root, "sources version")
    return digest.hexdigest()[:16]


def _add_files(digest: Any, paths: Iterable[Path], root: Path, what: str) -> None:
    for path in paths:
        path = root / Path(path).relative_to(ROOT) if Path(path).is_absolute() else root / path
        if not path.exists():
            raise FileNotFoundError(f"{what}: {path} is missing")
        for file in sorted(p for p in ([path] if path.is_file() else path.rglob("*"))
                           if p.is_file()):
            digest.update(f"{file.relative_to(root)}\n".encode())
            digest.update(file.read_bytes())


@cache
def own_dependencies(module: str, root: Path = ROOT) -> frozenset[str]:
    """``module`` and every module of :data:`OWN_PACKAGES` it imports, transitively."""
    found, pending = set(), [module]
    while pending:
        name = pending.pop()
        if name in found:
            continue
        found.add(name)
        pending.extend(_own_imports(name, root) - found)
    return frozenset(found)


def _own_imports(module: str, root: Path) -> set[str]:
    path = _source_path(module, root)
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{parent}.{base}" if base else parent
            names.add(base)
            names |= {f"{base}.{alias.name}" for alias in node.names}  # from x import module
    return {n for n in names if n.split(".")[0] in OWN_PACKAGES
            and _source_path(n, root, required=False) is not None}


def _source_path(module: str, root: Path, required: bool = True) -> Path | None:
    """Where a module of this project is, found on disk (importing it would run it)."""
    base = root.joinpath(*module.split("."))
    for path in (base.with_suffix(".py"), base / "__init__.py"):
        if path.is_file():
            return path
    if required:
        raise ImportError(f"no source for module {module} under {root}")
    return None


if __name__ == "__main__":  # python -m tasks.versions IMAGE: the label of that image's sources
    import sys

    print(sources_version(IMAGE_SOURCES[sys.argv[1]]) if sys.argv[1] in IMAGE_SOURCES else "")
