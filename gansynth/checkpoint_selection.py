"""Keep the epoch whose samples score best on held-out rows.

``TabularGAN(validation_fraction=f)``, and ``ConditionalGAN`` on tables, set
a share ``f`` of the rows aside, train on the rest while
:class:`~gansynth.training.GeneratorSnapshots` keeps copies of the sampling
generator, and then keep the copy whose samples score best on the rows set
aside. GAN losses do not say when samples are best, and
the last epoch is not always the best one: on the benchmark tables the
train-on-synthetic score of a class-conditional model peaked before the end
in about half of the runs (see the tabular guide).
"""

from __future__ import annotations

import numbers

import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split

from .fitting import check_params, draw_seed, join_process_group
from .metrics import detection_auc, utility_scores
from .training import GeneratorSnapshots
from .training.distributed import broadcast_object
from .utils.devices import resolve_device
from .utils.labels import check_n_rows
from .utils.validation import Interval, Options

__all__ = [
    "CheckpointSelectionMixin",
    "auc_standard_error",
    "choose_epoch",
    "hold_out",
    "select_snapshot",
]

# Synthetic rows a checkpoint is judged on: as many as the training rows, up
# to this many (a gradient-boosting fit on them takes a second or two).
MAX_SCORED_ROWS = 20_000
_TARGET = "__gansynth_target__"


class CheckpointSelectionMixin:
    """``validation_fraction`` for an estimator whose samples are tables.

    The estimator calls :meth:`_fit_and_select` from ``fit``; it gets the
    fitted attributes ``validation_scores_`` and ``best_epoch_`` (``None``
    without a fraction), kept by save/load and pickling.
    """

    _parameter_constraints = {
        "validation_fraction": [
            Options((None,)),
            Interval(numbers.Real, 0, 1, closed="neither"),
        ],
    }

    def _fit_and_select(self, X, y):
        # Set first: a fit stopped by a DivergenceError keeps its networks,
        # and the model can still be saved.
        self.validation_scores_ = self.best_epoch_ = None
        if self.validation_fraction is None:
            return self._fit(X, y)
        check_params(self)  # before rows are set aside
        if self.warm_start:
            raise ValueError(
                "validation_fraction keeps an earlier epoch's generator, which "
                "a warm start cannot continue from; set warm_start=False or "
                "validation_fraction=None."
            )
        X_fit, y_fit, X_val, y_val = hold_out(self, X, y)
        snapshots = GeneratorSnapshots()
        self._fit(X_fit, y_fit, extra_callbacks=[snapshots])
        select_snapshot(self, snapshots.snapshots_, X_val, y_val, len(X_fit))
        return self

    def _get_fitted_state(self):
        modules, arrays, fitted = super()._get_fitted_state()
        scores = self.validation_scores_
        fitted.update(
            validation_scores_=None if scores is None else scores.to_dict("list"),
            best_epoch_=self.best_epoch_,
        )
        return modules, arrays, fitted

    def _set_fitted_state(self, states, arrays, fitted, device):
        super()._set_fitted_state(states, arrays, fitted, device)
        scores = fitted.get("validation_scores_")  # absent from older files
        self.validation_scores_ = None if scores is None else pd.DataFrame(scores)
        self.best_epoch_ = fitted.get("best_epoch_")


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
    check_n_rows(estimator._make_modality().n_samples(X), len(y))
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
    between generators, not between draws.

    The kept copy is the latest whose score is within one standard error of
    the best (the one-standard-error rule of Breiman et al., 1984): a few
    hundred held-out rows give an AUC a standard error of a few hundredths,
    and without the rule that noise alone often picks an early epoch of a
    run that was still improving. The standard error is Hanley and McNeil's
    (1982) for an AUC on that many rows of each class (for several classes,
    the mean of the classes' one-vs-rest ones).
    """
    seed = broadcast_object(draw_seed(estimator.random_state))  # one for all ranks
    net = estimator._sampling_net()
    scores, errors = {}, {}
    for epoch in sorted(snapshots):
        net.load_state_dict(snapshots[epoch])
        scores[epoch], errors[epoch] = _score(estimator, X_val, y_val, n_fit, seed)
    chosen = choose_epoch(scores, errors)
    net.load_state_dict(snapshots[chosen])
    estimator.validation_scores_ = pd.DataFrame(
        {"epoch": list(scores), "score": list(scores.values()),
         "standard_error": list(errors.values())}
    )  # fmt: skip
    estimator.best_epoch_ = int(chosen)


def choose_epoch(scores: dict, errors: dict) -> int:
    """The latest epoch whose score is within one standard error of the best
    score (the best's standard error).

    Examples
    --------
    >>> choose_epoch({2: 0.80, 4: 0.90, 6: 0.88, 8: 0.70},
    ...              {2: 0.03, 4: 0.03, 6: 0.03, 8: 0.03})
    6
    """
    top = max(scores, key=scores.get)
    return max(e for e in scores if scores[e] >= scores[top] - errors[top])


def _score(estimator, X_val, y_val, n_fit, seed) -> tuple[float, float]:
    """The snapshot's score and its standard error."""
    if y_val is None:
        synthetic = estimator.sample(len(X_val), random_state=seed)
        auc = detection_auc(X_val, synthetic, cv=3, random_state=seed)
        return 1.0 - auc, auc_standard_error(auc, len(X_val), len(X_val))
    n = min(n_fit, MAX_SCORED_ROWS)
    X_syn, y_syn = estimator.sample(n, return_y=True, random_state=seed)
    labelled = np.asarray(y_val) != -1
    held_out = _with_target(X_val, y_val)[labelled]
    scores = utility_scores(
        held_out,  # the real table: unused with train_on=("synthetic",)
        _with_target(X_syn, y_syn),
        held_out,
        target=_TARGET,
        models=["hist_gradient_boosting"],
        train_on=("synthetic",),
        random_state=seed,
    )
    auc = float(scores.loc[scores.metric == "roc_auc", "value"].iloc[0])
    counts = np.unique(np.asarray(y_val)[labelled], return_counts=True)[1]
    total = counts.sum()
    if len(counts) == 2:  # binary: one AUC
        counts = counts[:1]
    error = np.mean([auc_standard_error(auc, c, total - c) for c in counts])
    return auc, float(error)


def auc_standard_error(auc: float, n_positive: int, n_negative: int) -> float:
    """Hanley and McNeil's (1982) standard error of a ROC AUC measured on
    ``n_positive`` and ``n_negative`` rows.

    Examples
    --------
    >>> round(auc_standard_error(0.8, 50, 250), 4)
    0.0392
    """
    a = float(np.clip(auc, 0.0, 1.0))
    q1, q2 = a / (2 - a), 2 * a * a / (1 + a)
    variance = (
        a * (1 - a) + (n_positive - 1) * (q1 - a * a) + (n_negative - 1) * (q2 - a * a)
    ) / (n_positive * n_negative)
    return float(np.sqrt(max(variance, 0.0)))


def _with_target(X, y) -> pd.DataFrame:
    frame = X.reset_index(drop=True) if isinstance(X, pd.DataFrame) else pd.DataFrame(X)
    # Named by position: the score needs the columns, not their labels (on
    # MultiIndex columns the target's name became a tuple).
    frame = frame.set_axis([f"c{i}" for i in range(frame.shape[1])], axis=1)
    return frame.assign(**{_TARGET: np.asarray(y)})
