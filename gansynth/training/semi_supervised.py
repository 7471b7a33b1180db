"""The semi-supervised K+1 loss of Salimans et al. (2016), as a loss object.

The discriminator is a K-class classifier whose "fake" class has an implicit
logit fixed at 0: with ``Z(x) = sum_k exp(l_k(x))``, the probability that ``x``
is real is ``D(x) = Z / (Z + 1) = sigmoid(logsumexp(l))``. Its output is one
tensor, the K logits followed by the features that feature matching compares
(``n_classes`` tells where the logits end).
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F

from .losses import Loss

__all__ = ["SemiSupervisedLoss"]


@dataclass(frozen=True)
class SemiSupervisedLoss(Loss):
    """The K+1 loss: cross-entropy, real/fake terms, and feature matching.

    Discriminator: ``CE(l(x_l), y_l) + w [softplus(lse(x)) - lse(x)]_real +
    w [softplus(lse(G(z)))]_fake``, with ``lse = logsumexp`` of the K logits:
    the first unsupervised term is ``-log D(x)`` on real rows (labelled or
    not), the second ``-log(1 - D(G(z)))``. Rows whose label code is
    ``n_classes`` (the unlabelled slot) get no supervised term. Generator:
    ``|| mean f(x) - mean f(G(z)) ||^2`` over a real and a fake batch.

    Parameters
    ----------
    n_classes : int
        Number of classes K: the first K columns of the discriminator's output
        are logits, the rest features.
    unsupervised_weight : float, default=1.0
        Weight ``w`` of the unsupervised terms; 0 trains a plain classifier on
        the labelled rows (the generator then learns nothing useful).

    Examples
    --------
    >>> import torch
    >>> from gansynth.training import SemiSupervisedLoss
    >>> loss = SemiSupervisedLoss(n_classes=2)
    >>> real = torch.tensor([[4.0, -4.0, 0.5], [0.0, 0.0, 0.1]])
    >>> fake = torch.tensor([[-6.0, -6.0, 0.2], [-5.0, -7.0, 0.3]])
    >>> labels = torch.tensor([0, 2])  # the second row is unlabelled
    >>> round(float(loss.discriminator_loss(real, fake, labels=labels)), 3)
    0.218
    >>> round(float(loss.generator_loss(fake, real_out=real)), 4)
    0.0025
    """

    n_classes: int
    unsupervised_weight: float = 1.0
    name = "semi-supervised"
    uses_labels = True
    matches_features = True

    def _split(self, out):
        return out[:, : self.n_classes], out[:, self.n_classes :]

    def discriminator_loss(self, real_out, fake_out, labels=None):
        real_logits, _ = self._split(real_out)
        fake_logits, _ = self._split(fake_out)
        lse_real = torch.logsumexp(real_logits, dim=1)
        lse_fake = torch.logsumexp(fake_logits, dim=1)
        unsupervised = (F.softplus(lse_real) - lse_real).mean() + F.softplus(
            lse_fake
        ).mean()
        supervised = real_logits.new_zeros(())
        if labels is not None:
            # A mean over the labelled rows by weights, not by selecting them:
            # selection sizes a tensor by the data, a host sync on CUDA.
            weights = self._labelled(labels)
            ce = F.cross_entropy(
                real_logits, labels.clamp_max(self.n_classes - 1), reduction="none"
            )
            supervised = (ce * weights).sum() / weights.sum().clamp_min(1.0)
        return supervised + self.unsupervised_weight * unsupervised

    def _labelled(self, labels):
        return (labels < self.n_classes).float()

    def diagnostics(self, real_out, fake_out, labels=None):
        """``d_accuracy``: the classifier's accuracy on the batch's labelled
        rows (0 when it has none)."""
        if labels is None:
            return {}
        weights = self._labelled(labels)
        logits, _ = self._split(real_out)
        hits = (logits.argmax(dim=1) == labels).float() * weights
        return {"d_accuracy": hits.sum() / weights.sum().clamp_min(1.0)}

    def generator_loss(self, fake_out, real_out=None):
        if real_out is None:
            raise ValueError(
                "SemiSupervisedLoss trains the generator by feature matching and "
                "needs real_out, the discriminator's output on a real batch."
            )
        _, fake_features = self._split(fake_out)
        _, real_features = self._split(real_out)
        gap = real_features.mean(dim=0) - fake_features.mean(dim=0)
        return (gap**2).mean()

    def score(self, out):
        logits, _ = self._split(out)
        return torch.sigmoid(torch.logsumexp(logits, dim=1))
