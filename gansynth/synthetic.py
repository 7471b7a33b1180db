"""Helpers of the augmenters: the default generator, seeds, and joining real
and synthetic rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import torch
from sklearn.base import clone
from sklearn.utils import check_random_state

from .conditional import ConditionalGAN
from .image import ImageGAN
from .modalities.image import ImageModality
from .modalities.sequence import SequenceModality
from .modalities.tabular.validation import validate_table
from .timeseries import TimeSeriesGAN
from .utils.validation import check_sample_size

__all__ = [
    "append_rows",
    "default_generator",
    "generator_and_seeds",
    "is_generator",
    "n_rows",
    "take_rows",
    "validate_samples",
]


def _is_array_of_samples(X) -> bool:
    """Images or sequences: a torch tensor, or an array of 3 or more axes."""
    return isinstance(X, torch.Tensor) or (isinstance(X, np.ndarray) and X.ndim > 2)


def _is_sequence_list(X) -> bool:
    return isinstance(X, list) and len(X) > 0 and SequenceModality.accepts(X)


def n_rows(X) -> int:
    """Samples in ``X``: rows of a table or an array, items of a list."""
    return len(X) if isinstance(X, list) else int(X.shape[0])


def validate_samples(estimator, X, *, reset):
    """Check ``X`` for an augmenter. Tables go through
    :func:`~gansynth.modalities.tabular.validation.validate_table`; arrays of
    images or sequences (NumPy arrays of 3 or more axes, torch tensors) pass
    whole to the generator and the classifier, which check their content:
    here their shape per sample is remembered (``n_features_in_`` is the
    values per sample) and checked on later calls. Lists of (T_i, F)
    sequences pass whole too, their feature count remembered."""
    if _is_sequence_list(X):
        check_sample_size(estimator, (np.shape(X[0])[1],), reset=reset)
        return X
    if not _is_array_of_samples(X):
        return validate_table(estimator, X, reset=reset)
    if X.ndim < 3:  # a tensor of rows: a table
        return validate_table(estimator, X.detach().cpu().numpy(), reset=reset)
    check_sample_size(estimator, X.shape[1:], reset=reset)
    return X


def default_generator(random_state, X=None):
    """The generator used when none is given: class-balanced batches, so that
    rare classes are learned as often as common ones; for images
    :class:`~gansynth.ImageGAN` with its defaults (a 4-D array or tensor),
    for sequences :class:`~gansynth.TimeSeriesGAN` (a 3-D one), else a
    :class:`~gansynth.ConditionalGAN` with enough epochs for tables of a few
    hundred rows."""
    if X is not None and ImageModality.accepts(X):
        return ImageGAN(class_balance=True, random_state=random_state)
    if X is not None and SequenceModality.accepts(X):
        return TimeSeriesGAN(class_balance=True, random_state=random_state)
    return ConditionalGAN(epochs=300, class_balance=True, random_state=random_state)


def is_generator(value) -> bool:
    return callable(getattr(value, "fit", None)) and callable(
        getattr(value, "sample", None)
    )


def generator_and_seeds(generator, random_state, X=None):
    """A clone of ``generator`` (the default one if ``None``) and the seed for
    sampling. A ``random_state`` given to the wrapper seeds both; ``None``
    leaves the generator's own ``random_state`` in charge; ``X`` picks the
    default generator."""
    generator = default_generator(None, X) if generator is None else clone(generator)
    if random_state is None:
        return generator, None
    seed = int(check_random_state(random_state).randint(np.iinfo(np.int32).max))
    if "random_state" in generator.get_params():
        generator.set_params(random_state=seed)
    return generator, seed + 1


def append_rows(X, X_new):
    """Real rows first, unchanged, then the synthetic ones, in X's container."""
    if isinstance(X, pd.DataFrame):
        return pd.concat([X, X_new], ignore_index=True)
    if isinstance(X, list):
        return [*X, *X_new]
    if isinstance(X, torch.Tensor):
        return torch.cat([X, torch.as_tensor(X_new).to(X.device, X.dtype)])
    X_new = np.asarray(X_new)
    return np.concatenate([X, X_new.astype(X.dtype, copy=False)])


def take_rows(X, rows):
    if isinstance(X, pd.DataFrame):
        return X.iloc[rows].reset_index(drop=True)
    if isinstance(X, torch.Tensor) and isinstance(rows, np.ndarray):
        rows = torch.as_tensor(rows, device=X.device)
    if isinstance(X, list):
        picked = np.arange(len(X))[rows]
        return [X[i] for i in picked]
    return X[rows]
