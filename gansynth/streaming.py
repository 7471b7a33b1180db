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
from sklearn.utils.validation import check_is_fitted

from .parquet_part import ParquetPart, pyarrow_modules
from .training.distributed import barrier, rank_and_world
from .utils.validation import check_count

__all__ = ["StreamingMixin", "read_parts", "write_parts"]


def _parts(directory: Path) -> list[Path]:
    """The part files of earlier runs under ``directory`` (label files too)."""
    if not directory.is_dir():
        return []
    parts = directory.glob("part-*")
    return sorted(p for p in parts if p.suffix in (".parquet", ".npy"))


def _clear_parts(directory: Path, overwrite: bool) -> None:
    """Refuse a directory that holds parts of an earlier run, or with
    ``overwrite`` remove them all: parts that this run would not write again
    (another rank's, another chunk count's, Parquet beside ``.npy``) would be
    read back with its own. Every process looks before any writes or removes."""
    if directory.exists() and not directory.is_dir():
        raise NotADirectoryError(
            f"sample_to writes part files into a directory; {directory} is a "
            "file. Pass a directory's path (it is created if needed)."
        )
    old = _parts(directory)
    if old and not overwrite:
        raise FileExistsError(
            f"{directory} holds {len(old)} part file(s) of an earlier run (e.g. "
            f"{old[0].name}); sample_to does not mix runs. Pass overwrite=True "
            "to replace them all, or write to an empty directory."
        )
    barrier()
    if old and rank_and_world()[0] == 0:
        for path in old:
            path.unlink(missing_ok=True)
    barrier()


def _claim(path: Path, overwrite: bool) -> Path:
    if path.exists() and not overwrite:
        raise FileExistsError(
            f"{path} exists; sample_to does not overwrite earlier parts unless "
            "overwrite=True (or write to an empty directory)."
        )
    return path


def write_parts(chunks, directory, rank: int = 0, *, label_column=None,
                overwrite=False, examples=None) -> list[Path]:  # fmt: skip
    """Write ``chunks`` (containers, or ``(X, y)`` pairs with ``label_column``)
    under ``directory``; returns the files written, in order.

    DataFrames go to ``part-RRRRR.parquet`` (a row group per chunk, the labels
    in the column ``label_column``); arrays and tensors go to
    ``part-RRRRR-CCCCC.npy`` (the labels beside them in
    ``part-RRRRR-CCCCC.<label_column>.npy``). The Parquet schema is the
    first chunk's, where a column of only missing values takes its type from
    ``examples`` (column name to the values it can take). A table Parquet
    cannot hold (column names that are not strings, values pyarrow cannot
    write) raises a ``ValueError`` naming the columns, and the part being
    written is removed: an unfinished Parquet file cannot be read.
    """
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    parquet = None
    try:
        for index, chunk in enumerate(chunks):
            X, y = chunk if label_column is not None else (chunk, None)
            if isinstance(X, pd.DataFrame):
                if label_column is not None:
                    X = _with_labels(X, y, label_column)
                if parquet is None:
                    parquet = ParquetPart(X, examples or {})
                    path = _claim(directory / f"part-{rank:05d}.parquet", overwrite)
                    written.append(parquet.open(path))
                parquet.write(X)
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
        if parquet is not None:
            parquet.close()
    return written


def _check_label_column(label_column, owner, classes) -> None:
    if not isinstance(label_column, str) or not label_column:
        raise ValueError(
            "label_column must be a non-empty string (a column name, and the "
            f"suffix of the label files); got {label_column!r}."
        )
    if classes is None:
        raise ValueError(
            f"label_column={label_column!r} writes the classes of a conditional "
            f"model; this {owner} was fitted without y. Leave label_column=None, "
            "or fit with y."
        )


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
        return pd.concat([_read_table(p) for p in tables], ignore_index=True)
    arrays = sorted(p for p in directory.glob("part-*.npy") if p.name.count(".") == 1)
    if not arrays:
        raise FileNotFoundError(f"No part files of sample_to under {directory}.")
    X = np.concatenate([np.load(p) for p in arrays])
    if label_column is None:
        return X
    y = np.concatenate([np.load(p.with_suffix(f".{label_column}.npy")) for p in arrays])
    return X, y


def _read_table(path: Path) -> pd.DataFrame:
    """One Parquet part as the frame that was written.

    pandas 3 reads every string column back as its ``str`` dtype (missing as
    NaN); a column written from an ``object`` column, as the file's pandas
    metadata records it, is read back as ``object`` with ``None`` for null,
    as pandas 2 does.
    """
    _, pq = pyarrow_modules()
    table = pq.read_table(path)
    frame = table.to_pandas()
    columns = (table.schema.pandas_metadata or {}).get("columns", [])
    for column in columns:
        name = column["name"]
        if column.get("numpy_type") == "object" and frame[name].dtype != object:
            values = table.column(column["field_name"]).to_numpy(zero_copy_only=False)
            frame[name] = pd.Series(values, index=frame.index, dtype=object)
    return frame


class StreamingMixin:
    """``sample_chunks`` and ``sample_to`` on the blocks of
    :class:`~gansynth.generation.GenerationMixin` (``_sample_plan``,
    ``_blocks``, ``_decode_parts``)."""

    def sample_chunks(self, n_samples=None, *, chunk_size=100_000, y=None,
                      return_y=False, random_state=None, conditions=None):  # fmt: skip
        """Generate ``n_samples`` samples as an iterator of chunks.

        Memory is bounded by ``chunk_size``, not by ``n_samples``. The chunks,
        concatenated, equal ``sample`` with the same arguments: every block
        of samples (see :func:`~gansynth.generation.block_rows`) has a seed
        of its own, whatever the chunks.

        Parameters
        ----------
        n_samples : int, optional
            As in :meth:`sample`.
        chunk_size : int, default=100_000
            Samples per chunk (the last chunk may be smaller).
        y, return_y, random_state, conditions
            As in :meth:`sample`.

        Yields
        ------
        X_chunk : same container as the training data
            The next ``chunk_size`` samples (``(X_chunk, y_chunk)`` with
            ``return_y=True``).

        Examples
        --------
        >>> import numpy as np
        >>> from gansynth import TabularGAN
        >>> X = np.random.default_rng(0).normal(size=(200, 2))
        >>> gan = TabularGAN(epochs=1, random_state=0).fit(X)
        >>> chunks = list(gan.sample_chunks(10_000, chunk_size=3_000))
        >>> [len(c) for c in chunks]
        [3000, 3000, 3000, 1000]
        >>> bool(np.array_equal(np.concatenate(chunks), gan.sample(10_000)))
        True
        """
        plan = self._stream_plan("sample_chunks", n_samples, chunk_size, y,
                                 return_y, random_state, conditions)  # fmt: skip
        return self._chunks(plan, range(plan.n_blocks), chunk_size, return_y)

    def sample_to(self, path, n_samples=None, *, chunk_size=100_000, y=None,
                  random_state=None, conditions=None, label_column=None,
                  overwrite=False):  # fmt: skip
        """Stream ``n_samples`` samples to files under the directory ``path``.

        Tables go to Parquet (pyarrow; one row group per chunk, the dtypes of
        :meth:`sample`), arrays and tensors (images, sequences) to one ``.npy``
        file per chunk. Memory is bounded by ``chunk_size``. In a distributed
        run (under ``torchrun``) every process writes its own consecutive
        share of the blocks to its own files (``part-<rank>...``); the parts
        of all processes, sorted by name, equal ``sample`` with the same
        arguments. :func:`gansynth.streaming.read_parts` reads them back.

        Parameters
        ----------
        path : str or path-like
            A directory (created if needed).
        n_samples, y, random_state, conditions
            As in :meth:`sample`.
        chunk_size : int, default=100_000
            Samples per chunk, and per Parquet row group.
        label_column : str, optional
            Also write each sample's class (conditional models): in this column
            of the Parquet file, or in ``<part>.<label_column>.npy`` files.
        overwrite : bool, default=False
            Remove the part files of an earlier run under ``path`` (every
            process's, every chunk's) before writing, instead of refusing.

        Returns
        -------
        files : list of pathlib.Path
            The files this process wrote.

        Examples
        --------
        >>> import tempfile
        >>> import numpy as np
        >>> import pandas as pd
        >>> from gansynth import TabularGAN
        >>> from gansynth.streaming import read_parts
        >>> df = pd.DataFrame({"x": np.arange(100.0), "c": ["a", "b"] * 50})
        >>> gan = TabularGAN(epochs=1, random_state=0).fit(df)
        >>> folder = tempfile.mkdtemp()
        >>> [f.name for f in gan.sample_to(folder, 5_000, chunk_size=2_000)]
        ['part-00000.parquet']
        >>> read_parts(folder).equals(gan.sample(5_000))
        True
        """
        check_is_fitted(self, "generator_")
        if label_column is not None:
            _check_label_column(label_column, type(self).__name__, self.classes_)
        return_y = label_column is not None
        plan = self._stream_plan("sample_to", n_samples, chunk_size, y, return_y,
                                 random_state, conditions)  # fmt: skip
        rank, world = rank_and_world()
        _clear_parts(Path(path), overwrite)
        share = np.array_split(np.arange(plan.n_blocks), world)[rank]
        chunks = self._chunks(plan, share, chunk_size, return_y)
        examples = self._make_modality().column_examples(self.encoder_)
        return write_parts(chunks, path, rank, label_column=label_column,
                           overwrite=overwrite, examples=examples)  # fmt: skip

    def _stream_plan(self, method, n_samples, chunk_size, y, return_y,
                     random_state, conditions):  # fmt: skip
        check_count(chunk_size, "chunk_size", f"{type(self).__name__}.{method}")
        plan = self._sample_plan(method, n_samples, y, return_y, random_state,
                                 None, conditions, None)  # fmt: skip
        reason = self._make_modality().streaming_refusal(self.encoder_)
        if reason:
            raise ValueError(f"{type(self).__name__}.{method}: {reason}")
        return plan

    def _chunks(self, plan, blocks, chunk_size, return_y):
        """Decoded chunks of ``chunk_size`` samples from the blocks; at most
        one chunk and one block are held at a time."""
        pending, count = [], 0
        for part in self._blocks(plan, blocks):
            pending.append(part)
            count += len(part[0])
            while count >= chunk_size:
                head, pending = _split_parts(pending, chunk_size)
                count -= chunk_size
                yield self._decode_parts(head, return_y)
        if count:
            yield self._decode_parts(pending, return_y)


def _split_parts(parts, k):
    """The first ``k`` samples of a list of ``(encoded, mask, codes)`` parts,
    and the rest."""
    head, rest, need = [], [], k
    for part in parts:
        if need <= 0:
            rest.append(part)
        elif len(part[0]) <= need:
            head.append(part)
            need -= len(part[0])
        else:
            head.append(tuple(None if a is None else a[:need] for a in part))
            rest.append(tuple(None if a is None else a[need:] for a in part))
            need = 0
    return head, rest
