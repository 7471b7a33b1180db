"""The one adversarial trainer under every gansynth estimator.

It knows tensors and modules only: a float tensor of encoded rows (already on
the device), optional integer labels, a generator ``G(z, labels)`` and a
discriminator ``D(x, labels)`` returning one score per row.
"""

from __future__ import annotations

import contextlib
import itertools
import time
from dataclasses import dataclass

import torch
from torch import nn
from torch.optim.swa_utils import (
    AveragedModel,
    get_ema_multi_avg_fn,
    get_swa_multi_avg_fn,
)

from .callbacks import Callback, DivergenceGuard
from .losses import Loss

__all__ = ["HISTORY_COLUMNS", "AdversarialTrainer", "TrainerConfig"]

HISTORY_COLUMNS = (
    "epoch",
    "d_loss",
    "g_loss",
    "penalty",
    "d_real",
    "d_fake",
    "d_grad_norm",
    "g_grad_norm",
    "condition_loss",
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
        Rows per batch (already clipped to the number of rows).
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
        Generator steps per epoch; ``None`` means ``max(1, n_rows // batch_size)``.
    amp : bool
        Use bf16 autocast of the forward passes.
    compile : bool
        Wrap the networks' forward passes in ``torch.compile`` (the critic only when
        the loss has no penalty, whose double backward compile does not support).
    historical_averaging : float
        Weight of historical averaging (Salimans et al., 2016): each network
        pays ``weight * ||theta - mean of its past theta||^2``, the mean running
        over every step of this call. 0 disables it.
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


def _grad_norm(params) -> torch.Tensor:
    """Total 2-norm of the gradients, on the device (no synchronisation)."""
    grads = [p.grad for p in params if p.grad is not None]
    total_norm = getattr(torch.nn.utils, "get_total_norm", None)  # torch >= 2.6
    if total_norm is not None:
        return total_norm(grads)
    return torch.linalg.vector_norm(
        torch.stack([torch.linalg.vector_norm(g) for g in grads])
    )


class _HistoricalAverage:
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


def _call(net, x, labels, context):
    """Networks take ``(x, labels)``, plus ``context`` when conditions exist."""
    return net(x, labels) if context is None else net(x, labels, context)


class _BoundCritic:
    """The discriminator with the batch's labels and context bound, for loss
    penalties."""

    def __init__(self, discriminator, labels, context):
        self.discriminator = discriminator
        self.labels = labels
        self.context = context
        self.pac = getattr(discriminator, "pac", 1)

    def __call__(self, x):
        return _call(self.discriminator, x, self.labels, self.context)


def _tensors(module: nn.Module, floating: bool) -> list[torch.Tensor]:
    """Parameters and buffers, floating-point ones or the others (counters)."""
    return [
        t.detach()
        for t in itertools.chain(module.parameters(), module.buffers())
        if t.is_floating_point() == floating
    ]


class AdversarialTrainer:
    """Alternate ``n_critic`` discriminator steps and one generator step.

    This is Algorithm 1 of Goodfellow et al. (2014) with the loss and the
    penalty left to a :class:`~gansynth.training.losses.Loss`. Batches are drawn
    by index on the device; the epoch's losses and diagnostics accumulate on the
    device and are read once per epoch into :attr:`history`.

    Parameters
    ----------
    generator, discriminator : torch.nn.Module
        ``generator(z, labels)`` and ``discriminator(x, labels)``; ``labels`` is
        ``None`` for an unconditional model.
    loss : Loss
        A resolved loss object.
    config : TrainerConfig
        The schedule and optimiser settings.
    callbacks : sequence of Callback, optional
        Called in order after the built-in :class:`DivergenceGuard`.
    ema_generator : torch.nn.Module, optional
        An existing average of the generator to continue (warm start).
    start_epoch : int, default=0
        Epochs already run (warm start); history rows continue from it.

    Examples
    --------
    >>> import torch
    >>> from torch import nn
    >>> from gansynth.training import AdversarialTrainer, TrainerConfig, get_loss
    >>> class G(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.net = nn.Linear(4, 2)
    ...     def forward(self, z, labels=None):
    ...         return self.net(z)
    >>> class D(nn.Module):
    ...     def __init__(self):
    ...         super().__init__()
    ...         self.net = nn.Linear(2, 1)
    ...     def forward(self, x, labels=None):
    ...         return self.net(x).squeeze(-1)
    >>> _ = torch.manual_seed(0)
    >>> config = TrainerConfig(epochs=2, batch_size=32, latent_dim=4)
    >>> trainer = AdversarialTrainer(G(), D(), get_loss("hinge"), config)
    >>> trainer.fit(torch.randn(128, 2))
    >>> len(trainer.history), list(trainer.history[0])[:3]
    (2, ['epoch', 'd_loss', 'g_loss'])
    """

    def __init__(
        self,
        generator: nn.Module,
        discriminator: nn.Module,
        loss: Loss,
        config: TrainerConfig,
        *,
        callbacks=(),
        ema_generator: nn.Module | None = None,
        start_epoch: int = 0,
    ):
        self.generator = generator
        self.discriminator = discriminator
        self.loss = loss
        self.config = config
        self.callbacks: list[Callback] = [DivergenceGuard(), *callbacks]
        self.start_epoch = start_epoch
        self.history: list[dict] = []
        self.stop_training = False
        self.epoch: int | None = None
        check = getattr(loss, "check_discriminator", None)
        if check is not None:
            check(discriminator)
        self.ema = self._make_ema(ema_generator)

    # -- set-up -------------------------------------------------------------
    def _make_ema(self, previous):
        if self.config.ema_decay is None:
            return None
        # AveragedModel holds a copy of the generator (of the previous average
        # on a warm start). Each step applies torch's own EMA update to it
        # directly: AveragedModel.update_parameters would also test its update
        # counter, a tensor, which costs a host synchronisation per step on
        # CUDA.
        return AveragedModel(
            previous if previous is not None else self.generator,
            multi_avg_fn=get_ema_multi_avg_fn(self.config.ema_decay),
            use_buffers=True,
        )

    @property
    def ema_generator(self) -> nn.Module | None:
        """The averaged generator (a plain module), or ``None`` without EMA."""
        return None if self.ema is None else self.ema.module

    def networks(self) -> dict[str, nn.Module]:
        """The trained modules by name (used by checkpoints and the guard)."""
        nets = {"generator": self.generator, "discriminator": self.discriminator}
        if self.ema is not None:
            nets["generator_ema"] = self.ema.module
        return nets

    def _call(self, hook, *args):
        for cb in self.callbacks:
            getattr(cb, hook)(self, *args)

    # -- training -----------------------------------------------------------
    def fit(
        self,
        data: torch.Tensor,
        labels: torch.Tensor | None = None,
        context=None,
        row_weights: torch.Tensor | None = None,
    ) -> None:
        """Train on ``data`` (rows on the device) for ``config.epochs`` epochs.

        ``context``, optional, draws conditions with the rows they go with:
        ``context.draw(batch_size) -> (row_index, context)``; both networks then
        get the context as a third argument, and the generator also pays
        ``context.generator_penalty(fake, context)``. ``row_weights``, optional,
        makes rows that likely to be drawn (class-balanced batches); with a
        ``context`` the sampler applies them itself.

        Raises
        ------
        DivergenceError
            When a loss becomes NaN or infinite; the networks then hold the
            weights of the last finite epoch.
        """
        cfg = self.config
        G, D, loss = self.generator, self.discriminator, self.loss
        device = data.device
        n_rows = data.shape[0]
        steps = cfg.steps_per_epoch or max(1, n_rows // cfg.batch_size)
        opt_g = torch.optim.Adam(G.parameters(), lr=cfg.generator_lr, betas=cfg.betas)
        opt_d = torch.optim.Adam(
            D.parameters(), lr=cfg.discriminator_lr, betas=cfg.betas
        )
        g_fwd = torch.compile(G) if cfg.compile else G
        # A user's loss object may leave out the optional hooks.
        penalty = getattr(loss, "penalty", None)
        has_penalty = penalty is not None and (
            getattr(type(loss), "penalty", None) is not Loss.penalty
        )
        after_d_step = getattr(loss, "after_discriminator_step", None)
        # Losses that classify (the semi-supervised K+1 loss) see the batch's
        # labels; feature matching compares the real batch with the fake one.
        uses_labels = bool(getattr(loss, "uses_labels", False))
        matches_features = bool(getattr(loss, "matches_features", False))
        score = getattr(loss, "score", None) or (lambda out: out)
        d_fwd = torch.compile(D) if cfg.compile and not has_penalty else D
        autocast = (
            torch.autocast(device_type=device.type, dtype=torch.bfloat16)
            if cfg.amp
            else contextlib.nullcontext()
        )
        d_params = list(D.parameters())
        g_params = list(G.parameters())
        if self.ema is not None:
            ema_update = self.ema.multi_avg_fn
            ema_float, g_float = _tensors(self.ema.module, True), _tensors(G, True)
            # Integer buffers (batch norm's counter) are copied, not averaged.
            ema_other, g_other = _tensors(self.ema.module, False), _tensors(G, False)
        zero = torch.zeros((), device=device)
        if cfg.historical_averaging:
            d_hist = _HistoricalAverage(d_params, cfg.historical_averaging)
            g_hist = _HistoricalAverage(g_params, cfg.historical_averaging)

        def draw():
            if context is None:
                if row_weights is None:
                    idx = torch.randint(n_rows, (cfg.batch_size,), device=device)
                else:
                    idx = torch.multinomial(row_weights, cfg.batch_size, True)
                ctx = None
            else:
                idx, ctx = context.draw(cfg.batch_size)
            y = None if labels is None else labels[idx]
            z = torch.randn(cfg.batch_size, cfg.latent_dim, device=device)
            return data[idx], y, z, ctx

        G.train()
        D.train()
        self.stop_training = False
        self._call("on_train_begin")
        try:
            for epoch in range(self.start_epoch + 1, self.start_epoch + cfg.epochs + 1):
                self.epoch = epoch
                self._call("on_epoch_begin", epoch)
                t0 = time.perf_counter()
                # d_loss, penalty, d_real, d_fake, d_grad_norm
                # | g_loss, g_grad_norm, condition_loss
                d_acc = torch.zeros(5, device=device)
                g_acc = torch.zeros(3, device=device)
                for step in range(steps):
                    D.requires_grad_(True)
                    for _ in range(cfg.n_critic):
                        real, y, z, ctx = draw()
                        with autocast:
                            with torch.no_grad():
                                fake = _call(g_fwd, z, y, ctx)
                            real_out = _call(d_fwd, real, y, ctx).float()
                            fake_out = _call(d_fwd, fake, y, ctx).float()
                            d_loss = (
                                loss.discriminator_loss(real_out, fake_out, labels=y)
                                if uses_labels
                                else loss.discriminator_loss(real_out, fake_out)
                            )
                            pen = (
                                penalty(_BoundCritic(D, y, ctx), real, fake)
                                if has_penalty
                                else None
                            )
                        pen = zero if pen is None else pen.float()
                        if cfg.historical_averaging:
                            pen = pen + d_hist.penalty()
                        opt_d.zero_grad(set_to_none=True)
                        (d_loss + pen).backward()
                        d_norm = _grad_norm(d_params)
                        opt_d.step()
                        if cfg.historical_averaging:
                            d_hist.update()
                        if after_d_step is not None:
                            after_d_step(D)
                        with torch.no_grad():
                            d_acc += torch.stack(
                                [
                                    d_loss.detach(),
                                    pen.detach(),
                                    score(real_out.detach()).mean(),
                                    score(fake_out.detach()).mean(),
                                    d_norm,
                                ]
                            )
                        self._call("on_discriminator_step", step)
                    D.requires_grad_(False)
                    real, y, z, ctx = draw()
                    with autocast:
                        fake = _call(g_fwd, z, y, ctx)
                        fake_out = _call(d_fwd, fake, y, ctx).float()
                        if matches_features:
                            with torch.no_grad():
                                real_out = _call(d_fwd, real, y, ctx).float()
                            g_loss = loss.generator_loss(fake_out, real_out=real_out)
                        else:
                            g_loss = loss.generator_loss(fake_out)
                        cond_loss = (
                            zero
                            if ctx is None
                            else context.generator_penalty(fake.float(), ctx)
                        )
                    g_total = g_loss + cond_loss
                    if cfg.historical_averaging:
                        g_total = g_total + g_hist.penalty()
                    opt_g.zero_grad(set_to_none=True)
                    g_total.backward()
                    g_norm = _grad_norm(g_params)
                    opt_g.step()
                    if cfg.historical_averaging:
                        g_hist.update()
                    if self.ema is not None:
                        ema_update(ema_float, g_float, None)
                        if ema_other:
                            torch._foreach_copy_(ema_other, g_other)
                    with torch.no_grad():
                        g_acc += torch.stack(
                            [g_loss.detach(), g_norm, cond_loss.detach()]
                        )
                    self._call("on_generator_step", step)
                D.requires_grad_(True)
                # The one host synchronisation of the epoch.
                d_vals = (d_acc / (steps * cfg.n_critic)).tolist()
                g_vals = (g_acc / steps).tolist()
                row = {
                    "epoch": epoch,
                    "d_loss": d_vals[0],
                    "g_loss": g_vals[0],
                    "penalty": d_vals[1],
                    "d_real": d_vals[2],
                    "d_fake": d_vals[3],
                    "d_grad_norm": d_vals[4],
                    "g_grad_norm": g_vals[1],
                    "condition_loss": g_vals[2],
                    "seconds": time.perf_counter() - t0,
                }
                self.history.append(row)
                self._call("on_epoch_end", epoch, row)
                if self.stop_training:
                    break
        finally:
            D.requires_grad_(True)
            self._call("on_train_end")
