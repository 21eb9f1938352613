from pathlib import Path

import pytest
import yaml

from daikiri.errors import SpecError
from daikiri.spec import ColumnInfo, DatasetSpec, default_spec


def _yaml(tmp_path: Path, data: object, name: str = "spec.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_default_spec_describes_the_ai4i_table():
    spec = default_spec()
    assert spec.entity == "MachineRun" and spec.id_column == "udi"
    assert spec.label_columns == ["twf", "hdf", "pwf", "osf", "rnf"]
    assert spec.all_label_columns[-1] == "machine_failure"
    assert list(spec.derived) == ["temperature_difference_k", "power_w", "strain_minnm"]
    assert spec.label_of("torque_nm") == "torque" and spec.unit_of("torque_nm") == "Nm"
    assert spec.label_of("hdf") == "heat dissipation failure"


def test_label_falls_back_to_the_column_name():
    spec = default_spec()
    spec.columns.pop("tool_wear_min")
    assert spec.label_of("tool_wear_min") == "tool wear min"
    assert spec.unit_of("tool_wear_min") == ""


def test_yaml_round_trip_keeps_every_field(tmp_path):
    spec = default_spec()
    path = tmp_path / "copy.yaml"
    path.write_text(spec.to_yaml(), encoding="utf-8")
    assert DatasetSpec.from_yaml(path) == spec


def test_issue_example_yaml_is_accepted(tmp_path):
    data = {
        "name": "ai4i2020", "base_iri": "https://example.org/ai4i#", "entity": "MachineRun",
        "id_column": "udi", "label_columns": ["twf", "hdf", "pwf", "osf", "rnf"],
        "numeric_columns": ["air_temperature_k", "process_temperature_k",
                            "rotational_speed_rpm", "torque_nm", "tool_wear_min"],
        "categorical_columns": ["type"],
        "derived": {"power_w": "torque_nm * rotational_speed_rpm * 2 * pi / 60"},
        "columns": {"torque_nm": {"label": "torque", "unit": "Nm"},
                    "hdf": {"label": "heat dissipation failure"}},
    }
    spec = DatasetSpec.from_yaml(_yaml(tmp_path, data))
    assert spec.columns["torque_nm"] == ColumnInfo(label="torque", unit="Nm")
    assert spec.feature_columns[-1] == "power_w"


def _base() -> dict:
    return default_spec().to_dict()


@pytest.mark.parametrize("change, message", [
    (lambda d: d.update(colour="red"), "unknown key(s) ['colour']"),
    (lambda d: d.pop("id_column"), "missing required key(s) ['id_column']"),
    (lambda d: d.update(base_iri="example.org/ai4i"), "is not an absolute http(s) IRI"),
    (lambda d: d.update(base_iri="https://example.org/ai4i"), "ending in '#' or '/'"),
    (lambda d: d.update(label_columns=[]), "label_columns is empty"),
    (lambda d: d.update(label_columns="hdf"), "'label_columns' must be a list"),
    (lambda d: d.update(nan_policy="ignore"), "nan_policy 'ignore' must be one of"),
    (lambda d: d.update(categorical_columns=["type", "torque_nm"]),
     "column 'torque_nm' is declared more than once"),
    (lambda d: d.update(entity="Machine Run"), "entity 'Machine Run' must be a simple name"),
    (lambda d: d["derived"].update(bad="torque_nm.real"), "attribute access is not allowed"),
    (lambda d: d["derived"].update(bad="spin * 2"), "unknown column 'spin'"),
    (lambda d: d["columns"].update(nothing={"label": "x"}),
     "'columns' describes unknown column(s) ['nothing']"),
    (lambda d: d["columns"].update(torque_nm={"lable": "x"}), "columns.torque_nm must be"),
])
def test_bad_specs_are_rejected_with_a_named_reason(tmp_path, change, message):
    data = _base()
    change(data)
    with pytest.raises(SpecError) as info:
        DatasetSpec.from_yaml(_yaml(tmp_path, data))
    assert message in str(info.value)
    assert "spec.yaml" in str(info.value) or "spec 'ai4i2020'" in str(info.value)


def test_derived_features_may_use_earlier_derived_features():
    data = _base()
    data["derived"]["power_kw"] = "power_w / 1000"
    assert DatasetSpec.from_dict(data).feature_columns[-1] == "power_kw"


def test_spec_file_errors_name_the_file(tmp_path):
    with pytest.raises(SpecError, match="spec file '.*missing.yaml' does not exist"):
        DatasetSpec.from_yaml(tmp_path / "missing.yaml")
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: [unclosed", encoding="utf-8")
    with pytest.raises(SpecError, match="broken.yaml' is not valid YAML"):
        DatasetSpec.from_yaml(broken)
    listing = tmp_path / "list.yaml"
    listing.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(SpecError, match="expected a mapping of spec keys, got list"):
        DatasetSpec.from_yaml(listing)


# ---------------------------------------------------------------- hostile YAML (#21)
def test_yaml_aliases_are_refused_before_they_expand(tmp_path):
    """A 'billion laughs' spec: each level repeats the one before ten times."""
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 9):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(levels) + "\nname: *a8\n", encoding="utf-8")
    with pytest.raises(SpecError) as info:
        DatasetSpec.from_yaml(path)
    assert str(info.value) == (f"spec file '{path}': YAML aliases are not allowed "
                               "(*a0 at line 2)")


@pytest.mark.parametrize("patch, fragment", [
    ({"derived": {"x": 5}}, "'derived' must map feature names to expressions (text)"),
    ({"columns": {"torque_nm": {"label": 7}}}, "columns.torque_nm must be a mapping of"),
    ({"columns": {"torque_nm": {"unit": ["N", "m"]}}}, "columns.torque_nm must be a mapping of"),
    ({"name": 12}, "'name' must be a string, got 12"),
    ({"label_columns": "hdf"}, "'label_columns' must be a list of column names, got hdf"),
])
def test_values_of_the_wrong_yaml_type_are_errors_not_converted(patch, fragment):
    data = default_spec().to_dict() | patch
    with pytest.raises(SpecError) as info:
        DatasetSpec.from_dict(data, source="spec file 's.yaml'")
    assert fragment in str(info.value)


def test_a_huge_value_is_quoted_only_in_part():
    data = default_spec().to_dict() | {"name": ["x" * 50] * 2_000}
    with pytest.raises(SpecError) as info:
        DatasetSpec.from_dict(data)
    assert "must be a string" in str(info.value) and len(str(info.value)) < 300


@pytest.mark.parametrize("iri", ["https://ex.org/a%zz#", "https://ex.org/a#b#",
                                 "https://ex.org/a%2#", "https://ex.org/a[b]/"])
def test_base_iris_that_rfc_3987_forbids_are_refused(iri):
    with pytest.raises(SpecError, match="is not a valid IRI \\(RFC 3987\\)"):
        DatasetSpec.from_dict(default_spec().to_dict() | {"base_iri": iri})


@pytest.mark.parametrize("iri", ["https://ex.org:8080/plant/runs/", "https://ex.org/caf%C3%A9#",
                                 "https://ex.org/café#", "http://ex.org/"])
def test_valid_base_iris_are_accepted(iri):
    assert DatasetSpec.from_dict(default_spec().to_dict() | {"base_iri": iri}).base_iri == iri
