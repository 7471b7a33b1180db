"""Sampling: from noise and labels to the user's container, for every modality.

:class:`GenerationMixin` gives the fitted estimators ``sample`` and the steps
under it (the generator's forward pass in chunks, the modality's conditions
and decoding); :mod:`gansynth.controllable` builds on the same steps.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np
import torch
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .streaming import StreamingMixin
from .utils.devices import float32_default, seeded_rng
from .utils.labels import resolve_sample_labels
from .utils.torch_state import evaluating
from .utils.validation import check_count

__all__ = [
    "NET_BLOCK",
    "SAMPLE_BLOCK",
    "GenerationMixin",
    "block_rows",
    "block_seed",
]

# Samples per generator call: cache-sized calls sampled 1.7x faster than
# calls of 65k rows on a CPU (measured on mlc_churn, one thread).
NET_BLOCK = 4_096
# Samples per seeded block: every block draws its classes, noise and
# conditions from a seed of its own, so a sample is the same whether it is
# generated whole, in chunks of any size, or shared out over the processes of
# a distributed run. Several generator calls per block share its fixed costs
# (seeding, the RNG's state saved and restored, the conditions' set-up: in
# benchmarks/sampling_speed.py, CPS1988's sample went from 0.78 to 0.83 of
# the generator's forward pass). A block's generated values stay within
# 64 MiB: samples of more than SMALL_SAMPLE values (larger images) are seeded
# every NET_BLOCK samples.
SAMPLE_BLOCK = 4 * NET_BLOCK
SMALL_SAMPLE = 1_024


def block_rows(sample_shape) -> int:
    """Samples per seeded block for samples of ``sample_shape``.

    A sample is generated in blocks that each draw their noise, classes and
    conditions from a seed of their own (:func:`block_seed`), so that it is
    the same whole, in chunks, or shared out over processes. Samples of at
    most ``SMALL_SAMPLE`` (1,024) values (rows of a table, 28 x 28 digits)
    come in blocks of ``SAMPLE_BLOCK`` (16,384) over four generator calls;
    larger ones (3 x 32 x 32 images) in blocks of ``NET_BLOCK`` (4,096), one
    call each, so that a block's values stay within 64 MiB.

    Parameters
    ----------
    sample_shape : tuple of int
        The shape of one encoded sample (``encoder_.spec_.sample_shape``).

    Returns
    -------
    rows : int
        Samples per seeded block.

    Examples
    --------
    >>> from gansynth.generation import block_rows
    >>> block_rows((86,)), block_rows((1, 28, 28)), block_rows((3, 32, 32))
    (16384, 16384, 4096)
    """
    return SAMPLE_BLOCK if math.prod(sample_shape) <= SMALL_SAMPLE else NET_BLOCK


def block_seed(seed: int, index: int) -> int:
    """The seed of block ``index`` of a sample drawn with ``seed``.

    numpy's ``SeedSequence`` mixes the pair, so that the blocks of one sample
    and the samples of neighbouring seeds draw independent streams.

    Examples
    --------
    >>> from gansynth.generation import block_seed
    >>> block_seed(0, 1) == block_seed(0, 1) != block_seed(1, 0)
    True
    """
    return int(np.random.SeedSequence([seed, index]).generate_state(1)[0])


def _rows(args, first):
    """The rows ``first:first + NET_BLOCK`` of a generator call's arguments
    (a list, or a dict of keyword arguments; ``None`` stays ``None``)."""
    rows = slice(first, first + NET_BLOCK)
    if isinstance(args, dict):
        return {k: None if v is None else v[rows] for k, v in args.items()}
    return [None if a is None else a[rows] for a in args]


def _rows_of(conditions, start, stop):
    """The rows ``start:stop`` of row-aligned conditions (a frame with one row
    per sample); conditions that hold for every sample as they are."""
    return conditions.iloc[start:stop] if hasattr(conditions, "iloc") else conditions


@dataclass
class _SamplePlan:
    """What every block of one sample needs: its size, its seed, the given
    classes (or label weights) and latent vectors, and the conditions."""

    n: int
    seed: int
    block: int  # samples per seeded block (see block_rows)
    codes: np.ndarray | None = None
    class_prior: np.ndarray | None = None  # draw each block's classes from it
    z: torch.Tensor | None = None
    shift: torch.Tensor | None = None
    conditions: object = None

    @property
    def n_blocks(self) -> int:
        return -(-self.n // self.block)

    def block_codes(self, start, stop, rng):
        if self.class_prior is not None:
            return rng.choice(len(self.class_prior), size=stop - start,
                              p=self.class_prior)  # fmt: skip
        return None if self.codes is None else self.codes[start:stop]

    def block_noise(self, start, stop, seed, noise_shape) -> torch.Tensor:
        if self.z is not None:
            z = self.z[start:stop]
        else:
            gen = torch.Generator().manual_seed(seed)
            z = torch.randn(
                stop - start, *noise_shape, generator=gen, dtype=torch.float32
            )
        return z if self.shift is None else z + self.shift


class GenerationMixin(StreamingMixin):
    """``sample`` and the decoding steps of a fitted GAN estimator.

    Needs the fitted attributes ``generator_``, ``generator_ema_``,
    ``encoder_``, ``conditions_``, ``classes_``, ``class_prior_``,
    ``noise_shape_``, ``device_`` and the method ``_make_modality``.
    """

    def sample(
        self,
        n_samples=None,
        *,
        y=None,
        return_y=False,
        random_state=None,
        z=None,
        conditions=None,
        shift=None,
    ):
        """Generate new samples.

        Parameters
        ----------
        n_samples : int, optional
            Number of samples. Defaults to ``len(y)`` for an array ``y``, the
            total of a dict ``y``, or else the number of samples seen in ``fit``.
        y : class label, array-like or dict, optional
            For a conditional model: one class for every sample, one class per
            sample, or ``{class: count}``. ``None`` draws classes with the
            training frequencies.
        return_y : bool, default=False
            Also return the class of each sample (conditional models).
        random_state : int, RandomState instance or None, default=None
            Seeds the noise (and the drawn classes). ``None`` uses the
            estimator's ``random_state``, as ``GaussianMixture.sample`` does, so
            pass a different value to draw different samples.
        z : array-like of shape (n_samples, latent_dim), optional
            Latent vectors to decode instead of random noise (of shape
            ``(n_samples, *noise_shape_)`` for a modality with structured noise).
        conditions : dict, optional
            Conditions that the modality understands, met by every sample; for
            tables with discrete columns (such as :class:`~gansynth.TabularGAN`)
            ``{column: value}``.
        shift : tuple (direction, alpha), optional
            Move every latent vector by ``alpha * direction`` before decoding,
            for example along a direction found by :meth:`latent_direction`.

        Returns
        -------
        X_new : same container as the training data
            ``n_samples`` samples with the columns and dtypes seen in ``fit``.
        y_new : ndarray of shape (n_samples,)
            Only with ``return_y=True``.
        """
        plan = self._sample_plan(
            "sample", n_samples, y, return_y, random_state, z, conditions, shift
        )
        parts = list(self._blocks(plan, range(plan.n_blocks)))
        return self._decode_parts(parts, return_y)

    def _sample_plan(self, method, n_samples, y, return_y, random_state, z,
                     conditions, shift) -> _SamplePlan:  # fmt: skip
        """Check the arguments of ``sample`` (or ``method``) and fix what
        every block of the sample needs."""
        check_is_fitted(self, "generator_")
        check_count(n_samples, "n_samples", f"{type(self).__name__}.{method}",
                    allow_none=True)  # fmt: skip
        rng = check_random_state(
            self.random_state if random_state is None else random_state
        )
        conditional = self.classes_ is not None
        if not conditional and (y is not None or return_y):
            raise ValueError(
                "This model was fitted without y, so it cannot sample given y or "
                "return y; fit it with class labels for conditional sampling."
            )
        if z is not None:
            z = torch.from_numpy(self._check_z(z, n_samples))
            n_samples = z.shape[0]
        if n_samples is None and not (isinstance(y, dict) or np.ndim(y) == 1):
            n_samples = self.n_samples_fit_
        codes = None
        if conditional and y is not None:
            codes = resolve_sample_labels(
                y, n_samples, self.classes_, self.class_prior_, rng
            )
            n_samples = len(codes)
        return _SamplePlan(
            n=n_samples,
            seed=int(rng.randint(np.iinfo(np.int32).max)),
            block=block_rows(self.encoder_.spec_.sample_shape),
            codes=codes,
            class_prior=self.class_prior_ if conditional and y is None else None,
            z=z,
            shift=None if shift is None else self._check_shift(shift),
            conditions=conditions,
        )

    def _check_z(self, z, n_samples) -> np.ndarray:
        z = np.asarray(z, dtype=np.float32)
        if z.ndim < 2 or z.shape[1:] != tuple(self.noise_shape_):
            shape = ", ".join(str(s) for s in self.noise_shape_)
            raise ValueError(f"z must have shape (n_samples, {shape}); got {z.shape}.")
        if n_samples is not None and n_samples != z.shape[0]:
            raise ValueError(
                f"n_samples={n_samples} disagrees with z, which has {z.shape[0]} rows."
            )
        return z

    def _check_shift(self, shift) -> torch.Tensor:
        if not isinstance(shift, tuple | list) or len(shift) != 2:
            raise ValueError(f"shift must be a pair (direction, alpha); got {shift!r}.")
        direction, alpha = shift
        direction = np.asarray(direction, dtype=np.float32)
        expected = (math.prod(self.noise_shape_),)
        if direction.shape not in (expected, tuple(self.noise_shape_)):
            raise ValueError(
                f"The direction of shift must have shape {expected}; "
                f"got {direction.shape}."
            )
        if isinstance(alpha, bool) or not isinstance(alpha, numbers.Real):
            raise ValueError(f"The alpha of shift must be a number; got {alpha!r}.")
        return float(alpha) * torch.from_numpy(direction).reshape(self.noise_shape_)

    def _sampling_context(self, n_samples, conditions, rng, codes=None):
        """The conditions' context for ``n_samples`` samples of the label
        ``codes`` and what to enforce in them (``(None, None)`` without
        conditions)."""
        if self.conditions_ is not None:
            return self.conditions_.sampling_context(
                n_samples, conditions, rng, self.encoder_, labels=codes
            )
        if conditions:
            raise ValueError(
                "conditions need a model trained with conditions (on the discrete "
                f"columns of a table); this {type(self).__name__} has none."
            )
        return None, None

    def _generate(self, z, codes, noise_seed, conditions=None):
        """Decode latent vectors (and label codes or label weights) into the
        user's container, honouring the modality's ``conditions``."""
        plan = _SamplePlan(n=z.shape[0], seed=noise_seed,
                           block=block_rows(self.encoder_.spec_.sample_shape),
                           codes=codes, z=z, conditions=conditions)  # fmt: skip
        return self._decode_parts(list(self._blocks(plan, range(plan.n_blocks))))

    def _blocks(self, plan: _SamplePlan, blocks):
        """``(encoded, mask, codes)`` of each block in ``blocks``, generated
        from the block's own seed (see :func:`block_seed`)."""
        modality = self._make_modality()
        device = torch.device(self.device_)
        net = self._sampling_net()
        for index in blocks:
            start = index * plan.block
            stop = min(plan.n, start + plan.block)
            seed = block_seed(plan.seed, index)
            rng = np.random.RandomState(seed)
            codes = plan.block_codes(start, stop, rng)
            z = plan.block_noise(start, stop, seed, self.noise_shape_)
            context, fixed = self._sampling_context(
                stop - start, _rows_of(plan.conditions, start, stop), rng, codes
            )
            mask = modality.sampling_mask(self.encoder_, stop - start, rng)
            args, kwargs = self._generator_args(z, codes, context, mask, device)
            # What the conditions set, for the generator's draws (the same
            # for every row).
            same = {"fixed": fixed} if fixed else {}
            # Contexts entered per block, never across a yield: grad mode and
            # the RNG are process-wide, and the caller runs between blocks.
            # Generators may draw noise of their own (Gumbel-softmax): the
            # block's seed makes it reproducible and leaves the global RNG.
            with (
                evaluating(net),
                torch.no_grad(),
                seeded_rng(device, seed),
                float32_default(),
            ):
                pieces = [
                    net(*_rows(args, first), **_rows(kwargs, first), **same)
                    .float().cpu().numpy()
                    for first in range(0, stop - start, NET_BLOCK)
                ]  # fmt: skip
            for first, encoded in zip(range(0, stop - start, NET_BLOCK), pieces,
                                      strict=True):  # fmt: skip
                rows = slice(first, first + NET_BLOCK)
                if fixed:
                    encoded = self.conditions_.enforce(encoded, fixed)
                yield (encoded, None if mask is None else mask[rows],
                       None if codes is None else codes[rows])  # fmt: skip

    def _decode_parts(self, parts, return_y=False):
        """Blocks (or pieces of them) of ``(encoded, mask, codes)`` decoded
        together into the user's container (and the classes)."""
        if parts:
            encoded = np.concatenate([p[0] for p in parts])
        else:
            encoded = np.zeros((0, *self.encoder_.spec_.sample_shape), np.float32)
        mask = None if not parts or parts[0][1] is None else np.concatenate(
            [p[1] for p in parts]
        )  # fmt: skip
        X = self._make_modality().decode(self.encoder_, encoded, mask)
        if not return_y:
            return X
        codes = np.concatenate([p[2] for p in parts]) if parts else np.zeros(0, int)
        return X, self.classes_[codes]

    def _sampling_net(self) -> torch.nn.Module:
        """The generator that samples: the EMA average when there is one."""
        if self.generator_ema_ is not None:
            return self.generator_ema_
        return self.generator_

    def _generator_args(self, z, codes, context, mask, device):
        args = [z.to(device)]
        args.append(None if codes is None else torch.as_tensor(codes, device=device))
        if context is not None:
            args.append(torch.as_tensor(context, device=device))
        kwargs = {} if mask is None else {"mask": torch.as_tensor(mask, device=device)}
        return args, kwargs

    def _forward(self, z, codes, seed, context=None, mask=None):
        """The generator's raw output with autograd on (frozen weights)."""
        device = torch.device(self.device_)
        args, kwargs = self._generator_args(z, codes, context, mask, device)
        with evaluating(self._sampling_net(), frozen=True) as net:
            with seeded_rng(device, seed), float32_default():
                return net(*args, **kwargs).float()
