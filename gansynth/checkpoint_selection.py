"""Keep the epoch whose samples score best on held-out rows.

``TabularGAN(validation_fraction=f)`` sets a share ``f`` of the rows aside,
trains on the rest while :class:`~gansynth.training.GeneratorSnapshots` keeps
copies of the sampling generator, and then keeps the copy whose samples score
best on the rows set aside. GAN losses do not say when samples are best, and
the last epoch is not always the best one: on the benchmark tables the
train-on-synthetic score of a class-conditional model peaked before the end
in about half of the runs (see the tabular guide).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.utils import check_random_state

from .fitting import draw_seed, join_process_group
from .metrics import detection_auc, utility_scores
from .training.distributed import broadcast_object
from .utils.devices import resolve_device

__all__ = ["hold_out", "select_snapshot"]

# Synthetic rows a checkpoint is judged on: as many as the training rows, up
# to this many (a gradient-boosting fit on them takes a second or two).
MAX_SCORED_ROWS = 20_000
_TARGET = "__gansynth_target__"


def hold_out(estimator, X, y):
    """``(X_fit, y_fit, X_val, y_val)``: ``validation_fraction`` of the rows
    set aside, stratified by ``y`` (unlabelled rows are a stratum of their
    own). Every process of a distributed fit sets the same rows aside."""
    fraction = estimator.validation_fraction
    join_process_group(resolve_device(estimator.device))  # ranks agree on the seed
    seed = broadcast_object(draw_seed(estimator.random_state))
    if y is None:
        X_fit, X_val = train_test_split(X, test_size=fraction, random_state=seed)
        return X_fit, None, X_val, None
    y = np.asarray(y)
    try:
        X_fit, X_val, y_fit, y_val = train_test_split(
            X, y, test_size=fraction, random_state=seed, stratify=y
        )
    except ValueError as exc:
        raise ValueError(
            f"validation_fraction={fraction!r} cannot set aside a share of each "
            f"class of y: {exc} Use a larger fraction, drop classes with a "
            "single row, or set validation_fraction=None."
        ) from exc
    return X_fit, y_fit, X_val, y_val


def select_snapshot(estimator, snapshots, X_val, y_val, n_fit: int) -> None:
    """Score every snapshot on the held-out rows and load the best into the
    sampling generator; sets ``validation_scores_`` and ``best_epoch_``.

    The score is higher-is-better: with classes, the ROC AUC on the held-out
    rows of a gradient-boosting classifier trained on sampled rows (macro
    one-vs-rest for several classes); without, one minus the ROC AUC of a
    classifier telling sampled rows from the held-out ones. Every snapshot is
    judged on samples drawn with the same seed, so that the comparison is
    between generators, not between draws. Ties keep the earlier epoch.
    """
    seed = check_random_state(estimator.random_state).randint(np.iinfo(np.int32).max)
    net = estimator._sampling_net()
    scores = {}
    for epoch in sorted(snapshots):
        net.load_state_dict(snapshots[epoch])
        scores[epoch] = _score(estimator, X_val, y_val, n_fit, seed)
    best = max(scores, key=scores.get)  # the first of equals: the earliest
    net.load_state_dict(snapshots[best])
    estimator.validation_scores_ = pd.DataFrame(
        {"epoch": list(scores), "score": list(scores.values())}
    )
    estimator.best_epoch_ = int(best)


def _score(estimator, X_val, y_val, n_fit, seed) -> float:
    if y_val is None:
        synthetic = estimator.sample(len(X_val), random_state=seed)
        auc = detection_auc(X_val, synthetic, cv=3, random_state=seed)
        return 1.0 - auc
    n = min(n_fit, MAX_SCORED_ROWS)
    X_syn, y_syn = estimator.sample(n, return_y=True, random_state=seed)
    held_out = _with_target(X_val, y_val)
    held_out = held_out[np.asarray(y_val) != -1]  # the labelled rows
    scores = utility_scores(
        held_out,  # the real table: unused with train_on=("synthetic",)
        _with_target(X_syn, y_syn),
        held_out,
        target=_TARGET,
        models=["hist_gradient_boosting"],
        train_on=("synthetic",),
        random_state=seed,
    )
    return float(scores.loc[scores.metric == "roc_auc", "value"].iloc[0])


def _with_target(X, y) -> pd.DataFrame:
    frame = X.reset_index(drop=True) if isinstance(X, pd.DataFrame) else pd.DataFrame(X)
    return frame.assign(**{_TARGET: np.asarray(y)})
