"""Checks shared by the image tests."""

import torch


def conv_weights_channels_last(*modules) -> bool:
    """Whether every 4-D weight of ``modules`` is stored channels last."""
    weights = [p for m in modules for p in m.parameters() if p.ndim == 4]
    assert weights  # the check must see convolutions to mean anything
    return all(w.is_contiguous(memory_format=torch.channels_last) for w in weights)
