"""
Class-conditional generation: handwritten digits
================================================

:class:`~gansynth.ConditionalGAN` learns one generator for every class:
``sample(n, y=k)`` draws rows of class ``k``. Here it learns scikit-learn's
1,797 8x8 digits (64 pixel columns, 10 classes) as a table; a logistic
regression trained on the real digits then judges whether each generated row
is the digit that was asked for, and the spread of the generated rows within a
class is compared with the real spread (a collapsed generator would give one
sharp image per class and a tiny spread). The budget is small (40 epochs,
under a minute on one CPU core), so the digits are rough.
"""

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
from sklearn.datasets import load_digits
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from gansynth import ConditionalGAN

torch.set_num_threads(1)
X, y = load_digits(return_X_y=True)
gan = ConditionalGAN(
    epochs=40,
    batch_size=200,
    generator_lr=1e-3,
    discriminator_lr=1e-3,
    random_state=0,
    modality_params=dict(generator_dims=(128, 128), discriminator_dims=(128, 128)),
).fit(X, y)

# %%
# Ask for 100 rows of every class
# -------------------------------
X_new, y_new = gan.sample(y={k: 100 for k in range(10)}, return_y=True, random_state=1)
judge = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000)).fit(X, y)
agreement = (judge.predict(X_new) == y_new).mean()
spread = np.mean(
    [X_new[y_new == k].std(0).mean() / X[y == k].std(0).mean() for k in range(10)]
)
print(f"rows judged to be the requested digit: {agreement:.0%} (chance: 10%)")
print(f"within-class spread, generated / real: {spread:.2f}")

# %%
# Eight generated rows per class, drawn as images
# -----------------------------------------------
fig, axes = plt.subplots(10, 8, figsize=(6, 7.5))
for k in range(10):
    rows = X_new[y_new == k][:8]
    for j, ax in enumerate(axes[k]):
        ax.imshow(rows[j].reshape(8, 8), cmap="gray_r", vmin=0, vmax=16)
        ax.set_axis_off()
fig.suptitle("ConditionalGAN samples, one row per requested digit")
plt.show()
