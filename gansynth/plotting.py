"""Optional matplotlib helpers (install the ``plot`` extra)."""

from __future__ import annotations

import pandas as pd

__all__ = ["plot_history", "plot_samples_2d"]


def _pyplot():
    try:
        import matplotlib.pyplot as plt
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError(
            "Plotting needs matplotlib: pip install 'gansynth[plot]'."
        ) from exc
    return plt


def plot_history(history, *, axes=None):
    """Draw the training diagnostics of a fitted model, one panel per kind.

    Parameters
    ----------
    history : pandas.DataFrame or fitted estimator
        A ``history_`` frame, or an estimator that has one.
    axes : sequence of 3 matplotlib Axes, optional
        Where to draw; a new figure is made otherwise.

    Returns
    -------
    axes : ndarray of matplotlib Axes
        Losses (and penalty), mean D(real)/D(fake), gradient norms.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth import TabularGAN, plot_history
    >>> gan = TabularGAN(epochs=3, random_state=0).fit(np.random.rand(64, 2))
    >>> axes = plot_history(gan)
    >>> [ax.get_title() for ax in axes]
    ['losses', 'discriminator outputs', 'gradient norms']
    """
    plt = _pyplot()
    frame = history if isinstance(history, pd.DataFrame) else history.history_
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(13, 3.5), layout="constrained")
    panels = [
        ("losses", ["d_loss", "g_loss", "penalty"]),
        ("discriminator outputs", ["d_real", "d_fake"]),
        ("gradient norms", ["d_grad_norm", "g_grad_norm"]),
    ]
    for ax, (title, columns) in zip(axes, panels, strict=True):
        for column in columns:
            ax.plot(frame["epoch"], frame[column], label=column)
        ax.set_title(title)
        ax.set_xlabel("epoch")
        ax.legend(fontsize="small")
    return axes


def plot_samples_2d(real, fake, *, ax=None, title=None):
    """Scatter real and generated 2-D points on one Axes.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.plotting import plot_samples_2d
    >>> ax = plot_samples_2d(np.zeros((3, 2)), np.ones((3, 2)), title="demo")
    >>> ax.get_title()
    'demo'
    """
    plt = _pyplot()
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    ax.scatter(real[:, 0], real[:, 1], s=2, alpha=0.3, label="real", color="0.6")
    ax.scatter(fake[:, 0], fake[:, 1], s=2, alpha=0.5, label="generated", color="C3")
    ax.set_aspect("equal")
    if title:
        ax.set_title(title)
    return ax
