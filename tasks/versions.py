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

ROOT = Path(__file__).resolve().parents[1]
#: Packages of this project whose modules a version covers (others are pinned dependencies).
OWN_PACKAGES = ("daikiri", "tasks")
#: The Java learner's sources: what its results depend on (not the jar, whose bytes differ
#: between builds of the same sources). In the images they are copied beside the code.
LEARNER_SOURCES = (ROOT / "java_tasks" / "pom.xml", ROOT / "java_tasks" / "src" / "main")


def code_version(module: str, extra: Iterable[Path] = (), root: Path = ROOT) -> str:
    """A 16-hex-digit digest of ``module``'s own code, everything of this project it imports,
    and the ``extra`` files or folders (paths under ``root``; a missing one is an error, not
    a silently different version)."""
    digest = hashlib.sha256()
    for name in sorted(own_dependencies(module, root)):
        digest.update(f"{name}\n".encode())
        digest.update(_source_path(name, root).read_bytes())
    for path in extra:
        path = root / Path(path).relative_to(ROOT) if Path(path).is_absolute() else root / path
        if not path.exists():
            raise FileNotFoundError(f"cache version of {module}: {path} is missing")
        for file in sorted(p for p in ([path] if path.is_file() else path.rglob("*"))
                           if p.is_file()):
            digest.update(f"{file.relative_to(root)}\n".encode())
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


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
