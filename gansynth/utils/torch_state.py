"""Pickling estimators that hold torch modules, whatever device they trained on."""

from __future__ import annotations

import contextlib
import copy
import logging

import torch

__all__ = ["TorchModulesPickleMixin", "evaluating"]

logger = logging.getLogger("gansynth")


class TorchModulesPickleMixin:
    """Pickle CPU copies of the modules; move them back to ``device_`` on load.

    A model fitted on a GPU then unpickles on a machine without one (it stays
    on the CPU, and ``device_`` says so). Put it before ``BaseEstimator`` in
    the bases, so that scikit-learn's version tag is kept.
    """

    def __getstate__(self):
        state = dict(super().__getstate__())
        for key, value in state.items():
            if isinstance(value, torch.nn.Module):
                state[key] = copy.deepcopy(value).cpu()
        return state

    def __setstate__(self, state):
        super().__setstate__(state)
        device = getattr(self, "device_", None)
        if device is None:
            return
        target = torch.device(device)
        if target.type == "cuda" and not torch.cuda.is_available():
            logger.info("CUDA is not available: the model was moved to the CPU.")
            self.device_ = "cpu"
            return
        for value in self.__dict__.values():
            if isinstance(value, torch.nn.Module):
                value.to(target)


@contextlib.contextmanager
def evaluating(net: torch.nn.Module, *, frozen: bool = False):
    """Put ``net`` in eval mode (and, with ``frozen``, stop its parameters'
    gradients) for the block; its training mode is restored afterwards."""
    was_training = net.training
    net.eval()
    if frozen:
        net.requires_grad_(False)
    try:
        yield net
    finally:
        if frozen:
            net.requires_grad_(True)
        net.train(was_training)
