"""BaseGAN's contract, exercised through TabularGAN."""

import pickle

import numpy as np
import pandas as pd
import pytest
import torch
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

from gansynth import TabularGAN


def test_clone_and_params_round_trip(fast_params):
    gan = TabularGAN(loss="hinge", **fast_params)
    params = gan.get_params()
    twin = clone(gan)
    assert twin.get_params() == params
    twin.set_params(epochs=7, loss="lsgan")
    assert twin.epochs == 7 and twin.loss == "lsgan" and gan.epochs == 2


def test_same_seed_same_samples(blobs, fast_params):
    X, y = blobs
    a = TabularGAN(random_state=3, **fast_params).fit(X, y).sample(50, random_state=1)
    b = TabularGAN(random_state=3, **fast_params).fit(X, y).sample(50, random_state=1)
    c = TabularGAN(random_state=4, **fast_params).fit(X, y).sample(50, random_state=1)
    np.testing.assert_array_equal(a, b)
    assert not np.allclose(a, c)


def test_sample_random_state_defaults_to_estimator_seed(blobs, fast_params):
    X, _ = blobs
    gan = TabularGAN(random_state=0, **fast_params).fit(X)
    np.testing.assert_array_equal(gan.sample(5), gan.sample(5))
    assert not np.allclose(gan.sample(5, random_state=1), gan.sample(5, random_state=2))


@pytest.mark.parametrize("conditional", [False, True])
def test_pickle_and_save_load_give_identical_samples(
    tmp_path, blobs, fast_params, conditional
):
    X, y = blobs
    gan = TabularGAN(random_state=0, **fast_params).fit(X, y if conditional else None)
    kwargs = {"y": 1} if conditional else {}
    expected = gan.sample(40, random_state=5, **kwargs)

    restored = pickle.loads(pickle.dumps(gan))
    np.testing.assert_array_equal(
        restored.sample(40, random_state=5, **kwargs), expected
    )

    path = tmp_path / "model.safetensors"
    gan.save(path)
    loaded = TabularGAN.load(path)
    np.testing.assert_array_equal(loaded.sample(40, random_state=5, **kwargs), expected)
    assert loaded.get_params() == gan.get_params()
    pd.testing.assert_frame_equal(loaded.history_, gan.history_)
    assert loaded.n_epochs_ == gan.n_epochs_
    if conditional:
        np.testing.assert_array_equal(loaded.classes_, gan.classes_)


def test_a_file_saved_after_set_params_rebuilds_the_fitted_networks(
    tmp_path, blobs, fast_params
):
    # Widths set after fit shape no network until the next fit: the file
    # keeps those the weights were trained with, so it loads.
    X, y = blobs
    gan = TabularGAN(random_state=0, **fast_params).fit(X, y)
    fitted_dims = gan.generator_dims
    expected = gan.sample(20, random_state=5, y=1)
    gan.set_params(generator_dims=(8,), epochs=3)
    gan.save(tmp_path / "model.safetensors")
    loaded = TabularGAN.load(tmp_path / "model.safetensors")
    np.testing.assert_array_equal(loaded.sample(20, random_state=5, y=1), expected)
    assert loaded.generator_dims == fitted_dims and loaded.epochs == 3


def test_save_file_runs_no_code(tmp_path, blobs, fast_params):
    X, _ = blobs
    path = tmp_path / "m.safetensors"
    TabularGAN(**fast_params).fit(X).save(path)
    head = path.read_bytes()[:4096]
    assert b"__reduce__" not in head and b"pickle" not in head.lower()
    bad = tmp_path / "other.safetensors"
    from safetensors.torch import save_file

    save_file({"w": torch.zeros(1)}, str(bad))
    with pytest.raises(ValueError, match="not a gansynth model file"):
        TabularGAN.load(bad)


@pytest.mark.parametrize("content", [b"hello", b"\x93NUMPY" + bytes(200)])
def test_a_file_that_is_not_safetensors_is_named(tmp_path, content):
    path = tmp_path / "notes.safetensors"
    path.write_bytes(content)
    with pytest.raises(ValueError, match=r"notes\.safetensors is not a safetensors"):
        TabularGAN.load(path)


class Mine:
    def discriminator_loss(self, r, f):
        return f.mean() - r.mean()

    def generator_loss(self, f):
        return -f.mean()


def test_save_refuses_custom_loss_object(tmp_path, blobs, fast_params):
    X, _ = blobs
    gan = TabularGAN(loss=Mine(), **fast_params).fit(X)
    with pytest.raises(ValueError, match="custom Mine object cannot be saved"):
        gan.save(tmp_path / "m.safetensors")
    assert pickle.loads(pickle.dumps(gan)).sample(3).shape == (3, 3)


def test_unfitted_sample_raises_not_fitted():
    with pytest.raises(NotFittedError):
        TabularGAN().sample(5)
    with pytest.raises(NotFittedError):
        TabularGAN().save("never-written.safetensors")


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (
            {"loss": "gan"},
            r"'loss' parameter of TabularGAN must be one of \{'auto', 'bce'",
        ),
        (
            {"epochs": 0},
            r"'epochs' parameter of TabularGAN must be an int in the range "
            r"\[1, inf\) or one of \{'auto'\}\. Got 0 instead",
        ),
        ({"batch_size": -8}, r"'batch_size' parameter .* Got -8 instead"),
        ({"generator_lr": 0.0}, r"'generator_lr' parameter .* Got 0.0 instead"),
        ({"n_critic": "many"}, r"'n_critic' parameter .* Got 'many' instead"),
        ({"ema": 1.0}, r"'ema' parameter .* Got 1.0 instead"),
        ({"generator_dims": ()}, r"'generator_dims' parameter .* Got \(\) instead"),
        ({"device": 3}, r"'device' parameter .* Got 3 instead"),
    ],
)
def test_bad_parameters_are_named(params, message, blobs, fast_params):
    X, _ = blobs
    with pytest.raises(ValueError, match=message):
        TabularGAN(**{**fast_params, **params}).fit(X)


def test_unavailable_device_is_an_error(blobs, fast_params):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    X, _ = blobs
    with pytest.raises(ValueError, match="CUDA is not available"):
        TabularGAN(**{**fast_params, "device": "cuda"}).fit(X)


def test_device_auto_falls_back_to_cpu(blobs, fast_params):
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    X, _ = blobs
    gan = TabularGAN(**{**fast_params, "device": "auto"}).fit(X)
    assert gan.device_ == "cpu" and gan.device == "auto"


def test_cuda_only_options_warn_on_cpu(blobs, fast_params):
    X, _ = blobs
    with pytest.warns(UserWarning, match="amp=True applies on CUDA only"):
        TabularGAN(amp=True, **fast_params).fit(X)


def test_bad_input_data(blobs, fast_params):
    X, _ = blobs
    bad = X.copy()
    bad[3, 1] = np.inf
    with pytest.raises(ValueError, match="Input X contains infinity"):
        TabularGAN(**fast_params).fit(bad)
    frame = pd.DataFrame({"a": [1.0, 2.0, 3.0, 4.0], "b": np.array([1j, 2j, 1j, 1j])})
    with pytest.raises(ValueError, match="Column 'b' holds complex numbers"):
        TabularGAN(**fast_params).fit(frame)
    with pytest.raises(
        ValueError, match=r"scores 2 samples together .* got n_samples=1"
    ):
        TabularGAN(**fast_params).fit(X[:1])
    with pytest.raises(
        ValueError, match="batch_size=33 must be a multiple of 2, the number of samples"
    ):
        TabularGAN(**{**fast_params, "batch_size": 33}).fit(X)


@pytest.mark.heavy
def test_missing_values_are_learned_at_their_rate():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(-2, 0.5, (600, 3)), rng.normal(2, 0.5, (600, 3))])
    X[::4, 1] = np.nan  # a quarter missing
    gan = TabularGAN(epochs=150, device="cpu", random_state=0).fit(X)
    out = gan.sample(2000, random_state=0)
    # Measured (2026-12-07, the tables' default loss): 0.265 after 150 epochs;
    # after 10 epochs 0.522, 50 0.338, 75 0.294, 100 0.274 (before: 150
    # epochs 0.240, 10 0.509, 50 0.317).
    assert abs(np.isnan(out[:, 1]).mean() - 0.25) < 0.05
    assert not np.isnan(out[:, [0, 2]]).any()


@pytest.mark.parametrize("n", [0, -1, 2.5, True])
def test_bad_n_samples(n, blobs, fast_params):
    X, _ = blobs
    gan = TabularGAN(**fast_params).fit(X)
    with pytest.raises(ValueError, match=r"'n_samples' parameter .* Got"):
        gan.sample(n)


def test_batch_larger_than_data_warns_and_clips(blobs, fast_params):
    X, _ = blobs
    with pytest.warns(UserWarning, match="batch_size=1000 is larger than the 120"):
        gan = TabularGAN(**{**fast_params, "batch_size": 1000}).fit(X)
    assert gan.batch_size_ == 120 and gan.batch_size == 1000


def test_auto_batch_size(blobs, fast_params, recwarn):
    X, _ = blobs
    gan = TabularGAN(**{**fast_params, "batch_size": "auto"}).fit(X)
    assert gan.batch_size_ == 120 and not recwarn.list
    big = np.tile(X, (3, 1))
    assert (
        TabularGAN(**{**fast_params, "batch_size": "auto"}).fit(big).batch_size_ == 256
    )


def test_dataframe_round_trip_keeps_columns_and_dtypes(fast_params):
    rng = np.random.default_rng(0)
    df = pd.DataFrame(
        {
            "height": rng.normal(170, 10, 200),
            "count": rng.integers(3, 9, 200),
            "flag": rng.random(200) > 0.5,
            "small": rng.normal(0, 1, 200).astype(np.float32),
        }
    )
    gan = TabularGAN(random_state=0, **fast_params).fit(df)
    out = gan.sample(300, random_state=0)
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == list(df.columns)
    assert out.dtypes.equals(df.dtypes)
    assert isinstance(out.index, pd.RangeIndex) and len(out) == 300
    assert out["count"].between(3, 8).all()
    np.testing.assert_array_equal(gan.feature_names_in_, df.columns)


def test_integer_array_round_trip(fast_params):
    X = np.random.default_rng(1).integers(-5, 5, (100, 2))
    out = TabularGAN(random_state=0, **fast_params).fit(X).sample(50)
    assert out.dtype == X.dtype and out.min() >= -5 and out.max() <= 4


def test_n_samples_defaults(blobs, fast_params):
    X, y = blobs
    gan = TabularGAN(**fast_params).fit(X, y)
    assert gan.sample().shape == (len(X), 3)
    assert gan.sample(y=[0, 1, 1]).shape == (3, 3)


def test_conditional_sampling_forms(blobs, fast_params):
    X, y = blobs
    gan = TabularGAN(random_state=0, **fast_params).fit(X, y.astype(str))
    Xs, ys = gan.sample(10, y="1", return_y=True)
    assert Xs.shape == (10, 3) and (ys == "1").all()
    _, ys = gan.sample(y=["0", "1", "1"], return_y=True)
    assert ys.tolist() == ["0", "1", "1"]
    _, ys = gan.sample(y={"0": 4, "1": 7}, return_y=True)
    assert (ys == "0").sum() == 4 and (ys == "1").sum() == 7
    _, ys = gan.sample(2000, return_y=True, random_state=0)
    assert abs((ys == "1").mean() - 0.5) < 0.05  # training frequencies
    with pytest.raises(
        ValueError, match=r"Unknown class '7' in y; classes seen in fit: \['0', '1'\]"
    ):
        gan.sample(3, y="7")
    with pytest.raises(ValueError, match="n_samples=5 disagrees with len"):
        gan.sample(5, y=["0", "1"])


def test_unconditional_model_refuses_y(blobs, fast_params):
    X, _ = blobs
    gan = TabularGAN(**fast_params).fit(X)
    with pytest.raises(ValueError, match="fitted without y"):
        gan.sample(3, y=1)


def test_unlabelled_rows_train_but_are_not_classes(blobs, fast_params):
    X, y = blobs
    y = y.copy()
    y[::3] = -1
    gan = TabularGAN(random_state=0, **fast_params).fit(X, y)
    assert gan.classes_.tolist() == [0, 1]
    _, ys = gan.sample(500, return_y=True)
    assert set(ys.tolist()) == {0, 1}
    with pytest.raises(ValueError, match="no labelled row"):
        TabularGAN(**fast_params).fit(X, np.full(len(X), -1))
    with pytest.raises(ValueError, match="inconsistent numbers of rows"):
        TabularGAN(**fast_params).fit(X, y[:10])


def test_latent_vectors_can_be_given(blobs, fast_params):
    X, _ = blobs
    gan = TabularGAN(random_state=0, **fast_params).fit(X)
    z = np.random.default_rng(0).normal(size=(6, fast_params["latent_dim"]))
    np.testing.assert_array_equal(gan.sample(z=z), gan.sample(z=z))
    with pytest.raises(ValueError, match=r"z must have shape \(n_samples, 4\)"):
        gan.sample(z=z[:, :2])


def test_warm_start_continues(blobs, fast_params):
    X, y = blobs
    gan = TabularGAN(warm_start=True, random_state=0, **fast_params).fit(X, y)
    first = {k: v.clone() for k, v in gan.generator_.state_dict().items()}
    gan.fit(X, y)
    assert gan.n_epochs_ == 4 and gan.history_["epoch"].tolist() == [1, 2, 3, 4]
    assert any(
        not torch.equal(first[k], v) for k, v in gan.generator_.state_dict().items()
    )
    with pytest.raises(ValueError, match="fitted with y"):
        gan.fit(X)
    with pytest.raises(ValueError, match="X has 2 features"):
        gan.fit(X[:, :2], y)
    cold = TabularGAN(random_state=0, **fast_params).fit(X, y).fit(X, y)
    assert cold.n_epochs_ == 2


@pytest.mark.parametrize(
    "name, value",
    [("latent_dim", 3), ("generator_dims", (8,)), ("pac", 1), ("max_modes", 2)],
)
def test_warm_start_refuses_a_changed_architecture(blobs, fast_params, name, value):
    X, y = blobs
    gan = TabularGAN(warm_start=True, random_state=0, **fast_params).fit(X, y)
    gan.set_params(**{name: value})
    with pytest.raises(ValueError, match=f"built with {name}=.*got {name}="):
        gan.fit(X, y)
    # The same widths given as a list are the same architecture.
    gan.set_params(**{name: fast_params.get(name, TabularGAN().get_params()[name])})
    gan.set_params(generator_dims=list(gan.generator_dims)).fit(X, y)
    assert gan.n_epochs_ == 4


@pytest.mark.parametrize("extra", [{}, {"validation_fraction": 0.2}, {"amp": True}])
def test_warnings_name_the_users_line(blobs, fast_params, extra):
    # A fixed stacklevel named a line of gansynth's when the warning was
    # reached through checkpoint selection (validation_fraction).
    X, y = blobs
    params = {**fast_params, "batch_size": 200, **extra}
    with pytest.warns(UserWarning) as caught:
        TabularGAN(**params).fit(X, y)
    assert {w.filename for w in caught} == {__file__}
