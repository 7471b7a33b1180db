"""Data-parallel training on ``torch.distributed``, as launched by ``torchrun``.

Every process (rank) runs the same fit on the same data. The trainer draws each
rank's batches from its own shard of the samples, and :class:`DataParallel`
averages the gradients of every optimiser step over the ranks, so that all
ranks take the same step from the same weights, as ``DistributedDataParallel``
does.

Why not wrap the networks in ``DistributedDataParallel``: its reducer fires
from autograd hooks once per forward-backward pair, and a GAN step breaks that
pairing. The critic is called on real, fake and (for a gradient penalty)
interpolated samples before one backward, the penalty needs a double backward
that DDP does not support (pytorch/pytorch#63812), and the critic is frozen in
the generator's step, so that a DDP critic would wait for gradients that never
come. Averaging the flattened gradients once after each backward, as NVIDIA's
StyleGAN2-ADA and StyleGAN3 trainers do, is exact for every loss, penalty and
auxiliary network, and costs one all-reduce per optimiser step: the single
bucket DDP would use for networks of this size.
"""

from __future__ import annotations

import atexit
import logging
import os
import sys
from datetime import timedelta

import numpy as np
import torch
import torch.distributed as dist

__all__ = [
    "DataParallel",
    "broadcast_object",
    "init_from_environment",
    "is_main_process",
    "launched_by_torchrun",
    "rank_and_world",
]


logger = logging.getLogger(__name__)
_EXIT_BARRIER_TIMEOUT = timedelta(seconds=60)


def launched_by_torchrun() -> bool:
    """Whether the environment of ``torchrun`` (or any launcher that sets
    ``RANK``, ``WORLD_SIZE`` and ``MASTER_ADDR``) is there, for more than one
    process."""
    needed = ("RANK", "WORLD_SIZE", "MASTER_ADDR", "MASTER_PORT")
    return all(v in os.environ for v in needed) and int(os.environ["WORLD_SIZE"]) > 1


def init_from_environment(device: torch.device) -> None:
    """Join the process group that ``torchrun`` describes, if not joined yet.

    The backend is NCCL for CUDA devices and gloo otherwise. Nothing happens
    outside a launcher or when a group is already initialised (a user's own
    ``init_process_group`` wins).
    """
    if not dist.is_available() or dist.is_initialized() or not launched_by_torchrun():
        return
    backend = "nccl" if device.type == "cuda" else "gloo"
    dist.init_process_group(backend=backend)
    # The group we opened, we close: a process that exits with the group's
    # threads alive can abort ("terminate called without an active exception").
    atexit.register(_destroy)


def _destroy() -> None:
    if not dist.is_initialized():
        return
    if dist.get_backend() == "gloo" and not hasattr(sys, "last_value"):
        # A normal exit: wait for every rank before closing the connections.
        # A rank that finished its last all-reduce can otherwise close its
        # sockets while a peer still reads that all-reduce's last message.
        # Skipped after an uncaught exception (``sys.last_value``), when the
        # peers are still training and would not come; bounded all the same.
        try:
            dist.monitored_barrier(timeout=_EXIT_BARRIER_TIMEOUT)
        except RuntimeError as exc:
            logger.warning("ranks did not meet at exit: %s", exc)
    dist.destroy_process_group()


def _active() -> bool:
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def rank_and_world() -> tuple[int, int]:
    """``(rank, world_size)`` of the process group, ``(0, 1)`` without one.

    Examples
    --------
    >>> from gansynth.training.distributed import rank_and_world
    >>> rank_and_world()
    (0, 1)
    """
    if not _active():
        return 0, 1
    return dist.get_rank(), dist.get_world_size()


def is_main_process() -> bool:
    """Rank 0, or the only process: the one that writes files."""
    return rank_and_world()[0] == 0


def barrier() -> None:
    """Wait for every process of the group (nothing without one)."""
    if _active():
        dist.barrier()


def broadcast_object(obj, device: torch.device | None = None):
    """Rank 0's ``obj`` on every rank (pickled; ``obj`` itself without a group)."""
    if not _active():
        return obj
    box = [obj]
    dist.broadcast_object_list(box, src=0, device=device)
    return box[0]


class DataParallel:
    """The collectives of a data-parallel fit, for the trainer.

    Parameters
    ----------
    device : torch.device
        Where the tensors live (CUDA tensors for NCCL, CPU ones for gloo).

    Attributes
    ----------
    rank, world_size : int
        This process and the number of processes.
    """

    def __init__(self, device: torch.device):
        self.rank, self.world_size = rank_and_world()
        self.device = device

    @classmethod
    def from_environment(cls, device) -> DataParallel | None:
        """An instance when a process group of several ranks is active."""
        return cls(device) if _active() else None

    # -- set-up ---------------------------------------------------------------
    def broadcast_modules(self, modules) -> None:
        """Copy rank 0's parameters and buffers to every rank."""
        tensors = [t for m in modules for t in _state_tensors(m)]
        # A fixed order of dtypes: a set's order differs between processes.
        for dtype in sorted({t.dtype for t in tensors}, key=str):
            group = [t for t in tensors if t.dtype == dtype]
            flat = torch.cat([t.detach().reshape(-1) for t in group])
            dist.broadcast(flat, src=0)
            _copy_back(flat, group)

    def global_count(self, n: int) -> int:
        """The sum of ``n`` over the ranks (the samples of all shards)."""
        total = torch.tensor([n], dtype=torch.int64, device=self.device)
        dist.all_reduce(total)
        return int(total.item())  # once per fit

    def check_same(self, name: str, value: int) -> None:
        """Refuse a fit in which ranks disagree on ``value`` (for example the
        number of samples each was given)."""
        both = torch.tensor([value, -value], dtype=torch.int64, device=self.device)
        dist.all_reduce(both, op=dist.ReduceOp.MAX)
        high, low = int(both[0]), -int(both[1])
        if high != low:
            raise ValueError(
                f"Every process of a distributed fit must be given the same data; "
                f"the ranks have {name} from {low} to {high}. Pass every rank the "
                "whole data set: gansynth shards it."
            )

    # -- every step -----------------------------------------------------------
    def average_gradients(self, params) -> None:
        """Replace each gradient by its mean over the ranks: one all-reduce."""
        self._average([p.grad for p in params if p.grad is not None])

    # -- every epoch ----------------------------------------------------------
    def average_buffers(self, modules) -> None:
        """Average floating-point buffers (batch norm's running statistics,
        which each rank updates from its own batches) over the ranks."""
        self._average(
            [b for m in modules for b in m.buffers() if b.is_floating_point()]
        )

    def _average(self, tensors) -> None:
        """Each tensor in place by its mean over the ranks, flattened into one
        all-reduce."""
        if not tensors:
            return
        flat = torch.cat([t.detach().reshape(-1).float() for t in tensors])
        dist.all_reduce(flat)
        flat /= self.world_size
        _copy_back(flat, tensors)

    def mean(self, values: torch.Tensor) -> torch.Tensor:
        """The mean of ``values`` over the ranks (a new tensor)."""
        values = values.clone()
        dist.all_reduce(values)
        return values / self.world_size

    def maximum(self, value: float) -> float:
        """The largest ``value`` over the ranks (wall-clock seconds)."""
        box = torch.tensor([value], dtype=torch.float64, device=self.device)
        dist.all_reduce(box, op=dist.ReduceOp.MAX)
        return float(box.item())  # once per epoch

    def shard(self, n: int) -> torch.Tensor:
        """This rank's sample indices: every ``world_size``-th from ``rank``,
        so that a data set sorted by class is shared evenly."""
        return torch.arange(self.rank, n, self.world_size, device=self.device)

    def seed(self, seed: int) -> int:
        """A seed of this rank's own for batches and noise (ranks must draw
        different batches), derived from the common ``seed``."""
        state = np.random.SeedSequence([seed, self.rank]).generate_state(1)
        return int(state[0])


def _state_tensors(module) -> list[torch.Tensor]:
    return [*module.parameters(), *module.buffers()]


def _copy_back(flat: torch.Tensor, tensors) -> None:
    """Write the consecutive pieces of ``flat`` back into ``tensors``."""
    offset = 0
    with torch.no_grad():
        for t in tensors:
            n = t.numel()
            t.copy_(flat[offset : offset + n].view_as(t))
            offset += n
