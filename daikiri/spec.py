"""DatasetSpec: what a table means, so the same pipeline works on any table.

The spec names the id column, the fault label columns, numeric and categorical feature columns,
derived features (safe arithmetic expressions over columns), human-readable labels and units
(used by verbalization) and the base IRI of the knowledge graph. It is a plain dataclass, so
Flyte passes it between tasks as a typed value, and it has a YAML form for users.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from daikiri.errors import SpecError, clip
from daikiri.expressions import Expression, parse_expression

NAN_POLICIES = ("error", "drop")
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_BASE_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+[#/]$")
#: RFC 3987 for the parts a base IRI may have: authority and path of unreserved and
#: sub-delimiter characters, ':' and '@', percent escapes of two hex digits, and non-ASCII
#: letters (ucschar); a fragment is only the final '#', as individual names are appended.
_IRI_CHAR = r"(?:[A-Za-z0-9\-._~!$&'()*+,;=:@]|%[0-9A-Fa-f]{2}|[^\x00-\x7f])"
_RFC3987_BASE = re.compile(rf"^https?://{_IRI_CHAR}+(?:/{_IRI_CHAR}*)*[#/]?$")


@dataclass
class ColumnInfo:
    """Human-facing description of one column: a label for English sentences and a unit."""

    label: str = ""
    unit: str = ""
    description: str = ""


@dataclass
class DatasetSpec:
    """Describes a table of machine runs (or events, parts) with binary fault labels.

    ``derived`` maps a new feature name to an arithmetic expression over columns (and derived
    features declared before it); ``any_label`` optionally names a derived label that is 1 when
    any label column is 1. ``nan_policy`` is ``error`` (default: a missing or NaN value in a
    feature column is an error naming the rows) or ``drop`` (such rows are dropped and counted).
    Infinite values and missing labels or ids are always errors. ``bins`` optionally gives
    ascending cut points per numeric/derived feature for "low / high ..." classes in the KG.
    """

    name: str
    base_iri: str
    id_column: str
    label_columns: list[str]
    numeric_columns: list[str]
    categorical_columns: list[str] = field(default_factory=list)
    derived: dict[str, str] = field(default_factory=dict)
    columns: dict[str, ColumnInfo] = field(default_factory=dict)
    entity: str = "Entity"
    any_label: str = ""
    ignore_columns: list[str] = field(default_factory=list)
    nan_policy: str = "error"
    bins: dict[str, list[float]] = field(default_factory=dict)

    # ----------------------------------------------------------------- derived views
    @property
    def input_columns(self) -> list[str]:
        """Columns the table must contain, in a stable order."""
        return ([self.id_column] + self.numeric_columns + self.categorical_columns
                + self.label_columns + self.ignore_columns)

    @property
    def feature_columns(self) -> list[str]:
        """Numeric model features: numeric columns followed by derived features."""
        return self.numeric_columns + list(self.derived)

    @property
    def all_label_columns(self) -> list[str]:
        """Label columns plus the derived any-failure label when one is named."""
        return self.label_columns + ([self.any_label] if self.any_label else [])

    def label_of(self, column: str) -> str:
        """Human label of a column, falling back to its name with underscores as spaces."""
        info = self.columns.get(column)
        return info.label if info and info.label else column.replace("_", " ")

    def unit_of(self, column: str) -> str:
        info = self.columns.get(column)
        return info.unit if info else ""

    def expressions(self) -> list[Expression]:
        """Parse the derived features in declaration order (each may use earlier ones)."""
        known = self.numeric_columns.copy()
        parsed = []
        for name, source in self.derived.items():
            try:
                parsed.append(parse_expression(name, source, known))
            except SpecError as exc:
                raise SpecError(f"spec '{self.name}': {exc}") from None
            known.append(name)
        return parsed

    # ----------------------------------------------------------------- checks
    def validate(self) -> DatasetSpec:
        """Check the spec is consistent; raise :class:`SpecError` naming the field. Returns self."""
        for key in ("name", "base_iri", "id_column", "entity"):
            value = getattr(self, key)
            if not isinstance(value, str) or not value.strip():
                raise SpecError(f"spec '{self.name}': '{key}' must be a non-empty string, "
                                f"got {value!r}")
        if not _BASE_IRI.match(self.base_iri):
            raise SpecError(f"spec '{self.name}': base_iri {clip(self.base_iri)!r} is not an "
                            "absolute http(s) IRI ending in '#' or '/' "
                            "(e.g. https://example.org/ai4i#)")
        if not _RFC3987_BASE.match(self.base_iri):
            raise SpecError(f"spec '{self.name}': base_iri {clip(self.base_iri)!r} is not a valid "
                            "IRI (RFC 3987): a '%' must start a two-digit hex escape, '#' may "
                            "only end it, and spaces, quotes and <>{}|\\^` are not allowed")
        if not _NAME.match(self.entity):
            raise SpecError(f"spec '{self.name}': entity {self.entity!r} must be a simple name "
                            "(letters, digits, underscore), e.g. MachineRun")
        if not self.label_columns:
            raise SpecError(f"spec '{self.name}': label_columns is empty; at least one binary "
                            "fault label column is required")
        if self.nan_policy not in NAN_POLICIES:
            raise SpecError(f"spec '{self.name}': nan_policy {self.nan_policy!r} must be one of "
                            f"{list(NAN_POLICIES)}")
        names = self.input_columns + list(self.derived) + ([self.any_label] if self.any_label
                                                           else [])
        seen: set[str] = set()
        for column in names:
            if column in seen:
                raise SpecError(f"spec '{self.name}': column '{column}' is declared more than "
                                "once (id, numeric, categorical, label, ignore and derived "
                                "names must be distinct)")
            seen.add(column)
        for column in list(self.derived) + ([self.any_label] if self.any_label else []):
            if not _NAME.match(column):
                raise SpecError(f"spec '{self.name}': derived name {column!r} must be a simple "
                                "name (letters, digits, underscore)")
        for column, cuts in self.bins.items():
            if column not in self.feature_columns:
                raise SpecError(f"spec '{self.name}': bins given for '{column}', which is not a "
                                f"numeric or derived feature ({self.feature_columns})")
            if not cuts or any(b <= a for a, b in zip(cuts, cuts[1:], strict=False)):
                raise SpecError(f"spec '{self.name}': bins of '{column}' must be a non-empty, "
                                f"strictly ascending list of cut points, got {cuts}")
        unknown = sorted(set(self.columns) - seen)
        if unknown:
            raise SpecError(f"spec '{self.name}': 'columns' describes unknown column(s) "
                            f"{unknown}; declared columns are {sorted(seen)}")
        self.expressions()
        return self

    # ----------------------------------------------------------------- YAML form
    @classmethod
    def from_dict(cls, data: Any, source: str = "spec") -> DatasetSpec:
        """Build and validate a spec from its YAML/JSON mapping; errors name ``source``."""
        if not isinstance(data, dict):
            raise SpecError(f"{source}: expected a mapping of spec keys, got "
                            f"{type(data).__name__}")
        fields = {f.name: f for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - set(fields))
        if unknown:
            raise SpecError(f"{source}: unknown key(s) {unknown}; allowed keys are "
                            f"{sorted(fields)}")
        required = [name for name, f in fields.items() if f.default is dataclasses.MISSING
                    and f.default_factory is dataclasses.MISSING]
        missing = [name for name in required if name not in data]
        if missing:
            raise SpecError(f"{source}: missing required key(s) {missing}")
        kwargs: dict[str, Any] = {}
        for key, value in data.items():
            kwargs[key] = _coerce(source, key, value)
        return cls(**kwargs).validate()

    @classmethod
    def from_yaml(cls, path: str | Path) -> DatasetSpec:
        """Read a spec from a YAML file; errors name the file."""
        path = Path(path)
        if not path.is_file():
            raise SpecError(f"spec file '{path}' does not exist")
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            raise SpecError(f"spec file '{path}' is not UTF-8 text") from None
        return cls.from_dict(load_yaml(text, f"spec file '{path}'"),
                             source=f"spec file '{path}'")

    def to_dict(self) -> dict[str, Any]:
        data = dataclasses.asdict(self)
        data["columns"] = {k: {f: v for f, v in info.items() if v}
                           for k, info in data["columns"].items()}
        return data

    def to_yaml(self) -> str:
        return yaml.safe_dump(self.to_dict(), sort_keys=False, allow_unicode=True)


class _NoAliasLoader(yaml.SafeLoader):
    """PyYAML's safe loader that refuses aliases (``*name``): a few hundred bytes of nested
    aliases expand to gigabytes, and a spec never needs them."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise _AliasRefused(f"YAML aliases are not allowed (*{clip(event.anchor, 40)} at "
                                f"line {event.start_mark.line + 1})")
        return super().compose_node(parent, index)


class _AliasRefused(yaml.YAMLError):
    pass


def load_yaml(text: str, source: str) -> Any:
    """Parse YAML text safely (no Python objects, no aliases); errors name ``source``."""
    try:
        return yaml.load(text, Loader=_NoAliasLoader)  # noqa: S506 - a SafeLoader subclass
    except _AliasRefused as exc:
        raise SpecError(f"{source}: {exc}") from None
    except yaml.YAMLError as exc:
        raise SpecError(f"{source} is not valid YAML: {clip(str(exc), 300)}") from None


def _coerce(source: str, key: str, value: Any) -> Any:
    """Type-check one YAML value for ``key`` and convert nested mappings."""
    list_keys = {"label_columns", "numeric_columns", "categorical_columns", "ignore_columns"}
    if key in list_keys:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise SpecError(f"{source}: '{key}' must be a list of column names, got "
                            f"{clip(value)}")
        return list(value)
    if key == "derived":
        if not isinstance(value, dict) or not all(
                isinstance(k, str) and isinstance(v, str) for k, v in value.items()):
            raise SpecError(f"{source}: 'derived' must map feature names to expressions "
                            f"(text), got {clip(value)}")
        return dict(value)
    if key == "bins":
        if not isinstance(value, dict) or not all(
                isinstance(v, list) and all(isinstance(x, int | float) and not isinstance(x, bool)
                                            for x in v) for v in value.values()):
            raise SpecError(f"{source}: 'bins' must map feature names to lists of numbers, "
                            f"got {clip(value)}")
        return {k: [float(x) for x in v] for k, v in value.items()}
    if key == "columns":
        if not isinstance(value, dict):
            raise SpecError(f"{source}: 'columns' must map column names to {{label, unit}}")
        infos = {}
        allowed = {f.name for f in dataclasses.fields(ColumnInfo)}
        for column, info in value.items():
            if (not isinstance(info, dict) or set(info) - allowed
                    or not all(isinstance(v, str) for v in info.values())):
                raise SpecError(f"{source}: columns.{clip(column, 60)} must be a mapping of "
                                f"{sorted(allowed)} to text, got {clip(info)}")
            infos[column] = ColumnInfo(**info)
        return infos
    if not isinstance(value, str):
        raise SpecError(f"{source}: '{key}' must be a string, got {clip(value)}")
    return value


def default_spec() -> DatasetSpec:
    """The spec of the embedded default data set (AI4I 2020-style machine runs)."""
    text = resources.files("daikiri.specs").joinpath("ai4i2020.yaml").read_text(encoding="utf-8")
    return DatasetSpec.from_dict(load_yaml(text, "built-in spec ai4i2020.yaml"),
                                 source="built-in spec ai4i2020.yaml")
