"""Run by the streaming memory test in a fresh process: fit a small mixed
table, then stream (or, with ``--whole``, sample in memory) N rows, and print
the growth of the peak resident memory (``ru_maxrss``) in MiB.

Usage: ``python stream_script.py OUT N CHUNK [--whole]``.
"""

import resource
import sys

import numpy as np
import pandas as pd
import torch

from gansynth import TabularGAN


def table(n=500, seed=0):
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "amount": rng.lognormal(3, 1, n),
        "count": rng.integers(0, 50, n),
        "plan": pd.Categorical(rng.choice(["basic", "plus", "pro"], n)),
        "active": rng.random(n) < 0.3,
        "city": rng.choice(["Oslo", "Lima", "Pune", "Kobe"], n).astype(object),
    })  # fmt: skip


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


if __name__ == "__main__":
    torch.set_num_threads(1)
    out, n, chunk = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    gan = TabularGAN(epochs=2, random_state=0).fit(table())
    gan.sample(10_000)  # warm: one chunk's worth of every buffer
    gan.save(f"{out}/model.safetensors")
    before = peak_mib()
    if "--whole" in sys.argv:
        gan.sample(n).to_parquet(f"{out}/whole.parquet")
    else:
        gan.sample_to(out, n, chunk_size=chunk)
    print(f"peak growth MiB: {peak_mib() - before:.1f}")
