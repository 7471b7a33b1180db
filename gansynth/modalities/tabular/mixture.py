"""A variational Bayesian Gaussian mixture for many 1-D columns at once.

Mode-specific normalisation (Xu et al. 2019) fits a mixture to each
continuous column. ctgan runs scikit-learn's ``BayesianGaussianMixture`` once
per column, in a Python loop, with a k-means initialisation each time; on
wide or long tables that dominates its set-up. For univariate data the
variational updates are closed-form and cheap, so we run them for every
column together as (columns x components) arrays. The model and the updates
are those of scikit-learn's ``BayesianGaussianMixture`` with a
Dirichlet-process prior on the weights (Blei & Jordan 2006; Bishop 2006,
section 10.2), restricted to one dimension; the tests compare log-likelihoods
with scikit-learn on the same columns.
"""

from __future__ import annotations

import numpy as np
from scipy.special import digamma

__all__ = ["ColumnMixtures", "assign_modes", "point_modes"]


class ColumnMixtures:
    """Fit a variational Gaussian mixture to each column of a 2-D array.

    Missing values (NaN) are ignored column by column.

    Parameters
    ----------
    n_components : int, default=10
        Upper bound on the modes of a column.
    weight_threshold : float, default=0.005
        Components with a smaller expected weight are dropped after fitting.
    weight_concentration_prior : float, default=1e-3
        Concentration of the Dirichlet process; small values favour few modes.
    max_iter : int, default=100
        Variational EM iterations at most.
    tol : float, default=1e-3
        Stop when no column's mean log-likelihood bound moves by more.

    Attributes
    ----------
    means_, stds_ : ndarray of shape (n_columns, n_components)
        Posterior mean and standard deviation of each component.
    weights_ : ndarray of shape (n_columns, n_components)
        Expected weights.
    active_ : ndarray of bool, shape (n_columns, n_components)
        Components kept (weight above ``weight_threshold``).
    n_modes_ : ndarray of int, shape (n_columns,)
        Number of kept components per column.
    n_iter_ : int
        EM iterations run in total.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities.tabular.mixture import ColumnMixtures
    >>> rng = np.random.default_rng(0)
    >>> x = np.concatenate([rng.normal(-5, 1, 500), rng.normal(5, 1, 500)])
    >>> X = np.column_stack([x, rng.normal(0, 1, 1000)])
    >>> ColumnMixtures().fit(X).n_modes_.tolist()
    [2, 1]
    """

    def __init__(
        self,
        n_components=10,
        weight_threshold=0.005,
        weight_concentration_prior=1e-3,
        max_iter=100,
        tol=1e-3,
    ):
        self.n_components = n_components
        self.weight_threshold = weight_threshold
        self.weight_concentration_prior = weight_concentration_prior
        self.max_iter = max_iter
        self.tol = tol

    # -- fitting ------------------------------------------------------------
    def fit(self, X):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2:
            raise ValueError(f"X must be 2-D; got shape {X.shape}.")
        observed = ~np.isnan(X)  # (n, d)
        if not observed.any(axis=0).all():
            raise ValueError("Every column needs at least one observed value.")
        Xz = np.where(observed, X, 0.0)
        count = observed.sum(axis=0)  # (d,)
        # Priors as scikit-learn sets them by default: the data's mean and
        # variance, one degree of freedom, unit mean precision.
        self._m0 = Xz.sum(axis=0) / count
        var = (np.where(observed, X - self._m0, 0.0) ** 2).sum(axis=0) / count
        self._var0 = np.maximum(var, 1e-12)
        self._beta0, self._nu0 = 1.0, 1.0

        resp = self._initial_resp(X, observed)
        self._mask = np.ones((X.shape[1], self.n_components), dtype=bool)
        self.n_iter_ = 0
        resp = self._iterate(Xz, observed, resp, self.max_iter)
        # Variational pruning of redundant components is slow: a unimodal
        # column stays split over several overlapping components for hundreds
        # of iterations (scikit-learn's too). A component should be a mode, so
        # pairs whose joint density has a single peak are merged, the most
        # overlapping first, with a few EM steps after each round.
        for _ in range(self.n_components - 1):
            self._mask &= self._expected_weights() > self.weight_threshold
            merged = self._merge_unimodal_pairs(resp)
            if not merged:
                break
            resp = self._iterate(Xz, observed, resp, 10)
        self._m_step(Xz, observed, resp)
        self.weights_ = np.where(self._mask, self._expected_weights(), 0.0)
        self.weights_ /= self.weights_.sum(axis=1, keepdims=True)
        self.means_ = self._m
        self.stds_ = np.sqrt(self._cov)
        self.active_ = self._mask & (self.weights_ > self.weight_threshold)
        self.n_modes_ = self.active_.sum(axis=1)
        return self

    def _iterate(self, Xz, observed, resp, n_iter):
        previous = None
        for _ in range(n_iter):
            self.n_iter_ += 1
            self._m_step(Xz, observed, resp)
            resp, bound = self._e_step(Xz, observed)
            if previous is not None and np.max(np.abs(bound - previous)) < self.tol:
                break
            previous = bound
        return resp

    def _merge_unimodal_pairs(self, resp) -> bool:
        """Merge, in each column, the closest pair of active components whose
        two-component density has one peak. Returns whether anything merged."""
        w, m, sd = self._expected_weights(), self._m, np.sqrt(self._cov)
        k = self.n_components
        i, j = np.triu_indices(k, 1)
        both = self._mask[:, i] & self._mask[:, j]  # (d, pairs)
        t = np.linspace(0.0, 1.0, 33)
        grid = m[:, i, None] + (m[:, j, None] - m[:, i, None]) * t  # (d, pairs, 33)

        def density(c):
            z = (grid - m[:, c, None]) / sd[:, c, None]
            return w[:, c, None] * np.exp(-0.5 * z**2) / sd[:, c, None]

        f = density(i) + density(j)
        unimodal = f.min(axis=2) >= np.minimum(f[:, :, 0], f[:, :, -1]) * (1 - 1e-9)
        separation = np.abs(m[:, i] - m[:, j]) / np.sqrt(sd[:, i] ** 2 + sd[:, j] ** 2)
        score = np.where(both & unimodal, separation, np.inf)
        best = score.argmin(axis=1)
        columns = np.flatnonzero(np.isfinite(score[np.arange(len(best)), best]))
        for c in columns:
            keep, drop = i[best[c]], j[best[c]]
            resp[:, c, keep] += resp[:, c, drop]
            resp[:, c, drop] = 0.0
            self._mask[c, drop] = False
        return bool(columns.size)

    def _initial_resp(self, X, observed):
        """Hard assignment to the nearest of k quantile centres, refined by a
        few vectorised k-means steps (scikit-learn starts from k-means)."""
        k = self.n_components
        centres = np.nanquantile(X, (np.arange(k) + 0.5) / k, axis=0).T  # (d, k)
        for _ in range(10):
            nearest = np.abs(X[:, :, None] - centres[None]).argmin(axis=2)  # (n, d)
            onehot = (nearest[:, :, None] == np.arange(k)) & observed[:, :, None]
            sums = np.where(onehot, np.nan_to_num(X)[:, :, None], 0.0).sum(axis=0)
            counts = onehot.sum(axis=0)
            centres = np.where(counts > 0, sums / np.maximum(counts, 1), centres)
        return onehot.astype(np.float64)

    def _m_step(self, Xz, observed, resp):
        resp = resp * observed[:, :, None]
        nk = resp.sum(axis=0) + 10 * np.finfo(np.float64).eps  # (d, k)
        xbar = np.einsum("nd,ndk->dk", Xz, resp) / nk
        diff = np.where(observed[:, :, None], Xz[:, :, None] - xbar[None], 0.0)
        sk = np.einsum("ndk,ndk->dk", resp, diff**2) / nk + 1e-6 * self._var0[:, None]
        # Dirichlet-process stick-breaking posterior.
        self._alpha1 = 1.0 + nk
        tail = np.cumsum(nk[:, ::-1], axis=1)[:, ::-1] - nk  # sum over j > k
        self._alpha2 = self.weight_concentration_prior + tail
        self._beta = self._beta0 + nk
        self._m = (self._beta0 * self._m0[:, None] + nk * xbar) / self._beta
        self._nu = self._nu0 + nk
        self._cov = (
            self._var0[:, None]
            + nk * sk
            + nk * self._beta0 / self._beta * (xbar - self._m0[:, None]) ** 2
        ) / self._nu

    def _log_weights(self):
        total = digamma(self._alpha1 + self._alpha2)
        log_v = digamma(self._alpha1) - total
        log_1mv = digamma(self._alpha2) - total
        return log_v + np.hstack(
            [np.zeros((log_v.shape[0], 1)), np.cumsum(log_1mv[:, :-1], axis=1)]
        )

    def _e_step(self, Xz, observed):
        log_w = self._log_weights()  # (d, k)
        log_lambda = (
            np.log(2.0) + digamma(0.5 * self._nu) - np.log(self._cov * self._nu)
        )
        sq = (Xz[:, :, None] - self._m[None]) ** 2 / self._cov[None] + 1.0 / self._beta
        log_rho = (
            log_w[None] + 0.5 * log_lambda[None] - 0.5 * np.log(2 * np.pi) - 0.5 * sq
        )
        log_rho = np.where(self._mask[None], log_rho, -np.inf)
        peak = log_rho.max(axis=2, keepdims=True)
        rho = np.exp(log_rho - peak)
        total = rho.sum(axis=2, keepdims=True)
        log_norm = (peak + np.log(total))[:, :, 0]  # (n, d)
        bound = np.where(observed, log_norm, 0.0).sum(axis=0) / observed.sum(axis=0)
        return rho / total, bound

    def _expected_weights(self):
        frac = self._alpha1 / (self._alpha1 + self._alpha2)
        rest = self._alpha2 / (self._alpha1 + self._alpha2)
        return frac * np.hstack(
            [np.ones((frac.shape[0], 1)), np.cumprod(rest[:, :-1], axis=1)]
        )

    # -- using the fit -------------------------------------------------------
    def log_likelihood(self, X) -> np.ndarray:
        """Mean log-density per column under the point-estimate mixture
        (kept components, renormalised weights, posterior means and stds)."""
        X = np.asarray(X, dtype=np.float64)
        w = np.where(self.active_, self.weights_, 0.0)
        w = w / w.sum(axis=1, keepdims=True)
        z = (X[:, :, None] - self.means_[None]) / self.stds_[None]
        log_pdf = -0.5 * z**2 - np.log(self.stds_)[None] - 0.5 * np.log(2 * np.pi)
        with np.errstate(divide="ignore"):
            ll = np.logaddexp.reduce(np.log(w)[None] + log_pdf, axis=2)
        return np.nanmean(np.where(np.isnan(X), np.nan, ll), axis=0)

    def predict_proba(self, X) -> np.ndarray:
        """Posterior over the kept components, shape (n, columns, components)."""
        X = np.asarray(X, dtype=np.float64)
        log_w = np.where(
            self.active_, np.log(np.maximum(self.weights_, 1e-300)), -np.inf
        )
        z = (X[:, :, None] - self.means_[None]) / self.stds_[None]
        log_p = log_w[None] - 0.5 * z**2 - np.log(self.stds_)[None]
        log_p -= np.max(log_p, axis=2, keepdims=True)
        p = np.exp(log_p)
        return p / p.sum(axis=2, keepdims=True)


def assign_modes(x: np.ndarray, means: np.ndarray, stds: np.ndarray) -> np.ndarray:
    """The most probable of a column's modes (``means``, ``stds``) for each
    value of ``x`` (no NaN)."""
    log_p = -0.5 * ((x[:, None] - means) / stds) ** 2 - np.log(stds)
    return log_p.argmax(axis=1)


def point_modes(x: np.ndarray, means: np.ndarray, stds: np.ndarray) -> np.ndarray:
    """Per mode, the one value that every value of ``x`` in it has, or NaN.

    A zero-inflated column (counts, amounts) gets a mode for its zeros, but
    the mixture gives it a spread (0.26 for mlc_churn's voice-mail
    messages), so that generated rows in that mode came back as 1 or 2
    after rounding. A mode whose training values are all one value decodes
    to that value.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities.tabular.mixture import point_modes
    >>> x = np.array([0.0, 0.0, 0.0, 12.0, 30.0])
    >>> point_modes(x, means=np.array([0.01, 20.0]), stds=np.array([0.3, 8.0]))
    array([ 0., nan])
    """
    x = x[~np.isnan(x)]
    points = np.full(len(means), np.nan)
    if len(x) == 0:
        return points
    mode = assign_modes(x, means, stds)
    lowest = np.full(len(means), np.inf)
    highest = np.full(len(means), -np.inf)
    np.minimum.at(lowest, mode, x)
    np.maximum.at(highest, mode, x)
    single = lowest == highest
    points[single] = lowest[single]
    return points
