"""The generated default data obeys the published AI4I 2020 mechanisms and marginals."""

import numpy as np
import pandas as pd
import pytest

from daikiri import datagen
from daikiri.datagen import generate_machine_runs
from daikiri.errors import DaikiriError


def test_same_seed_same_table_other_seed_other_table():
    a, b = generate_machine_runs(500, seed=11), generate_machine_runs(500, seed=11)
    pd.testing.assert_frame_equal(a, b)
    assert not generate_machine_runs(500, seed=12).equals(a)


@pytest.mark.parametrize("rows", [1, 7, 1234])
def test_any_row_count(rows):
    frame = generate_machine_runs(rows, seed=1)
    assert len(frame) == rows and frame["udi"].is_unique


def test_rejects_a_non_positive_row_count():
    with pytest.raises(DaikiriError, match="input 'rows' must be a positive integer, got 0"):
        generate_machine_runs(0)


def _power(frame):
    return frame.torque_nm * frame.rotational_speed_rpm * 2 * np.pi / 60


def test_hdf_is_exactly_the_heat_dissipation_rule(runs_10k):
    rule = ((runs_10k.process_temperature_k - runs_10k.air_temperature_k < 8.6)
            & (runs_10k.rotational_speed_rpm < 1380))
    assert (runs_10k.hdf == rule.astype(int)).all()


def test_pwf_is_exactly_the_power_rule(runs_10k):
    power = _power(runs_10k)
    assert (runs_10k.pwf == ((power < 3500) | (power > 9000)).astype(int)).all()
    assert (power[runs_10k.pwf == 1] < 3500).any() and (power[runs_10k.pwf == 1] > 9000).any()


def test_osf_is_exactly_the_overstrain_rule_per_variant(runs_10k):
    limit = runs_10k["type"].map({"L": 11_000, "M": 12_000, "H": 13_000})
    rule = runs_10k.tool_wear_min * runs_10k.torque_nm > limit
    assert (runs_10k.osf == rule.astype(int)).all()
    assert set(runs_10k.loc[runs_10k.osf == 1, "type"]) == {"L", "M", "H"}


def test_twf_happens_only_in_the_replacement_window(runs_10k):
    wear = runs_10k.tool_wear_min
    assert wear[runs_10k.twf == 1].between(200, 245).all()
    # a failed tool is replaced: the next run starts a new tool
    following = np.flatnonzero(runs_10k.twf.to_numpy())[:-1] + 1
    assert (wear.iloc[following] <= 5).all()


def test_tool_wear_grows_by_the_variant_increment(runs_10k):
    step = runs_10k.tool_wear_min.diff().iloc[1:]
    increment = runs_10k["type"].map(datagen.WEAR_PER_RUN).iloc[1:]
    continued = step > 0
    assert (step[continued] == increment[continued]).all()
    assert runs_10k.tool_wear_min.min() >= 2 and runs_10k.tool_wear_min.max() <= 245


def test_rnf_is_independent_of_the_process(runs_10k):
    hits = runs_10k[runs_10k.rnf == 1]
    assert 5 <= len(hits) <= 40
    # random failures are spread over the speed range, unlike HDF/PWF
    assert hits.rotational_speed_rpm.std() > 100


def test_variant_shares(runs_10k):
    shares = runs_10k["type"].value_counts(normalize=True)
    assert shares["L"] == pytest.approx(0.5, abs=0.02)
    assert shares["M"] == pytest.approx(0.3, abs=0.02)
    assert shares["H"] == pytest.approx(0.2, abs=0.02)
    assert runs_10k.product_id.str.match(r"^[LMH]\d{5}$").all()
    assert (runs_10k.product_id.str[0] == runs_10k["type"]).all()


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_published_marginals_at_10k_rows(seed):
    frame = generate_machine_runs(10_000, seed=seed)
    speed, torque = frame.rotational_speed_rpm, frame.torque_nm
    assert speed.mean() == pytest.approx(1539, abs=25)
    assert speed.std() == pytest.approx(179, abs=25)
    assert 1100 <= speed.min() <= 1250 and 2500 <= speed.max() <= 3200
    assert torque.mean() == pytest.approx(40, abs=0.5)
    assert torque.std() == pytest.approx(10, abs=0.5)
    assert 3.5 <= torque.min() <= 8
    assert -0.95 <= np.corrcoef(speed, torque)[0, 1] <= -0.84
    assert frame.air_temperature_k.mean() == pytest.approx(300, abs=0.01)
    assert frame.air_temperature_k.std() == pytest.approx(2, abs=0.05)
    assert frame.process_temperature_k.mean() == pytest.approx(310, abs=0.01)
    assert frame.process_temperature_k.std() == pytest.approx(1.48, abs=0.05)
    difference = frame.process_temperature_k - frame.air_temperature_k
    assert difference.mean() == pytest.approx(10, abs=0.05)
    assert difference.std() == pytest.approx(1.0, abs=0.1)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_published_failure_rates_at_10k_rows(seed):
    frame = generate_machine_runs(10_000, seed=seed)
    counts = frame[datagen.LABEL_COLUMNS].sum()
    assert 60 <= counts.hdf <= 200       # published ≈ 115
    assert 60 <= counts.pwf <= 140       # published ≈ 95
    assert 60 <= counts.osf <= 150       # published ≈ 98
    assert 25 <= counts.twf <= 80        # published ≈ 46
    assert 5 <= counts.rnf <= 40         # published ≈ 19
    any_failure = frame[datagen.LABEL_COLUMNS].max(axis=1).mean()
    assert 0.025 <= any_failure <= 0.05  # published ≈ 3.4 %


def test_a_negative_seed_is_named():
    from daikiri.clustering import ClusteringConfig
    from daikiri.errors import DaikiriError

    with pytest.raises(DaikiriError, match="^input 'seed' must be a non-negative integer, got -3$"):
        generate_machine_runs(rows=10, seed=-3)
    with pytest.raises(DaikiriError, match="^seed must be a non-negative integer, got -1$"):
        ClusteringConfig(seed=-1).validate()
