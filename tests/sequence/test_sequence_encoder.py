"""SequenceEncoder and the sequence modality: every input form comes back as
it went in, and bad input is refused by name."""

import re

import numpy as np
import pytest
import torch

from gansynth.modalities import detect_modality, get_modality
from gansynth.modalities.sequence import SequenceEncoder

RNG = np.random.default_rng(0)


def _ragged(n=6, features=2, low=3, high=9):
    return [RNG.normal(size=(int(t), features)) for t in RNG.integers(low, high, n)]


def _round_trip(X, layout="auto"):
    enc = SequenceEncoder(layout).fit(X)
    encoded = enc.transform(X)
    assert encoded.shape == (len(X), *enc.spec_.sample_shape)
    assert encoded.dtype == np.float32 and np.abs(encoded).max() <= 1
    return enc, enc.inverse_transform(encoded)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_arrays_come_back_in_their_layout_and_dtype(dtype):
    X = RNG.normal(size=(5, 7, 3)).astype(dtype)
    for layout, given in (("NTF", X), ("NFT", X.transpose(0, 2, 1))):
        enc, back = _round_trip(given, layout)
        assert enc.spec_.sample_shape == (3, 7)  # channels first, time last
        assert back.shape == given.shape and back.dtype == given.dtype
        np.testing.assert_allclose(back, given, rtol=1e-5, atol=1e-6)


def test_integer_and_tensor_sequences_round_trip_exactly():
    counts = RNG.integers(0, 50, (4, 6, 2))
    assert np.array_equal(_round_trip(counts)[1], counts)
    tensor = torch.randn(4, 6, 2)
    back = _round_trip(tensor)[1]
    assert isinstance(back, torch.Tensor) and back.dtype == torch.float32
    torch.testing.assert_close(back, tensor, rtol=1e-5, atol=1e-6)


def test_unequal_lengths_and_missing_values_survive():
    X = _ragged()
    X[1][0, 1] = X[4][2, 0] = np.nan
    enc, back = _round_trip(X)
    roles = [b.role for b in enc.spec_.blocks]
    assert roles == ["value", "value", "missing", "missing", "presence"]
    assert [len(s) for s in back] == [len(s) for s in X]
    for given, got in zip(X, back, strict=True):
        np.testing.assert_allclose(got, given, rtol=1e-5, atol=1e-6)  # NaN == NaN
    # Padding: zeros after the end, presence -1 there and +1 before.
    encoded = enc.transform(X)
    short = int(np.argmin([len(s) for s in X]))
    t = len(X[short])
    assert (encoded[short, -1, :t] == 1).all() and (encoded[short, -1, t:] == -1).all()
    assert (encoded[short, :-1, t:] == 0).all()


def test_generated_presence_decides_the_length():
    enc = SequenceEncoder().fit(_ragged(high=12))
    Z = np.zeros((3, *enc.spec_.sample_shape), np.float32)
    Z[:, -1] = -1
    Z[0, -1, :4] = 1  # present for 4 steps
    Z[1, -1, :] = 1  # never ends: the longest length
    # Z[2]: absent from the start: one step, a sequence is never empty
    assert [len(s) for s in enc.inverse_transform(Z)] == [4, enc.length_, 1]


def _object_array_of_sequences():
    """Two sequences of unequal lengths in one object array."""
    X = np.empty(2, dtype=object)
    X[0], X[1] = np.zeros((3, 2)), np.zeros((4, 2))
    return X


@pytest.mark.parametrize(
    "X, match",
    [
        (np.zeros((4, 5)), "shape (n, T, F)"),
        (np.zeros((0, 5, 2)), "at least one sequence"),
        ([np.zeros(5)], "X[0] must be a (T, F) array"),
        ([np.zeros((3, 2)), np.zeros((0, 2))], "X[1] is a sequence of length 0"),
        ([np.zeros((3, 2)), np.zeros((4, 3))], "different numbers of features"),
        ([], "empty list"),
        (np.full((2, 3, 1), np.inf), "infinite"),
        (np.array([[["a"]]]), "must hold numbers"),
        (_object_array_of_sequences(), "as a list of (T_i, F) arrays: list(X)"),
        (np.full((2, 3, 1), np.nan), "missing (NaN) everywhere"),
        ("abc", "got str"),
    ],
)
def test_bad_input_is_refused_by_name(X, match):
    with pytest.raises(ValueError, match=re.escape(match)):
        SequenceEncoder().fit(X)


def test_transform_refuses_what_fit_did_not_see():
    enc = SequenceEncoder().fit([np.zeros((4, 2)), np.ones((6, 2))])
    with pytest.raises(ValueError, match="fitted on at most 6"):
        enc.transform([np.zeros((7, 2))])
    with pytest.raises(ValueError, match="fitted on 2"):
        enc.transform([np.zeros((4, 3))])


def test_state_round_trip():
    X = _ragged()
    X[0][1, 0] = np.nan
    enc = SequenceEncoder().fit(X)
    arrays, meta = enc.get_state()
    twin = get_modality("sequence")().encoder_from_state(arrays, meta)
    Z = enc.transform(X)
    assert np.array_equal(twin.transform(X), Z)
    for a, b in zip(twin.inverse_transform(Z), enc.inverse_transform(Z), strict=True):
        np.testing.assert_array_equal(a, b)


def test_auto_picks_sequences_for_3d_arrays_and_lists_of_2d_arrays():
    assert detect_modality(np.zeros((4, 5, 2))) == "sequence"
    assert detect_modality(torch.zeros(4, 5, 2)) == "sequence"
    assert detect_modality(_ragged()) == "sequence"
    assert detect_modality(np.zeros((4, 5))) == "tabular"
    assert detect_modality(np.zeros((4, 1, 8, 8))) == "image"
