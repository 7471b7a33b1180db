"""Controllable generation on a fitted GAN: walks between classes or latent
points, and latent directions along which a user's score rises.

Both only move the generator's inputs (the noise ``z`` and the label weights),
so they work for every modality; noise of any shape is walked flattened.
"""

from __future__ import annotations

import math
import numbers

import numpy as np
import torch
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from .latent import find_latent_direction, interpolation_path
from .utils.devices import float32_default
from .utils.labels import resolve_sample_labels

__all__ = ["ControllableMixin"]


def _check_positive(kind, **values):
    for name, value in values.items():
        if isinstance(value, bool) or not isinstance(value, kind):
            what = "int" if kind is numbers.Integral else "number"
            raise ValueError(f"{name} must be a positive {what}; got {value!r}.")
        if not value > 0:
            what = "int" if kind is numbers.Integral else "number"
            raise ValueError(f"{name} must be a positive {what}; got {value!r}.")


class ControllableMixin:
    """``interpolate`` and ``latent_direction`` for a fitted GAN estimator
    (built on :class:`~gansynth.generation.GenerationMixin`)."""

    def _flat_noise_dim(self) -> int:
        return math.prod(self.noise_shape_)

    def _unflatten(self, z: torch.Tensor) -> torch.Tensor:
        return z.reshape(z.shape[0], *self.noise_shape_)

    @float32_default()  # the networks' dtype, whatever the user's default
    def interpolate(self, y_from=None, y_to=None, n_steps=10, z=None, *,
                    random_state=None):  # fmt: skip
        """Walk between two classes, or between two latent points.

        A class walk blends the label inputs of the generator linearly from
        ``y_from`` to ``y_to`` (its label embeddings, or the one-hots) while
        the latent vector is held; a latent walk follows the great circle
        between two latent vectors (see :func:`gansynth.latent.slerp`). Both
        at once is allowed.

        Parameters
        ----------
        y_from, y_to : class label, optional
            The classes at the two ends (conditional models; required there).
            The same class twice gives a pure latent walk.
        n_steps : int, default=10
            Samples on the path, both ends included.
        z : array-like of shape (latent_dim,) or (2, latent_dim), optional
            One latent vector to hold, or the two end points. ``None`` holds one
            random vector.
        random_state : int, RandomState instance or None, default=None
            Seeds the random latent vector and the generator's own noise;
            ``None`` uses the estimator's ``random_state``.

        Returns
        -------
        X_path : same container as the training data
            ``n_steps`` samples, the first generated at ``y_from`` and the
            first latent point, the last at ``y_to`` and the last latent point.

        Examples
        --------
        >>> import numpy as np
        >>> from gansynth import TabularGAN
        >>> rng = np.random.default_rng(0)
        >>> X = np.concatenate([rng.normal(-2, 0.3, (100, 2)),
        ...                     rng.normal(2, 0.3, (100, 2))])
        >>> y = np.repeat([0, 1], 100)
        >>> gan = TabularGAN(epochs=2, pac=2, random_state=0).fit(X, y)
        >>> gan.interpolate(0, 1, n_steps=5).shape
        (5, 2)
        """
        check_is_fitted(self, "generator_")
        rng = check_random_state(
            self.random_state if random_state is None else random_state
        )
        path, t = interpolation_path(z, n_steps, self._flat_noise_dim(), rng)
        codes = None
        if self.classes_ is None:
            if y_from is not None or y_to is not None:
                raise ValueError(
                    "This model was fitted without y; interpolate between latent "
                    "points (z with two rows) with y_from=y_to=None."
                )
        else:
            if y_from is None or y_to is None:
                raise ValueError(
                    "This model is class-conditional: give both y_from and y_to "
                    f"(classes seen in fit: {self.classes_.tolist()})."
                )
            ends = resolve_sample_labels(
                [y_from, y_to], None, self.classes_, self.class_prior_, rng
            )
            weights = np.zeros((n_steps, self.n_labels_), dtype=np.float32)
            weights[:, ends[0]] += 1.0 - t
            weights[:, ends[1]] += t
            codes = weights
        noise_seed = int(rng.randint(np.iinfo(np.int32).max))
        z_path = self._unflatten(torch.from_numpy(path))
        return self._generate(z_path, codes, noise_seed)

    @float32_default()
    def latent_direction(
        self, attribute_scores, *, y=None, differentiable=False, n_samples=256,
        n_steps=30, step_size=0.2, max_norm=3.0, sigma=0.5, n_pairs=8,
        random_state=None,
    ):  # fmt: skip
        """Find a direction in latent space along which a score rises.

        Gradient steps on one shift ``d`` shared by a batch of latent vectors
        raise the mean score of the generated samples; the generator is frozen
        (only ``z`` moves). The unit direction returned goes to
        ``sample(..., shift=(direction, alpha))``. Directions are entangled:
        moving along one usually changes other attributes too, so measure
        them (see :doc:`/user_guide/imbalanced`).

        Parameters
        ----------
        attribute_scores : callable
            With ``differentiable=False`` (the default): a function of generated
            samples in the container of ``fit`` (a DataFrame or an array)
            returning one score per sample, such as
            ``lambda X: clf.predict_proba(X)[:, 1]`` of a fitted classifier; its
            gradient is estimated by antithetic Gaussian smoothing. With
            ``differentiable=True``: a function of the generator's raw output
            tensor (the encoded samples, see ``encoder_.spec_``) returning a
            tensor of scores; autograd gives the gradient.
        y : class label, optional
            For a conditional model, generate samples of this class while
            searching (default: classes drawn with the training frequencies).
        differentiable : bool, default=False
            See ``attribute_scores``.
        n_samples : int, default=256
            Latent vectors in the batch.
        n_steps : int, default=30
            Adam steps on the shift.
        step_size : float, default=0.2
            Adam's learning rate.
        max_norm : float, default=3.0
            Largest norm of the shift during the search.
        sigma : float, default=0.5
            Smoothing scale of the gradient estimate (``differentiable=False``).
        n_pairs : int, default=8
            Antithetic pairs per gradient estimate (``differentiable=False``).
        random_state : int, RandomState instance or None, default=None
            Seeds the batch and the estimate; ``None`` uses the estimator's.

        Returns
        -------
        direction : ndarray of shape (latent_dim,)
            A unit vector (flattened, for a modality with structured noise).

        Examples
        --------
        >>> import numpy as np
        >>> from gansynth import TabularGAN
        >>> rng = np.random.default_rng(0)
        >>> X = rng.normal(size=(200, 2))
        >>> gan = TabularGAN(epochs=2, pac=2, random_state=0).fit(X)
        >>> direction = gan.latent_direction(lambda rows: rows[:, 0], n_steps=3)
        >>> direction.shape, round(float(np.linalg.norm(direction)), 6)
        ((32,), 1.0)
        """
        check_is_fitted(self, "generator_")
        if not callable(attribute_scores):
            raise ValueError(
                "attribute_scores must be a callable returning one score per "
                f"generated sample; got {type(attribute_scores).__name__}."
            )
        _check_positive(numbers.Integral, n_samples=n_samples, n_steps=n_steps,
                        n_pairs=n_pairs)  # fmt: skip
        _check_positive(numbers.Real, step_size=step_size, max_norm=max_norm,
                        sigma=sigma)  # fmt: skip
        rng = check_random_state(
            self.random_state if random_state is None else random_state
        )
        codes = None
        if self.classes_ is not None:
            codes = resolve_sample_labels(
                y, n_samples, self.classes_, self.class_prior_, rng
            )
        elif y is not None:
            raise ValueError("This model was fitted without y; leave y=None.")
        noise_seed = int(rng.randint(np.iinfo(np.int32).max))
        context, _ = self._sampling_context(
            n_samples, None, np.random.RandomState(noise_seed), codes
        )

        def evaluate(z, grad):
            z = self._unflatten(z)
            if grad:
                return attribute_scores(self._forward(z, codes, noise_seed, context))
            # The same generator noise and conditions for every evaluation.
            X = self._generate(z, codes, noise_seed)
            scores = np.asarray(attribute_scores(X), dtype=np.float64)
            if scores.shape != (z.shape[0],):
                raise ValueError(
                    "attribute_scores must return one score per sample, shape "
                    f"({z.shape[0]},); got shape {scores.shape}."
                )
            return scores

        direction, _, _ = find_latent_direction(
            evaluate, self._flat_noise_dim(), n_samples=n_samples, n_steps=n_steps,
            step_size=step_size, max_norm=max_norm, sigma=sigma, n_pairs=n_pairs,
            differentiable=bool(differentiable), rng=rng,
        )  # fmt: skip
        return direction
