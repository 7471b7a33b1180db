"""GANResampler and AugmentedClassifier on lists of sequences of unequal
lengths: lists come back as lists, the real sequences first and unchanged,
and the new minority sequences look like the minority class."""

import numpy as np
import pytest
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer

from gansynth import AugmentedClassifier, GANResampler, TimeSeriesGAN


def _imbalanced(n_major=150, n_minor=30):
    """Class 0: 4 to 6 steps; class 1 (the rare one): 12 to 16 steps."""
    rng = np.random.default_rng(0)
    y = np.r_[np.zeros(n_major, int), np.ones(n_minor, int)]
    lengths = np.where(y == 0, rng.integers(4, 7, len(y)), rng.integers(12, 17, len(y)))
    X = [np.sin(np.arange(t)[:, None] * 0.5 + rng.uniform(0, 3, (1, 2)))
         for t in lengths]  # fmt: skip
    return X, y


def _summary(X):
    return np.array([np.r_[s.mean(0), s.std(0), len(s)] for s in X])


def _share_of_long_new_minority(y_for_fit):
    X, y = _imbalanced()
    gan = TimeSeriesGAN(epochs=100, loss="lsgan", hidden_size=16, class_balance=True,
                        random_state=0)  # fmt: skip
    X_res, y_res = GANResampler(gan, random_state=0).fit_resample(X, y_for_fit(y))
    new = X_res[len(X) :]
    assert isinstance(X_res, list) and all(
        a is b for a, b in zip(X, X_res[: len(X)], strict=True)
    )
    assert len(new) == 120 and (y_res[len(X) :] == 1).all()
    return np.mean([len(s) >= 10 for s in new])


def test_the_resampler_makes_minority_sequences_of_minority_length():
    # Measured (seed 0, 100 steps, class-balanced batches): 1.00 of the 120
    # new class-1 sequences have 10 steps or more (every real one does, no
    # real class-0 one does); without class_balance, 0.32.
    assert _share_of_long_new_minority(lambda y: y) >= 0.9


def test_the_length_check_fails_when_the_classes_are_shuffled():
    # Measured: 0.03 (the shuffled "class 1" is mostly short sequences).
    shuffled = lambda y: np.random.default_rng(1).permutation(y)  # noqa: E731
    assert _share_of_long_new_minority(shuffled) < 0.5


def test_the_augmented_classifier_takes_lists_of_sequences():
    X, y = _imbalanced(40, 10)
    model = make_pipeline(FunctionTransformer(_summary), LogisticRegression())
    gan = TimeSeriesGAN(epochs=2, hidden_size=4, random_state=0)
    clf = AugmentedClassifier(model, generator=gan, random_state=0).fit(X, y)
    assert clf.n_synthetic_ == 50 and clf.predict(X[:3]).shape == (3,)
    with pytest.raises(ValueError, match="inconsistent numbers"):
        AugmentedClassifier(model, generator=gan).fit(X, y[:-1])


def test_the_default_generator_of_sequences_is_timeseries_gan():
    from gansynth.synthetic import default_generator

    X, _ = _imbalanced(8, 4)
    assert isinstance(default_generator(0, X), TimeSeriesGAN)
    assert isinstance(default_generator(0, np.zeros((6, 5, 2))), TimeSeriesGAN)
    assert not isinstance(default_generator(0, np.zeros((6, 5))), TimeSeriesGAN)


def test_the_augmenters_take_and_give_back_3d_arrays():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(30, 6, 2)).astype(np.float32)
    y = np.r_[np.zeros(24, int), np.ones(6, int)]
    gan = TimeSeriesGAN(epochs=2, hidden_size=4, random_state=0)
    X_res, y_res = GANResampler(gan, random_state=0).fit_resample(X, y)
    assert isinstance(X_res, np.ndarray) and X_res.shape == (48, 6, 2)
    assert X_res.dtype == np.float32 and np.bincount(y_res).tolist() == [24, 24]
    np.testing.assert_array_equal(X_res[:30], X)
    flat = FunctionTransformer(lambda Z: np.asarray(Z).reshape(len(Z), -1))
    clf = AugmentedClassifier(make_pipeline(flat, LogisticRegression()),
                              generator=gan, random_state=0).fit(X, y)  # fmt: skip
    assert clf.n_synthetic_ == 30 and clf.predict(X[:4]).shape == (4,)
