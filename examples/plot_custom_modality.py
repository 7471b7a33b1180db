"""
Writing your own modality: compositions that sum to one
=======================================================

A *modality* is everything gansynth knows about one kind of data: how to turn
it into float tensors and back (an encoder) and which networks to build for
those tensors. gansynth ships tables; this page adds a kind of data it does
not know, without touching gansynth's code, and gets class-conditional
sampling, pickling and save/load for free.

The data: household budgets, the shares of food, housing, transport and
leisure in what a household spends. Each row is a *composition*: positive
parts that sum to one. A table GAN would treat the four shares as unrelated
numbers and generate rows that do not sum to one; a modality that knows
compositions encodes them by the centred log-ratio (Aitchison 1986),
``clr(x) = log x - mean(log x)``, and decodes whatever the generator emits
with a softmax, so every generated row is a composition by construction.
"""

# %%
import pickle
import tempfile
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import torch

from gansynth import ConditionalGAN
from gansynth.modalities import (
    Block,
    EncodedSpec,
    MLPDiscriminator,
    MLPGenerator,
    Modality,
    register_modality,
)
from gansynth.utils.validation import WIDTHS

torch.set_num_threads(1)

# %%
# Data: two kinds of household
# ----------------------------
# City households spend more on housing, rural ones more on transport; the
# shares are Dirichlet-distributed around those profiles.
rng = np.random.default_rng(0)
parts = ["food", "housing", "transport", "leisure"]
profiles = {"city": [3.0, 6.0, 1.5, 2.0], "rural": [4.0, 3.0, 4.0, 1.5]}
budgets = pd.DataFrame(
    np.concatenate([rng.dirichlet(alpha, 300) for alpha in profiles.values()]),
    columns=parts,
)
kind = np.repeat(list(profiles), 300)
budgets.head()


# %%
# The encoder
# -----------
# ``fit``, ``transform`` and ``inverse_transform`` between the user's data
# and a float array, ``spec_`` (what one encoded sample is), and
# ``get_state``/``from_state`` so that a saved model loads without running
# code. It also checks its input: rows must be positive and sum to one.
class CompositionEncoder:
    def fit(self, X):
        self.columns_ = list(self._check(X).columns)
        self.spec_ = self._spec(len(self.columns_))
        return self

    @staticmethod
    def _spec(n_parts):
        return EncodedSpec((Block("clr", "continuous", n_parts),))

    @staticmethod
    def _check(X):
        if not isinstance(X, pd.DataFrame):
            X = pd.DataFrame(X)
        values = X.to_numpy(dtype=float)
        bad = np.flatnonzero(
            (values <= 0).any(axis=1) | (abs(values.sum(1) - 1) > 1e-6)
        )
        if bad.size:
            raise ValueError(
                f"X: every row must have positive parts summing to 1; row {bad[0]} "
                f"is {values[bad[0]].round(4).tolist()}."
            )
        return X

    def transform(self, X):
        logs = np.log(self._check(X).to_numpy(dtype=float))
        return (logs - logs.mean(axis=1, keepdims=True)).astype(np.float32)

    def inverse_transform(self, Z):
        shares = torch.softmax(torch.as_tensor(Z, dtype=torch.float64), dim=1)
        return pd.DataFrame(shares.numpy(), columns=self.columns_)

    def get_state(self):
        return {}, {"columns": self.columns_}

    @classmethod
    def from_state(cls, arrays, meta):
        encoder = cls()
        encoder.columns_ = meta["columns"]
        encoder.spec_ = EncodedSpec(
            (Block("clr", "continuous", len(encoder.columns_)),)
        )
        return encoder


# %%
# The modality
# ------------
# A subclass of :class:`~gansynth.modalities.Modality` with a registry name,
# its parameters and their constraints (what ``modality_params`` may hold),
# and the four required methods. The networks here are gansynth's own MLPs
# (a label embedding in the generator, a projection head in the critic); the
# optional hooks (conditions, masks, noise shape, auxiliary networks, a
# classifier for the semi-supervised classifier) keep their defaults.
@register_modality
class CompositionModality(Modality):
    name = "composition"
    description = "rows of positive parts summing to 1 (by name only)"
    parameter_constraints = {"hidden": WIDTHS}  # a non-empty tuple of widths

    def __init__(self, hidden=(64, 64)):
        self.hidden = tuple(hidden)

    def make_encoder(self):
        return CompositionEncoder()

    def encoder_from_state(self, arrays, meta):
        return CompositionEncoder.from_state(arrays, meta)

    def build_generator(self, latent_dim, spec, n_labels, context_dim=0):
        return MLPGenerator(latent_dim, spec.dim, self.hidden, n_labels)

    def build_discriminator(self, spec, n_labels, context_dim=0):
        return MLPDiscriminator(spec.dim, self.hidden, n_labels)


# %%
# Fit and sample by name
# ----------------------
# ``ConditionalGAN(modality="composition")`` finds the modality in the
# registry; ``"auto"`` still gives two-dimensional data to the tables, so
# registering a modality never changes what existing code does.
gan = ConditionalGAN(
    modality="composition", epochs=150, batch_size=64, random_state=0,
    generator_lr=1e-3, discriminator_lr=1e-3,
)  # fmt: skip
gan.fit(budgets, kind)
city = gan.sample(500, y="city", random_state=1)
print("every row sums to one:", np.allclose(city.sum(axis=1), 1.0))
city.head()

# %%
# Each class keeps its own profile: the mean share of each part, real against
# generated, per kind of household.
fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained", sharey=True)
width = 0.38
for ax, label in zip(axes, profiles, strict=True):
    real = budgets[kind == label].mean()
    fake = gan.sample(1000, y=label, random_state=2).mean()
    x = np.arange(len(parts))
    ax.bar(x - width / 2, real, width, label="real", color="grey")
    ax.bar(x + width / 2, fake, width, label="generated", color="tab:red")
    ax.set_xticks(x, parts)
    ax.set_title(f"{label} households")
axes[0].set_ylabel("mean share")
axes[0].legend()
plt.show()

# %%
# Persistence comes with the protocol
# -----------------------------------
# Pickling and the tensors + JSON file of :meth:`~gansynth.ConditionalGAN.save`
# both work: loading rebuilds the networks with the modality's builders (the
# modality must be registered in the loading process too).
expected = gan.sample(5, y="rural", random_state=3)
with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "budgets.safetensors"
    gan.save(path)
    loaded = ConditionalGAN.load(path)
same_file = loaded.sample(5, y="rural", random_state=3).equals(expected)
same_pickle = pickle.loads(pickle.dumps(gan)).sample(5, y="rural", random_state=3)
print("save/load:", same_file, "pickle:", same_pickle.equals(expected))

# %%
# Before sharing a modality, run gansynth's contract checks on it:
# ``gansynth.estimator_checks.modality_checks("composition", X, y)`` returns
# the checks (clone, unfitted errors, the forms of ``sample(y=...)``,
# identical samples from the same seed and after pickling and save/load, bad
# input), ready for ``pytest.mark.parametrize``.
