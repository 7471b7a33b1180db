"""Checks of what the networks take and give, run once per fit.

A modality's networks and encoder may come from a user's plug-in; what they
get wrong would otherwise surface as a bare torch error deep in a layer (a
float64 encoding against float32 weights) or not at all (a critic that
returns the batch's mean score trains, on a meaningless loss).
"""

from __future__ import annotations

import torch
from torch import nn

__all__ = ["check_data_dtype", "check_outputs"]


def check_data_dtype(data: torch.Tensor, network: nn.Module) -> None:
    """Refuse encoded data of another floating dtype than ``network``'s weights."""
    weight = next((p for p in network.parameters() if p.is_floating_point()), None)
    if weight is not None and data.dtype != weight.dtype:
        raise TypeError(
            f"The encoded data are {data.dtype} and the networks' weights "
            f"{weight.dtype}: an encoder's transform must return float32 values "
            "(the Modality protocol); convert them in the encoder."
        )


def check_outputs(generator, discriminator, real, fake, scores, group_size) -> None:
    """Refuse a first batch whose generated samples do not have the real ones'
    shape, or whose critic scores are not one per sample (one per group of
    ``group_size`` samples where the critic packs them)."""
    if fake.shape != real.shape:
        raise ValueError(
            f"The generator ({type(generator).__name__}) made samples of shape "
            f"{tuple(fake.shape)} for encoded real samples of shape "
            f"{tuple(real.shape)}: it must make one sample per noise row, shaped "
            "like the encoded data."
        )
    expected = real.shape[0] // group_size
    if scores.ndim == 0 or scores.shape[0] != expected:
        per = "sample" if group_size == 1 else f"group of {group_size} samples"
        raise ValueError(
            f"The discriminator ({type(discriminator).__name__}) returned scores "
            f"of shape {tuple(scores.shape)} for {real.shape[0]} samples; it must "
            f"return one score per {per}, {expected} in all (shape ({expected},) "
            f"or ({expected}, 1))."
        )
