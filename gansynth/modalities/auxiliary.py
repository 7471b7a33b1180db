"""What a modality may add to the two players: networks trained beside the
generator and the critic (:class:`AuxiliaryNetwork`) and the options of a
semi-supervised classifier built from its critic (:class:`ClassifierOptions`).

Both are part of the modality protocol (:mod:`gansynth.modalities.protocol`
imports them from here), in a module of their own to keep that one short.
"""

from __future__ import annotations

from dataclasses import dataclass

from torch import nn

__all__ = ["AuxiliaryNetwork", "ClassifierOptions"]


@dataclass(frozen=True)
class ClassifierOptions:
    """Tricks of a semi-supervised classifier that its builder honours.

    Salimans et al. (2016) found that noise and weight normalisation make a
    GAN's discriminator a good classifier from few labels.

    Parameters
    ----------
    input_noise, hidden_noise : float
        Standard deviation of the Gaussian noise on the input and on every
        hidden layer while training.
    weight_norm : bool
        Weight-normalise the layers.
    """

    input_noise: float = 0.0
    hidden_noise: float = 0.0
    weight_norm: bool = False


class AuxiliaryNetwork:
    """A network trained by the trainer beside the generator and the critic.

    Some models need more than two players: TimeGAN's embedder, recovery and
    supervisor, an encoder of a BiGAN, a classifier that the generator must
    convince. Each auxiliary network has its own optimiser and its own loss,
    may run a pre-training phase before the adversarial game, and may add a
    term to the generator's objective. The trainer passes a batch object with
    the fields ``real``, ``labels``, ``noise``, ``context`` and ``mask``.

    Parameters
    ----------
    name : str
        Its name: history columns ``{name}_loss`` (its own loss, once per
        generator step) and ``{name}_generator_loss`` (its term in the
        generator's objective), and its key in the estimator's
        ``auxiliary_`` module dict.
    module : torch.nn.Module
        The network. A module without parameters makes a fixed term of the
        generator's objective: nothing is optimised and :meth:`loss` is never
        called.
    lr : float, default=1e-3
        Adam's learning rate for it.
    pretrain_epochs : int, default=0
        Epochs of :meth:`loss` alone before the adversarial game.

    Attributes
    ----------
    part_of_generator : bool
        A class attribute, False here: True for a network that fits a part
        of the generator by a loss of its own (see :meth:`bind`), which every
        estimator that trains the modality's generator trains too (the
        semi-supervised classifier, which leaves the other auxiliary
        networks out).
    """

    part_of_generator = False

    def __init__(self, name: str, module: nn.Module, *, lr: float = 1e-3,
                 pretrain_epochs: int = 0):  # fmt: skip
        self.name = name
        self.module = module
        self.lr = lr
        self.pretrain_epochs = pretrain_epochs

    def loss(self, batch, generator):  # pragma: no cover - abstract
        """The scalar this network's optimiser minimises."""
        raise NotImplementedError

    def generator_loss(self, batch, fake):
        """A term added to the generator's loss, or ``None`` (the default)."""
        return None

    def bind(self, generator):
        """Called once before training with the generator (the module, not a
        wrapper); a term that needs more of the generator than its samples
        keeps it here. The default does nothing."""
