"""Helpers of the augmenters: the default generator, seeds, and joining real
and synthetic rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.utils import check_random_state

from .conditional import ConditionalGAN

__all__ = [
    "append_rows",
    "default_generator",
    "generator_and_seeds",
    "is_generator",
    "take_rows",
]


def default_generator(random_state):
    """The generator used when none is given: class-balanced batches, so that
    rare classes are learned as often as common ones, and enough epochs for
    tables of a few hundred rows."""
    return ConditionalGAN(epochs=300, class_balance=True, random_state=random_state)


def is_generator(value) -> bool:
    return callable(getattr(value, "fit", None)) and callable(
        getattr(value, "sample", None)
    )


def generator_and_seeds(generator, random_state):
    """A clone of ``generator`` (the default one if ``None``) and the seed for
    sampling. A ``random_state`` given to the wrapper seeds both; ``None``
    leaves the generator's own ``random_state`` in charge."""
    generator = default_generator(None) if generator is None else clone(generator)
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
    X_new = np.asarray(X_new)
    return np.concatenate([X, X_new.astype(X.dtype, copy=False)])


def take_rows(X, rows):
    return (
        X.iloc[rows].reset_index(drop=True) if isinstance(X, pd.DataFrame) else X[rows]
    )
