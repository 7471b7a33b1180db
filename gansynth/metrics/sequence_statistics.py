"""TSGBench's feature-based measures of synthetic sequences (Ang et al.,
VLDB 2024): the marginal distribution difference and the autocorrelation
difference, computed as the benchmark's authors compute them (0 is best for
both). They need no trained network, so they are cheap and deterministic,
and they see what TimeGAN's scores can miss: a generator with the right
shapes but the wrong spread of values, or the right values at the wrong
tempo.
"""

from __future__ import annotations

import numbers

import numpy as np

from .sequences import _scaled

__all__ = ["autocorrelation_difference", "marginal_difference"]


def marginal_difference(real, synthetic, *, n_bins=50, scale=True):
    """TSGBench's marginal distribution difference (MDD) of two sets.

    How far the values at each time step and feature are distributed from
    the real ones. For every feature and every time step but the first, a histogram of
    ``n_bins`` bins spans the real values' range; MDD is the mean over bins,
    steps and features of the absolute difference between the real and the
    synthetic density in those bins (synthetic values outside the real
    range fall in no bin, and so count as missing density).

    Parameters
    ----------
    real, synthetic : array-like of shape (n, T, F)
        Real and synthetic sequences (any numbers of sequences).
    n_bins : int, default=50
        Bins per histogram (TSGBench's 50).
    scale : bool, default=True
        Min-max scale both sets per feature by the real range first, as
        TSGBench's data are, so that densities compare across data sets.

    Returns
    -------
    float
        The MDD, 0 for identical histograms.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.metrics import marginal_difference
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(size=(500, 6, 2))
    >>> same = rng.normal(size=(500, 6, 2))
    >>> wide = 2 * rng.normal(size=(500, 6, 2))
    >>> bool(marginal_difference(real, same) < marginal_difference(real, wide))
    True
    """
    n_bins = _positive_int(n_bins, "n_bins")
    real, synthetic = _scaled(real, synthetic, scale)
    total, count = 0.0, 0
    for t in range(1, real.shape[1]):  # TSGBench leaves out the first step
        for f in range(real.shape[2]):
            values = real[:, t, f]
            low, high = values.min(), values.max()
            high = high + 1e-5 if high == low else high
            edges = np.linspace(low, high, n_bins + 1)
            width = edges[1] - edges[0]
            dens_real = np.histogram(values, edges)[0] / (width * len(values))
            fake = synthetic[:, t, f]
            dens_fake = np.histogram(fake, edges)[0] / (width * len(fake))
            total += np.abs(dens_fake - dens_real).mean()
            count += 1
    if count == 0:
        raise ValueError("marginal_difference needs sequences of at least 2 steps.")
    return float(total / count)


def _autocorrelation(x, max_lag):
    """Autocorrelation per lag and feature, over sequences and steps."""
    x = x - x.mean(axis=(0, 1))
    var = x.var(axis=(0, 1))
    var = np.where(var > 0, var, 1.0)
    lags = [(x[:, k:] * x[:, : x.shape[1] - k]).mean(axis=(0, 1)) / var
            for k in range(max_lag)]  # fmt: skip
    return np.stack(lags)  # (max_lag, F)


def autocorrelation_difference(real, synthetic, *, max_lag=64, scale=True):
    """TSGBench's autocorrelation difference (ACD) of two sets.

    How far the synthetic sequences' autocorrelation is from the real one.
    The autocorrelation of each feature at lags 0 to ``max_lag - 1`` (at
    most T - 1), over all sequences and steps of each set; ACD is the mean
    over features of the Euclidean norm, over lags, of the difference.

    Parameters
    ----------
    real, synthetic : array-like of shape (n, T, F)
        Real and synthetic sequences.
    max_lag : int, default=64
        Lags counted (TSGBench's 64), capped at the sequence length.
    scale : bool, default=True
        Min-max scale both sets by the real range first (the
        autocorrelation itself does not depend on it).

    Returns
    -------
    float
        The ACD, 0 for identical autocorrelations.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.metrics import autocorrelation_difference
    >>> t = np.arange(24)
    >>> phase = np.random.default_rng(0).uniform(0, 6, (200, 1))
    >>> slow, fast = np.sin(0.2 * t + phase), np.sin(1.0 * t + phase)
    >>> round(autocorrelation_difference(slow[:, :, None], slow[:, :, None]), 6)
    0.0
    >>> bool(autocorrelation_difference(slow[:, :, None], fast[:, :, None]) > 1)
    True
    """
    max_lag = _positive_int(max_lag, "max_lag")
    real, synthetic = _scaled(real, synthetic, scale)
    lags = min(max_lag, real.shape[1])
    diff = _autocorrelation(synthetic, lags) - _autocorrelation(real, lags)
    return float(np.sqrt((diff**2).sum(axis=0)).mean())


def _positive_int(value, name):
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        raise ValueError(f"{name} must be an int >= 1; got {value!r}.")
    return int(value)
