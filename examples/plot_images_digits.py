"""
Images: class-conditional digits with ImageGAN
==============================================

:class:`~gansynth.ImageGAN` takes images as they come (NumPy arrays or torch
tensors; NCHW, NHWC or NHW; uint8 or floats in [0, 1]) and returns samples
in the same form. Here it learns 1,203 of scikit-learn's 8x8 handwritten
digits with their labels, ``sample(y=...)`` draws digits of the class asked
for, and the samples are scored by a small CNN trained on the real digits,
beside the same scores of 594 held-out real digits (the floor). Then it walks
between two classes and along a latent direction, and measures what else
that direction changes. It ends with the benchmark's figures for the default
budget, read from its committed results.
"""

# %%
import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split

from gansynth import CNNClassifier, ImageGAN
from gansynth.metrics import image_report
from gansynth.plotting import plot_image_grid

torch.set_num_threads(1)
digits = load_digits()
images = (digits.images / 16.0).astype(np.float32)  # NHW floats in [0, 1]
X_train, X_test, y_train, y_test = train_test_split(
    images, digits.target, test_size=0.33, stratify=digits.target, random_state=0
)

# %%
# Fit
# ---
# The defaults (WGAN-GP, learning rates 1e-3, batches of 128) but 360
# generator steps, 40 epochs of these 1,203 images, under a minute on one CPU
# core, to keep this page quick. ``epochs="auto"`` gives 2,520 steps at 8x8
# (about 100 s); the last section shows what that budget draws, from the
# benchmark's results.
gan = ImageGAN(epochs=40, random_state=0).fit(X_train, y_train)
print(gan.n_epochs_, "epochs")

# %%
# Real beside generated
# ---------------------
# One row per class.
new, new_y = gan.sample(y={k: 8 for k in range(10)}, return_y=True, random_state=1)
fig, axes = plt.subplots(1, 2, figsize=(9, 5), layout="constrained")
plot_image_grid(X_train, y_train, ax=axes[0], title="real")
plot_image_grid(new, new_y, ax=axes[1], title="generated")
plt.show()

# %%
# Scores beside their floor
# -------------------------
# The evaluation network is a :class:`~gansynth.CNNClassifier` fitted on the
# training digits (no downloaded weights). ``cas`` is its accuracy on the
# samples against the class asked for; ``diversity`` the
# per-class spread of the samples over that of the real digits; coverage
# and recall how much of the real data the samples reach. The first row is
# what real held-out digits score: no generator can do better.
# (``benchmarks/images.py`` adds GAN-train, a CNN trained on samples alone
# and tested on real digits, and runs every loss on three seeds.)
judge = CNNClassifier(random_state=0).fit(X_train, y_train)
fake, fake_y = gan.sample(
    y=dict(zip(*np.unique(y_test, return_counts=True), strict=True)),
    return_y=True, random_state=2,
)  # fmt: skip
report = image_report(judge, X_train, y_train, X_test, y_test, fake, fake_y,
                      gan_train=False)  # fmt: skip
print(report[["fd", "cas", "precision", "recall", "coverage",
              "diversity"]].round(3).to_string())  # fmt: skip

# %%
# From one class to another
# -------------------------
# ``interpolate`` blends the label input from a 3 to an 8 while holding the
# noise: the judge's probability of "8" rises along the row.
path = gan.interpolate(3, 8, n_steps=8, random_state=0)
p_eight = judge.predict_proba(path)[:, 8]
ax = plot_image_grid(path, n_per_row=8, title="interpolate(3, 8)")
ax.set_xlabel("P(8): " + "  ".join(f"{p:.2f}" for p in p_eight))
plt.show()

# %%
# A latent direction, and what else it moves
# -------------------------------------------
# ``latent_direction`` finds a direction in noise space that raises a score,
# here the mean ink of a 3. Directions are entangled: measure what else
# changes along it, here the judge's confidence that the digit is still a 3
# and the horizontal spread of the ink. In a run on 2026-12-08 the ink rose
# by about two fifths from alpha = -3 to 3 (0.25 to 0.36), the width grew a
# little too (+0.06 px), and the judge's confidence fell from 0.96 at
# alpha = 0 to 0.61 at alpha = 3: far along a direction the samples leave
# the data's typical set. The lines printed below give this run's.


def ink(batch):
    return batch.reshape(len(batch), -1).mean(axis=1)


def width(batch):
    """Standard deviation of the ink's column position (pixels)."""
    columns = np.arange(batch.shape[-1])
    weights = batch.sum(axis=1) + 1e-9  # (n, W): ink per column
    mean = (weights * columns).sum(1) / weights.sum(1)
    return np.sqrt((weights * (columns - mean[:, None]) ** 2).sum(1) / weights.sum(1))


direction = gan.latent_direction(ink, y=3, random_state=0)
rows = []
for alpha in (-3, -1.5, 0, 1.5, 3):
    batch = gan.sample(300, y=3, shift=(direction, alpha), random_state=3)
    rows.append((alpha, ink(batch).mean(), width(batch).mean(),
                 judge.predict_proba(batch)[:, 3].mean()))  # fmt: skip
    if alpha in (-3, 0, 3):
        print(f"alpha {alpha:+.1f}: mean ink {rows[-1][1]:.3f}, "
              f"width {rows[-1][2]:.2f} px, P(3) {rows[-1][3]:.3f}")  # fmt: skip
alphas, inks, widths, p_three = map(np.array, zip(*rows, strict=True))
print(f"ink rises {inks[-1] - inks[0]:+.3f}; width moves {widths[-1] - widths[0]:+.2f}"
      f" px; P(3) moves {p_three[-1] - p_three[0]:+.3f}")  # fmt: skip

fig, axes = plt.subplots(1, 2, figsize=(9, 3.5), layout="constrained")
shifted = [gan.sample(8, y=3, shift=(direction, a), random_state=4) for a in alphas]
plot_image_grid(np.concatenate(shifted), np.repeat(np.arange(5), 8), ax=axes[0],
                title="rows: alpha = -3 ... 3")  # fmt: skip
axes[1].plot(alphas, inks / inks[2], "o-", label="mean ink")
axes[1].plot(alphas, widths / widths[2], "s-", label="width")
axes[1].plot(alphas, p_three / p_three[2], "^-", label="P(3)")
axes[1].set(xlabel="alpha", ylabel="relative to alpha = 0")
axes[1].legend()
plt.show()

# %%
# At the default budget
# ---------------------
# ``benchmarks/images.py`` fits ``ImageGAN()`` with ``epochs="auto"`` (2,520
# generator steps) on a 70/30 split of the digits drawn per seed (0..2) and
# scores every loss with the same kind of judge. Its committed results, read
# here rather than recomputed: the Frechet distance of the defaults against
# that of held-out real digits, and the sample grid of seed 0.
here = Path(__file__).resolve().parent if "__file__" in globals() else Path.cwd()
results = here.parent / "benchmarks" / "results"
runs = json.loads((results / "images_quality.json").read_text())["runs"]
digits_runs = [r for r in runs if r["dataset"] == "digits"]
for name, part, loss in [("held-out real digits", "floor", None),
                         ("ImageGAN() defaults", "quality", "wgan-gp")]:  # fmt: skip
    chosen = [r for r in digits_runs if r["part"] == part and r.get("loss") == loss]
    fd = np.array([r["fd"] for r in chosen])
    cas = np.array([r["cas"] for r in chosen])
    print(f"{name:>22}: fd {fd.mean():.1f} +- {fd.std(ddof=1):.1f}, "
          f"cas {cas.mean():.3f} over {len(chosen)} seeds")  # fmt: skip
fig, ax = plt.subplots(figsize=(9, 5), layout="constrained")
ax.imshow(plt.imread(results / "images_samples_digits.png"))
ax.set_axis_off()
plt.show()
