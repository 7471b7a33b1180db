"""The modality protocol: what an estimator needs from a kind of data."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol, runtime_checkable

import numpy as np
from torch import nn

__all__ = ["Block", "EncodedSpec", "Encoder", "Modality"]


@dataclass(frozen=True)
class Block:
    """A contiguous slice of the encoded tensor that one output head produces.

    Parameters
    ----------
    name : str
        The source column (or feature group).
    kind : {"continuous", "categorical"}
        What the generator's head emits there: free scalars, or a one-hot.
    width : int
        Number of encoded dimensions.
    role : {"value", "mode", "missing"}, default="value"
        What a categorical block encodes: a discrete column's values, the mode
        of a continuous column, or a missing indicator. Conditions apply to
        ``"value"`` blocks only.
    """

    name: str
    kind: str
    width: int
    role: str = "value"


@dataclass(frozen=True)
class EncodedSpec:
    """The ordered blocks of an encoded row.

    Parameters
    ----------
    blocks : tuple of Block
        The blocks, in the order of the encoded columns.

    Examples
    --------
    >>> from gansynth.modalities import Block, EncodedSpec
    >>> spec = EncodedSpec((Block("x0", "continuous", 1), Block("x1", "continuous", 1)))
    >>> spec.dim
    2
    """

    blocks: tuple[Block, ...]

    @property
    def dim(self) -> int:
        return sum(b.width for b in self.blocks)

    def to_json(self) -> list:
        return [[b.name, b.kind, b.width, b.role] for b in self.blocks]

    @classmethod
    def from_json(cls, data) -> EncodedSpec:
        return cls(tuple(Block(str(n), str(k), int(w), str(r)) for n, k, w, r in data))


@runtime_checkable
class Encoder(Protocol):
    """A scikit-learn-style transformer between user data and a float matrix.

    ``get_state``/``from_state`` turn a fitted encoder into arrays plus JSON and
    back, so that saved models load without running code.
    """

    spec_: EncodedSpec

    def fit(self, X) -> Encoder: ...

    def transform(self, X) -> np.ndarray: ...

    def inverse_transform(self, Z: np.ndarray): ...

    def get_state(self) -> tuple[dict[str, np.ndarray], dict]: ...


class Modality(Protocol):
    """Builds the encoder and the two networks for one kind of data."""

    def make_encoder(self) -> Encoder: ...

    def encoder_from_state(self, arrays: dict, meta: dict) -> Encoder: ...

    def build_generator(
        self, latent_dim: int, spec: EncodedSpec, n_labels: int
    ) -> nn.Module: ...

    def build_discriminator(self, spec: EncodedSpec, n_labels: int) -> nn.Module: ...
