"""Optional matplotlib helpers (install the ``plot`` extra)."""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = [
    "plot_history",
    "plot_image_grid",
    "plot_marginals",
    "plot_samples_2d",
    "plot_sequence_embedding",
]


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


def plot_marginals(real, synthetic, *, columns=None, labels=("real", "synthetic"),
                   axes=None, max_categories=8):  # fmt: skip
    """Compare the marginal distribution of each column, real vs synthetic.

    Numeric columns get overlaid density histograms; other columns bars of
    the most frequent categories of the real data.

    Parameters
    ----------
    real, synthetic : pandas.DataFrame
        Tables with the same columns.
    columns : list, optional
        Columns to draw (default: every column, at most 8).
    labels : tuple of str, default=("real", "synthetic")
        Legend labels.
    axes : sequence of matplotlib Axes, optional
        One per column; a new figure is made otherwise.
    max_categories : int, default=8
        Categories shown for a discrete column.

    Returns
    -------
    axes : list of matplotlib Axes
        One panel per column.

    Examples
    --------
    >>> import pandas as pd
    >>> from gansynth.plotting import plot_marginals
    >>> real = pd.DataFrame({"x": [1.0, 2.0, 2.5], "c": ["a", "b", "a"]})
    >>> axes = plot_marginals(real, real.sample(frac=1.0, random_state=0))
    >>> [ax.get_title() for ax in axes]
    ['x', 'c']
    """
    plt = _pyplot()
    columns = list(real.columns[:8] if columns is None else columns)
    if axes is None:
        _, axes = plt.subplots(
            1, len(columns), figsize=(3.2 * len(columns), 2.6), layout="constrained",
            squeeze=False,
        )  # fmt: skip
        axes = list(axes[0])
    for ax, col in zip(axes, columns, strict=True):
        r, s = real[col], synthetic[col]
        numeric = pd.api.types.is_numeric_dtype(r) and not pd.api.types.is_bool_dtype(r)
        if numeric:
            both = pd.concat([r, s]).dropna().astype(float)
            bins = np.histogram_bin_edges(both, bins=30)
            for values, label in ((r, labels[0]), (s, labels[1])):
                ax.hist(values.dropna().astype(float), bins=bins, density=True,
                        alpha=0.5, label=label)  # fmt: skip
        else:
            freq_r = r.astype(str).value_counts(normalize=True)
            freq_s = s.astype(str).value_counts(normalize=True)
            top = list(freq_r.index[:max_categories])
            x = np.arange(len(top))
            ax.bar(x - 0.2, freq_r.reindex(top).fillna(0), width=0.4, label=labels[0])
            ax.bar(x + 0.2, freq_s.reindex(top).fillna(0), width=0.4, label=labels[1])
            # the end of a long label usually tells values apart ("area_code_415")
            ax.set_xticks(x, [t[-10:] for t in top], rotation=45, fontsize=7)
        ax.set_title(str(col), fontsize=9)
    axes[0].legend(fontsize=7)
    return axes


def plot_image_grid(images, labels=None, *, n_per_row=8, ax=None, title=None):
    """Tile images into one picture; with ``labels``, one row per class.

    Parameters
    ----------
    images : array-like or torch.Tensor
        Images of shape (N, H, W), (N, C, H, W) or (N, H, W, C), uint8
        (0-255) or float (0-1), as :class:`~gansynth.ImageGAN` takes and
        returns them.
    labels : array-like of shape (N,), optional
        The class of each image: row ``k`` shows the first ``n_per_row``
        images of the ``k``-th class (in sorted order).
    n_per_row : int, default=8
        Images per row.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made otherwise.
    title : str, optional
        The axes' title.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.plotting import plot_image_grid
    >>> images = np.random.default_rng(0).random((20, 8, 8))
    >>> ax = plot_image_grid(images, np.repeat([0, 1], 10), n_per_row=5)
    >>> ax.images[0].get_array().shape  # 2 rows x 5 images of 8 pixels, 1 apart
    (17, 44)
    """
    from .modalities.image import ImageEncoder

    plt = _pyplot()
    tiles = ImageEncoder().unit_nchw(images, name="images")
    if labels is None:
        groups = [np.arange(len(tiles))[i : i + n_per_row]
                  for i in range(0, len(tiles), n_per_row)]  # fmt: skip
    else:
        labels = np.asarray(labels)
        groups = [np.flatnonzero(labels == k)[:n_per_row] for k in np.unique(labels)]
    c, h, w = tiles.shape[1:]
    grid = np.ones((len(groups) * (h + 1) - 1, n_per_row * (w + 1) - 1, c))
    for row, members in enumerate(groups):
        for col, index in enumerate(members):
            top, left = row * (h + 1), col * (w + 1)
            grid[top : top + h, left : left + w] = tiles[index].transpose(1, 2, 0)
    if ax is None:
        _, ax = plt.subplots(figsize=(n_per_row * 0.6, len(groups) * 0.6))
    ax.imshow(grid[..., 0] if c == 1 else grid, cmap="gray" if c == 1 else None,
              vmin=0, vmax=1, interpolation="nearest")  # fmt: skip
    ax.set_axis_off()
    if title:
        ax.set_title(title)
    return ax


def plot_sequence_embedding(real, synthetic, *, method="pca", max_samples=1000,
                            ax=None, title=None, random_state=0):  # fmt: skip
    """Real and synthetic sequences as points in two dimensions.

    TimeGAN's picture (Yoon et al. 2019): both sets are min-max scaled per
    feature by the real one's range, each sequence is averaged over its
    features into one value per step, and the (n, T) result is projected
    onto two dimensions: the real sequences' first two principal components
    (``"pca"``, a fixed map in which synthetic points can fall outside the
    real cloud) or a t-SNE of both sets together (``"tsne"``, which shows
    clusters that the synthetic set misses). Synthetic points that cover the
    real ones, no more and no less, are what a good generator gives.

    Parameters
    ----------
    real, synthetic : array-like of shape (n, T, F)
        Sequences of the same length and features (windows of a long
        series, as the TimeGAN benchmarks use).
    method : {"pca", "tsne"}, default="pca"
        The projection.
    max_samples : int, default=1000
        Sequences drawn (without replacement) from each set when it has
        more; t-SNE takes seconds per thousand points.
    ax : matplotlib Axes, optional
        Where to draw; a new figure is made otherwise.
    title : str, optional
        The axes' title (default: the method).
    random_state : int, RandomState instance or None, default=0
        Seeds the subsampling and t-SNE.

    Returns
    -------
    ax : matplotlib Axes

    Examples
    --------
    >>> from gansynth.datasets import make_sines
    >>> from gansynth.plotting import plot_sequence_embedding
    >>> real, other = make_sines(200, random_state=0), make_sines(200, random_state=1)
    >>> ax = plot_sequence_embedding(real, other)
    >>> [c.get_offsets().shape for c in ax.collections]
    [(200, 2), (200, 2)]
    """
    from sklearn.decomposition import PCA
    from sklearn.manifold import TSNE
    from sklearn.utils import check_random_state

    from .metrics.sequences import _scaled

    if method not in ("pca", "tsne"):
        raise ValueError(f"method must be 'pca' or 'tsne'; got {method!r}.")
    if (
        isinstance(max_samples, bool)
        or not isinstance(max_samples, int)
        or (max_samples < 2)
    ):
        raise ValueError(f"max_samples must be an int >= 2; got {max_samples!r}.")
    plt = _pyplot()
    rng = check_random_state(random_state)
    real, synthetic = _scaled(real, synthetic, scale=True)
    sets = []
    for X in (real, synthetic):
        if len(X) > max_samples:
            X = X[np.sort(rng.choice(len(X), max_samples, replace=False))]
        sets.append(X.mean(axis=2))
    if method == "pca":
        pca = PCA(n_components=2).fit(sets[0])
        points = [pca.transform(X) for X in sets]
    else:
        both = np.concatenate(sets)
        perplexity = min(40.0, (len(both) - 1) / 3)
        embedded = TSNE(
            perplexity=perplexity, init="pca", random_state=rng.randint(2**31 - 1)
        ).fit_transform(both)
        points = [embedded[: len(sets[0])], embedded[len(sets[0]) :]]
    if ax is None:
        _, ax = plt.subplots(figsize=(4, 4))
    ax.scatter(*points[0].T, s=4, alpha=0.4, label="real", color="0.5")
    ax.scatter(*points[1].T, s=4, alpha=0.4, label="synthetic", color="C3")
    ax.set_title(title or {"pca": "PCA", "tsne": "t-SNE"}[method])
    ax.set_xticks([])
    ax.set_yticks([])
    ax.legend(fontsize="small", markerscale=3)
    return ax
