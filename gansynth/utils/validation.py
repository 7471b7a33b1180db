"""Declarative validation of estimator parameters.

scikit-learn's own constraint machinery lives in a private module
(``sklearn.utils._param_validation``) whose API changes between releases, so
gansynth keeps this small public-API-only equivalent. Messages follow
scikit-learn's form: the parameter, what is allowed, what was given.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import torch

__all__ = [
    "DEVICE",
    "RANDOM_STATE",
    "WIDTHS",
    "InstanceOf",
    "Interval",
    "Options",
    "check_count",
    "check_sample_size",
    "validate_params",
]


@dataclass(frozen=True)
class Interval:
    """A real or integral interval; ``None`` bounds are open to infinity."""

    kind: type  # numbers.Integral or numbers.Real
    left: float | None
    right: float | None
    closed: str = "both"  # "both", "left", "right", "neither"

    def accepts(self, value) -> bool:
        if isinstance(value, bool) or not isinstance(value, self.kind):
            return False
        if not math.isfinite(value):
            return False
        if self.left is not None:
            if value < self.left or (
                value == self.left and self.closed in ("right", "neither")
            ):
                return False
        if self.right is not None:
            if value > self.right or (
                value == self.right and self.closed in ("left", "neither")
            ):
                return False
        return True

    def __str__(self) -> str:
        kind = "an int" if issubclass(self.kind, numbers.Integral) else "a float"
        lb = "[" if self.closed in ("both", "left") else "("
        rb = "]" if self.closed in ("both", "right") else ")"
        left = "-inf" if self.left is None else self.left
        right = "inf" if self.right is None else self.right
        if self.left is None:
            lb = "("
        if self.right is None:
            rb = ")"
        return f"{kind} in the range {lb}{left}, {right}{rb}"


@dataclass(frozen=True)
class Options:
    """One of a fixed set of values (strings, ``None``, booleans)."""

    values: tuple

    def accepts(self, value) -> bool:
        return any(
            value is v or (type(value) is type(v) and value == v) for v in self.values
        )

    def __str__(self) -> str:
        return "one of {" + ", ".join(repr(v) for v in self.values) + "}"


@dataclass(frozen=True)
class InstanceOf:
    """An instance of a type, or of an object satisfying a predicate."""

    description: str
    predicate: object

    def accepts(self, value) -> bool:
        return bool(self.predicate(value))

    def __str__(self) -> str:
        return self.description


def validate_params(owner: str, params: dict, constraints: dict) -> None:
    """Check each parameter against its list of allowed constraints.

    Parameters
    ----------
    owner : str
        Name used in the message, usually the estimator's class name.
    params : dict
        Parameter values by name.
    constraints : dict
        Parameter name to a list of constraints, the value must satisfy one;
        or to ``"no_validation"``, as in scikit-learn, to check nothing.

    Raises
    ------
    ValueError
        Naming the parameter, what is allowed and what was given.

    Examples
    --------
    >>> import numbers
    >>> from gansynth.utils.validation import Interval, validate_params
    >>> validate_params("Demo", {"epochs": 0},
    ...                 {"epochs": [Interval(numbers.Integral, 1, None)]})
    Traceback (most recent call last):
    ...
    ValueError: The 'epochs' parameter of Demo must be an int in the range [1, inf). Got 0 instead.
    """  # noqa: E501
    for name, allowed in constraints.items():
        if allowed == "no_validation":  # scikit-learn's word for no check
            continue
        if not allowed:
            raise TypeError(
                f"The constraints of {name!r} ({owner}) are an empty list, which "
                "no value satisfies: list what it takes (the constraints of "
                "gansynth.utils.validation), or write 'no_validation'."
            )
        value = params[name]
        if any(c.accepts(value) for c in allowed):
            continue
        described = [str(c) for c in allowed]
        if len(described) > 1:
            text = ", ".join(described[:-1]) + " or " + described[-1]
        else:
            text = described[0]
        raise ValueError(
            f"The {name!r} parameter of {owner} must be {text}. Got {value!r} instead."
        )


# Constraints that several estimators share, written once.
def _is_widths(value) -> bool:
    return (
        isinstance(value, list | tuple)
        and len(value) > 0
        and all(
            isinstance(w, numbers.Integral) and not isinstance(w, bool) and w > 0
            for w in value
        )
    )


WIDTHS = [InstanceOf("a non-empty tuple of positive ints", _is_widths)]
DEVICE = [
    InstanceOf(
        "'auto', a device name or a torch.device",
        lambda value: isinstance(value, str | torch.device),
    )
]
RANDOM_STATE = [
    Options((None,)),
    Interval(numbers.Integral, 0, 2**32 - 1),
    InstanceOf(
        "a numpy RandomState", lambda value: isinstance(value, np.random.RandomState)
    ),
]


def check_sample_size(estimator, shape, *, reset: bool) -> None:
    """Remember (``reset``) or check the values per sample of structured data
    (an image's channels x height x width), as ``n_features_in_``: a table's
    ``n_features_in_`` for samples that are not rows."""
    shape = tuple(int(s) for s in shape)
    n_values = int(np.prod(shape))
    if reset:
        estimator.n_features_in_ = n_values
    elif n_values != estimator.n_features_in_:
        raise ValueError(
            f"X has samples of shape {shape} ({n_values} values); "
            f"{type(estimator).__name__} was fitted on samples of "
            f"{estimator.n_features_in_} values."
        )


def check_count(value, name: str, where: str, *, allow_none=False) -> None:
    """Refuse anything but a positive int (or ``None`` when allowed) for the
    argument ``name`` of ``where``, in scikit-learn's words."""
    if value is None and allow_none:
        return
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < 1:
        allowed = " or None" if allow_none else ""
        raise ValueError(
            f"The '{name}' parameter of {where} must be an int in the range "
            f"[1, inf){allowed}. Got {value!r} instead."
        )
