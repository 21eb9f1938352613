"""The embedded default data set: synthetic machine runs in the manner of AI4I 2020.

Follows the published generative description of the AI4I 2020 Predictive Maintenance data set
(S. Matzka, AI4I 2020), matching the *published data's* marginals where the text and the data
disagree. The model, column by column:

- ``type``: product quality variant L / M / H drawn with shares 50 / 30 / 20 %;
  ``product_id`` is the variant letter plus a five-digit serial number.
- ``air_temperature_k``: a slowly drifting walk (AR(1), coefficient 0.99, so the marginal is
  stable at any row count), standardised to mean 300 K and sd 2 K.
- ``process_temperature_k``: a second walk correlated 0.876 with air temperature, standardised
  to mean 310 K and sd 1.48 K; so the difference process − air has mean 10 K and sd 1 K, as in
  the published data (the published text's "walk with sd 1 K added to air + 10 K" would give
  sd 2.2 K, unlike the data).
- ``torque_nm``: normal (40, 10), redrawn below 3.5 Nm (published minimum 3.8 Nm).
- ``rotational_speed_rpm``: a saturating, roughly constant-power curve
  ``1206 + 2169 * exp(-torque / 20)`` plus normal noise (sd 40 rpm). The published "power of
  2860 W" does not reproduce the published marginals; this curve was fitted to them (mean
  ≈ 1539 rpm, sd ≈ 179, quartiles ≈ 1423 / 1503 / 1612, corr with torque ≈ −0.88, PWF ≈ 95
  per 10,000).
- ``tool_wear_min``: the tool in use gains 5 / 3 / 2 minutes per run for H / M / L.
- Failure labels (1 = failure):
  - ``twf``: every tool is replaced at a wear drawn uniformly from [200, 240] min; the run at
    which it is reached is a tool-wear *failure* with probability ``twf_probability``.
  - ``hdf``: process − air temperature < 8.6 K and rotational speed < 1380 rpm.
  - ``pwf``: power = torque × speed in rad/s < 3500 W or > 9000 W.
  - ``osf``: tool wear × torque > 11,000 / 12,000 / 13,000 min·Nm for L / M / H.
  - ``rnf``: random, ``rnf_probability`` per run (0.19 %: the published data has 19 per 10,000;
    the published text says 0.1 %).

Deterministic for a seed; any row count. The rules live only here, to *generate* ground truth;
the pipeline never sees them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.signal import lfilter

from daikiri.errors import DaikiriError

VARIANTS = np.array(["L", "M", "H"])
VARIANT_SHARES = (0.5, 0.3, 0.2)
WEAR_PER_RUN = {"L": 2, "M": 3, "H": 5}
OSF_LIMIT = {"L": 11_000.0, "M": 12_000.0, "H": 13_000.0}
HDF_MAX_TEMPERATURE_DIFFERENCE = 8.6
HDF_MAX_SPEED = 1380.0
PWF_MIN_POWER = 3500.0
PWF_MAX_POWER = 9000.0
TOOL_REPLACEMENT_RANGE = (200.0, 240.0)
LABEL_COLUMNS = ["twf", "hdf", "pwf", "osf", "rnf"]
# Speed falls with torque along a saturating, roughly constant-power curve (see module doc).
SPEED_FLOOR_RPM = 1206.0
SPEED_RANGE_RPM = 2169.0
SPEED_TORQUE_SCALE_NM = 20.0
SPEED_NOISE_RPM = 40.0
MIN_TORQUE_NM = 3.5


@dataclass(frozen=True)
class GeneratorConfig:
    """Tunable constants of the generator (defaults reproduce the published marginals)."""

    twf_probability: float = 0.4
    rnf_probability: float = 0.0019
    walk_coefficient: float = 0.95
    air_process_correlation: float = 0.876


def power_w(torque_nm: np.ndarray, speed_rpm: np.ndarray) -> np.ndarray:
    """Mechanical power in W from torque [Nm] and rotational speed [rpm]."""
    return torque_nm * speed_rpm * 2.0 * np.pi / 60.0


def generate_machine_runs(rows: int = 10_000, seed: int = 42,
                          config: GeneratorConfig | None = None) -> pd.DataFrame:
    """Generate ``rows`` synthetic machine runs with fault labels, deterministic for ``seed``."""
    if not isinstance(rows, int | np.integer) or rows < 1:
        raise DaikiriError(f"input 'rows' must be a positive integer, got {rows!r}")
    if not isinstance(seed, int | np.integer) or seed < 0:
        raise DaikiriError(f"input 'seed' must be a non-negative integer, got {seed!r}")
    config = config or GeneratorConfig()
    rng = np.random.default_rng(seed)
    variant = VARIANTS[rng.choice(3, size=rows, p=VARIANT_SHARES)]
    serial = rng.integers(10_000, 100_000, size=rows)

    air_walk = _standardise(_ar1_walk(rng, rows, config.walk_coefficient))
    independent = _standardise(_ar1_walk(rng, rows, config.walk_coefficient))
    rho = config.air_process_correlation
    process_walk = _standardise(rho * air_walk + np.sqrt(1.0 - rho**2) * independent)
    # Round to the published resolution *before* labelling, so the labels obey the rules
    # exactly on the values users see.
    air = np.round(300.0 + 2.0 * air_walk, 1)
    process = np.round(310.0 + 1.48 * process_walk, 1)

    torque = rng.normal(40.0, 10.0, size=rows)
    while (bad := torque < MIN_TORQUE_NM).any():
        torque[bad] = rng.normal(40.0, 10.0, size=int(bad.sum()))
    speed = SPEED_FLOOR_RPM + SPEED_RANGE_RPM * np.exp(-torque / SPEED_TORQUE_SCALE_NM)
    speed = speed + rng.normal(0.0, SPEED_NOISE_RPM, size=rows)
    speed = np.maximum(np.round(speed), 1.0)
    torque = np.round(torque, 1)

    wear, twf = _tool_wear(rng, variant, config.twf_probability)
    power = power_w(torque, speed)
    hdf = (process - air < HDF_MAX_TEMPERATURE_DIFFERENCE) & (speed < HDF_MAX_SPEED)
    pwf = (power < PWF_MIN_POWER) | (power > PWF_MAX_POWER)
    osf = wear * torque > pd.Series(variant).map(OSF_LIMIT).to_numpy()
    rnf = rng.random(rows) < config.rnf_probability

    return pd.DataFrame({
        "udi": np.arange(1, rows + 1, dtype=np.int64),
        "product_id": np.char.add(variant.astype(str), serial.astype(str)),
        "type": variant,
        "air_temperature_k": air,
        "process_temperature_k": process,
        "rotational_speed_rpm": speed.astype(np.int64),
        "torque_nm": torque,
        "tool_wear_min": wear.astype(np.int64),
        "twf": twf.astype(np.int64),
        "hdf": hdf.astype(np.int64),
        "pwf": pwf.astype(np.int64),
        "osf": osf.astype(np.int64),
        "rnf": rnf.astype(np.int64),
    })


def _ar1_walk(rng: np.random.Generator, rows: int, coefficient: float) -> np.ndarray:
    """A mean-reverting random walk x[t] = c·x[t-1] + N(0, 1) (an IIR filter, no Python loop)."""
    return lfilter([1.0], [1.0, -coefficient], rng.normal(size=rows))


def _standardise(values: np.ndarray) -> np.ndarray:
    std = values.std()
    return (values - values.mean()) / (std if std > 0 else 1.0)


def _tool_wear(rng: np.random.Generator, variant: np.ndarray,
               twf_probability: float) -> tuple[np.ndarray, np.ndarray]:
    """Simulate tool wear per run and the tool-wear failures at replacement time."""
    rows = len(variant)
    increments = pd.Series(variant).map(WEAR_PER_RUN).to_numpy().tolist()
    low, high = TOOL_REPLACEMENT_RANGE
    # More replacement thresholds and failure draws than can ever be needed (>= 2 min per run).
    budget = rows // int(low / max(WEAR_PER_RUN.values())) + 2
    thresholds = rng.uniform(low, high, size=budget).tolist()
    fails = (rng.random(budget) < twf_probability).tolist()
    wear = np.zeros(rows, dtype=np.int64)
    twf = np.zeros(rows, dtype=bool)
    current, tool = 0, 0
    for i, step in enumerate(increments):
        current += step
        wear[i] = current
        if current >= thresholds[tool]:
            twf[i] = fails[tool]
            current, tool = 0, tool + 1
    return wear, twf
