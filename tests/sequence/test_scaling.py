"""scaling="quantile": features mapped to their training quantiles, skewed
marginals learned, and the model round-trips."""

import warnings

import numpy as np
import pytest
from scipy.stats import ks_2samp

from gansynth import TimeSeriesGAN
from gansynth.estimator_checks import (
    check_pickle_round_trip,
    check_save_load_round_trip,
)
from gansynth.modalities.sequence.scaling import FeatureScaling


def _skewed(n=256, length=12, seed=0):
    """A log-normal AR(1) process: a long right tail, most values small."""
    rng = np.random.default_rng(seed)
    z = np.zeros((n, length))
    z[:, 0] = rng.normal(size=n)
    for t in range(1, length):
        z[:, t] = 0.8 * z[:, t - 1] + 0.6 * rng.normal(size=n)
    return np.exp(1.2 * z)[:, :, None]


def test_quantiles_round_trip_ties_and_missing_values():
    rng = np.random.default_rng(0)
    values = np.c_[np.where(rng.random(500) < 0.7, 0.0, rng.exponential(size=500)),
                   rng.normal(size=500)]  # fmt: skip
    values[::7, 1] = np.nan
    scaling = FeatureScaling("quantile").fit(values)
    scaled = scaling.transform(values)
    assert np.nanmin(scaled) == -1 and np.nanmax(scaled) == 1
    assert np.array_equal(np.isnan(scaled), np.isnan(values))
    back = scaling.inverse_transform(np.nan_to_num(scaled))
    observed = ~np.isnan(values)
    assert np.allclose(back[observed], values[observed])
    assert (back[values[:, 0] == 0, 0] == 0).all()  # the spike at zero stays


@pytest.mark.heavy
def test_a_skewed_marginal_is_learned_with_quantiles():
    # Measured (seed 0, 200 generator steps): the KS statistic between
    # generated and real values is 0.064 with quantiles and 0.543 with
    # min-max scaling (after 60 steps: 0.37 and 0.96).
    X = _skewed()
    ks = {}
    for scaling in ("quantile", "minmax"):
        gan = TimeSeriesGAN(epochs=100, hidden_size=16, scaling=scaling,
                            random_state=0).fit(X)  # fmt: skip
        ks[scaling] = ks_2samp(gan.sample(512, random_state=1).ravel(), X.ravel())[0]
    assert ks["quantile"] <= 0.15 and ks["minmax"] > 0.3


@pytest.mark.parametrize("scaling", ["quantile", "auto"])
@pytest.mark.parametrize("check", [check_pickle_round_trip, check_save_load_round_trip])
def test_a_quantile_model_round_trips(check, scaling):
    X = np.concatenate([_skewed(40), np.log(_skewed(40, seed=1))], axis=2)
    check(lambda: TimeSeriesGAN(epochs=2, hidden_size=4, scaling=scaling,
                                random_state=0), X, None)  # fmt: skip


def test_auto_maps_only_the_heavy_tailed_features_by_quantile():
    # Log-normal values (excess kurtosis far above 3), their logarithm (a
    # Gaussian, about 0) and a sine (-1.5): only the first goes by quantile.
    values = _skewed(200).reshape(-1, 1)
    sine = np.sin(np.linspace(0, 60, len(values)))[:, None]
    values = np.c_[values, np.log(values), sine]
    auto = FeatureScaling("auto").fit(values)
    assert auto.quantile_columns_.tolist() == [True, False, False]
    scaled = auto.transform(values)
    by_quantile = FeatureScaling("quantile").fit(values[:, :1]).transform(values[:, :1])
    by_range = FeatureScaling("minmax").fit(values[:, 1:]).transform(values[:, 1:])
    assert np.allclose(scaled, np.c_[by_quantile, by_range])
    assert np.allclose(auto.inverse_transform(scaled), values)
    state = FeatureScaling.from_state(auto.get_state(), "auto")
    assert np.allclose(state.transform(values), scaled)


def test_auto_takes_a_constant_feature_without_a_warning():
    values = np.c_[np.ones(60), np.r_[np.zeros(55), np.ones(5)], np.arange(60.0)]
    values[3, 2] = np.nan
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        auto = FeatureScaling("auto").fit(values)
    assert auto.quantile_columns_.tolist() == [False, True, False]


def test_files_from_before_auto_keep_their_scaling():
    values = _skewed(50).reshape(-1, 1)
    for kind in ("minmax", "quantile"):
        fitted = FeatureScaling(kind).fit(values)
        arrays = fitted.get_state()
        arrays.pop("quantile_columns", None)  # not written before "auto"
        restored = FeatureScaling.from_state(arrays, kind)
        assert np.allclose(restored.transform(values), fitted.transform(values))


def test_an_unknown_scaling_is_refused_by_name():
    with pytest.raises(ValueError, match="scaling"):
        TimeSeriesGAN(epochs=1, scaling="log").fit(_skewed(20))
