"""``daikiri <workflow> [options]``: run a workflow with flytekit's local execution, for people.

The options are the workflow's own inputs, with its defaults and the help of its docstring
(the same as ``pyflyte run workflows/<file>.py <workflow> --help``). While it runs, one line per
step and one per learning problem; then the explanations, one per line, and the folder that
holds every output (``runs/<workflow>-<time>/`` or ``--out DIR``). A user error is one line
naming the input, file or column, and the exit status 1; ``--verbose`` shows the traceback and
the library's own logs.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import sys
import time
import types
import typing
from collections.abc import Sequence
from enum import Enum
from pathlib import Path
from typing import Any, NoReturn

#: Subcommand -> (module, workflow): the workflows a person runs.
WORKFLOWS = {
    "diagnose": ("workflows.diagnose", "diagnose"),
    "review": ("workflows.diagnose", "diagnose_reviewed"),
    "explore": ("workflows.explore", "explore"),
    "semantify": ("workflows.semantify", "semantify"),
    "explain": ("workflows.explain", "explain"),
}


class OneLineParser(argparse.ArgumentParser):
    """argparse, but a bad option is one line (no usage block above it)."""

    def error(self, message: str) -> NoReturn:
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


class InputError(ValueError):
    """A workflow input that cannot be given to the workflow as typed."""


def load_workflow(command: str) -> Any:
    module, name = WORKFLOWS[command]
    return getattr(importlib.import_module(module), name)


def _file_kind(kind: Any) -> type | None:
    """FlyteFile or FlyteDirectory when an input of type ``kind`` (possibly ``| None``) is a
    path, else None."""
    from flytekit.types.directory import FlyteDirectory
    from flytekit.types.file import FlyteFile

    options = typing.get_args(kind) if isinstance(kind, types.UnionType) else (kind,)
    for option in options:
        for path_type in (FlyteFile, FlyteDirectory):
            if isinstance(option, type) and issubclass(option, path_type):
                return path_type
    return None


def _list_of_text(text: str) -> list[str]:
    """``hdf,pwf`` or ``["hdf", "pwf"]`` (the form ``pyflyte run`` takes)."""
    text = text.strip()
    if text.startswith("["):
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise argparse.ArgumentTypeError(f"not a JSON list ({exc.msg})") from None
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise argparse.ArgumentTypeError("expected a list of names")
        return value
    return [part.strip() for part in text.split(",") if part.strip()]


def workflow_parser(command: str, workflow: Any) -> OneLineParser:
    """The options of one workflow, from its typed interface and docstring."""
    doc = workflow.python_interface.docstring
    helps = doc.input_descriptions if doc else {}
    parser = OneLineParser(prog=f"daikiri {command}",
                           description=doc.short_description if doc else None)
    for name, (kind, default) in workflow.python_interface.inputs_with_defaults.items():
        names = [f"--{name}"] + ([f"--{name.replace('_', '-')}"] if "_" in name else [])
        text = helps.get(name, "")
        if kind is bool:
            parser.add_argument(*names, dest=name, action=argparse.BooleanOptionalAction,
                                default=default, help=f"{text} (default: {default})")
        elif isinstance(kind, type) and issubclass(kind, Enum):
            parser.add_argument(*names, dest=name, choices=[e.value for e in kind],
                                default=default.value if default is not None else None,
                                help=f"{text} (default: {default.value})")
        elif kind in (int, float, str):
            parser.add_argument(*names, dest=name, type=kind, default=default,
                                metavar=kind.__name__.upper(), help=f"{text} (default: {default})")
        elif typing.get_origin(kind) is list:
            parser.add_argument(*names, dest=name, type=_list_of_text, default=default,
                                metavar="A,B", help=f"{text} (comma-separated or a JSON list)")
        elif _file_kind(kind) is not None:
            parser.add_argument(*names, dest=name, default=default, metavar="PATH", help=text)
        else:
            raise TypeError(f"input '{name}' of {command} has a type the CLI cannot take: {kind}")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="folder for every output (default: runs/<workflow>-<time>/)")
    parser.add_argument("--verbose", action="store_true",
                        help="show the library's logs and, on an error, its traceback")
    return parser


def workflow_inputs(workflow: Any, options: argparse.Namespace) -> dict[str, Any]:
    """The parsed options as the workflow's inputs (files checked and wrapped)."""
    from flytekit.types.directory import FlyteDirectory

    inputs = {}
    for name, (kind, _) in workflow.python_interface.inputs_with_defaults.items():
        value = getattr(options, name)
        path_type = _file_kind(kind)
        if isinstance(kind, type) and issubclass(kind, Enum) and value is not None:
            value = kind(value)
        elif value is not None and path_type is not None:
            path = Path(value).expanduser()
            if "://" not in str(value) and not path.exists():
                what = "folder" if path_type is FlyteDirectory else "file"
                raise InputError(f"input '{name}': {what} '{value}' does not exist")
            value = path_type(str(value) if "://" in str(value) else str(path.resolve()))
        inputs[name] = value
    return inputs


def run(command: str, argv: Sequence[str], out: typing.TextIO = sys.stdout) -> int:
    """Run one workflow; the exit status."""
    from daikiri_cli.errors import one_line
    from tasks.common import LOG_LEVEL_ENV

    workflow = load_workflow(command)
    options = workflow_parser(command, workflow).parse_args(list(argv))
    os.environ[LOG_LEVEL_ENV] = "INFO" if options.verbose else "WARNING"
    try:
        inputs = workflow_inputs(workflow, options)
        folder = options.out or Path("runs") / f"{command}-{time.strftime('%Y%m%d-%H%M%S')}"
        folder.mkdir(parents=True, exist_ok=True)
        outputs = _execute(workflow, inputs, folder, out)
    except Exception as exc:
        message = str(exc) if isinstance(exc, InputError) else one_line(exc)
        if message is None or options.verbose:
            raise
        print(f"daikiri {command}: error: {message}", file=sys.stderr)
        return 1
    _report(outputs, workflow, folder, out)
    return 0


def _execute(workflow: Any, inputs: dict[str, Any], folder: Path, out: typing.TextIO) -> Any:
    from daikiri_cli.outputs import DeckSaver
    from daikiri_cli.progress import Watch

    with Watch(workflow, out), DeckSaver(folder / "decks"):
        return workflow(**inputs)


def _report(outputs: Any, workflow: Any, folder: Path, out: typing.TextIO) -> None:
    from daikiri_cli.outputs import save_outputs

    names = list(workflow.python_interface.outputs)
    saved = save_outputs(outputs, names, folder)
    values = dict(zip(names, outputs if isinstance(outputs, tuple) else (outputs,),
                      strict=True))
    summary = values.get("summary")
    if summary is not None and getattr(summary, "headline", None):
        print(f"Explanations ({summary.explained} of {summary.problems} explained):", file=out)
        for line in summary.headline:
            print(f"  {line}", file=out)
        for warning in summary.warnings:
            print(f"  Warning: {warning}", file=out)
    decks = " and decks/" if (folder / "decks").is_dir() else ""
    print(f"Saved in {folder}/: {', '.join(saved)}{decks}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    """``daikiri <workflow> [options]``; ``daikiri --help`` lists the workflows."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in ("-h", "--help") or args[0] not in WORKFLOWS:
        listing = "\n".join(f"  {name:<10} {_short_help(name)}" for name in WORKFLOWS)
        text = (f"usage: daikiri <workflow> [options]   (daikiri <workflow> --help)\n\n"
                f"workflows:\n{listing}\n")
        if args and args[0] not in ("-h", "--help"):
            sys.stderr.write(f"daikiri: error: no workflow '{args[0]}'; choose one of "
                             f"{', '.join(WORKFLOWS)}\n")
            return 2
        print(text, end="")
        return 0 if args else 2
    return run(args[0], args[1:])


def _short_help(command: str) -> str:
    doc = load_workflow(command).python_interface.docstring
    return doc.short_description.splitlines()[0] if doc and doc.short_description else ""


if __name__ == "__main__":
    raise SystemExit(main())
