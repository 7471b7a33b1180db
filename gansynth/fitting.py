"""The one fit path: what every estimator does around the trainer.

Parameter validation, the seed, the trainer's configuration (batch size,
CUDA-only options), callbacks, building or continuing the networks, the
divergence guard's error and the history are written once here and used by
:class:`~gansynth.base.BaseGAN` and by
:class:`~gansynth.SemiSupervisedGANClassifier` alike.
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import torch
from sklearn.utils import check_random_state
from torch import nn

from .training import (
    HISTORY_COLUMNS,
    AdversarialTrainer,
    DivergenceError,
    ProgressBar,
    TrainerConfig,
)
from .training.distributed import (
    DataParallel,
    broadcast_object,
    init_from_environment,
    rank_and_world,
)
from .utils.devices import float32_default, seeded_rng
from .utils.user_warnings import warn_at_caller
from .utils.validation import validate_params

__all__ = [
    "check_params",
    "check_warm_architecture",
    "draw_seed",
    "fit_encoder",
    "join_process_group",
    "resolve_batch_size",
    "resolve_cuda_only",
    "train_networks",
]

_AUTO_BATCH = 256  # batch_size="auto": this many samples, or all if fewer


def check_params(estimator) -> None:
    """Validate the parameters against the ``_parameter_constraints`` of the
    estimator's class and of every base class."""
    merged = {}
    for klass in reversed(type(estimator).__mro__):
        merged.update(getattr(klass, "_parameter_constraints", {}))
    validate_params(type(estimator).__name__, estimator.get_params(deep=False), merged)


def draw_seed(random_state) -> int:
    """One seed for initialisation, batches and noise, from ``random_state``."""
    return int(check_random_state(random_state).randint(np.iinfo(np.int32).max))


def join_process_group(device: torch.device) -> tuple[torch.device, int]:
    """Join ``torchrun``'s process group if launched by it. Returns the device
    of this process (``cuda`` becomes ``cuda:LOCAL_RANK`` under a launcher)
    and the number of processes that train together (1 outside one)."""
    init_from_environment(device)
    world = rank_and_world()[1]
    if world > 1 and device.type == "cuda" and device.index is None:
        device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", 0)))
        torch.cuda.set_device(device)
    return device, world


def fit_encoder(modality, X):
    """The modality's encoder fitted on ``X``; in a distributed fit rank 0
    fits it and every rank gets rank 0's, so that all encode alike."""
    rank, _ = rank_and_world()
    return broadcast_object(modality.make_encoder().fit(X) if rank == 0 else None)


def resolve_batch_size(owner: str, batch_size, n_rows: int, multiple: int = 1,
                       auto: int = _AUTO_BATCH, processes: int = 1) -> int:  # fmt: skip
    """``batch_size`` ("auto" or an int) for ``n_rows`` samples, a multiple of
    ``multiple`` (the samples the critic scores together) times ``processes``
    (a distributed fit shares each batch out over its processes); "auto" is
    ``auto`` samples, or all of them when there are fewer."""
    if processes > 1:
        try:
            return resolve_batch_size(owner, batch_size, n_rows, multiple * processes,
                                      auto)  # fmt: skip
        except ValueError as exc:
            raise ValueError(
                f"{exc} A distributed fit over {processes} processes shares each "
                f"batch out evenly, so batch_size must be a multiple of "
                f"{multiple * processes}."
            ) from None
    if n_rows < multiple:
        raise ValueError(
            f"{owner}'s critic scores {multiple} samples together and needs at "
            f"least {multiple} training samples; got n_samples={n_rows}."
        )
    if batch_size == "auto":
        batch_size = min(auto, n_rows)
        return batch_size - batch_size % multiple
    if batch_size % multiple:
        raise ValueError(
            f"batch_size={batch_size} must be a multiple of {multiple}, the number "
            f"of samples {owner}'s critic scores together."
        )
    if batch_size > n_rows:
        clipped = n_rows - n_rows % multiple
        warn_at_caller(
            f"batch_size={batch_size} is larger than the {n_rows} training "
            f"samples; using batch_size={clipped}."
        )
        return clipped
    return batch_size


def resolve_cuda_only(amp, compile_, device) -> tuple[bool, bool]:
    """``amp`` and ``compile`` apply on CUDA only: elsewhere they warn (at
    the user's call) and are switched off."""
    amp, compile_ = bool(amp), bool(compile_)
    if device.type == "cuda":
        return amp, compile_
    for name, on in (("amp", amp), ("compile", compile_)):
        if on:
            warn_at_caller(
                f"{name}=True applies on CUDA only; training on {device.type} "
                "without it."
            )
    return False, False


def check_warm_architecture(estimator, names) -> None:
    """A warm start continues networks built with the fitted values of the
    parameters ``names``: refuse a change to any of them."""
    # A model pickled before a parameter existed was built with its
    # _params_since value.
    before = getattr(estimator, "_params_since", {})
    for name in names:
        value = getattr(estimator, name)
        fitted = estimator._architecture_.get(name, before.get(name))
        if value != fitted and not (
            isinstance(value, tuple | list) and list(value) == list(fitted or [])
        ):
            raise ValueError(
                f"warm_start=True continues the encoder and networks built with "
                f"{name}={fitted!r}; got {name}={value!r}. Set it back, or set "
                "warm_start=False to train new networks."
            )


def train_networks(
    estimator,
    *,
    build,
    loss,
    config: TrainerConfig,
    data: torch.Tensor,
    labels=None,
    make_sampler=None,
    row_weights=None,
    mask=None,
    build_auxiliaries=list,
    warm: bool = False,
    seed: int,
    callbacks=None,
):
    """Build (or, with ``warm``, continue) the networks and train them.

    ``make_sampler(data, row_weights)``, optional, builds the trainer's
    conditions sampler from the samples it trains on. In a distributed fit
    (under ``torchrun``) each rank trains on its shard of ``data``,
    ``labels``, ``row_weights`` and ``mask`` with its own batches and noise,
    from rank 0's seed and initial weights.

    ``build()`` returns ``(generator, discriminator)`` and
    ``build_auxiliaries()`` the modality's auxiliary networks; both run under
    the seeded RNG, so initialisation is reproducible. The estimator gets
    ``generator_``, ``discriminator_``, ``generator_ema_``, ``auxiliary_``,
    ``history_`` (appended to on a warm start), ``pretrain_history_`` and
    ``n_epochs_``. Returns the :class:`DivergenceError` of a diverged run
    (the networks then hold the last good weights) or ``None``, so that the
    caller can finish its fitted state before raising it. ``callbacks``
    defaults to the estimator's ``callbacks``.
    """
    device = data.device
    parallel = DataParallel.from_environment(device)
    if parallel is not None:
        parallel.check_same("n_samples", data.shape[0])
        seed = broadcast_object(seed)
        rows = parallel.shard(data.shape[0])
        data, labels, mask, row_weights = (
            None if t is None else t[rows] for t in (data, labels, mask, row_weights)
        )
    sampler = None if make_sampler is None else make_sampler(data, row_weights)
    if sampler is not None:
        row_weights = None  # the sampler applies them
    callbacks = list(estimator.callbacks or [] if callbacks is None else callbacks)
    if estimator.verbose and (parallel is None or parallel.rank == 0):
        callbacks.append(ProgressBar())  # one bar, not one per process
    error = None
    with seeded_rng(device, seed), float32_default():
        if warm:
            G = estimator.generator_.to(device)
            D = estimator.discriminator_.to(device)
            ema = estimator.generator_ema_
            ema = None if ema is None else ema.to(device)
            start = estimator.n_epochs_
        else:
            G, D = build()
            ema, start = None, 0
        auxiliaries = build_auxiliaries()
        if warm:
            for aux in auxiliaries:
                # A part of the generator is taken from it in bind, below, and
                # need not be among the saved auxiliary networks.
                if aux.name in estimator.auxiliary_:
                    aux.module = estimator.auxiliary_[aux.name]
        for aux in auxiliaries:
            aux.module.to(device)
            aux.bind(G)
        if parallel is not None:
            torch.manual_seed(parallel.seed(seed))  # batches and noise per rank
        trainer = AdversarialTrainer(
            G.to(device), D.to(device), loss, config, callbacks=callbacks,
            ema_generator=ema, start_epoch=start, auxiliaries=auxiliaries,
        )  # fmt: skip
        try:
            trainer.fit(data, labels, sampler, row_weights, mask)
        except DivergenceError as exc:
            error = exc  # the trainer restored the last good weights
    previous = [estimator.history_] if warm else []
    estimator.generator_ = trainer.generator
    estimator.discriminator_ = trainer.discriminator
    estimator.generator_ema_ = trainer.ema_generator
    estimator.auxiliary_ = nn.ModuleDict({a.name: a.module for a in auxiliaries}).eval()
    new = pd.DataFrame(trainer.history, columns=_columns(trainer.history))
    estimator.history_ = pd.concat([*previous, new], ignore_index=True)
    pretrain = pd.DataFrame(trainer.pretrain_history)
    if warm and getattr(estimator, "pretrain_history_", None) is not None:
        pretrain = pd.concat([estimator.pretrain_history_, pretrain], ignore_index=True)
    estimator.pretrain_history_ = pretrain
    estimator.n_epochs_ = start + len(trainer.history)
    return error


def _columns(history) -> list:
    """The history's columns: those of its rows, or the core ones if empty."""
    return list(history[0]) if history else list(HISTORY_COLUMNS)
