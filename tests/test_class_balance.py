"""Class-balanced batches and the one-hot label option (conditioning options
shared by every modality)."""

import numpy as np
import pandas as pd
import pytest
import torch
from torch import nn

from gansynth import TabularGAN
from gansynth.modalities.tabular import TabularEncoder
from gansynth.modalities.tabular.conditions import DiscreteConditions
from gansynth.training import AdversarialTrainer, TrainerConfig, get_loss

from .conftest import FAST


class LabelRecorder(nn.Module):
    """A critic that counts the labels of the real rows it is shown."""

    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 1)
        self.seen = torch.zeros(2)

    def forward(self, x, labels=None):
        if labels is not None and x.requires_grad is False:
            self.seen += torch.bincount(labels, minlength=2)
        return self.lin(x).squeeze(-1)


class Gen(nn.Module):
    def __init__(self):
        super().__init__()
        self.lin = nn.Linear(2, 2)

    def forward(self, z, labels=None):
        return self.lin(z)


def test_row_weights_balance_the_batches():
    torch.manual_seed(0)
    labels = torch.tensor([0] * 900 + [1] * 100)
    weights = 1.0 / torch.bincount(labels)[labels].float()
    D = LabelRecorder()
    cfg = TrainerConfig(epochs=1, batch_size=100, latent_dim=2, steps_per_epoch=50)
    AdversarialTrainer(Gen(), D, get_loss("bce"), cfg).fit(
        torch.randn(1000, 2), labels, row_weights=weights
    )
    share = (D.seen[1] / D.seen.sum()).item()
    assert 0.45 < share < 0.55  # 10 % without the weights


def test_conditions_sampler_applies_row_weights():
    rng = np.random.default_rng(0)
    n = 3000
    y = np.where(rng.random(n) < 0.1, 1, 0)
    df = pd.DataFrame({"c": rng.choice(["a", "b"], n), "x": rng.normal(size=n)})
    enc = TabularEncoder().fit(df)
    encoded = enc.transform(df)
    conditions = DiscreteConditions.from_data(enc.spec_, encoded)
    weights = torch.as_tensor(1.0 / np.bincount(y)[y], dtype=torch.float32)
    sampler = conditions.training_sampler(torch.as_tensor(encoded), weights)
    torch.manual_seed(0)
    rows, context = sampler.draw(20_000)
    share = y[rows.numpy()].mean()
    assert 0.47 < share < 0.53  # 0.10 without the weights
    # and every row still matches its condition
    real = torch.as_tensor(encoded)[rows][:, sampler.data_index]
    assert bool(((real * context).sum(dim=1) == 1).all())


def test_class_balance_needs_y():
    X = np.random.default_rng(0).normal(size=(60, 2))
    with pytest.raises(
        ValueError, match="class_balance=True balances the classes of y"
    ):
        TabularGAN(class_balance=True, **FAST).fit(X)
    out = TabularGAN(class_balance=True, **FAST).fit(X, np.arange(60) % 2).sample(4)
    assert out.shape == (4, 2)


def test_label_encoding_option():
    X = np.random.default_rng(0).normal(size=(60, 2))
    y = np.arange(60) % 3
    gan = TabularGAN(label_encoding="one-hot", random_state=0, **FAST).fit(X, y)
    assert gan.generator_.condition.embedding is None  # a fixed one-hot
    assert gan.generator_.condition.width == 3
    with pytest.raises(ValueError, match=r"'label_encoding' parameter .* Got 'onehot'"):
        TabularGAN(label_encoding="onehot", **FAST).fit(X, y)
