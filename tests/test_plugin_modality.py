"""A modality that gansynth does not ship, plugged in from a test module.

Unit vectors on the sphere in R^3: its own encoder (which refuses rows that
are not unit vectors), its own generator (whose output is normalised onto the
sphere) and critic, registered with ``register_modality``. Nothing in
gansynth is edited: ``ConditionalGAN(modality="sphere")`` fits, samples,
conditions on a class, pickles and save/loads through the public API, and
the generator contract checks run on it by name.
"""

import numbers
import pickle

import numpy as np
import pytest
import torch
from torch import nn

from gansynth import ConditionalGAN
from gansynth.estimator_checks import modality_checks
from gansynth.modalities import (
    Block,
    EncodedSpec,
    Modality,
    detect_modality,
    register_modality,
)
from gansynth.utils.validation import Interval

POLES = np.eye(3)  # class k gathers around the k-th axis


class UnitVectorEncoder:
    """Rows that are unit vectors, as float32; decoded back onto the sphere."""

    def fit(self, X):
        X = self._check(X)
        self.dtype_ = str(X.dtype)
        self.spec_ = EncodedSpec((Block("direction", "continuous", X.shape[1]),))
        return self

    @staticmethod
    def _check(X):
        X = np.asarray(X)
        norms = np.linalg.norm(X, axis=1)
        off = np.flatnonzero(np.abs(norms - 1) > 1e-3)
        if off.size:
            raise ValueError(
                f"X: every row must be a unit vector; row {off[0]} has norm "
                f"{norms[off[0]]:.3f}."
            )
        return X

    def transform(self, X):
        return self._check(X).astype(np.float32)

    def inverse_transform(self, Z):
        Z = np.asarray(Z, dtype=np.float64)
        return (Z / np.linalg.norm(Z, axis=1, keepdims=True)).astype(self.dtype_)

    def get_state(self):
        return {}, {"dtype": self.dtype_, "dim": self.spec_.dim}

    @classmethod
    def from_state(cls, arrays, meta):
        enc = cls()
        enc.dtype_ = meta["dtype"]
        enc.spec_ = EncodedSpec((Block("direction", "continuous", meta["dim"]),))
        return enc


class SphereGenerator(nn.Module):
    def __init__(self, latent_dim, dim, hidden, n_labels):
        super().__init__()
        self.embed = nn.Embedding(n_labels, latent_dim) if n_labels else None
        width = latent_dim * (2 if n_labels else 1)
        self.net = nn.Sequential(
            nn.Linear(width, hidden), nn.ReLU(), nn.Linear(hidden, dim)
        )

    def forward(self, z, labels=None):
        if self.embed is not None:
            # Soft labels (class interpolation) blend the class embeddings.
            soft = labels.is_floating_point()
            code = labels @ self.embed.weight if soft else self.embed(labels)
            z = torch.cat([z, code], dim=1)
        return nn.functional.normalize(self.net(z), dim=1)


class SphereCritic(nn.Module):
    def __init__(self, dim, hidden, n_labels):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(dim, hidden), nn.LeakyReLU(0.2))
        self.out = nn.Linear(hidden, 1)
        self.embed = nn.Embedding(n_labels, hidden) if n_labels else None

    def forward(self, x, labels=None):
        h = self.body(x)
        score = self.out(h).squeeze(1)
        if self.embed is not None:
            score = score + (self.embed(labels) * h).sum(dim=1)
        return score


@register_modality
class SphereModality(Modality):
    name = "sphere"
    parameter_constraints = {"hidden": [Interval(numbers.Integral, 1, None)]}

    def __init__(self, hidden=32):
        self.hidden = hidden

    def make_encoder(self):
        return UnitVectorEncoder()

    def encoder_from_state(self, arrays, meta):
        return UnitVectorEncoder.from_state(arrays, meta)

    def build_generator(self, latent_dim, spec, n_labels, context_dim=0):
        return SphereGenerator(latent_dim, spec.dim, self.hidden, n_labels)

    def build_discriminator(self, spec, n_labels, context_dim=0):
        return SphereCritic(spec.dim, self.hidden, n_labels)


def sphere_data(n_per_class, seed=0, spread=0.25):
    rng = np.random.default_rng(seed)
    X = np.concatenate([p + spread * rng.normal(size=(n_per_class, 3)) for p in POLES])
    y = np.repeat(np.arange(3), n_per_class)
    return X / np.linalg.norm(X, axis=1, keepdims=True), y


X_SMALL, Y_SMALL = sphere_data(16)


@pytest.mark.parametrize(
    "check", modality_checks("sphere", X_SMALL, Y_SMALL, modality_params={"hidden": 8}),
    ids=repr,
)  # fmt: skip
def test_generator_contract_holds_for_the_plugged_in_modality(check):
    check()


def _class_fidelity(gan, seed=0):
    """Per class: the cosine between the mean sampled direction and the pole,
    and the share of samples whose nearest pole is the one asked for."""
    cosines, shares = [], []
    for k, pole in enumerate(POLES):
        rows = gan.sample(300, y=k, random_state=seed)
        mean = rows.mean(axis=0)
        cosines.append(float(mean @ pole / np.linalg.norm(mean)))
        shares.append(float(np.mean((rows @ POLES.T).argmax(axis=1) == k)))
    return np.array(cosines), np.array(shares)


def _fit(X, y):
    return ConditionalGAN(
        modality="sphere", epochs=100, batch_size=64, latent_dim=4,
        generator_lr=1e-3, discriminator_lr=1e-3, modality_params={"hidden": 32},
        random_state=0, device="cpu",
    ).fit(X, y)  # fmt: skip


def test_samples_lie_on_the_sphere_and_belong_to_their_class():
    X, y = sphere_data(200)
    gan = _fit(X, y)
    rows = gan.sample(500, random_state=1)
    np.testing.assert_allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-6)
    # Measured (seed 0): cosines 0.996, 0.995, 0.998 and every sample nearest
    # its own pole; the real rows: cosines 0.997-1.000, shares 0.995-1.0.
    cosines, shares = _class_fidelity(gan)
    assert cosines.min() > 0.95, cosines
    assert shares.min() > 0.9, shares
    # Negative control: the same fit with shuffled labels scores cosines
    # 0.55, 0.67, 0.21 and shares 0.32, 0.50, 0.03, and fails both checks.
    shuffled = np.random.default_rng(0).permutation(y)
    cosines, shares = _class_fidelity(_fit(X, shuffled))
    assert cosines.min() < 0.95 and shares.min() < 0.9, (cosines, shares)


def test_pickle_and_save_load_keep_the_modality(tmp_path):
    gan = ConditionalGAN(
        modality="sphere", epochs=2, batch_size=16, latent_dim=4, random_state=0,
        modality_params={"hidden": 8}, device="cpu",
    ).fit(X_SMALL, Y_SMALL)  # fmt: skip
    expected = gan.sample(10, y=2, random_state=4)
    assert gan.modality_ == "sphere"
    # loss="auto" is the modality's default_loss, the base class's "bce" here.
    assert gan.n_critic_ == 1 and gan.history_["penalty"].eq(0).all()
    np.testing.assert_array_equal(
        pickle.loads(pickle.dumps(gan)).sample(10, y=2, random_state=4), expected
    )
    gan.save(tmp_path / "sphere.safetensors")
    loaded = ConditionalGAN.load(tmp_path / "sphere.safetensors")
    assert loaded.modality_ == "sphere"
    np.testing.assert_array_equal(loaded.sample(10, y=2, random_state=4), expected)


def test_the_modality_checks_its_input_and_parameters():
    with pytest.raises(ValueError, match=r"row 0 has norm 2\.000"):
        ConditionalGAN(modality="sphere", epochs=1).fit(2 * X_SMALL, Y_SMALL)
    with pytest.raises(ValueError, match="modality_params: The 'hidden' parameter"):
        ConditionalGAN(modality="sphere", modality_params={"hidden": 0}).fit(
            X_SMALL, Y_SMALL
        )
    with pytest.raises(ValueError, match=r"unknown keys \['pac'\] for the 'sphere'"):
        ConditionalGAN(modality="sphere", modality_params={"pac": 2}).fit(
            X_SMALL, Y_SMALL
        )


def test_a_mistyped_default_loss_is_named(monkeypatch):
    monkeypatch.setattr(SphereModality, "default_loss", "lsgn")
    with pytest.raises(ValueError, match=r"default_loss.*SphereModality sets 'lsgn'"):
        ConditionalGAN(modality="sphere", epochs=1).fit(X_SMALL, Y_SMALL)


def test_default_n_critic_sets_auto_per_loss_and_is_checked(monkeypatch):
    monkeypatch.setattr(SphereModality, "default_n_critic", {"lsgan": 2})
    fit = dict(modality="sphere", epochs=1, batch_size=16, latent_dim=4,
               modality_params={"hidden": 8}, device="cpu")  # fmt: skip
    assert ConditionalGAN(loss="lsgan", **fit).fit(X_SMALL, Y_SMALL).n_critic_ == 2
    # A loss the modality does not name keeps its own; an explicit count wins.
    assert ConditionalGAN(loss="wgan", **fit).fit(X_SMALL, Y_SMALL).n_critic_ == 5
    gan = ConditionalGAN(loss="lsgan", n_critic=4, **fit).fit(X_SMALL, Y_SMALL)
    assert gan.n_critic_ == 4
    monkeypatch.setattr(SphereModality, "default_n_critic", {"lsgan": 0})
    with pytest.raises(ValueError, match=r"default_n_critic.*SphereModality sets 0"):
        ConditionalGAN(loss="lsgan", **fit).fit(X_SMALL, Y_SMALL)
    monkeypatch.setattr(SphereModality, "default_n_critic", 3)
    with pytest.raises(TypeError, match=r"SphereModality.default_n_critic must map"):
        ConditionalGAN(loss="lsgan", **fit).fit(X_SMALL, Y_SMALL)


def test_registering_does_not_change_what_auto_picks():
    assert detect_modality(X_SMALL) == "tabular"


def test_a_second_modality_under_the_same_name_is_refused():
    class Impostor(Modality):
        name = "sphere"

    with pytest.raises(ValueError, match="already registered"):
        register_modality(Impostor)


def _sphere_without(method, name):
    """SphereModality's methods but ``method``: a half-written plug-in."""
    methods = {
        key: value
        for key, value in vars(SphereModality).items()
        if callable(value) and key != method
    }
    body = {**methods, "name": name,
            "parameter_constraints": SphereModality.parameter_constraints}  # fmt: skip
    return register_modality(type(name, (Modality,), body), replace=True)


def test_a_half_written_modality_names_what_it_lacks(tmp_path):
    params = dict(epochs=1, batch_size=16, latent_dim=4, random_state=0, device="cpu")
    _sphere_without("build_discriminator", "sphere-no-critic")
    gan = ConditionalGAN(modality="sphere-no-critic", **params)
    with pytest.raises(NotImplementedError, match="does not implement build_disc"):
        gan.fit(X_SMALL, Y_SMALL)
    # Without encoder_from_state the model fits and samples, but a saved file
    # could not be loaded: save refuses and says why; pickle still works.
    _sphere_without("encoder_from_state", "sphere-no-load")
    gan = ConditionalGAN(modality="sphere-no-load", **params).fit(X_SMALL, Y_SMALL)
    with pytest.raises(NotImplementedError, match=r"encoder_from_state, which .*load"):
        gan.save(tmp_path / "model.safetensors")
    assert not (tmp_path / "model.safetensors").exists()
    assert pickle.loads(pickle.dumps(gan)).sample(5, y=0).shape == (5, 3)


class MeanScoreCritic(SphereCritic):
    """The batch's mean score: what one score per sample must not be."""

    def forward(self, x, labels=None):
        return super().forward(x, labels).mean()


class Float64Encoder(UnitVectorEncoder):
    def transform(self, X):
        return self._check(X).astype(np.float64)


@pytest.mark.parametrize(
    "method, replacement, error, match",
    [
        ("build_discriminator",
         lambda self, spec, n_labels, context_dim=0: MeanScoreCritic(
             spec.dim, self.hidden, n_labels),
         ValueError, r"\(MeanScoreCritic\) returned scores of shape \(\) for 16"),
        ("make_encoder", lambda self: Float64Encoder(),
         TypeError, "encoded data are torch.float64 and the networks' weights"),
    ],
)  # fmt: skip
def test_networks_and_encoders_that_break_the_protocol_are_named(
    method, replacement, error, match
):
    # A critic's mean over the batch trained, on a meaningless loss, and a
    # float64 encoding failed deep in a linear layer.
    cls = _sphere_without(method, f"sphere-bad-{method}")
    setattr(cls, method, replacement)
    gan = ConditionalGAN(modality=f"sphere-bad-{method}", epochs=1, batch_size=16,
                         latent_dim=4, random_state=0, device="cpu")  # fmt: skip
    with pytest.raises(error, match=match):
        gan.fit(X_SMALL, Y_SMALL)


def test_parameter_constraints_of_a_plug_in_are_read_as_scikit_learn_does():
    cls = _sphere_without("none", "sphere-unchecked")
    cls.parameter_constraints = {"hidden": "no_validation"}
    assert cls.from_params({"hidden": "anything"}).hidden == "anything"
    cls.parameter_constraints = {"hidden": []}
    with pytest.raises(TypeError, match=r"constraints of 'hidden' .* empty list"):
        cls.from_params({"hidden": 8})
    cls.parameter_constraints = {"hidden": [Interval(int, 1, None)]}
    with pytest.raises(ValueError, match=r"must be an int in the range \[1, inf\)"):
        cls.from_params({"hidden": 0})


def test_a_refused_refit_leaves_the_fitted_model_as_it_was():
    gan = ConditionalGAN(
        modality="sphere", epochs=1, batch_size=16, latent_dim=4, random_state=0,
        modality_params={"hidden": 8}, device="cpu",
    ).fit(X_SMALL, Y_SMALL)  # fmt: skip
    expected = gan.sample(5, y=1, random_state=2)
    gan.set_params(modality="numeric")  # "hidden" is not one of its keys
    with pytest.raises(ValueError, match=r"unknown keys \['hidden'\]"):
        gan.fit(X_SMALL, Y_SMALL)
    assert gan.modality_ == "sphere"
    np.testing.assert_array_equal(gan.sample(5, y=1, random_state=2), expected)
