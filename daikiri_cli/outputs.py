"""Where a run's results go: one folder a person can open, not flytekit's temporary ones.

Every output of the workflow is saved under its output name: a file keeps its suffix
(``report.html``, ``model.pt``), a folder is copied (``kg/``), a table becomes CSV
(``explanations.csv``), a typed record JSON (``provenance.json``, ``summary.json``); each
step's Flyte Deck is saved as ``decks/<step>.html`` while the run goes.
"""

from __future__ import annotations

import dataclasses
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from flytekit.types.directory import FlyteDirectory
from flytekit.types.file import FlyteFile


def save_outputs(outputs: Any, names: list[str], folder: Path) -> list[str]:
    """Write each output into ``folder``; the names written, in output order."""
    values = list(outputs) if isinstance(outputs, tuple) else [outputs]
    return [_save(name, value, folder) for name, value in zip(names, values, strict=True)]


def _save(name: str, value: Any, folder: Path) -> str:
    if isinstance(value, FlyteDirectory):
        target = folder / name
        shutil.copytree(value.download(), target, dirs_exist_ok=True)
        return f"{name}/"
    if isinstance(value, FlyteFile):
        source = Path(value.download())
        target = folder / f"{name}{source.suffix}"
        shutil.copyfile(source, target)
        return target.name
    if isinstance(value, pd.DataFrame):
        value.to_csv(folder / f"{name}.csv", index=False)
        return f"{name}.csv"
    if dataclasses.is_dataclass(value):
        data = dataclasses.asdict(value)
    elif isinstance(value, list) and all(dataclasses.is_dataclass(v) for v in value):
        data = [dataclasses.asdict(v) for v in value]
    else:
        data = value
    (folder / f"{name}.json").write_text(json.dumps(data, indent=2, default=str),
                                         encoding="utf-8")
    return f"{name}.json"


class DeckSaver:
    """While active, saves each step's Deck (the HTML flytekit renders for it) into a folder,
    as ``<step>.html``; a step run twice (a map task's items) keeps its last Deck."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self._original: Callable[..., None] | None = None

    def __enter__(self) -> DeckSaver:
        from flytekit.deck import deck

        self._original = deck._output_deck
        saver = self

        def output_deck(task_name: str, new_user_params: Any) -> None:
            saver._original(task_name=task_name, new_user_params=new_user_params)
            try:
                html = deck._get_deck(new_user_params=new_user_params, ignore_jupyter=True)
                saver.folder.mkdir(parents=True, exist_ok=True)
                (saver.folder / f"{task_name}.html").write_text(html, encoding="utf-8")
            except Exception:  # noqa: BLE001 - a Deck copy never fails a run
                pass

        deck._output_deck = output_deck
        return self

    def __exit__(self, *exc: object) -> None:
        from flytekit.deck import deck

        deck._output_deck = self._original
