"""The trainer's configuration, its batches and its per-epoch history rows."""

from __future__ import annotations

from dataclasses import dataclass

import torch

__all__ = [
    "HISTORY_COLUMNS",
    "Batch",
    "TrainerConfig",
    "add_diagnostics",
    "history_row",
]

# The columns every history has; losses, samplers and auxiliary networks add
# theirs between these and "seconds".
HISTORY_COLUMNS = (
    "epoch",
    "d_loss",
    "g_loss",
    "penalty",
    "d_real",
    "d_fake",
    "d_grad_norm",
    "g_grad_norm",
    "seconds",
)


@dataclass(frozen=True)
class TrainerConfig:
    """Everything the trainer needs to know, in one frozen object.

    Parameters
    ----------
    epochs : int
        Epochs to run in this call.
    batch_size : int
        Samples per batch (already clipped to the number of samples).
    latent_dim : int
        Size of the generator's noise input.
    generator_lr, discriminator_lr : float
        Adam learning rates.
    betas : tuple of float
        Adam's ``(beta1, beta2)`` for both networks.
    n_critic : int
        Discriminator steps per generator step.
    ema_decay : float or None
        Decay of the exponential moving average of the generator weights;
        ``None`` disables it.
    steps_per_epoch : int or None
        Generator steps per epoch; ``None`` means
        ``max(1, n_samples // batch_size)``.
    amp : bool
        Use bf16 autocast of the forward passes (not yet run on a GPU: untested).
    compile : bool
        Wrap the networks' forward passes in ``torch.compile`` (the critic only when
        the loss has no penalty, whose double backward compile does not support;
        not yet run on a GPU: untested).
    historical_averaging : float
        Weight of historical averaging (Salimans et al., 2016): each network
        pays ``weight * ||theta - mean of its past theta||^2``, the mean running
        over every step of this call. 0 disables it.
    noise_shape : tuple of int or None
        Shape of one sample's noise; ``None`` means ``(latent_dim,)``.
    group_size : int
        Samples the critic scores together (PacGAN packs); a penalty takes
        gradient norms per group.
    """

    epochs: int
    batch_size: int
    latent_dim: int
    generator_lr: float = 2e-4
    discriminator_lr: float = 2e-4
    betas: tuple = (0.5, 0.999)
    n_critic: int = 1
    ema_decay: float | None = 0.99
    steps_per_epoch: int | None = None
    amp: bool = False
    compile: bool = False
    historical_averaging: float = 0.0
    noise_shape: tuple | None = None
    group_size: int = 1


@dataclass
class Batch:
    """One draw of the trainer: real samples and noise for as many fakes.

    Parameters
    ----------
    real : torch.Tensor
        Real samples, ``(batch_size, *sample_shape)``.
    labels : torch.Tensor or None
        Their label codes.
    noise : torch.Tensor
        The generator's noise, ``(batch_size, *noise_shape)``.
    context : torch.Tensor or None, default=None
        The conditions drawn with the samples.
    mask : torch.Tensor or None, default=None
        The samples' masks, which both networks receive as ``mask=``.
    """

    real: torch.Tensor
    labels: torch.Tensor | None
    noise: torch.Tensor
    context: torch.Tensor | None = None
    mask: torch.Tensor | None = None


def add_diagnostics(sums: dict, counts: dict, values: dict) -> None:
    """Add a step's diagnostics to the epoch's sums (on the device)."""
    for name, value in values.items():
        if name in sums:
            sums[name] = sums[name] + value
            counts[name] += 1
        else:
            sums[name], counts[name] = value, 1


def history_row(epoch: int, sums: dict, counts: dict, seconds: float,
                reduce=None) -> dict:  # fmt: skip
    """The epoch's means, read from the device in one synchronisation;
    ``reduce``, optional, maps the tensor of means to their mean over the
    processes of a distributed fit."""
    names = list(sums)
    means = torch.stack([sums[n] for n in names]) / torch.tensor(
        [counts[n] for n in names], device=sums[names[0]].device, dtype=torch.float32
    )
    if reduce is not None:
        means = reduce(means)
    means = means.tolist()
    values = dict(zip(names, means, strict=True))
    core = [name for name in HISTORY_COLUMNS[1:-1] if name in values]
    rest = [name for name in names if name not in HISTORY_COLUMNS]
    row = {"epoch": epoch}
    row.update({name: values[name] for name in core + rest})
    row["seconds"] = seconds
    return row
