"""Running averages of network weights: the generator's EMA and historical
averaging, both with torch's own update functions, without host syncs."""

from __future__ import annotations

import itertools

import torch
from torch import nn
from torch.optim.swa_utils import (
    AveragedModel,
    get_ema_multi_avg_fn,
    get_swa_multi_avg_fn,
)

__all__ = ["GeneratorEMA", "HistoricalAverage", "grad_norm"]


def grad_norm(params) -> torch.Tensor:
    """Total 2-norm of the gradients, on the device (no synchronisation)."""
    grads = [p.grad for p in params if p.grad is not None]
    total_norm = getattr(torch.nn.utils, "get_total_norm", None)  # torch >= 2.6
    if total_norm is not None:
        return total_norm(grads)
    return torch.linalg.vector_norm(
        torch.stack([torch.linalg.vector_norm(g) for g in grads])
    )


def _tensors(module: nn.Module, floating: bool) -> list[torch.Tensor]:
    """Parameters and buffers, floating-point ones or the others (counters)."""
    return [
        t.detach()
        for t in itertools.chain(module.parameters(), module.buffers())
        if t.is_floating_point() == floating
    ]


class GeneratorEMA:
    """An exponential moving average of the generator's weights.

    ``AveragedModel`` holds the copy (of the previous average on a warm
    start); :meth:`update` applies torch's own EMA update to it directly:
    ``AveragedModel.update_parameters`` would also test its update counter, a
    tensor, which costs a host synchronisation per step on CUDA. Integer
    buffers (batch norm's counter) are copied, not averaged.
    """

    def __init__(self, generator: nn.Module, decay: float, previous=None):
        self.generator = generator
        self.averaged = AveragedModel(
            previous if previous is not None else generator,
            multi_avg_fn=get_ema_multi_avg_fn(decay),
            use_buffers=True,
        )
        self._update = self.averaged.multi_avg_fn
        self._float = None

    @property
    def module(self) -> nn.Module:
        return self.averaged.module

    def restart(self) -> None:
        """Make the average the generator's present weights (in place)."""
        with torch.no_grad():
            self.module.load_state_dict(self.generator.state_dict())

    def update(self) -> None:
        if self._float is None:  # gathered once, after the optimiser exists
            self._float = (_tensors(self.module, True), _tensors(self.generator, True))
            self._other = (
                _tensors(self.module, False),
                _tensors(self.generator, False),
            )
        self._update(*self._float, None)
        if self._other[0]:
            torch._foreach_copy_(*self._other)


class HistoricalAverage:
    """The running mean of a network's parameters and the penalty that pulls
    them towards it (historical averaging, Salimans et al., 2016).

    The mean is torch's own equal-weight (SWA) update, applied in place to
    detached copies; it starts at the parameters it is given.
    """

    def __init__(self, params, weight):
        self.params = params
        self.weight = weight
        self.mean = [p.detach().clone() for p in params]
        self.count = 1  # a Python int: no host synchronisation per step
        self._update = get_swa_multi_avg_fn()

    def penalty(self) -> torch.Tensor:
        pairs = zip(self.params, self.mean, strict=True)
        squares = [(p - m).pow(2).sum() for p, m in pairs]
        return self.weight * torch.stack(squares).sum()

    def update(self) -> None:
        with torch.no_grad():
            self._update(self.mean, [p.detach() for p in self.params], self.count)
            self.count += 1
