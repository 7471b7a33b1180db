"""Targets and ``sampling_strategy`` for over-sampling, as imbalanced-learn reads them.

Written here rather than imported because imbalanced-learn is optional: the
resampler must behave the same with it or without it (the tests compare the
two on every form of ``sampling_strategy``).
"""

from __future__ import annotations

import numbers
from collections import Counter

import numpy as np
from sklearn.utils.multiclass import type_of_target
from sklearn.utils.validation import column_or_1d

from .labels import (
    MINUS_ONE_NOTE,
    UNLABELLED,
    check_labels,
    check_n_rows,
    labelled_classes,
    unlabelled_mask,
)

__all__ = ["check_partial_labels", "check_target", "over_sampling_counts"]

_NAMED = ("auto", "minority", "not minority", "not majority", "all")


def check_target(y, *, warn=False):
    """A 1-D array of labels from ``y``, and whether ``y`` was one-vs-all.

    A column vector is flattened; a one-hot indicator matrix (exactly one 1
    per row) is read as its argmax, as imbalanced-learn does; any other
    multi-label or multi-output target is an error. ``warn``: warn when a
    column vector is flattened, as scikit-learn's classifiers do.
    """
    if y is None:
        raise ValueError(
            "This estimator requires y to be passed, but the target y is None: "
            "give the class of each row (-1 for an unlabelled row)."
        )
    if hasattr(y, "to_numpy"):
        y = y.to_numpy()
    y = np.asarray(y)
    if y.ndim == 2 and y.shape[1] == 1:
        # A column vector: flattened, with scikit-learn's DataConversionWarning
        # for estimators that follow its convention (``warn=True``).
        y = column_or_1d(y, warn=warn)
    if y.ndim == 2:
        if type_of_target(y) == "multilabel-indicator" and np.all(y.sum(axis=1) == 1):
            return y.argmax(axis=1), True
        raise ValueError(
            "y: multilabel and multioutput targets are not supported; expected "
            f"one class per row, got an array of shape {y.shape}."
        )
    if y.ndim != 1:
        raise ValueError(f"y must be 1-D (one class per row); got shape {y.shape}.")
    check_labels(y)
    return y, False


def labelled_counts(y) -> dict:
    """Rows per class, leaving out the unlabelled marker ``-1``."""
    return dict(sorted(Counter(y[~unlabelled_mask(y)].tolist()).items()))


def over_sampling_counts(sampling_strategy, y) -> dict:
    """``{class: rows to generate}`` for an over-sampler, as imbalanced-learn.

    Parameters
    ----------
    sampling_strategy : str, float, dict or callable
        ``"auto"`` (same as ``"not majority"``), ``"minority"``,
        ``"not minority"``, ``"not majority"``, ``"all"``: bring those classes
        to the majority's count. A float (binary ``y`` only): the ratio of
        minority to majority rows wanted after resampling. A dict
        ``{class: rows wanted}``. A callable ``f(y) -> dict``.
    y : ndarray of shape (n_samples,)
        Class labels; ``-1`` rows (unlabelled) are not counted.

    Returns
    -------
    counts : dict
        Rows to generate per class, in sorted class order.

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.utils.strategy import over_sampling_counts
    >>> y = np.array([0] * 6 + [1] * 3 + [2])
    >>> over_sampling_counts("auto", y)
    {1: 3, 2: 5}
    >>> over_sampling_counts({2: 4}, y)
    {2: 3}
    """
    stats = labelled_counts(y)
    if len(stats) < 2:
        note = f" {MINUS_ONE_NOTE}" if unlabelled_mask(np.asarray(y)).any() else ""
        raise ValueError(
            "y needs at least two classes to balance; got "
            f"{len(stats)} class(es): {list(stats)}.{note}"
        )
    n_max = max(stats.values())
    majority = max(stats, key=stats.get)
    minority = min(stats, key=stats.get)
    if isinstance(sampling_strategy, str):
        if sampling_strategy not in _NAMED:
            raise ValueError(
                f"sampling_strategy must be one of {list(_NAMED)}, a float, a dict "
                f"or a callable; got {sampling_strategy!r}."
            )
        chosen = {
            "minority": [minority],
            "not minority": [c for c in stats if c != minority],
            "not majority": [c for c in stats if c != majority],
            "auto": [c for c in stats if c != majority],
            "all": list(stats),
        }[sampling_strategy]
        return {c: n_max - stats[c] for c in stats if c in chosen}
    if isinstance(sampling_strategy, numbers.Real) and not isinstance(
        sampling_strategy, bool
    ):
        if len(stats) != 2:
            raise ValueError(
                "sampling_strategy can be a float only for a binary y; use a dict "
                f"for {len(stats)} classes."
            )
        if not 0 < sampling_strategy <= 1:
            raise ValueError(
                "sampling_strategy as a float is the wanted ratio of minority to "
                f"majority rows, in (0, 1]; got {sampling_strategy!r}."
            )
        # As imbalanced-learn: the class that is not the (first) majority,
        # and a ratio that adds no row is refused.
        other = next(c for c in stats if c != majority)
        wanted = int(n_max * sampling_strategy)
        if wanted <= stats[other]:
            raise ValueError(
                f"sampling_strategy={sampling_strategy!r} asks for {wanted} rows of "
                f"class {other!r}, which has {stats[other]}: an over-sampler "
                "cannot remove rows, and this ratio adds none; raise the ratio."
            )
        return {other: wanted - stats[other]}
    if callable(sampling_strategy):
        return over_sampling_counts(sampling_strategy(y), y)
    if isinstance(sampling_strategy, dict):
        unknown = [c for c in sampling_strategy if c not in stats]
        if unknown:
            raise ValueError(
                f"sampling_strategy names classes not in y: {unknown}; classes "
                f"of y: {list(stats)}."
            )
        counts = {}
        for c in stats:
            if c not in sampling_strategy:
                continue
            wanted = sampling_strategy[c]
            if not isinstance(wanted, numbers.Integral) or isinstance(wanted, bool):
                raise ValueError(
                    f"sampling_strategy[{c!r}] must be an int (rows wanted); got "
                    f"{wanted!r}."
                )
            if wanted < stats[c]:
                raise ValueError(
                    f"sampling_strategy asks for {wanted} rows of class {c!r}, which "
                    f"has {stats[c]}: an over-sampler cannot remove rows."
                )
            counts[c] = wanted - stats[c]
        return counts
    raise ValueError(
        f"sampling_strategy must be one of {list(_NAMED)}, a float, a dict or a "
        f"callable; got {type(sampling_strategy).__name__}."
    )


def check_partial_labels(y, n_rows: int):
    """Labels of a semi-supervised classifier: a classification target of
    ``n_rows`` entries, ``-1`` the only negative (unlabelled), at least two
    labelled classes. Returns the labels and the mask of labelled rows."""
    labels, _ = check_target(y, warn=True)
    check_n_rows(n_rows, len(labels))
    if np.issubdtype(labels.dtype, np.number):
        bad = np.unique(labels[(labels < 0) & (labels != UNLABELLED)])
        if bad.size:
            raise ValueError(
                f"y: negative labels other than -1 (unlabelled) are not classes; "
                f"got {bad.tolist()}."
            )
    labelled, _ = labelled_classes(labels)
    return labels, labelled
