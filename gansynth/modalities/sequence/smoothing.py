"""Smoothing generated sequences to the roughness of the training ones.

On TimeGAN's Energy data (28 features of a house's sensors, 24-step windows)
the detector of the discriminative score tells WGAN-GP's windows apart by
their shapes, not their levels: the generated temperatures and humidities
change 5-6 times as much from one 10-minute step to the next as the real
ones. The game does not remove that roughness: a critic shown each step's
change, a fixed or learned moving average as the generator's last layer,
smaller noise and a slower generator all left the steps 2-6 times too large
(the time-series guide lists the figures). Smoothing the generated windows
after sampling does remove it: with WGAN-GP and a moving average of 3 steps
on most features (25 of 28 on seed 0; ``benchmarks/timeseries.py``, the
``gansynth-wgan-gp-smoothed`` rows, five seeds, three detectors each) the
discriminative score fell from 0.182 for the same fits unsmoothed to 0.067,
and the predictive score stayed where it was (0.256 and 0.255).

The average is trailing: a step is averaged with the steps before it,
never with a later one. The generator is recurrent, so none of its steps
depends on a later one, and the smoothing keeps it so. A centred average
broke that: the generated random column ``rv2`` moves with the other
features at the same step, so once each step held part of the next one,
the other features foretold the next random value, and a predictor
trained on the samples carried that to real windows (the predictive score
rose to 0.281).

So this is a step after sampling, fitted once at the end of ``fit`` on the
decoded values, not learned by the game: for each feature it keeps the
moving-average window (of ``WINDOWS``) whose generated mean absolute step
is closest, as a ratio, to the training sequences' one. A window of 1
leaves a feature as it is. The average is taken over the observed steps
inside each sequence only, so missing values and the end of a shorter
sequence stay as they are. Averages are written here rather than with
:func:`scipy.ndimage.uniform_filter1d` alone because of that mask: the
filter runs on the masked values and on the mask, and the one is divided
by the other.
"""

from __future__ import annotations

import numpy as np
from scipy.ndimage import uniform_filter1d

__all__ = ["WINDOWS", "choose_windows", "masked_moving_average", "smooth"]

# 5 (centred) gave no lower score on Energy and a worse predictive one.
WINDOWS = (1, 3)
_TINY = 1e-12


def masked_moving_average(values, inside, window: int) -> np.ndarray:
    """Trailing moving averages over the steps inside, the others kept.

    Each step becomes the mean of itself and the ``window - 1`` steps
    before it that are inside its sequence, never of a later step: the
    generator is recurrent, so a generated step depends on no later one,
    and the smoothing keeps it so.

    Parameters
    ----------
    values : ndarray of shape (n, T)
        One feature of ``n`` sequences.
    inside : ndarray of bool, shape (n, T)
        The observed steps inside each sequence: only they are averaged,
        and only over each other.
    window : int
        Steps averaged, the last one included (1 returns ``values``).

    Returns
    -------
    ndarray of shape (n, T)

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities.sequence.smoothing import masked_moving_average
    >>> x = np.array([[0.0, 3.0, 0.0, 3.0, 9.0]])
    >>> inside = np.array([[True, True, True, True, False]])
    >>> masked_moving_average(x, inside, 3).round(2).tolist()
    [[0.0, 1.5, 1.0, 2.0, 9.0]]
    """
    if window == 1:
        return values
    # origin shifts scipy's centred window back so that it ends at each step.
    trailing = {"size": window, "axis": 1, "mode": "constant",
                "origin": (window - 1) // 2}  # fmt: skip
    total = uniform_filter1d(np.where(inside, values, 0.0), **trailing)
    count = uniform_filter1d(inside.astype(np.float64), **trailing)
    return np.where(inside, total / np.maximum(count, _TINY), values)


def _mean_step(values, inside) -> float:
    both = inside[:, 1:] & inside[:, :-1]
    steps = np.abs(np.diff(values, axis=1))[both]
    return float(steps.mean()) if steps.size else 0.0


def choose_windows(real, real_inside, fake, fake_inside) -> np.ndarray:
    """Each feature's window that matches generated to real step sizes.

    For each feature, the window of ``WINDOWS`` (1 or 3) whose moving
    average brings the generated mean absolute step closest, as a ratio, to
    the real one; the shorter on a tie.

    Parameters
    ----------
    real, fake : ndarray of shape (n, T, F)
        Real and generated sequences (their numbers may differ).
    real_inside, fake_inside : ndarray of bool, shape (n, T, F)
        Their observed steps inside each sequence.

    Returns
    -------
    ndarray of int, shape (F,)

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities.sequence.smoothing import choose_windows
    >>> rng = np.random.default_rng(0)
    >>> trend = np.linspace(0, 1, 24)[None, :, None].repeat(50, axis=0)
    >>> rough = trend + rng.normal(0, 0.05, trend.shape)
    >>> real = np.concatenate([trend, rough], axis=2)
    >>> fake = real + np.concatenate([rng.normal(0, 0.05, trend.shape),
    ...                               np.zeros_like(trend)], axis=2)
    >>> inside = np.ones(real.shape, bool)
    >>> choose_windows(real, inside, fake, inside).tolist()
    [3, 1]
    """
    windows = []
    for f in range(real.shape[2]):
        target = _mean_step(real[..., f], real_inside[..., f]) + _TINY

        def gap(window, f=f, target=target):
            smoothed = masked_moving_average(fake[..., f], fake_inside[..., f], window)
            step = _mean_step(smoothed, fake_inside[..., f]) + _TINY
            return abs(np.log(step / target))

        windows.append(min(WINDOWS, key=gap))
    return np.array(windows, dtype=np.int64)


def smooth(values, inside, windows) -> np.ndarray:
    """Every feature averaged over its own window.

    Parameters
    ----------
    values : ndarray of shape (n, T, F)
        Sequences.
    inside : ndarray of bool, shape (n, T, F)
        Their observed steps inside each sequence.
    windows : sequence of int
        One window per feature (see :func:`masked_moving_average`).

    Returns
    -------
    ndarray of shape (n, T, F)
        A new array.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.modalities.sequence.smoothing import smooth
    >>> x = np.array([[[0.0, 1.0], [3.0, 1.0], [0.0, 1.0]]])
    >>> smooth(x, np.ones(x.shape, bool), [3, 1])[0].tolist()
    [[0.0, 1.0], [1.5, 1.0], [1.0, 1.0]]
    """
    out = np.array(values, dtype=np.float64, copy=True)
    for f, window in enumerate(windows):
        out[..., f] = masked_moving_average(out[..., f], inside[..., f], int(window))
    return out
