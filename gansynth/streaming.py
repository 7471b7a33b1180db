"""Writing a sample chunk by chunk, in memory bounded by the chunk.

Tables (DataFrames) go to Parquet through pyarrow, one row group per chunk,
one file per process; arrays and tensors (images, sequences, 2-D arrays) go to
one ``.npy`` file per chunk, which NumPy memory-maps back. File names carry the
process's rank, so that the processes of a distributed run write side by side:
sorted by name, the parts concatenate to the sample.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import torch

__all__ = ["read_parts", "write_parts"]


def _pyarrow():
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError(
            "sample_to writes tables to Parquet with pyarrow, which is not "
            "installed; pip install 'gansynth[parquet]' (or pyarrow)."
        ) from exc
    return pa, pq


def _claim(path: Path, overwrite: bool) -> Path:
    if path.exists() and not overwrite:
        raise FileExistsError(
            f"{path} exists; sample_to does not overwrite earlier parts unless "
            "overwrite=True (or write to an empty directory)."
        )
    return path


def write_parts(chunks, directory, rank: int = 0, *, label_column=None,
                overwrite=False) -> list[Path]:  # fmt: skip
    """Write ``chunks`` (containers, or ``(X, y)`` pairs with ``label_column``)
    under ``directory``; returns the files written, in order.

    DataFrames go to ``part-RRRRR.parquet`` (a row group per chunk, the labels
    in the column ``label_column``); arrays and tensors go to
    ``part-RRRRR-CCCCC.npy`` (the labels beside them in
    ``part-RRRRR-CCCCC.<label_column>.npy``).
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    writer = schema = None
    try:
        for index, chunk in enumerate(chunks):
            X, y = chunk if label_column is not None else (chunk, None)
            if isinstance(X, pd.DataFrame):
                if label_column is not None:
                    X = _with_labels(X, y, label_column)
                if writer is None:
                    pa, pq = _pyarrow()
                    path = _claim(directory / f"part-{rank:05d}.parquet", overwrite)
                    table = pa.Table.from_pandas(X, preserve_index=False)
                    schema = table.schema
                    writer = pq.ParquetWriter(path, schema)
                    written.append(path)
                else:
                    table = pa.Table.from_pandas(X, schema=schema, preserve_index=False)
                writer.write_table(table)
            elif isinstance(X, np.ndarray | torch.Tensor):
                stem = f"part-{rank:05d}-{index:05d}"
                path = _claim(directory / f"{stem}.npy", overwrite)
                np.save(path, X.numpy() if isinstance(X, torch.Tensor) else X)
                written.append(path)
                if label_column is not None:
                    labels = _claim(directory / f"{stem}.{label_column}.npy", overwrite)
                    np.save(labels, np.asarray(y))
                    written.append(labels)
            else:
                raise TypeError(
                    "sample_to writes DataFrames (to Parquet) and arrays or tensors "
                    f"(to .npy); this model samples {type(X).__name__}. Iterate "
                    "over sample_chunks and write the chunks yourself."
                )
    finally:
        if writer is not None:
            writer.close()
    return written


def _with_labels(X: pd.DataFrame, y, label_column) -> pd.DataFrame:
    if label_column in X.columns:
        raise ValueError(
            f"label_column={label_column!r} is a column of the samples; choose "
            f"another name. Columns: {list(X.columns)}."
        )
    return X.assign(**{label_column: y})


def read_parts(directory, *, label_column=None):
    """Read back what :func:`write_parts` wrote under ``directory`` (every
    process's parts, in order); ``(X, y)`` with ``label_column`` for arrays.

    For a table larger than memory read the Parquet files with pyarrow's
    datasets or row group by row group instead.

    Examples
    --------
    >>> import tempfile
    >>> import numpy as np
    >>> from gansynth.streaming import read_parts, write_parts
    >>> folder = tempfile.mkdtemp()
    >>> files = write_parts(iter([np.zeros((2, 3)), np.ones((1, 3))]), folder)
    >>> [f.name for f in files], read_parts(folder).shape
    (['part-00000-00000.npy', 'part-00000-00001.npy'], (3, 3))
    """
    directory = Path(directory)
    tables = sorted(directory.glob("part-*.parquet"))
    if tables:
        return pd.concat([pd.read_parquet(p) for p in tables], ignore_index=True)
    arrays = sorted(p for p in directory.glob("part-*.npy") if p.name.count(".") == 1)
    if not arrays:
        raise FileNotFoundError(f"No part files of sample_to under {directory}.")
    X = np.concatenate([np.load(p) for p in arrays])
    if label_column is None:
        return X
    y = np.concatenate([np.load(p.with_suffix(f".{label_column}.npy")) for p in arrays])
    return X, y
