"""The one adversarial trainer under every gansynth estimator.

It knows tensors and modules only: a float tensor of encoded samples (already
on the device), optional integer labels, a generator ``G(z, labels)`` and a
discriminator ``D(x, labels)`` returning one score per sample (or per group).

``fit`` is a short loop over small steps that a reader can follow and a
subclass can override (as skorch splits ``fit -> fit_loop -> train_step``)::

    fit -> pretrain (auxiliary networks) -> fit_loop -> run_epoch
        -> draw, discriminator_step (n_critic times), draw, generator_step

Every step returns its diagnostics by name as tensors on the device; they add
up there and are read once per epoch into :attr:`history`, so the step path
never waits for the device.
"""

from __future__ import annotations

import contextlib
import time

import torch
from torch import nn

from .averaging import GeneratorEMA, HistoricalAverage, grad_norm
from .callbacks import Callback, DivergenceGuard
from .config import HISTORY_COLUMNS, Batch, TrainerConfig, add_diagnostics, history_row
from .distributed import DataParallel
from .io_checks import check_data_dtype, check_outputs
from .losses import Loss, get_loss

__all__ = ["HISTORY_COLUMNS", "AdversarialTrainer", "Batch", "TrainerConfig"]


def _call(net, x, batch: Batch):
    """``net(x, labels)``, plus the context and the mask when there are."""
    args = (x, batch.labels) if batch.context is None else (
        x, batch.labels, batch.context
    )  # fmt: skip
    return net(*args) if batch.mask is None else net(*args, mask=batch.mask)


class _BoundCritic:
    """The discriminator with a batch's labels, context and mask bound, for
    loss penalties; ``group_size`` says how many samples one score covers."""

    def __init__(self, discriminator, batch, group_size):
        self.discriminator = discriminator
        self.batch = batch
        self.group_size = group_size

    def __call__(self, x):
        batch, n = self.batch, x.shape[0]
        if n < batch.real.shape[0]:  # a penalty estimated on the first rows

            def first(t):
                return None if t is None else t[:n]

            batch = Batch(batch.real[:n], first(batch.labels), batch.noise[:n],
                          first(batch.context), first(batch.mask))  # fmt: skip
        return _call(self.discriminator, x, batch)


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
        A loss object (a user's object with the two required methods is
        completed with the optional hooks' defaults).
    config : TrainerConfig
        The schedule and optimiser settings.
    callbacks : sequence of Callback, optional
        Called in order after the built-in :class:`DivergenceGuard`.
    ema_generator : torch.nn.Module, optional
        An existing average of the generator to continue (warm start).
    start_epoch : int, default=0
        Epochs already run (warm start); history rows continue from it.
    auxiliaries : sequence of AuxiliaryNetwork, optional
        Networks trained beside G and D (see
        :class:`gansynth.modalities.AuxiliaryNetwork`).

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
        auxiliaries=(),
    ):
        self.generator = generator
        self.discriminator = discriminator
        self.loss = get_loss(loss)
        self.config = config
        self.callbacks: list[Callback] = [DivergenceGuard(), *callbacks]
        self.start_epoch = start_epoch
        self.auxiliaries = list(auxiliaries)
        self.history: list[dict] = []
        self.pretrain_history: list[dict] = []
        self.stop_training = False
        self.epoch: int | None = None
        self.loss.check_discriminator(discriminator)
        self.ema = (
            None
            if config.ema_decay is None
            else GeneratorEMA(generator, config.ema_decay, ema_generator)
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
        for aux in self.auxiliaries:
            nets[f"auxiliary.{aux.name}"] = aux.module
        return nets

    def _call(self, hook, *args):
        for cb in self.callbacks:
            getattr(cb, hook)(self, *args)

    # -- set-up -------------------------------------------------------------
    def _prepare(self, data, labels, sampler, row_weights, mask) -> None:
        """Optimisers, compiled forwards and the data of this call."""
        cfg, G, D = self.config, self.generator, self.discriminator
        check_data_dtype(data, D)
        self.data, self.labels, self.mask = data, labels, mask
        self.sampler, self.row_weights = sampler, row_weights
        self.outputs_checked = False
        self.device = data.device
        # Under torch.distributed ``data`` is this rank's shard; the batch is
        # shared out over the ranks, and the steps count the whole data set.
        self.parallel = DataParallel.from_environment(self.device)
        world = 1 if self.parallel is None else self.parallel.world_size
        if cfg.batch_size % world:
            raise ValueError(
                f"batch_size={cfg.batch_size} is the batch of all {world} processes "
                f"together and must be a multiple of {world}."
            )
        self.local_batch_size = cfg.batch_size // world
        n_total = data.shape[0]
        if self.parallel is not None:
            n_total = self.parallel.global_count(n_total)
            self.parallel.broadcast_modules(self.networks().values())
        self.steps = cfg.steps_per_epoch or max(1, n_total // cfg.batch_size)
        self.noise_shape = tuple(cfg.noise_shape or (cfg.latent_dim,))
        self.opt_g = torch.optim.Adam(
            G.parameters(), lr=cfg.generator_lr, betas=cfg.betas
        )
        self.opt_d = torch.optim.Adam(
            D.parameters(), lr=cfg.discriminator_lr, betas=cfg.betas
        )
        # An auxiliary without parameters (a fixed term of the generator's
        # objective, such as matching moments) has nothing to optimise.
        self.aux_optimizers = [
            torch.optim.Adam(aux.module.parameters(), lr=aux.lr, betas=cfg.betas)
            if next(aux.module.parameters(), None) is not None
            else None
            for aux in self.auxiliaries
        ]
        self.has_penalty = self.loss.has_penalty
        self.g_forward = torch.compile(G) if cfg.compile else G
        self.d_forward = torch.compile(D) if cfg.compile and not self.has_penalty else D
        self.d_params, self.g_params = list(D.parameters()), list(G.parameters())
        self.zero = torch.zeros((), device=self.device)
        self.d_history = self.g_history = None
        if cfg.historical_averaging:
            self.d_history = HistoricalAverage(self.d_params, cfg.historical_averaging)
            self.g_history = HistoricalAverage(self.g_params, cfg.historical_averaging)

    def autocast(self):
        if self.config.amp:
            return torch.autocast(device_type=self.device.type, dtype=torch.bfloat16)
        return contextlib.nullcontext()

    # -- training -----------------------------------------------------------
    def fit(
        self,
        data: torch.Tensor,
        labels: torch.Tensor | None = None,
        sampler=None,
        row_weights: torch.Tensor | None = None,
        mask: torch.Tensor | None = None,
    ) -> None:
        """Train on ``data`` (samples on the device) for ``config.epochs`` epochs.

        ``sampler``, optional, draws conditions with the samples they go with:
        ``sampler.draw(batch_size) -> (index, context)``; both networks then get the
        context as a third argument, and the generator also pays
        ``sampler.generator_penalty(fake, context)`` (unless it is ``None``), reported
        in the history column ``sampler.name``. ``row_weights``, optional, makes samples
        that likely to be drawn (class-balanced batches); with a ``sampler`` the sampler
        applies them itself. ``mask``, optional, has one row per sample and travels with
        each batch to both networks (``mask=``).

        Raises
        ------
        DivergenceError
            When a loss becomes NaN or infinite; the networks then hold the
            weights of the last finite epoch.
        """
        self._prepare(data, labels, sampler, row_weights, mask)
        for net in self.networks().values():  # eval mode after an earlier fit
            net.train()
        self.stop_training = False
        self._call("on_train_begin")
        try:
            with torch.enable_grad():  # also inside a caller's no_grad()
                self.pretrain()
                self.fit_loop()
        finally:
            self.discriminator.requires_grad_(True)
            self._call("on_train_end")
            # Handed back in eval mode (a direct forward pass must not move
            # batch norm's running statistics) and holding no gradients.
            for net in self.networks().values():
                net.eval()
                net.zero_grad(set_to_none=True)

    def fit_loop(self) -> None:
        first = self.start_epoch + 1
        for epoch in range(first, first + self.config.epochs):
            self.epoch = epoch
            self._call("on_epoch_begin", epoch)
            row = self.run_epoch(epoch)
            self.history.append(row)
            self._call("on_epoch_end", epoch, row)
            if self.stop_training:
                break

    def run_epoch(self, epoch: int) -> dict:
        """``steps`` generator steps, each after ``n_critic`` critic steps;
        returns the epoch's history row."""
        t0 = time.perf_counter()
        sums: dict[str, torch.Tensor] = {}
        counts: dict[str, int] = {}
        for step in range(self.steps):
            self.discriminator.requires_grad_(True)
            for _ in range(self.config.n_critic):
                add_diagnostics(sums, counts, self.discriminator_step(self.draw()))
                self._call("on_discriminator_step", step)
            self.discriminator.requires_grad_(False)
            batch = self.draw()
            add_diagnostics(sums, counts, self.generator_step(batch))
            for aux, optimizer in zip(self.auxiliaries, self.aux_optimizers,
                                      strict=True):  # fmt: skip
                if optimizer is None:
                    continue
                loss = self.auxiliary_step(aux, optimizer, batch)
                add_diagnostics(sums, counts, {f"{aux.name}_loss": loss})
            self._call("on_generator_step", step)
        self.discriminator.requires_grad_(True)
        seconds = time.perf_counter() - t0
        if self.parallel is None:
            return history_row(epoch, sums, counts, seconds)
        # Every rank keeps the same history (so early stopping and the
        # divergence guard decide alike) and the same batch-norm statistics.
        self.parallel.average_buffers(self.networks().values())
        return history_row(epoch, sums, counts, self.parallel.maximum(seconds),
                           reduce=self.parallel.mean)  # fmt: skip

    def synchronize_gradients(self, params) -> None:
        """Average the gradients over the ranks of a distributed fit (a no-op
        in one process); called after every backward, before the step."""
        if self.parallel is not None:
            self.parallel.average_gradients(params)

    def draw(self) -> Batch:
        """Indices on the device, then the batch's rows and noise."""
        size = self.local_batch_size
        context = None
        if self.sampler is not None:
            idx, context = self.sampler.draw(size)
        elif self.row_weights is None:
            idx = torch.randint(self.data.shape[0], (size,), device=self.device)
        else:
            idx = torch.multinomial(self.row_weights, size, True)
        labels = None if self.labels is None else self.labels[idx]
        noise = torch.randn(size, *self.noise_shape, device=self.device)
        mask = None if self.mask is None else self.mask[idx]
        return Batch(self.data[idx], labels, noise, context, mask)

    def discriminator_step(self, batch: Batch) -> dict[str, torch.Tensor]:
        """One optimiser step of the critic; returns its diagnostics."""
        loss, D = self.loss, self.discriminator
        with self.autocast():
            with torch.no_grad():
                fake = _call(self.g_forward, batch.noise, batch)
            real_out = _call(self.d_forward, batch.real, batch).float()
            fake_out = _call(self.d_forward, fake, batch).float()
            if not self.outputs_checked:
                check_outputs(self.generator, D, batch.real, fake, real_out,
                              self.config.group_size)  # fmt: skip
                self.outputs_checked = True
            if loss.uses_labels:
                d_loss = loss.discriminator_loss(
                    real_out, fake_out, labels=batch.labels
                )
            else:
                d_loss = loss.discriminator_loss(real_out, fake_out)
            pen = None
            if self.has_penalty:
                critic = _BoundCritic(D, batch, self.config.group_size)
                pen = loss.penalty(critic, batch.real, fake)
        pen = self.zero if pen is None else pen.float()
        if self.d_history is not None:
            pen = pen + self.d_history.penalty()
        self.opt_d.zero_grad(set_to_none=True)
        (d_loss + pen).backward()
        self.synchronize_gradients(self.d_params)
        norm = grad_norm(self.d_params)
        self.opt_d.step()
        if self.d_history is not None:
            self.d_history.update()
        loss.after_discriminator_step(D)
        with torch.no_grad():
            real_out, fake_out = real_out.detach(), fake_out.detach()
            return {
                "d_loss": d_loss.detach(),
                "penalty": pen.detach(),
                "d_real": loss.score(real_out).mean(),
                "d_fake": loss.score(fake_out).mean(),
                "d_grad_norm": norm,
                **loss.diagnostics(real_out, fake_out, batch.labels),
            }

    def generator_step(self, batch: Batch) -> dict[str, torch.Tensor]:
        """One optimiser step of the generator; returns its diagnostics."""
        loss = self.loss
        extra: dict[str, torch.Tensor] = {}
        with self.autocast():
            fake = _call(self.g_forward, batch.noise, batch)
            fake_out = _call(self.d_forward, fake, batch).float()
            if loss.matches_features:
                with torch.no_grad():
                    real_out = _call(self.d_forward, batch.real, batch).float()
                g_loss = loss.generator_loss(fake_out, real_out=real_out)
            else:
                g_loss = loss.generator_loss(fake_out)
            total = g_loss
            if self.sampler is not None:
                penalty = self.sampler.generator_penalty(fake.float(), batch.context)
                if penalty is not None:
                    extra[self.sampler.name] = penalty
                    total = total + penalty
            for aux in self.auxiliaries:
                term = aux.generator_loss(batch, fake)
                if term is not None:
                    extra[f"{aux.name}_generator_loss"] = term
                    total = total + term
        if self.g_history is not None:
            total = total + self.g_history.penalty()
        self.opt_g.zero_grad(set_to_none=True)
        total.backward()
        self.synchronize_gradients(self.g_params)
        norm = grad_norm(self.g_params)
        self.opt_g.step()
        if self.g_history is not None:
            self.g_history.update()
        if self.ema is not None:
            self.ema.update()
        with torch.no_grad():
            extra = {name: value.detach() for name, value in extra.items()}
            return {"g_loss": g_loss.detach(), "g_grad_norm": norm, **extra}

    def auxiliary_step(self, aux, optimizer, batch: Batch) -> torch.Tensor:
        """One optimiser step of an auxiliary network on its own loss."""
        with self.autocast():
            loss = aux.loss(batch, self.generator)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        self.synchronize_gradients(aux.module.parameters())
        optimizer.step()
        return loss.detach()

    def pretrain(self) -> None:
        """Each auxiliary network's pre-training epochs, before the game; one
        row per epoch in :attr:`pretrain_history`. A warm start (``start_epoch
        > 0``) continues the game and does not pre-train again."""
        if self.start_epoch:
            return
        for aux, optimizer in zip(self.auxiliaries, self.aux_optimizers, strict=True):
            if optimizer is None:
                continue
            for epoch in range(1, aux.pretrain_epochs + 1):
                t0 = time.perf_counter()
                total = self.zero
                for _ in range(self.steps):
                    total = total + self.auxiliary_step(aux, optimizer, self.draw())
                if self.parallel is not None:
                    total = self.parallel.mean(total)
                self.pretrain_history.append(
                    {
                        "network": aux.name,
                        "epoch": epoch,
                        "loss": (total / self.steps).item(),  # once per epoch
                        "seconds": time.perf_counter() - t0,
                    }
                )
        if self.ema is not None and any(
            opt is not None and aux.pretrain_epochs
            for aux, opt in zip(self.auxiliaries, self.aux_optimizers, strict=True)
        ):
            # Pre-training may fit part of the generator (a length model):
            # the average starts from the generator as it enters the game.
            self.ema.restart()
