"""
The ring of eight Gaussians and the gradient penalty
====================================================

The ring of eight Gaussians (radius 2, standard deviation 0.02) is the classic
test of mode collapse: a generator that has collapsed covers a few of the
eight modes, a good one covers all of them with samples tightly around each
centre. We train :class:`~gansynth.TabularGAN` with the WGAN-GP loss and
score 2,000 samples with :func:`~gansynth.metrics.mode_coverage`. The table
of all six losses over three seeds, weight clipping included, is in
:doc:`/user_guide/training` (``gansynth ring --seeds 0 1 2`` measures it);
one fit keeps this page under a minute.
"""

# %%
# One torch thread: the networks are small, and one thread is fastest here.
import matplotlib.pyplot as plt
import torch

from gansynth import plot_history
from gansynth.datasets import make_gaussian_ring
from gansynth.demo import fit_ring
from gansynth.plotting import plot_samples_2d

torch.set_num_threads(1)

# %%
# Train
# -----
# ``fit_ring`` fits ``TabularGAN`` with the settings of ``gansynth demo`` for
# that loss (``gansynth.demo.RING_SETTINGS``) and scores the samples.
r = fit_ring("wgan-gp", seed=0)
print(
    f"{r.loss} {r.modes_covered}/8 modes, {r.high_quality:.0%} high quality, "
    f"{r.fit_seconds:.1f} s"
)

# %%
# Look
# ----
# Grey: real points; red: generated. The gradient penalty, which constrains
# the critic's gradient where it matters, covers the ring with its critic
# taking two steps per generator step. Weight clipping, the cruder constraint
# of the first WGAN, covers three to five of the eight modes in the same
# budget, with a third or less of its samples near a mode, and BCE needs
# twice the generator steps (see the user guide's table).
real, _ = make_gaussian_ring(2000, random_state=0)
fig, ax = plt.subplots(figsize=(4, 4), layout="constrained")
plot_samples_2d(real, r.samples, ax=ax, title=f"{r.loss}: {r.modes_covered}/8 modes")
ax.set_xlim(-3, 3)
ax.set_ylim(-3, 3)

# %%
# Is it working? The training history
# -----------------------------------
# One row per epoch: the two losses, the mean critic outputs (scores, not
# probabilities, under a Wasserstein loss) and the gradient norms of both
# networks.
axes = plot_history(r.model)
