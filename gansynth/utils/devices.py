"""Choosing the torch device and the thread count, always at fit time."""

from __future__ import annotations

import contextlib
import logging
import os

import torch

__all__ = [
    "float32_default",
    "resolve_device",
    "runs_on_accelerator",
    "seeded_rng",
    "set_thread_count",
]

logger = logging.getLogger("gansynth")


def resolve_device(device) -> torch.device:
    """Turn ``"auto"`` or a user's device spec into a ``torch.device``.

    ``"auto"`` picks CUDA, then Apple's MPS, then the CPU. An explicit device
    that this machine lacks is an error, not a silent fallback.

    Examples
    --------
    >>> from gansynth.utils.devices import resolve_device
    >>> resolve_device("cpu")
    device(type='cpu')
    """
    if isinstance(device, str) and device == "auto":
        if torch.cuda.is_available():
            return torch.device("cuda")
        mps = getattr(torch.backends, "mps", None)
        if mps is not None and mps.is_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        resolved = torch.device(device)
    except (RuntimeError, TypeError) as exc:
        raise ValueError(
            f"The 'device' parameter must be 'auto', 'cpu', 'cuda', 'cuda:N', 'mps' "
            f"or a torch.device. Got {device!r} instead."
        ) from exc
    if resolved.type not in ("cpu", "cuda", "mps"):
        raise ValueError(
            f"device={device!r}: gansynth trains on 'cpu', 'cuda' or 'mps' "
            f"devices; got a device of type {resolved.type!r}."
        )
    if resolved.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was requested but CUDA is not available on this "
            "machine; use device='auto' or device='cpu'."
        )
    if resolved.type == "cuda" and (resolved.index or 0) >= torch.cuda.device_count():
        raise ValueError(
            f"device={device!r} was requested but this machine has "
            f"{torch.cuda.device_count()} CUDA device(s), numbered from 0."
        )
    mps = getattr(torch.backends, "mps", None)
    if resolved.type == "mps" and not (mps is not None and mps.is_available()):
        raise ValueError(
            f"device={device!r} was requested but Apple's MPS is not available "
            "on this machine; use device='auto' or device='cpu'."
        )
    return resolved


def runs_on_accelerator(device) -> bool:
    """Whether ``device`` resolves to a GPU here (CUDA's and MPS's kernels
    are not all deterministic: the estimators' ``non_deterministic`` tag);
    a device that cannot be resolved is left to ``fit`` to refuse."""
    try:
        return resolve_device(device).type != "cpu"
    except ValueError:
        return False


def set_thread_count(n_threads: int | None = None) -> int:
    """Pin torch's intra-op threads (and BLAS via the environment) to ``n_threads``.

    On small shared machines torch's default of one thread per core can run many
    times slower than a single thread when another process holds a core (see
    ``BENCHMARKS.md``), so scripts choose a count on purpose. ``None`` reads
    ``OMP_NUM_THREADS`` and defaults to 1. Returns the count set.
    """
    if n_threads is None:
        n_threads = int(os.environ.get("OMP_NUM_THREADS", "1"))
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ.setdefault(var, str(n_threads))
    torch.set_num_threads(n_threads)
    logger.info("torch uses %d thread(s)", n_threads)
    return n_threads


@contextlib.contextmanager
def float32_default():
    """Run with torch's default dtype float32, the dtype of gansynth's
    networks, and give the user's back afterwards: a user who set
    ``torch.set_default_dtype(torch.float64)`` would otherwise get float64
    layers and noise beside float32 data.

    Examples
    --------
    >>> import torch
    >>> from gansynth.utils.devices import float32_default
    >>> torch.set_default_dtype(torch.float64)
    >>> with float32_default():
    ...     inside = torch.zeros(1).dtype
    >>> inside, torch.get_default_dtype()
    (torch.float32, torch.float64)
    >>> torch.set_default_dtype(torch.float32)
    """
    users = torch.get_default_dtype()
    torch.set_default_dtype(torch.float32)
    try:
        yield
    finally:
        torch.set_default_dtype(users)


@contextlib.contextmanager
def seeded_rng(device: torch.device, seed: int):
    """Seed a forked copy of torch's RNG (and the device's, on CUDA).

    Initialisation, batches and noise drawn inside are reproducible, and the
    user's global RNG state is the same afterwards.

    Examples
    --------
    >>> import torch
    >>> from gansynth.utils.devices import seeded_rng
    >>> with seeded_rng(torch.device("cpu"), 0):
    ...     a = torch.rand(2)
    >>> with seeded_rng(torch.device("cpu"), 0):
    ...     b = torch.rand(2)
    >>> bool(torch.equal(a, b))
    True
    """
    # The device's own generator is forked too (torch.manual_seed seeds it).
    # MPS: by torch's documented API; not run here (no Apple machine).
    devices = [device.index or 0] if device.type in ("cuda", "mps") else []
    kind = device.type if devices else None
    with torch.random.fork_rng(devices=devices, device_type=kind):
        if device.type == "cpu":
            # The CPU generator alone: torch.manual_seed also queues seeds for
            # every lazily initialised backend (CUDA, XPU, MTIA), formatting a
            # stack trace for each, 0.3 ms a call; sampling seeds every block.
            torch.default_generator.manual_seed(seed)
        else:
            torch.manual_seed(seed)
        yield
