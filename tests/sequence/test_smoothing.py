"""Smoothing after sampling (``TimeSeriesGAN(smoothing=True)``): each feature
gets the window that brings its generated step size closest to the real
one, missing values and sequence ends survive, and models round-trip."""

import numpy as np
import pytest

from gansynth import ConditionalGAN, TimeSeriesGAN
from gansynth.estimator_checks import (
    check_pickle_round_trip,
    check_save_load_round_trip,
)
from gansynth.modalities.sequence import SequenceEncoder
from gansynth.modalities.sequence.smoothing import (
    choose_windows,
    masked_moving_average,
)


def _ramps(n=400, length=24, n_features=3, seed=0):
    """Straight lines of random level and small random slope: smooth
    sequences that a briefly trained generator makes rougher."""
    rng = np.random.default_rng(seed)
    steps = np.arange(length)[None, :, None]
    slope = rng.uniform(-0.02, 0.02, (n, 1, n_features))
    return rng.uniform(0, 1, (n, 1, n_features)) + slope * steps


def _mean_step(X):
    return float(np.abs(np.diff(X, axis=1)).mean())


def test_a_rough_feature_gets_a_window_and_a_smooth_one_none():
    rng = np.random.default_rng(0)
    real = _ramps(200, n_features=2)
    fake = real.copy()
    fake[..., 0] += rng.normal(0, 0.05, fake[..., 0].shape)  # rough
    inside = np.ones(real.shape, bool)
    assert choose_windows(real, inside, fake, inside).tolist() == [3, 1]


def test_the_average_skips_and_keeps_the_steps_outside():
    x = np.array([[1.0, 5.0, 1.0, 100.0, 7.0]])
    inside = np.array([[True, True, True, False, True]])
    out = masked_moving_average(x, inside, 3)
    assert out[0, 0] == pytest.approx(1.0)  # no step before the first
    assert out[0, 2] == pytest.approx(7 / 3)  # (1 + 5 + 1) / 3
    assert out[0, 3] == 100.0  # outside: kept as it is
    assert out[0, 4] == pytest.approx(4.0)  # (1 + 7) / 2: the 100 is skipped


def test_no_step_is_averaged_with_a_later_one():
    # A centred average let each generated step see the next one: on
    # Energy a model trained on the samples then predicted the next step of
    # the random column from it (TimeGAN's predictive score 0.256 -> 0.284).
    rng = np.random.default_rng(0)
    x = rng.normal(size=(4, 12))
    inside = np.ones(x.shape, bool)
    later = x.copy()
    later[:, 6:] += 10.0
    before = masked_moving_average(x, inside, 3)
    after = masked_moving_average(later, inside, 3)
    np.testing.assert_array_equal(before[:, :6], after[:, :6])
    assert not np.allclose(before[:, 6:], after[:, 6:])


def test_missing_values_and_lengths_survive_the_smoothing():
    rng = np.random.default_rng(1)
    X = [rng.normal(size=(t, 2)) for t in (5, 9, 12)]
    X[1][3, 0] = np.nan
    enc = SequenceEncoder().fit(X)
    enc.smoothing_windows_ = np.array([3, 1])
    back = enc.inverse_transform(enc.transform(X))
    assert [len(s) for s in back] == [5, 9, 12]
    assert np.isnan(back[1][3, 0]) and np.isnan(back[1]).sum() == 1
    np.testing.assert_allclose(back[2][:, 1], X[2][:, 1], atol=1e-6)  # window 1
    # window 3 averages each step with the observed ones before it in its
    # sequence: the NaN at step 3 is skipped, a first step is kept
    np.testing.assert_allclose(back[0][1, 0], X[0][:2, 0].mean(), atol=1e-6)
    np.testing.assert_allclose(back[1][4, 0], X[1][[2, 4], 0].mean(), atol=1e-6)
    np.testing.assert_allclose(back[0][4, 0], X[0][2:5, 0].mean(), atol=1e-6)
    np.testing.assert_allclose(back[2][0, 0], X[2][0, 0], atol=1e-6)


def test_smoothing_brings_the_step_size_towards_the_real_one():
    X = _ramps()
    gan = TimeSeriesGAN(epochs=10, hidden_size=16, random_state=0, smoothing=True)
    gan.fit(X)
    smoothed = gan.sample(400, random_state=1)
    windows = gan.encoder_.smoothing_windows_
    gan.encoder_.smoothing_windows_ = None
    raw = gan.sample(400, random_state=1)
    real = _mean_step(X)
    # Measured: real 0.0099, raw 0.032, smoothed 0.020 (seed 0, 10 epochs).
    assert windows.tolist() == [3, 3, 3]
    assert _mean_step(raw) > 2.5 * real
    assert _mean_step(smoothed) < 0.65 * _mean_step(raw)


def test_without_smoothing_nothing_is_chosen():
    X = _ramps(64)
    gan = TimeSeriesGAN(epochs=1, hidden_size=4, random_state=0).fit(X)
    assert gan.encoder_.smoothing_windows_ is None


@pytest.mark.parametrize("check", [check_pickle_round_trip, check_save_load_round_trip])
def test_a_smoothed_model_round_trips(check):
    X = _ramps(64)
    check(lambda: TimeSeriesGAN(epochs=2, hidden_size=8, smoothing=True), X, None)


def test_smoothing_must_be_a_bool():
    with pytest.raises(ValueError, match="smoothing"):
        TimeSeriesGAN(smoothing="yes").fit(_ramps(16))


def test_conditional_gan_smooths_through_its_modality_params():
    # The smoothing is the sequence modality's calibration, so any estimator
    # on that modality gets it; measured (seed 0, 10 epochs): windows [3, 3],
    # raw 0.033, smoothed 0.020 against the real 0.0100.
    X = _ramps(n_features=2)
    y = np.arange(len(X)) % 2
    params = {"hidden_size": 16, "smoothing": True}
    gan = ConditionalGAN(epochs=10, modality_params=params, random_state=0).fit(X, y)
    windows = gan.encoder_.smoothing_windows_
    smoothed = gan.sample(400, random_state=1)
    gan.encoder_.smoothing_windows_ = None
    raw = gan.sample(400, random_state=1)
    assert windows.tolist() == [3, 3]
    assert _mean_step(smoothed) < 0.7 * _mean_step(raw)
    plain = ConditionalGAN(epochs=1, modality_params={"hidden_size": 4})
    assert plain.fit(X[:64], y[:64]).encoder_.smoothing_windows_ is None


def test_a_model_pickled_before_smoothing_existed_samples_and_warm_starts():
    import pickle

    X = _ramps(64)
    gan = TimeSeriesGAN(epochs=1, hidden_size=4, random_state=0, warm_start=True)
    gan.fit(X)
    # What such a pickle lacks: the parameter, its architecture entry and
    # the encoder's windows.
    del gan.smoothing, gan._architecture_["smoothing"], gan.encoder_.smoothing_windows_
    old = pickle.loads(pickle.dumps(gan))
    assert old.smoothing is False and old.sample(3).shape == (3, 24, 3)
    assert old.fit(X).encoder_.smoothing_windows_ is None
