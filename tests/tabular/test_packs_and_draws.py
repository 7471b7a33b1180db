"""pac="auto", the categorical draw at sampling time, and the conditioning
options of the tabular critic (label_projection, classifier_weight)."""

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from gansynth import ConditionalGAN, TabularGAN
from gansynth.modalities import Block, EncodedSpec
from gansynth.modalities.tabular import ResidualGenerator, TabularModality
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
    return ResidualGenerator(4, spec, hidden=(16,)).eval()


def test_sampling_draws_the_categories_the_gumbel_softmax_would_pick():
    G = _generator()
    z = torch.randn(2000, 4)
    with torch.no_grad(), torch.random.fork_rng():
        torch.manual_seed(1)
        drawn = G(z)
    # The same noise through the relaxation (the path that training and
    # differentiable scores take): the same argmax in every block.
    with torch.random.fork_rng():
        torch.manual_seed(1)
        soft = G(z)
    assert soft.requires_grad and not drawn.requires_grad
    for block in (slice(1, 6), slice(6, 9)):
        assert set(drawn[:, block].unique().tolist()) == {0.0, 1.0}
        assert drawn[:, block].sum(dim=1).eq(1).all()
        assert torch.equal(drawn[:, block].argmax(1), soft[:, block].argmax(1))
    assert torch.equal(drawn[:, 0], soft[:, 0].detach())
    # The draw follows softmax(logits): shares within 3 points of them.
    logits = G.out(G.body(z))[:, 1:6]
    expected = F.softmax(logits, dim=1).mean(0)
    assert (drawn[:, 1:6].mean(0) - expected.detach()).abs().max() < 0.03


@pytest.mark.parametrize(
    ("params", "columns"),
    [({"label_projection": "row"}, set()),
     ({"classifier_weight": 0.5}, {"classifier_loss", "classifier_generator_loss"})],
)  # fmt: skip
def test_conditioning_options_train_save_and_load(tmp_path, blobs, params, columns):
    X, y = blobs
    networks = ("generator_dims", "discriminator_dims", "pac")
    modality_params = {**{k: FAST[k] for k in networks}, **params}
    rest = {k: v for k, v in FAST.items() if k not in networks}
    gan = ConditionalGAN(**rest, modality_params=modality_params).fit(X, y)
    assert columns <= set(gan.history_.columns)
    if columns:
        assert np.isfinite(gan.history_["classifier_generator_loss"]).all()
        assert "classifier" in gan.auxiliary_
    gan.save(tmp_path / "m.safetensors")
    loaded = load_model(tmp_path / "m.safetensors")
    np.testing.assert_array_equal(
        loaded.sample(30, y=1, random_state=0), gan.sample(30, y=1, random_state=0)
    )
    # Without labels there is nothing to classify or project.
    plain = TabularGAN(**FAST, **params).fit(X)
    assert not len(plain.auxiliary_) and plain.discriminator_.row_features is None


def test_conditioning_options_are_checked(blobs):
    X, y = blobs
    with pytest.raises(ValueError, match="label_projection"):
        TabularGAN(**FAST, label_projection="rows").fit(X, y)
    with pytest.raises(ValueError, match="classifier_weight"):
        TabularGAN(**FAST, classifier_weight=-1.0).fit(X, y)
