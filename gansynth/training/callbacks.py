"""Callbacks of the adversarial trainer.

A callback subclasses :class:`Callback` and overrides the hooks it needs. The
trainer calls them in order; :class:`DivergenceGuard` always runs first, so a
checkpoint or early stop never sees non-finite weights.
"""

from __future__ import annotations

import copy
import math
from pathlib import Path

from .distributed import is_main_process

__all__ = [
    "Callback",
    "Checkpoint",
    "DivergenceError",
    "DivergenceGuard",
    "EarlyStopping",
    "GeneratorSnapshots",
    "ProgressBar",
]


class Callback:
    """Base class: every hook is a no-op.

    Hooks receive the :class:`~gansynth.training.AdversarialTrainer`, whose
    ``generator``, ``discriminator``, ``ema_generator``, ``history`` and
    ``stop_training`` attributes they may read (and, for ``stop_training``, set).
    """

    def on_train_begin(self, trainer) -> None:
        """Before the first epoch."""

    def on_epoch_begin(self, trainer, epoch: int) -> None:
        """Before epoch ``epoch`` (1-based, counting from the first fit)."""

    def on_discriminator_step(self, trainer, step: int) -> None:
        """After each optimizer step of the discriminator."""

    def on_generator_step(self, trainer, step: int) -> None:
        """After each optimizer step of the generator."""

    def on_epoch_end(self, trainer, epoch: int, logs: dict) -> None:
        """After an epoch; ``logs`` is the epoch's history row."""

    def on_train_end(self, trainer) -> None:
        """After the last epoch, also when training stopped early."""


class DivergenceError(RuntimeError):
    """Training produced a non-finite loss; the last good weights were restored.

    Parameters
    ----------
    epoch : int
        The epoch in which the loss became non-finite.
    loss_name : str
        The history column that was non-finite (``"d_loss"``, ``"g_loss"`` or
        ``"penalty"``).
    value : float
        Its value.
    restored_epoch : int
        The epoch whose weights were restored (0: the initial weights).
    """

    def __init__(self, epoch: int, loss_name: str, value: float, restored_epoch: int):
        self.epoch = epoch
        self.loss_name = loss_name
        self.value = value
        self.restored_epoch = restored_epoch
        where = (
            f"the weights after epoch {restored_epoch}"
            if restored_epoch
            else "the initial weights"
        )
        super().__init__(
            f"Training diverged: {loss_name} was {value} in epoch {epoch}. "
            f"The model keeps {where}. Lower the learning rates, or use a "
            f"more stable loss such as 'wgan-gp' or 'hinge'."
        )


class DivergenceGuard(Callback):
    """Stop on a NaN/inf loss and restore the weights of the last good epoch.

    The trainer installs one automatically; a snapshot of the networks is kept
    after each finite epoch (cheap for the networks gansynth trains).
    """

    watched = ("d_loss", "g_loss", "penalty")

    def on_train_begin(self, trainer):
        self._snapshot = self._take(trainer)
        self._good_epoch = trainer.start_epoch

    def on_epoch_end(self, trainer, epoch, logs):
        for name in self.watched:
            value = logs.get(name)
            if value is not None and not math.isfinite(value):
                self._restore(trainer)
                trainer.history.pop()
                raise DivergenceError(epoch, name, value, self._good_epoch)
        self._snapshot = self._take(trainer)
        self._good_epoch = epoch

    @staticmethod
    def _take(trainer):
        return {
            name: copy.deepcopy(module.state_dict())
            for name, module in trainer.networks().items()
        }

    def _restore(self, trainer):
        for name, module in trainer.networks().items():
            module.load_state_dict(self._snapshot[name])


class EarlyStopping(Callback):
    """Stop when a history column has not improved for ``patience`` epochs.

    GAN losses are poor measures of sample quality; monitor a column that you
    trust for your data (a callback of yours can add one to ``logs``).

    Parameters
    ----------
    monitor : str, default="g_loss"
        Column of the history to watch.
    patience : int, default=10
        Epochs without improvement before stopping.
    min_delta : float, default=0.0
        The smallest change that counts as an improvement.
    mode : {"min", "max"}, default="min"
        Whether lower or higher is better.

    Examples
    --------
    >>> from gansynth.training import EarlyStopping
    >>> EarlyStopping(monitor="d_loss", patience=3, mode="max").patience
    3
    """

    def __init__(self, monitor="g_loss", patience=10, min_delta=0.0, mode="min"):
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' or 'max'. Got {mode!r} instead.")
        self.monitor = monitor
        self.patience = patience
        self.min_delta = min_delta
        self.mode = mode

    def on_train_begin(self, trainer):
        self.best_ = math.inf if self.mode == "min" else -math.inf
        self.wait_ = 0
        self.stopped_epoch_ = None

    def on_epoch_end(self, trainer, epoch, logs):
        if self.monitor not in logs:
            raise KeyError(
                f"EarlyStopping monitors {self.monitor!r}, which is not a history "
                f"column; columns: {sorted(logs)}."
            )
        value = logs[self.monitor]
        better = (
            value < self.best_ - self.min_delta
            if self.mode == "min"
            else value > self.best_ + self.min_delta
        )
        if better:
            self.best_, self.wait_ = value, 0
            return
        self.wait_ += 1
        if self.wait_ >= self.patience:
            self.stopped_epoch_ = epoch
            trainer.stop_training = True


class Checkpoint(Callback):
    """Write the networks' weights every ``every`` epochs (safetensors).

    Parameters
    ----------
    path : str or path-like
        File to write; ``{epoch}`` in it is replaced by the epoch number, so
        ``"ckpt/epoch-{epoch}.safetensors"`` keeps every checkpoint.
    every : int, default=10
        Epoch interval. The last epoch is always written. In a distributed
        fit only rank 0 writes.

    Examples
    --------
    >>> from gansynth.training import Checkpoint
    >>> Checkpoint("model-{epoch}.safetensors", every=5).every
    5
    """

    def __init__(self, path, every=10):
        self.path = path
        self.every = every

    def on_epoch_end(self, trainer, epoch, logs):
        if epoch % self.every == 0:
            self._write(trainer, epoch)
            self._last_written = epoch

    def on_train_begin(self, trainer):
        self._last_written = None

    def on_train_end(self, trainer):
        if trainer.epoch is not None and self._last_written != trainer.epoch:
            self._write(trainer, trainer.epoch)

    def _write(self, trainer, epoch):
        from safetensors.torch import save_file

        if not is_main_process():  # the ranks of a distributed fit agree
            return

        path = Path(str(self.path).format(epoch=epoch))
        path.parent.mkdir(parents=True, exist_ok=True)
        tensors = {
            f"{name}.{key}": value.detach().cpu().contiguous()
            for name, module in trainer.networks().items()
            for key, value in module.state_dict().items()
        }
        save_file(tensors, str(path), metadata={"epoch": str(epoch)})


class GeneratorSnapshots(Callback):
    """Keep copies of the sampling generator at evenly spaced epochs, in memory.

    The sampling generator is the EMA average when the trainer keeps one,
    else the generator. The copies let a caller choose an epoch after
    training by a criterion of its own (held-out rows, for
    ``TabularGAN(validation_fraction=...)``) and load that epoch's weights.

    Parameters
    ----------
    n_snapshots : int, default=10
        Copies over the run: one every ``ceil(epochs / n_snapshots)``
        epochs, and always one of the last epoch (also when training
        stopped early).

    Attributes
    ----------
    snapshots_ : dict of int to dict
        The state dict (on the CPU) by epoch.

    Examples
    --------
    >>> from gansynth.training import GeneratorSnapshots
    >>> GeneratorSnapshots(n_snapshots=5).n_snapshots
    5
    """

    def __init__(self, n_snapshots=10):
        self.n_snapshots = n_snapshots

    def on_train_begin(self, trainer):
        self.every_ = max(1, math.ceil(trainer.config.epochs / self.n_snapshots))
        self.snapshots_ = {}

    def on_epoch_end(self, trainer, epoch, logs):
        if (epoch - trainer.start_epoch) % self.every_ == 0:
            self._take(trainer, epoch)

    def on_train_end(self, trainer):
        if trainer.epoch is not None and trainer.epoch not in self.snapshots_:
            self._take(trainer, trainer.epoch)

    def _take(self, trainer, epoch):
        net = trainer.generator if trainer.ema is None else trainer.ema.module
        self.snapshots_[epoch] = {
            key: value.detach().to("cpu", copy=True)
            for key, value in net.state_dict().items()
        }


class ProgressBar(Callback):
    """A tqdm bar over epochs showing the latest losses (used with ``verbose``)."""

    def on_train_begin(self, trainer):
        from tqdm.auto import tqdm

        self._bar = tqdm(
            total=trainer.config.epochs, desc="gansynth", unit="epoch", leave=False
        )

    def on_epoch_end(self, trainer, epoch, logs):
        self._bar.set_postfix(
            d_loss=f"{logs['d_loss']:.3f}", g_loss=f"{logs['g_loss']:.3f}"
        )
        self._bar.update(1)

    def on_train_end(self, trainer):
        self._bar.close()
