"""The generator contract, as checks that any estimator and modality can run.

As scikit-learn's ``parametrize_with_checks`` does for estimators, these
checks exercise what every gansynth generator promises (clone and
``get_params``, unfitted errors, the forms of ``sample(y=...)``, identical
samples from the same seed, after pickling and after save/load, bad input):
gansynth runs them over its built-in modalities, and a modality of your own
gets them by passing its name and a little data::

    @pytest.mark.parametrize("check", modality_checks("sphere", X, y), ids=str)
    def test_contract(check):
        check()
"""

from __future__ import annotations

import functools
import os
import pickle
import tempfile

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from .conditional import ConditionalGAN

__all__ = ["generator_checks", "modality_checks"]

# Budgets that make a check take well under a second.
_CHEAP = dict(epochs=2, batch_size=16, latent_dim=4, device="cpu", random_state=0)


def _assert_same(a, b, what):
    if isinstance(a, pd.DataFrame):
        pd.testing.assert_frame_equal(a, b, obj=what)
    elif isinstance(a, list):  # sequences of unequal lengths
        assert isinstance(b, list) and len(a) == len(b), f"{what}: another list"
        for i, (item_a, item_b) in enumerate(zip(a, b, strict=True)):
            _assert_same(item_a, item_b, f"{what}, item {i}")
    else:
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b), err_msg=what)


def _numbers(samples) -> np.ndarray:
    """The numeric values of samples, flat (lists of sequences joined)."""
    if isinstance(samples, pd.DataFrame):
        samples = samples.select_dtypes("number")
    elif isinstance(samples, list):
        return np.concatenate([np.asarray(s, float).ravel() for s in samples])
    return np.asarray(samples, float).ravel()


def _raises(error, match, call, what):
    try:
        call()
    except error as exc:
        if match not in str(exc):
            raise AssertionError(
                f"{what}: expected a message containing {match!r}; got {exc}"
            ) from exc
        return
    raise AssertionError(f"{what}: expected {error.__name__}, nothing was raised")


class _Check(functools.partial):
    """A named check, so that test ids read as what they check."""

    def __repr__(self):
        return self.func.__name__


def check_clone_and_params(make, X, y):
    gan = make()
    params = gan.get_params()
    twin = clone(gan)
    assert twin.get_params() == params, "clone changed the parameters"
    twin.set_params(epochs=7)
    assert twin.epochs == 7 and gan.epochs == params["epochs"], "set_params leaked"


def check_unfitted_raises(make, X, y):
    _raises(NotFittedError, "not fitted", lambda: make().sample(3), "sample before fit")


def check_output_matches_input(make, X, y):
    gan = make().fit(X, y)
    X_new = gan.sample(7, random_state=1)
    assert type(X_new) is type(X), f"sample returned {type(X_new).__name__}"
    if isinstance(X, list):  # sequences: as many, each (T_i, F) of X's dtype
        assert len(X_new) == 7, len(X_new)
        for item in X_new:
            assert type(item) is type(X[0]) and item.shape[1:] == X[0].shape[1:]
            assert item.dtype == X[0].dtype, "sample changed the dtype"
    elif isinstance(X, pd.DataFrame):  # a table, or a long frame of sequences
        assert gan._make_modality().n_samples(X_new) == 7, X_new.shape
        assert list(X_new.columns) == list(X.columns)
        assert X_new.dtypes.equals(X.dtypes), "sample changed the dtypes"
    else:
        assert np.shape(X_new) == (7, *np.shape(X)[1:]), np.shape(X_new)
        assert np.asarray(X_new).dtype == np.asarray(X).dtype
    history = gan.history_
    assert len(history) == gan.epochs and gan.n_epochs_ == gan.epochs
    finite = history.drop(columns=["epoch"]).to_numpy(dtype=float)
    assert np.isfinite(finite).all(), "the history has non-finite values"


def check_sample_forms(make, X, y):
    gan = make().fit(X, y)
    classes = gan.classes_.tolist()
    for k in classes:
        _, y_k = gan.sample(5, y=k, return_y=True, random_state=0)
        assert y_k.tolist() == [k] * 5, f"sample(y={k!r}) gave {y_k.tolist()}"
    wanted = [classes[-1], classes[0], classes[-1]]
    _, y_a = gan.sample(y=np.asarray(wanted), return_y=True, random_state=0)
    assert y_a.tolist() == wanted, "an array y is not followed row by row"
    _, y_d = gan.sample(y={classes[0]: 2, classes[-1]: 1}, return_y=True)
    assert sorted(y_d.tolist()) == sorted([classes[0]] * 2 + [classes[-1]])
    _, y_n = gan.sample(40, return_y=True, random_state=0)
    assert set(y_n.tolist()) <= set(classes) and len(y_n) == 40
    _raises(ValueError, "Unknown class", lambda: gan.sample(3, y="no such"), "y")
    _raises(
        ValueError, "disagrees", lambda: gan.sample(3, y=[classes[0]] * 2), "n vs y"
    )


def check_same_seed_same_samples(make, X, y):
    a = make().fit(X, y).sample(20, random_state=3)
    b = make().fit(X, y).sample(20, random_state=3)
    _assert_same(a, b, "two fits with the same random_state")
    c = make().set_params(random_state=1).fit(X, y).sample(20, random_state=3)
    a, c = _numbers(a), _numbers(c)
    same = a.shape == c.shape and np.allclose(a, c, equal_nan=True)
    assert not same, "another random_state gave the same samples"


def check_pickle_round_trip(make, X, y):
    gan = make().fit(X, y)
    expected = gan.sample(15, random_state=5)
    restored = pickle.loads(pickle.dumps(gan))
    _assert_same(restored.sample(15, random_state=5), expected, "after pickling")


def check_save_load_round_trip(make, X, y):
    gan = make().fit(X, y)
    expected = gan.sample(15, random_state=5)
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "model.safetensors")
        gan.save(path)
        loaded = type(gan).load(path)
    _assert_same(loaded.sample(15, random_state=5), expected, "after save/load")
    assert loaded.get_params() == gan.get_params(), "load changed the parameters"
    pd.testing.assert_frame_equal(loaded.history_, gan.history_)


def check_bad_input(make, X, y):
    y_short = np.asarray(y)[:-1]
    _raises(ValueError, "inconsistent numbers", lambda: make().fit(X, y_short), "y")
    bad = make().set_params(epochs=0)
    _raises(ValueError, "'epochs' parameter", lambda: bad.fit(X, y), "epochs=0")
    gan = make().fit(X, y)
    _raises(ValueError, "n_samples", lambda: gan.sample(0), "n_samples=0")


_CHECKS = (
    check_clone_and_params,
    check_unfitted_raises,
    check_output_matches_input,
    check_sample_forms,
    check_same_seed_same_samples,
    check_pickle_round_trip,
    check_save_load_round_trip,
    check_bad_input,
)


def generator_checks(make, X, y):
    """The contract checks of a conditional generator.

    Parameters
    ----------
    make : callable
        Returns a new, unfitted estimator (cheap settings, a fixed
        ``random_state``).
    X : array-like or DataFrame
        Training data of a few dozen samples.
    y : array-like
        Class labels of ``X`` (at least two classes).

    Returns
    -------
    checks : list of callable
        Each runs one check and raises an ``AssertionError`` when it fails;
        their ``repr`` is the check's name.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth import ConditionalGAN
    >>> from gansynth.estimator_checks import generator_checks
    >>> X = np.random.default_rng(0).normal(size=(40, 2))
    >>> y = np.repeat([0, 1], 20)
    >>> def make():
    ...     return ConditionalGAN(epochs=1, batch_size=8, random_state=0,
    ...                           modality_params={"pac": 2})
    >>> checks = generator_checks(make, X, y)
    >>> checks[0], checks[0]()
    (check_clone_and_params, None)
    """
    return [_Check(check, make, X, y) for check in _CHECKS]


def modality_checks(modality, X, y, *, modality_params=None):
    """The contract checks of :class:`~gansynth.ConditionalGAN` on a modality.

    Parameters
    ----------
    modality : str
        A registered modality name.
    X : array-like or DataFrame
        A few dozen samples the modality takes.
    y : array-like
        Their class labels (at least two classes).
    modality_params : dict, optional
        Small networks for the checks.

    Returns
    -------
    checks : list of callable
        See :func:`generator_checks`.
    """

    def make():
        return ConditionalGAN(
            **_CHEAP, modality=modality, modality_params=modality_params
        )

    return generator_checks(make, X, y)
