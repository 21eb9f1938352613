"""Ingestion: good tables come out typed and complete; every bad input gets a named error."""

import numpy as np
import pandas as pd
import pytest

from daikiri.errors import DataValidationError, SpecError
from daikiri.ingest import load_table, read_table, validate_table


def test_generated_default_is_valid_and_complete(spec):
    table, summary = load_table(spec, None, rows=2_000, seed=3)
    assert summary.rows_read == summary.rows_kept == len(table) == 2_000
    assert list(table.columns) == (["udi"] + spec.numeric_columns + list(spec.derived)
                                   + ["type"] + spec.label_columns + ["machine_failure",
                                                                      "product_id"])
    assert all(summary.label_counts[c] > 0 for c in spec.label_columns)
    assert (table.machine_failure == table[spec.label_columns].max(axis=1)).all()
    power = table.torque_nm * table.rotational_speed_rpm * 2 * np.pi / 60
    assert np.allclose(table.power_w, power)
    assert np.allclose(table.temperature_difference_k,
                       table.process_temperature_k - table.air_temperature_k)


@pytest.mark.parametrize("name", ["runs.csv", "runs.parquet", "runs.tsv"])
def test_csv_parquet_and_tsv_round_trip_exactly(tmp_path, spec, small_runs, name):
    path = tmp_path / name
    if name.endswith(".parquet"):
        small_runs.to_parquet(path)
    else:
        small_runs.to_csv(path, index=False, sep="\t" if name.endswith(".tsv") else ",")
    table, _ = load_table(spec, path)
    for column in spec.numeric_columns:
        assert (table[column].to_numpy() == small_runs[column].to_numpy(float)).all(), column
    assert (table.udi.astype(str).to_numpy() == small_runs.udi.astype(str).to_numpy()).all()


def test_csv_ids_and_categories_are_kept_as_written(tmp_path, spec, small_runs):
    frame = small_runs.astype({"udi": str})
    frame.loc[0, "udi"] = "007"
    frame.loc[1, "udi"] = "7.0"
    frame.to_csv(tmp_path / "runs.csv", index=False)
    table, _ = load_table(spec, tmp_path / "runs.csv")
    assert table.udi.tolist()[:2] == ["007", "7.0"]


def test_nan_policy_drop_drops_and_counts(spec, small_runs):
    spec.nan_policy = "drop"
    frame = small_runs.astype({"torque_nm": float})
    frame.loc[[4, 9], "torque_nm"] = np.nan
    frame.loc[12, "type"] = None
    table, summary = validate_table(frame, spec)
    assert summary.rows_dropped == 3 and len(table) == len(frame) - 3
    assert summary.dropped_ids == ["5", "10", "13"]
    assert not table[spec.feature_columns].isna().any().any()


def test_numbers_written_as_text_with_spaces_are_accepted(spec, small_runs):
    frame = small_runs.astype({"torque_nm": str})
    frame["torque_nm"] = " " + frame["torque_nm"] + " "
    table, _ = validate_table(frame, spec)
    assert table.torque_nm.dtype == np.float64
    assert (table.torque_nm.to_numpy() == small_runs.torque_nm.to_numpy()).all()


def test_boolean_labels_are_accepted(spec, small_runs):
    frame = small_runs.astype({"hdf": bool})
    table, _ = validate_table(frame, spec)
    assert (table.hdf.to_numpy() == small_runs.hdf.to_numpy()).all()


# ------------------------------------------------------------------- bad input, one message each
def _message(excinfo: pytest.ExceptionInfo) -> str:
    return str(excinfo.value)


def test_missing_file(spec, tmp_path):
    with pytest.raises(DataValidationError) as info:
        load_table(spec, tmp_path / "nowhere.csv")
    assert _message(info) == f"table file '{tmp_path / 'nowhere.csv'}' does not exist"


def test_directory_is_not_a_table(spec, tmp_path):
    with pytest.raises(DataValidationError, match="is not a regular file"):
        load_table(spec, tmp_path)


def test_unsupported_extension(spec, tmp_path):
    path = tmp_path / "runs.xlsx"
    path.write_bytes(b"PK\x03\x04")
    with pytest.raises(DataValidationError, match=r"unsupported file type '\.xlsx'; expected one "
                                                  r"of \['\.csv'"):
        load_table(spec, path)


def test_zero_byte_file(spec, tmp_path):
    path = tmp_path / "empty.csv"
    path.write_bytes(b"")
    with pytest.raises(DataValidationError, match=r"empty.csv' is empty \(0 bytes\)"):
        load_table(spec, path)


def test_header_without_rows(spec, tmp_path, small_runs):
    path = tmp_path / "header.csv"
    path.write_text(",".join(small_runs.columns) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="header.csv' has a header but no data rows"):
        load_table(spec, path)


def test_binary_file_is_not_csv(spec, tmp_path):
    path = tmp_path / "image.csv"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    with pytest.raises(DataValidationError) as info:
        load_table(spec, path)
    assert "image.csv' is binary, not CSV text (NUL byte at line 3, byte 8)" in _message(info)


def test_non_utf8_text_names_the_line(spec, tmp_path, small_runs):
    path = tmp_path / "latin1.csv"
    text = small_runs.head(5).to_csv(index=False).replace("L", "É")
    path.write_bytes(text.encode("latin-1"))
    with pytest.raises(DataValidationError) as info:
        load_table(spec, path)
    first = next(i for i, line in enumerate(text.splitlines(), 1) if "É" in line)
    assert f"latin1.csv' is not UTF-8 text: invalid byte 0xc9 at line {first}" in _message(info)


def test_ragged_rows(spec, tmp_path, small_runs):
    path = tmp_path / "ragged.csv"
    lines = small_runs.head(5).to_csv(index=False).splitlines()
    lines[3] += ",surplus"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataValidationError) as info:
        load_table(spec, path)
    assert "ragged.csv' is not a well-formed CSV: Expected 13 fields in line 4, saw 14" \
        in _message(info)


def test_corrupt_parquet(spec, tmp_path):
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"PAR1 definitely not parquet")
    with pytest.raises(DataValidationError, match="broken.parquet' is not a readable Parquet"):
        load_table(spec, path)


def test_missing_columns(spec, small_runs, write_csv):
    path = write_csv(small_runs.drop(columns=["torque_nm", "hdf"]))
    with pytest.raises(DataValidationError) as info:
        load_table(spec, path)
    assert "missing column(s) ['torque_nm', 'hdf'] required by spec 'ai4i2020'" in _message(info)


def test_extra_columns(spec, small_runs, write_csv):
    path = write_csv(small_runs.assign(operator="anna"))
    with pytest.raises(DataValidationError) as info:
        load_table(spec, path)
    assert "unexpected column(s) ['operator'] not described by spec 'ai4i2020'" in _message(info)


def test_derived_column_must_not_be_supplied(spec, small_runs):
    with pytest.raises(DataValidationError, match=r"\['power_w'\] are derived by spec"):
        validate_table(small_runs.assign(power_w=1.0), spec)


def test_non_numeric_values_name_column_rows_and_values(spec, small_runs, write_csv):
    frame = small_runs.astype({"rotational_speed_rpm": object})
    frame.loc[[2, 40], "rotational_speed_rpm"] = ["fast", "1,5e3"]
    with pytest.raises(DataValidationError) as info:
        load_table(spec, write_csv(frame))
    assert ("numeric column 'rotational_speed_rpm' has non-numeric value(s) 'fast', '1,5e3' "
            "at rows 3, 41") in _message(info)


def test_nan_with_error_policy_names_rows(spec, small_runs, write_csv):
    frame = small_runs.astype({"air_temperature_k": float})
    frame.loc[[0, 6], "air_temperature_k"] = np.nan
    with pytest.raises(DataValidationError) as info:
        load_table(spec, write_csv(frame))
    assert ("column 'air_temperature_k' has 2 missing/NaN value(s) at rows 1, 7; the spec's "
            "nan_policy is 'error'") in _message(info)


def test_infinite_values(spec, small_runs):
    frame = small_runs.astype({"torque_nm": float})
    frame.loc[3, "torque_nm"] = np.inf
    with pytest.raises(DataValidationError, match="column 'torque_nm' has infinite value"
                                                  r"\(s\) at row 4; expected finite"):
        validate_table(frame, spec)


def test_duplicate_ids(spec, small_runs, write_csv):
    frame = small_runs.copy()
    frame.loc[10, "udi"] = frame.loc[3, "udi"]
    with pytest.raises(DataValidationError) as info:
        load_table(spec, write_csv(frame))
    assert "id column 'udi' has duplicate id(s) ['4'] at rows 4, 11" in _message(info)


def test_missing_ids(spec, small_runs):
    frame = small_runs.astype({"udi": float})
    frame.loc[8, "udi"] = np.nan
    with pytest.raises(DataValidationError, match="id column 'udi' has missing value"):
        validate_table(frame, spec)


def test_label_not_binary(spec, small_runs, write_csv):
    frame = small_runs.astype({"osf": object})
    frame.loc[5, "osf"] = 2
    frame.loc[6, "osf"] = "yes"
    with pytest.raises(DataValidationError) as info:
        load_table(spec, write_csv(frame))
    assert "label column 'osf' must hold 0 or 1, found '2', 'yes' at rows 6, 7" in _message(info)


def test_label_with_a_single_class(spec, small_runs):
    with pytest.raises(DataValidationError) as info:
        validate_table(small_runs.assign(rnf=0), spec)
    assert ("label column 'rnf' has a single class (0 in all 2000 rows); a fault label needs "
            "both 0 and 1 rows") in _message(info)


def test_derived_division_by_zero(spec, small_runs):
    spec.derived["speed_per_wear"] = "rotational_speed_rpm / tool_wear_min"
    frame = small_runs.copy()
    frame.loc[[0, 1], "tool_wear_min"] = 0
    with pytest.raises(DataValidationError) as info:
        validate_table(frame, spec)
    assert ("derived feature 'speed_per_wear' = rotational_speed_rpm / tool_wear_min is not "
            "finite (a division by zero, an overflow, or a negative number to a fractional "
            "power) at rows 1, 2") in _message(info)


def test_derived_unknown_column_is_a_spec_error(spec, small_runs):
    spec.derived["bad"] = "torque * 2"
    with pytest.raises(SpecError, match="references unknown column 'torque'"):
        validate_table(small_runs, spec)


def test_derived_not_arithmetic_is_a_spec_error(spec, small_runs):
    spec.derived["bad"] = "max(torque_nm, 1)"
    with pytest.raises(SpecError, match="is not arithmetic: function calls are not allowed"):
        validate_table(small_runs, spec)


def test_empty_dataframe(spec, small_runs):
    with pytest.raises(DataValidationError, match="is empty: expected at least one data row"):
        validate_table(small_runs.head(0), spec)


def test_all_rows_dropped(spec, small_runs):
    spec.nan_policy = "drop"
    frame = small_runs.astype({"torque_nm": float}).assign(torque_nm=np.nan)
    with pytest.raises(DataValidationError, match="every row has a missing feature value"):
        validate_table(frame, spec)


def test_read_table_messages_name_the_file(tmp_path):
    path = tmp_path / "only_header.csv"
    path.write_text("\n\n", encoding="utf-8")
    with pytest.raises(DataValidationError, match="only_header.csv' has no header line"):
        read_table(path)


def test_small_runs_fixture_has_every_label(small_runs):
    assert (small_runs[["twf", "hdf", "pwf", "osf", "rnf"]].sum() > 0).all()
    assert isinstance(small_runs, pd.DataFrame)


def test_task_errors_name_an_input_file_as_the_user_gave_it(tmp_path):
    """On a cluster a task reads a download of ``gs://...``: errors name the URI, not the copy."""
    from flytekit.types.file import FlyteFile

    from daikiri.spec import default_spec
    from tasks.common import user_file

    local = tmp_path / "copy-of-runs.csv"

    def fetch_broken_csv() -> None:
        local.write_text("udi,torque_nm\n1,2\n", encoding="utf-8")

    def fetch_nothing() -> None:
        raise OSError("403 Forbidden\nbucket 'plant' denies access")

    fetched = FlyteFile(path=str(local), downloader=fetch_broken_csv)
    fetched._remote_source = "gs://plant/runs.csv"
    with pytest.raises(DataValidationError) as info, user_file(fetched, "table file") as path:
        load_table(default_spec(), path)
    assert str(info.value).startswith("table file 'gs://plant/runs.csv': ")
    assert str(local) not in str(info.value)
    unreachable = FlyteFile(path=str(tmp_path / "never"), downloader=fetch_nothing)
    unreachable._remote_source = "gs://plant/other.csv"
    with pytest.raises(DataValidationError, match="^table file 'gs://plant/other.csv' cannot be "
                                                  "read: bucket 'plant' denies access$"):
        with user_file(unreachable, "table file"):
            pass


def test_an_empty_category_is_missing_and_a_spaced_duplicate_id_says_why(tmp_path, small_runs):
    from daikiri.spec import default_spec

    frame = small_runs.astype({"udi": str})
    frame.loc[7, "type"] = ""
    path = tmp_path / "runs.csv"
    frame.to_csv(path, index=False)
    with pytest.raises(DataValidationError, match="'type'.*row 8"):
        load_table(default_spec(), path)
    frame = small_runs.astype({"udi": str})
    frame.loc[5, "udi"] = " " + frame.loc[6, "udi"]
    frame.to_csv(path, index=False)
    with pytest.raises(DataValidationError) as info:
        load_table(default_spec(), path)
    assert "duplicate id(s)" in str(info.value)
    assert str(info.value).endswith("(leading spaces are not part of a CSV value)")
