"""The vectorised column mixtures against known mixtures and scikit-learn."""

import warnings

import numpy as np
import pytest
from sklearn.exceptions import ConvergenceWarning
from sklearn.mixture import BayesianGaussianMixture

from gansynth.modalities.tabular.mixture import ColumnMixtures

N = 3000


def _known_columns(rng):
    """(column, true number of modes) for well-separated Gaussian mixtures."""
    return [
        (rng.normal(0, 1, N), 1),
        (np.concatenate([rng.normal(-5, 1, N // 2), rng.normal(5, 1, N - N // 2)]), 2),
        (np.concatenate([rng.normal(0, 1, N // 5), rng.normal(6, 1, N - N // 5)]), 2),
        (
            np.concatenate(
                [
                    rng.normal(0, 1, N // 3),
                    rng.normal(10, 2, N // 3),
                    rng.normal(30, 0.5, N - 2 * (N // 3)),
                ]
            ),
            3,
        ),
        (np.concatenate([rng.normal(8 * i, 1, N // 5) for i in range(5)]), 5),
        (1e6 + 1e3 * rng.normal(0, 1, N), 1),  # scale and offset do not matter
    ]


@pytest.fixture(scope="module")
def fitted():
    rng = np.random.default_rng(0)
    cols = _known_columns(rng)
    X = np.column_stack([rng.permutation(c) for c, _ in cols])
    return X, [k for _, k in cols], ColumnMixtures().fit(X)


def test_finds_the_number_of_modes(fitted):
    _, truth, mixtures = fitted
    assert mixtures.n_modes_.tolist() == truth


def test_log_likelihood_matches_scikit_learn(fitted):
    X, _, mixtures = fitted
    ours = mixtures.log_likelihood(X)
    for j in range(X.shape[1]):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ConvergenceWarning)
            ref = BayesianGaussianMixture(
                n_components=10,
                weight_concentration_prior_type="dirichlet_process",
                weight_concentration_prior=1e-3,
                random_state=0,
            ).fit(X[:, [j]])
        theirs = ref.score(X[:, [j]])
        # The mean log-density per row agrees to 0.01 nats on every column.
        assert ours[j] == pytest.approx(theirs, abs=0.01), j


def test_missing_values_are_ignored():
    rng = np.random.default_rng(1)
    x = np.concatenate([rng.normal(-5, 1, N // 2), rng.normal(5, 1, N - N // 2)])
    X = np.column_stack([x, x.copy()])
    X[rng.random(N) < 0.3, 1] = np.nan
    mixtures = ColumnMixtures().fit(X)
    assert mixtures.n_modes_.tolist() == [2, 2]
    np.testing.assert_allclose(
        np.sort(mixtures.means_[1][mixtures.active_[1]]), [-5, 5], atol=0.15
    )


def test_posterior_is_over_kept_components(fitted):
    X, _, mixtures = fitted
    proba = mixtures.predict_proba(X[:50])
    assert proba.shape == (50, X.shape[1], mixtures.n_components)
    np.testing.assert_allclose(proba.sum(axis=2), 1.0)
    assert (proba[:, ~mixtures.active_] == 0).all()


def test_bad_input():
    with pytest.raises(ValueError, match="X must be 2-D"):
        ColumnMixtures().fit(np.zeros(5))
    with pytest.raises(ValueError, match="at least one observed value"):
        ColumnMixtures().fit(np.column_stack([np.zeros(4), np.full(4, np.nan)]))
