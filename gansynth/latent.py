"""Controllable generation: walks and directions in a fitted generator's latent space.

These helpers serve :meth:`BaseGAN.interpolate` and
:meth:`BaseGAN.latent_direction`; they work on any modality because they only
move the generator's inputs (the noise ``z`` and the label weights).
"""

from __future__ import annotations

import numbers

import numpy as np
import torch

__all__ = ["find_latent_direction", "interpolation_path", "slerp"]


def slerp(a: np.ndarray, b: np.ndarray, t: np.ndarray) -> np.ndarray:
    """Spherical interpolation from ``a`` to ``b`` at the fractions ``t``.

    A straight line between two Gaussian latent vectors passes through
    vectors of unusually small norm, which the generator rarely saw in
    training (White 2016, "Sampling generative networks"); the great circle
    keeps the norm typical.

    Parameters
    ----------
    a, b : ndarray of shape (latent_dim,)
        End points.
    t : ndarray of shape (n_steps,)
        Fractions in [0, 1].

    Returns
    -------
    path : ndarray of shape (n_steps, latent_dim)

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.latent import slerp
    >>> slerp(np.array([1.0, 0.0]), np.array([0.0, 1.0]), np.array([0.0, 0.5, 1.0]))
    array([[1.        , 0.        ],
           [0.70710678, 0.70710678],
           [0.        , 1.        ]])
    """
    t = np.asarray(t, dtype=np.float64)[:, None]
    cos = np.dot(a, b) / max(np.linalg.norm(a) * np.linalg.norm(b), 1e-12)
    omega = np.arccos(np.clip(cos, -1.0, 1.0))
    if omega < 1e-6:  # (anti)parallel enough: the straight line is the arc
        return (1 - t) * a + t * b
    return (np.sin((1 - t) * omega) * a + np.sin(t * omega) * b) / np.sin(omega)


def interpolation_path(z, n_steps, latent_dim, rng):
    """The latent vectors of a walk: one point held, or two end points.

    ``z`` is ``None`` (one random point for every step), one vector (held)
    or two vectors (the walk goes from the first to the second).
    """
    if (
        isinstance(n_steps, bool)
        or not isinstance(n_steps, numbers.Integral)
        or n_steps < 2
    ):
        raise ValueError(f"n_steps must be an int >= 2; got {n_steps!r}.")
    if z is None:
        z = rng.standard_normal(latent_dim)
    z = np.asarray(z, dtype=np.float64)
    if z.ndim == 1:
        z = z[None, :]
    if z.ndim != 2 or z.shape[0] not in (1, 2) or z.shape[1] != latent_dim:
        raise ValueError(
            f"z must have shape ({latent_dim},), (1, {latent_dim}) or "
            f"(2, {latent_dim}) (the two end points); got {z.shape}."
        )
    t = np.linspace(0.0, 1.0, n_steps)
    if z.shape[0] == 1:
        return np.repeat(z, n_steps, axis=0).astype(np.float32), t
    return slerp(z[0], z[1], t).astype(np.float32), t


def find_latent_direction(
    evaluate, latent_dim, *, n_samples, n_steps, step_size, max_norm, sigma,
    n_pairs, differentiable, rng,
):  # fmt: skip
    """Gradient ascent on one shift ``d`` of the latent vectors.

    ``evaluate(z, grad)`` returns the scores of the rows generated from ``z``
    (a tensor with gradient when ``differentiable``, else an array). The mean
    score of ``G(z + d)`` over a fixed batch of ``z`` is raised by Adam steps
    on ``d`` only (the generator is frozen); without gradients the step uses
    the antithetic Gaussian-smoothing estimate
    ``sum_k (s(d + sigma e_k) - s(d - sigma e_k)) e_k / (2 sigma K)``, with the
    same generator noise for every evaluation so that differences come from
    the shift alone. ``d`` stays within a ball of radius ``max_norm``.

    Returns the unit direction and the mean score before and after the shift.
    """
    z0 = torch.from_numpy(rng.standard_normal((n_samples, latent_dim))).float()
    shift = torch.zeros(latent_dim, requires_grad=True)
    optimizer = torch.optim.Adam([shift], lr=step_size)
    with torch.no_grad():
        start = float(np.mean(_as_numpy(evaluate(z0, differentiable))))
    for _ in range(n_steps):
        optimizer.zero_grad()
        if differentiable:
            (-evaluate(z0 + shift, True).mean()).backward()
        else:
            eps = torch.from_numpy(rng.standard_normal((n_pairs, latent_dim))).float()
            estimate = torch.zeros(latent_dim)
            with torch.no_grad():
                for e in eps:
                    up = np.mean(_as_numpy(evaluate(z0 + shift + sigma * e, False)))
                    down = np.mean(_as_numpy(evaluate(z0 + shift - sigma * e, False)))
                    estimate += float(up - down) * e
            shift.grad = -estimate / (2 * sigma * n_pairs)
        optimizer.step()
        with torch.no_grad():
            norm = shift.norm()
            if norm > max_norm:
                shift.mul_(max_norm / norm)
    shift = shift.detach()
    with torch.no_grad():
        end = float(np.mean(_as_numpy(evaluate(z0 + shift, differentiable))))
    norm = float(shift.norm())
    if norm == 0.0:
        raise RuntimeError(
            "The score did not change along any latent direction tried (its "
            "gradient was zero): is it constant on the generated rows?"
        )
    return (shift / norm).numpy(), start, end


def _as_numpy(scores):
    if isinstance(scores, torch.Tensor):
        return scores.detach().cpu().numpy()
    return np.asarray(scores, dtype=np.float64)
