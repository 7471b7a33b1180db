"""What a PyTorch user may expect of fitted estimators: their networks are
handed back in eval mode and without gradients (also after load), fitting
works inside the user's ``torch.no_grad()``, and a device this machine or
gansynth cannot train on is refused by name."""

import numpy as np
import pytest
import torch

from gansynth import CNNClassifier, SemiSupervisedGANClassifier, TabularGAN
from gansynth.metrics.sequences import discriminative_score
from gansynth.utils.devices import resolve_device


def _modules(estimator):
    names = ("generator_", "generator_ema_", "discriminator_", "auxiliary_",
             "network_")  # fmt: skip
    return {n: getattr(estimator, n) for n in names if getattr(estimator, n, None)}


def _assert_ready(estimator):
    modules = _modules(estimator)
    assert modules
    for name, module in modules.items():
        training = [m for m in module.modules() if m.training]
        assert not training, f"{name} has modules in train mode: {training[:3]}"
        grads = [p for p in module.parameters() if p.grad is not None]
        assert not grads, f"{name} holds {len(grads)} gradients"


@pytest.fixture
def images():
    rng = np.random.default_rng(0)
    X = rng.random((40, 8, 8)).astype(np.float32)
    return X, np.repeat([0, 1], 20)


def _fitted(kind, blobs, images, fast_params):
    if kind == "table":
        return TabularGAN(random_state=0, **fast_params).fit(*blobs)
    if kind == "semi-supervised":
        X, y = blobs
        y = np.where(np.arange(len(y)) % 3 == 0, y, -1)
        return SemiSupervisedGANClassifier(
            epochs=2, batch_size=32, device="cpu", random_state=0
        ).fit(X, y)
    return CNNClassifier(width=4, epochs=2, device="cpu", random_state=0).fit(*images)


@pytest.mark.parametrize("kind", ["table", "semi-supervised", "images"])
def test_fitted_networks_are_in_eval_mode_without_gradients(
    kind, blobs, images, fast_params
):
    _assert_ready(_fitted(kind, blobs, images, fast_params))


def test_loaded_networks_are_in_eval_mode(tmp_path, blobs, fast_params):
    gan = TabularGAN(random_state=0, **fast_params).fit(*blobs)
    gan.save(tmp_path / "model.safetensors")
    _assert_ready(TabularGAN.load(tmp_path / "model.safetensors"))


def test_a_direct_forward_pass_leaves_the_samples_alone(blobs, fast_params):
    # In train mode it moved batch norm's running statistics: the samples
    # drawn after it differed by up to 0.32.
    gan = TabularGAN(random_state=0, **fast_params).fit(blobs[0])
    before = gan.sample(20, random_state=1)
    with torch.no_grad():
        gan.generator_ema_(torch.randn(64, fast_params["latent_dim"]), None)
    np.testing.assert_array_equal(gan.sample(20, random_state=1), before)


@pytest.mark.parametrize("kind", ["table", "semi-supervised", "images"])
def test_fitting_inside_no_grad_trains(kind, blobs, images, fast_params):
    expected = _fitted(kind, blobs, images, fast_params)
    with torch.no_grad():
        fitted = _fitted(kind, blobs, images, fast_params)
    for name, module in _modules(expected).items():
        for a, b in zip(module.parameters(), _modules(fitted)[name].parameters(),
                        strict=True):  # fmt: skip
            torch.testing.assert_close(a, b, rtol=0, atol=0)


@pytest.mark.parametrize(
    "device, message",
    [
        ("meta", "trains on 'cpu', 'cuda' or 'mps'"),
        ("xpu", "trains on 'cpu', 'cuda' or 'mps'"),
        (f"cuda:{max(torch.cuda.device_count(), 1)}", "CUDA"),
        ("tpu", "must be 'auto', 'cpu'"),
    ],
)
def test_devices_it_cannot_train_on_are_refused_by_name(device, message):
    with pytest.raises(ValueError, match=message) as info:
        resolve_device(device)
    assert repr(device) in str(info.value)


def test_mps_is_refused_where_it_is_not_available(monkeypatch, blobs, fast_params):
    monkeypatch.setattr(torch.backends.mps, "is_available", lambda: False)
    with pytest.raises(ValueError, match="MPS is not available"):
        TabularGAN(**{**fast_params, "device": "mps"}).fit(blobs[0])


@pytest.fixture
def float64_default():
    torch.set_default_dtype(torch.float64)
    yield
    torch.set_default_dtype(torch.float32)


def _run_everything(blobs, images, fast_params):
    X, y = blobs
    gan = TabularGAN(random_state=0, **fast_params).fit(X, y)
    seqs = np.random.default_rng(0).normal(size=(20, 6, 2))
    return [
        gan.sample(10, y=1, random_state=1),
        gan.latent_direction(lambda rows: rows[:, 0], n_steps=2, random_state=0),
        gan.interpolate(0, 1, n_steps=3, random_state=0),
        _fitted("semi-supervised", blobs, images, fast_params).predict_proba(X[:5]),
        _fitted("images", blobs, images, fast_params).predict_proba(images[0][:5]),
        [discriminative_score(seqs, seqs[::-1], iterations=5, random_state=0)],
    ]


def test_a_float64_default_dtype_changes_nothing(blobs, images, fast_params, request):
    # gansynth's networks are float32: with the user's default at float64
    # fits failed ("an encoder's transform must return float32") and fitted
    # models failed to sample ("mat1 and mat2 must have the same dtype").
    expected = _run_everything(blobs, images, fast_params)
    request.getfixturevalue("float64_default")
    got = _run_everything(blobs, images, fast_params)
    assert torch.get_default_dtype() == torch.float64  # the user's, given back
    for a, b in zip(expected, got, strict=True):
        np.testing.assert_array_equal(np.asarray(a), np.asarray(b))


def test_tags_say_what_the_estimators_take_and_whether_they_repeat():
    from sklearn.utils import get_tags

    from gansynth import ConditionalGAN

    for estimator in (TabularGAN(), ConditionalGAN()):
        tags = get_tags(estimator)
        assert tags.input_tags.string and tags.input_tags.categorical
        assert tags.input_tags.allow_nan
    gpu = torch.cuda.is_available()
    for cls in (TabularGAN, SemiSupervisedGANClassifier, CNNClassifier):
        assert get_tags(cls(device="cpu")).non_deterministic is False
        assert get_tags(cls(device="auto")).non_deterministic is gpu


def test_a_column_vector_y_is_raveled_with_scikit_learns_warning(images):
    from sklearn.exceptions import DataConversionWarning

    X, y = images
    with pytest.warns(DataConversionWarning):
        clf = CNNClassifier(width=4, epochs=1, device="cpu").fit(X, y[:, None])
    assert clf.classes_.tolist() == [0, 1]
