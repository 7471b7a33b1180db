"""The numeric modality: encoder round trips and the networks' shapes."""

import numpy as np
import pandas as pd
import pytest
import torch

from gansynth.modalities import (
    EncodedSpec,
    MLPDiscriminator,
    MLPGenerator,
    NumericEncoder,
    NumericModality,
)


def test_float_round_trip_is_exact_to_float32():
    X = np.random.default_rng(0).normal(5, 3, (50, 4))
    enc = NumericEncoder().fit(X)
    Z = enc.transform(X)
    assert Z.dtype == np.float32
    np.testing.assert_allclose(Z.mean(0), 0, atol=1e-6)
    np.testing.assert_allclose(Z.std(0), 1, atol=1e-5)
    np.testing.assert_allclose(enc.inverse_transform(Z), X, rtol=1e-5, atol=1e-5)


def test_constant_column_comes_back_constant():
    X = np.column_stack([np.full(10, 7.5), np.arange(10.0)])
    enc = NumericEncoder().fit(X)
    Z = enc.transform(X)
    assert (Z[:, 0] == 0).all()
    back = enc.inverse_transform(np.random.default_rng(0).normal(size=(5, 2)) * 0)
    assert (back[:, 0] == 7.5).all()


def test_frame_state_round_trip():
    df = pd.DataFrame({"a": [1, 2, 3], "b": [0.5, 0.25, 1.0], "c": [True, False, True]})
    enc = NumericEncoder().fit(df)
    arrays, meta = enc.get_state()
    clone = NumericEncoder.from_state(arrays, meta)
    Z = enc.transform(df)
    pd.testing.assert_frame_equal(clone.inverse_transform(Z), df)
    assert clone.spec_ == enc.spec_
    assert EncodedSpec.from_json(meta["spec"]).dim == 3


@pytest.mark.parametrize("n_labels", [0, 3])
def test_network_shapes(n_labels):
    G = MLPGenerator(4, 3, (8, 8), n_labels)
    D = MLPDiscriminator(3, (8,), n_labels)
    labels = torch.tensor([0, 1, 2, 1, 0]) if n_labels else None
    x = G(torch.randn(5, 4), labels)
    assert x.shape == (5, 3)
    assert D(x, labels).shape == (5,)


def test_projection_makes_the_score_depend_on_the_label():
    torch.manual_seed(0)
    D = MLPDiscriminator(2, (8,), n_labels=2)
    x = torch.randn(4, 2)
    assert not torch.allclose(
        D(x, torch.zeros(4, dtype=torch.long)), D(x, torch.ones(4, dtype=torch.long))
    )


def test_modality_builds_from_spec():
    enc = NumericEncoder().fit(np.zeros((3, 5)))
    m = NumericModality((16,), (16, 16))
    assert m.build_generator(7, enc.spec_, 0).out.out_features == 5
    assert m.build_discriminator(enc.spec_, 0).body[0].in_features == 5
