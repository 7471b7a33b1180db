"""Adversarial losses as small, pure objects.

Every loss maps discriminator outputs (raw scores: logits for the BCE family,
critic values for the Wasserstein family) to a scalar tensor. A loss never calls
``backward`` or steps an optimizer: the trainer owns the schedule.

The interface, which a user's own object may implement too:

``discriminator_loss(real_out, fake_out) -> Tensor``
    The quantity the discriminator (critic) minimises.
``generator_loss(fake_out) -> Tensor``
    The quantity the generator minimises.
``penalty(critic, real, fake) -> Tensor | None``
    An extra term added to the discriminator loss (``None``: none). ``critic`` is
    a callable of a batch of inputs; its ``group_size`` attribute says how many
    samples one score covers (1 unless the critic scores groups, as PacGAN's
    packs).
``after_discriminator_step(discriminator) -> None``
    Runs after each optimizer step of the discriminator (weight clipping).
``check_discriminator(discriminator) -> None``
    Refuses a network the loss cannot train (batch norm under WGAN-GP).
``score(out) -> Tensor``
    What the history reports as ``d_real``/``d_fake``: a probability for the
    BCE family, the raw score otherwise.
``default_n_critic``
    Discriminator steps per generator step when ``n_critic="auto"``.
``default_betas``
    Adam's ``(beta1, beta2)`` for this loss.
``uses_labels``
    When true, ``discriminator_loss`` also gets ``labels=`` (the batch's label
    codes), for losses whose discriminator is a classifier.
``matches_features``
    When true, ``generator_loss`` also gets ``real_out=`` (the discriminator's
    output on a real batch, without gradient), for feature matching.
``diagnostics(real_out, fake_out, labels) -> dict``
    Extra history columns, by name: scalar tensors computed (without
    gradient) at each discriminator step and averaged over the epoch.

A user's object needs only the first two; :func:`get_loss` completes it with
the defaults of the others.
"""

from __future__ import annotations

import numbers
from dataclasses import asdict, dataclass

import torch
import torch.nn.functional as F
from torch import nn

__all__ = [
    "LOSSES",
    "BCELoss",
    "HingeLoss",
    "LSGANLoss",
    "Loss",
    "MinimaxBCELoss",
    "WGANGPLoss",
    "WGANLoss",
    "get_loss",
    "loss_from_config",
    "loss_to_config",
]


class Loss:
    """Base class of the adversarial losses; see the module docstring."""

    name: str = "custom"
    default_n_critic: int = 1
    default_betas: tuple = (0.5, 0.999)
    uses_labels: bool = False
    matches_features: bool = False

    def discriminator_loss(self, real_out, fake_out):  # pragma: no cover - abstract
        raise NotImplementedError

    def generator_loss(self, fake_out):  # pragma: no cover - abstract
        raise NotImplementedError

    def penalty(self, critic, real, fake):
        return None

    def after_discriminator_step(self, discriminator: nn.Module) -> None:
        return None

    def check_discriminator(self, discriminator: nn.Module) -> None:
        return None

    def score(self, out):
        return out

    def diagnostics(self, real_out, fake_out, labels=None) -> dict:
        return {}

    @property
    def has_penalty(self) -> bool:
        """Whether :meth:`penalty` is overridden (``torch.compile`` then leaves
        the critic alone: the penalty's double backward does not compile)."""
        return type(self).penalty is not Loss.penalty


_OPTIONAL = (
    "penalty",
    "after_discriminator_step",
    "check_discriminator",
    "score",
    "diagnostics",
)


class _CompletedLoss(Loss):
    """A user's loss object with the optional hooks it lacks filled in from
    :class:`Loss`, so that the trainer calls declared methods only."""

    def __init__(self, user):
        self.user = user
        self.name = str(getattr(user, "name", type(user).__name__))
        for attr in ("default_n_critic", "default_betas", "uses_labels",
                     "matches_features"):  # fmt: skip
            if hasattr(user, attr):
                setattr(self, attr, getattr(user, attr))
        self.discriminator_loss = user.discriminator_loss
        self.generator_loss = user.generator_loss
        for hook in _OPTIONAL:
            if callable(getattr(user, hook, None)):
                setattr(self, hook, getattr(user, hook))
        self._has_penalty = "penalty" in self.__dict__

    @property
    def has_penalty(self) -> bool:
        return self._has_penalty


@dataclass(frozen=True)
class BCELoss(Loss):
    """Binary cross-entropy with the non-saturating generator loss.

    The discriminator minimises ``-log D(x) - log(1 - D(G(z)))``; the generator
    minimises ``-log D(G(z))`` (Goodfellow et al. 2014, section 3), which keeps a
    strong gradient while the discriminator rejects the generator's samples.
    Outputs are logits; ``softplus`` keeps the logs exact for large logits.

    Examples
    --------
    >>> import torch
    >>> from gansynth.training.losses import BCELoss
    >>> loss = BCELoss()
    >>> round(float(loss.generator_loss(torch.zeros(4))), 4)  # -log(0.5)
    0.6931
    """

    name = "bce"

    def discriminator_loss(self, real_out, fake_out):
        return F.softplus(-real_out).mean() + F.softplus(fake_out).mean()

    def generator_loss(self, fake_out):
        return F.softplus(-fake_out).mean()

    def score(self, out):
        return torch.sigmoid(out)


@dataclass(frozen=True)
class MinimaxBCELoss(BCELoss):
    """Goodfellow et al.'s original minimax generator loss, ``log(1 - D(G(z)))``.

    Kept to show the vanishing gradient: when the discriminator wins,
    ``D(G(z))`` is near 0 and the gradient of this loss with respect to the
    logit, ``-sigmoid(logit)``, vanishes with it.

    Examples
    --------
    >>> import torch
    >>> from gansynth.training.losses import MinimaxBCELoss
    >>> round(float(MinimaxBCELoss().generator_loss(torch.zeros(4))), 4)
    -0.6931
    """

    name = "bce-minimax"

    def generator_loss(self, fake_out):
        # log(1 - sigmoid(f)) = -softplus(f)
        return -F.softplus(fake_out).mean()


@dataclass(frozen=True)
class LSGANLoss(Loss):
    """Least-squares GAN (Mao et al. 2017) with targets a=0 (fake), b=c=1 (real).

    Discriminator: ``0.5 E[(D(x) - 1)^2] + 0.5 E[D(G(z))^2]``;
    generator: ``0.5 E[(D(G(z)) - 1)^2]``.

    Examples
    --------
    >>> import torch
    >>> from gansynth.training.losses import LSGANLoss
    >>> float(LSGANLoss().generator_loss(torch.tensor([3.0])))
    2.0
    """

    name = "lsgan"

    def discriminator_loss(self, real_out, fake_out):
        return 0.5 * ((real_out - 1.0) ** 2).mean() + 0.5 * (fake_out**2).mean()

    def generator_loss(self, fake_out):
        return 0.5 * ((fake_out - 1.0) ** 2).mean()


class _Wasserstein(Loss):
    """The critic's and generator's Wasserstein objectives (no fields)."""

    default_n_critic = 5

    def discriminator_loss(self, real_out, fake_out):
        return fake_out.mean() - real_out.mean()

    def generator_loss(self, fake_out):
        return -fake_out.mean()


@dataclass(frozen=True)
class WGANLoss(_Wasserstein):
    """Wasserstein GAN with weight clipping (Arjovsky et al. 2017).

    The critic minimises ``E[f(G(z))] - E[f(x)]``, the generator ``-E[f(G(z))]``;
    after every critic step each critic weight is clipped to ``[-clip, clip]``
    to keep ``f`` roughly Lipschitz.

    Parameters
    ----------
    clip : float, default=0.01
        The clipping bound ``c``.

    Examples
    --------
    >>> import torch
    >>> from gansynth.training.losses import WGANLoss
    >>> float(WGANLoss().discriminator_loss(torch.tensor([2.0]), torch.tensor([1.0])))
    -1.0
    """

    clip: float = 0.01
    name = "wgan"

    @torch.no_grad()
    def after_discriminator_step(self, discriminator):
        for p in discriminator.parameters():
            p.clamp_(-self.clip, self.clip)


_BATCH_NORMS = (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d, nn.SyncBatchNorm)


@dataclass(frozen=True)
class WGANGPLoss(_Wasserstein):
    """WGAN with a gradient penalty (Gulrajani et al. 2017).

    Adds ``gp_weight * E[(||grad f(x_hat)||_2 - 1)^2]`` at random interpolates
    ``x_hat = e x + (1 - e) G(z)``, ``e ~ U(0, 1)`` per row. The penalty is per
    sample, so batch norm, which couples the rows of a batch, is refused in the
    critic.

    Parameters
    ----------
    gp_weight : float, default=10.0
        The penalty weight (lambda in the paper).
    penalty_fraction : float, default=1.0
        The share of each batch (its first rows, whole packs for a critic
        that scores packs) at whose interpolates the penalty is estimated:
        the same expectation from fewer points, for less work. Batches are
        drawn at random, so the first rows are a random subset.

    Examples
    --------
    >>> import torch
    >>> from gansynth.training.losses import WGANGPLoss
    >>> critic = torch.nn.Linear(2, 1, bias=False)
    >>> _ = torch.nn.init.constant_(critic.weight, 2.0)  # ||w|| = 2 * sqrt(2)
    >>> x = torch.randn(8, 2)
    >>> pen = WGANGPLoss(gp_weight=1.0).penalty(critic, x, x + 1)
    >>> round(float(pen.detach()), 4), round((2 * 2 ** 0.5 - 1) ** 2, 4)
    (3.3431, 3.3431)
    """

    gp_weight: float = 10.0
    penalty_fraction: float = 1.0
    name = "wgan-gp"
    default_betas = (0.5, 0.9)  # Gulrajani et al. used beta1 = 0, beta2 = 0.9

    def __post_init__(self):
        fraction = self.penalty_fraction
        if not isinstance(fraction, numbers.Real) or not 0 < fraction <= 1:
            raise ValueError(
                f"penalty_fraction must be in (0, 1]; got {self.penalty_fraction!r}."
            )

    def penalty(self, critic, real, fake):
        group = getattr(critic, "group_size", 1)
        if self.penalty_fraction < 1:
            packs = max(1, round(real.shape[0] // group * self.penalty_fraction))
            real, fake = real[: packs * group], fake[: packs * group]
        shape = (real.shape[0],) + (1,) * (real.dim() - 1)
        eps = torch.rand(shape, device=real.device, dtype=real.dtype)
        x_hat = (eps * real.detach() + (1 - eps) * fake.detach()).requires_grad_(True)
        out = critic(x_hat)
        (grad,) = torch.autograd.grad(out.sum(), x_hat, create_graph=True)
        # A critic that scores packs of rows (PacGAN) is one function of the
        # whole pack, so the norm is taken over each pack's gradient.
        # A plain callable (a module, as in the example above) scores one
        # sample per output.
        norm = grad.reshape(real.shape[0] // group, -1).norm(2, dim=1)
        return self.gp_weight * ((norm - 1.0) ** 2).mean()

    def check_discriminator(self, discriminator):
        for name, module in discriminator.named_modules():
            if isinstance(module, _BATCH_NORMS):
                raise ValueError(
                    f"loss='wgan-gp' penalises the critic's gradient per sample, which "
                    f"batch norm breaks by coupling the rows of a batch; the critic "
                    f"has {type(module).__name__} at {name!r}. Use layer norm or no "
                    f"normalisation in the critic."
                )


@dataclass(frozen=True)
class HingeLoss(Loss):
    """Hinge loss (Lim & Ye 2017; Miyato et al. 2018).

    Discriminator: ``E[relu(1 - D(x))] + E[relu(1 + D(G(z)))]``;
    generator: ``-E[D(G(z))]``.

    Examples
    --------
    >>> import torch
    >>> from gansynth.training.losses import HingeLoss
    >>> float(HingeLoss().discriminator_loss(torch.tensor([0.5]), torch.tensor([0.0])))
    1.5
    """

    name = "hinge"

    def discriminator_loss(self, real_out, fake_out):
        return F.relu(1.0 - real_out).mean() + F.relu(1.0 + fake_out).mean()

    def generator_loss(self, fake_out):
        return -fake_out.mean()


LOSSES: dict[str, type[Loss]] = {
    cls.name: cls
    for cls in (BCELoss, MinimaxBCELoss, LSGANLoss, WGANLoss, WGANGPLoss, HingeLoss)
}

_REQUIRED = ("discriminator_loss", "generator_loss")


def get_loss(
    loss, *, gp_weight: float | None = None, penalty_fraction: float = 1.0
) -> Loss:
    """Resolve a loss name or a user's loss object.

    Parameters
    ----------
    loss : str or object
        A registered name (see ``LOSSES``) or an object with
        ``discriminator_loss`` and ``generator_loss`` methods.
    gp_weight : float, optional
        Overrides the penalty weight of ``"wgan-gp"``.
    penalty_fraction : float, default=1.0
        The share of each batch on which ``"wgan-gp"`` estimates its penalty
        (:class:`WGANGPLoss`). Like ``gp_weight``, it applies to the name
        only: a loss object is returned as it is.

    Examples
    --------
    >>> from gansynth.training.losses import get_loss
    >>> get_loss("hinge")
    HingeLoss()
    >>> get_loss("wgan-gp", gp_weight=0.1)
    WGANGPLoss(gp_weight=0.1, penalty_fraction=1.0)
    """
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise ValueError(
                f"The 'loss' parameter must be one of {sorted(LOSSES)} or a loss "
                f"object. Got {loss!r} instead."
            )
        cls = LOSSES[loss]
        if cls is WGANGPLoss:
            weight = cls.gp_weight if gp_weight is None else gp_weight
            return cls(gp_weight=weight, penalty_fraction=penalty_fraction)
        return cls()
    if isinstance(loss, Loss):
        return loss
    missing = [m for m in _REQUIRED if not callable(getattr(loss, m, None))]
    if missing:
        raise ValueError(
            f"The 'loss' parameter must be one of {sorted(LOSSES)} or an object with "
            f"methods {list(_REQUIRED)}; {type(loss).__name__} lacks {missing}."
        )
    return _CompletedLoss(loss)


def loss_to_config(loss) -> dict | str:
    """JSON form of a loss parameter (a name, or a registered loss's fields)."""
    if isinstance(loss, str):
        return loss
    if type(loss) in LOSSES.values():
        return {"name": loss.name, "params": asdict(loss)}
    raise ValueError(
        f"A model whose loss is a custom {type(loss).__name__} object cannot be "
        "saved as tensors + JSON, because rebuilding the object would run code; "
        "use pickle, or a registered loss name."
    )


def loss_from_config(config) -> Loss | str:
    """Inverse of :func:`loss_to_config`."""
    if isinstance(config, str):
        return config
    return LOSSES[config["name"]](**config["params"])
