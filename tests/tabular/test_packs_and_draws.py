"""pac="auto", the categorical draw at sampling time, and the classifier of
conditional tables (classifier_weight)."""

from types import SimpleNamespace

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gansynth import ConditionalGAN, TabularGAN
from gansynth.modalities import Block, EncodedSpec
from gansynth.modalities.tabular import (
    ClassifierLoss,
    ResidualGenerator,
    TabularModality,
)
from gansynth.persistence import load_model

from ..conftest import FAST


@pytest.mark.parametrize(
    ("batch_size", "processes", "pac"),
    [("auto", 1, 10), (64, 1, 8), (100, 1, 10), (30, 1, 10), (13, 1, 1),
     (64, 2, 8), (36, 4, 9), (20, 2, 10)],
)  # fmt: skip
def test_auto_pac_divides_each_process_batch(batch_size, processes, pac):
    resolved = TabularModality().for_batch_size(batch_size, processes)
    assert resolved.pac == pac
    assert resolved.for_batch_size(resolved.batch_multiple).pac == pac  # on load
    assert TabularModality(pac=4).for_batch_size(batch_size, processes).pac == 4


def test_an_ordinary_batch_size_trains_and_round_trips(tmp_path, blobs):
    X, y = blobs
    params = {**FAST, "pac": "auto", "batch_size": 64}
    gan = TabularGAN(**params).fit(X, y)
    assert (gan.group_size_, gan.discriminator_.pac, gan.batch_size_) == (8, 8, 64)
    gan.save(tmp_path / "m.safetensors")
    loaded = load_model(tmp_path / "m.safetensors")
    assert loaded.group_size_ == 8 and loaded.discriminator_.pac == 8
    np.testing.assert_array_equal(
        loaded.sample(20, random_state=0), gan.sample(20, random_state=0)
    )
    # A warm start keeps the critic's packs: 40 rows hold five of them.
    gan.set_params(warm_start=True, batch_size=40).fit(X, y)
    assert gan.group_size_ == 8 and gan.n_epochs_ == 2 * FAST["epochs"]
    with pytest.raises(ValueError, match="batch_size=36 must be a multiple of 8"):
        gan.set_params(batch_size=36).fit(X, y)
    # An explicit pac is the user's: it is kept, and the batch must fit it.
    with pytest.raises(ValueError, match="batch_size=64 must be a multiple of 10"):
        TabularGAN(**{**params, "pac": 10}).fit(X)


def _generator():
    spec = EncodedSpec((Block("x", "continuous", 1), Block("c", "categorical", 5),
                        Block("d", "categorical", 3)))  # fmt: skip
    torch.manual_seed(0)
    G = ResidualGenerator(4, spec, hidden=(16,)).eval()
    with torch.no_grad():  # logits that differ from row to row
        G.out.weight.mul_(4.0)
    return G


def test_sampling_draws_categories_from_their_softmax():
    G = _generator()
    z = torch.randn(4000, 4)
    with torch.no_grad():
        drawn = G(z)
        logits = G.out(G.body(z))
    soft = G(z)  # with gradients: the relaxation that training takes
    assert soft.requires_grad and not drawn.requires_grad
    assert not set(soft[:, 1:6].unique().tolist()) <= {0.0, 1.0}
    for block in (slice(1, 6), slice(6, 9)):
        assert set(drawn[:, block].unique().tolist()) == {0.0, 1.0}
        assert drawn[:, block].sum(dim=1).eq(1).all()
        # Each row's category follows its own softmax: in every decile of
        # one category's probability, the share drawn matches the mean
        # probability (a draw of the argmax, or of another row's
        # distribution, does not).
        probability = F.softmax(logits[:, block], dim=1)[:, 0].contiguous()
        bins = torch.quantile(probability, torch.linspace(0, 1, 11))
        which = torch.bucketize(probability, bins[1:-1])
        for b in range(10):
            rows = which == b
            share, mean = drawn[rows, block][:, 0].mean(), probability[rows].mean()
            assert abs(share - mean) < 0.06, (b, float(share), float(mean))
    assert torch.equal(drawn[:, 0], torch.tanh(logits[:, 0]))


def test_the_classifier_trains_saves_and_loads(tmp_path, blobs):
    X, y = blobs
    networks = ("generator_dims", "discriminator_dims", "pac")
    rest = {k: v for k, v in FAST.items() if k not in networks}
    gan = ConditionalGAN(**rest, modality_params={k: FAST[k] for k in networks})
    gan.fit(X, y)
    assert {"classifier_loss", "classifier_generator_loss"} <= set(gan.history_)
    assert np.isfinite(gan.history_["classifier_generator_loss"]).all()
    assert "classifier" in gan.auxiliary_
    gan.save(tmp_path / "m.safetensors")
    loaded = load_model(tmp_path / "m.safetensors")
    np.testing.assert_array_equal(
        loaded.sample(30, y=1, random_state=0), gan.sample(30, y=1, random_state=0)
    )
    # Without labels there is nothing to classify; weight 0 switches it off.
    assert "classifier" not in TabularGAN(**FAST).fit(X).auxiliary_
    off = TabularGAN(**FAST, classifier_weight=0.0).fit(X, y)
    assert "classifier" not in off.auxiliary_ and "classifier_loss" not in off.history_
    with pytest.raises(ValueError, match="classifier_weight"):
        TabularGAN(**FAST, classifier_weight=-1.0).fit(X, y)


def test_the_classifier_term_matches_class_means():
    aux = ClassifierLoss(2, n_labels=2, hidden=(4,), weight=2.0)
    aux.module.eval()  # no noise
    real = torch.tensor([[0.0, 1.0], [1.0, 0.0], [0.5, 0.5], [0.2, 0.1]])
    batch = SimpleNamespace(real=real, labels=torch.tensor([0, 0, 1, 1]))
    assert aux.generator_loss(batch, real).item() == 0.0
    # Rows swapped within a class leave the class means, and the term, alone;
    # rows swapped across classes do not.
    within = aux.generator_loss(batch, real[[1, 0, 3, 2]]).item()
    across = aux.generator_loss(batch, real[[2, 3, 0, 1]]).item()
    assert within == pytest.approx(0.0, abs=1e-6) and across > 0.0
    with torch.no_grad():
        probs = torch.softmax(aux.module.logits(real), 1)
    gap = (probs[:2].mean(0) - probs[2:].mean(0)).abs().sum()
    assert across == pytest.approx(2.0 * float(gap), rel=1e-5)  # both shares 1/2
