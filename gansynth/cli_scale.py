"""``gansynth fit`` and ``gansynth sample``: a table from a file to a model,
and a model to Parquet parts, alone or under ``torchrun``.

    torchrun --nproc_per_node=2 -m gansynth fit data.parquet --out model.safetensors
    torchrun --nproc_per_node=2 -m gansynth sample model.safetensors \\
        --n-samples 10000000 --out synthetic/

Every process reads the whole table; training shares the batches out over
the processes, rank 0 saves the model, and every process writes its own share
of the sample.
"""

from __future__ import annotations

import time
from pathlib import Path

__all__ = ["add_commands", "run_fit", "run_sample"]


def add_commands(sub) -> None:
    """Add ``fit`` and ``sample`` to the ``gansynth`` argument parser."""
    fit = sub.add_parser(
        "fit", help="fit TabularGAN on a CSV or Parquet table and save the model"
    )
    fit.add_argument("data", help="a .csv or .parquet table")
    fit.add_argument("--out", required=True, help="model file (.safetensors)")
    fit.add_argument(
        "--target", default=None, help="class column: fit a class-conditional model"
    )
    fit.add_argument(
        "--loss", default=None, help="loss (default: TabularGAN's, wgan-gp)"
    )
    fit.add_argument("--epochs", type=int, default=300, help="epochs (default: 300)")
    fit.add_argument(
        "--batch-size", type=int, default=None,
        help="batch of all processes together (default: TabularGAN's)",
    )  # fmt: skip
    fit.add_argument("--random-state", type=int, default=0, help="seed (default: 0)")
    fit.add_argument("--device", default="auto", help="device (default: auto)")
    sample = sub.add_parser(
        "sample", help="stream samples of a saved model to Parquet or .npy parts"
    )
    sample.add_argument("model", help="a file written by save() or gansynth fit")
    sample.add_argument("--out", required=True, help="output directory")
    sample.add_argument(
        "--n-samples", type=int, required=True, help="number of samples"
    )
    sample.add_argument(
        "--chunk-size", type=int, default=100_000,
        help="samples per chunk and Parquet row group (default: 100000)",
    )  # fmt: skip
    sample.add_argument("--random-state", type=int, default=0, help="seed (default: 0)")
    sample.add_argument(
        "--label-column", default=None, help="also write the classes in this column"
    )
    sample.add_argument(
        "--overwrite", action="store_true", help="replace earlier part files"
    )


def _read_table(path):
    import pandas as pd

    path = Path(path)
    if path.suffix == ".parquet":
        return pd.read_parquet(path)
    if path.suffix == ".csv":
        return pd.read_csv(path)
    raise ValueError(f"data must be a .csv or .parquet file; got {str(path)!r}.")


def _join(device):
    """Join torchrun's process group (if launched by it), for ``device``:
    ``(rank, world)``."""
    from .training.distributed import init_from_environment, rank_and_world
    from .utils.devices import resolve_device

    init_from_environment(resolve_device(device))
    return rank_and_world()


def run_fit(args, echo=print) -> int:
    from .tabular import TabularGAN

    rank, world = _join(args.device)
    X = _read_table(args.data)
    y = None
    if args.target is not None:
        if args.target not in X.columns:
            raise ValueError(
                f"--target {args.target!r} is not a column of {args.data}; "
                f"columns: {list(X.columns)}."
            )
        y = X.pop(args.target).to_numpy()
    params = dict(epochs=args.epochs, random_state=args.random_state,
                  device=args.device)  # fmt: skip
    if args.loss is not None:
        params["loss"] = args.loss
    if args.batch_size is not None:
        params["batch_size"] = args.batch_size
    start = time.perf_counter()
    gan = TabularGAN(**params).fit(X, y)
    seconds = time.perf_counter() - start
    gan.save(args.out)
    if rank == 0:
        rows = len(X) * gan.n_epochs_
        echo(
            f"gansynth fit: {len(X)} rows x {X.shape[1]} columns, {gan.n_epochs_} "
            f"epochs on {world} process(es), batch {gan.batch_size_}, "
            f"{seconds:.1f} s ({rows / seconds:,.0f} rows/s); saved {args.out}"
        )
    return 0


def run_sample(args, echo=print) -> int:
    from .persistence import load_model

    rank, world = _join("cpu")  # sampling runs on the CPU
    model = load_model(args.model)
    start = time.perf_counter()
    files = model.sample_to(
        args.out, args.n_samples, chunk_size=args.chunk_size,
        random_state=args.random_state, label_column=args.label_column,
        overwrite=args.overwrite,
    )  # fmt: skip
    seconds = time.perf_counter() - start
    echo(
        f"gansynth sample: rank {rank} of {world} wrote {len(files)} file(s) "
        f"under {args.out} in {seconds:.1f} s"
    )
    return 0
