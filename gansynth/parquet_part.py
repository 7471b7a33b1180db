"""One process's Parquet file of a streamed sample (see
:mod:`gansynth.streaming`): the schema of the first chunk, checked before the
file is made, then a row group per chunk; a table that Parquet cannot hold
is refused by column."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["ParquetPart", "pyarrow_modules"]


def pyarrow_modules():
    """``(pyarrow, pyarrow.parquet)``, or an ImportError that says how to
    install them."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError as exc:  # pragma: no cover - depends on the install
        raise ImportError(
            "sample_to writes tables to Parquet with pyarrow, which is not "
            "installed; pip install 'gansynth[parquet]' (or pyarrow)."
        ) from exc
    return pa, pq


def _typed_schema(table, examples):
    """``table``'s schema with each column that Arrow typed as null (a first
    chunk whose values were all missing) typed by ``examples[name]``, the
    values the column can take; later chunks are written with this schema."""
    pa, _ = pyarrow_modules()
    fields = [
        field.with_type(pa.array(examples[field.name], from_pandas=True).type)
        if pa.types.is_null(field.type) and examples.get(field.name)
        else field
        for field in table.schema
    ]
    return pa.schema(fields, metadata=table.schema.metadata)


class ParquetPart:
    """One process's Parquet file: the schema of the first chunk, checked
    before the file is made, then a row group per chunk."""

    def __init__(self, first: pd.DataFrame, examples):
        self.pa, self.pq = pyarrow_modules()
        self.writer = self.path = None  # the file is made by open()
        named = [c for c in first.columns if not isinstance(c, str)]
        if named:
            raise ValueError(
                f"sample_to writes Parquet, whose column names are strings; "
                f"this model's columns include {named[:5]} "
                f"({type(named[0]).__name__}). Rename them to strings before "
                "fit, or iterate over sample_chunks and write the chunks yourself."
            )
        table = self._table(first)
        self.schema = _typed_schema(table, examples)

    def open(self, path: Path) -> Path:
        self.path = path
        self.writer = self.pq.ParquetWriter(path, self.schema)
        return path

    def _table(self, X, schema=None):
        try:
            return self.pa.Table.from_pandas(X, schema=schema, preserve_index=False)
        except self.pa.ArrowException as exc:
            self.discard()
            raise self._unwritable(X, exc) from exc

    def write(self, X: pd.DataFrame) -> None:
        """Write ``X`` as a row group; a chunk Parquet cannot hold removes
        the unfinished file (it could not be read) and raises a ValueError."""
        table = self._table(X, self.schema)
        try:
            self.writer.write_table(table)
        except self.pa.ArrowException as exc:
            self.discard()
            raise self._unwritable(X, exc) from exc

    def _unwritable(self, X, exc) -> ValueError:
        bad = []
        for column in X.columns:  # the columns that fail on their own
            try:
                one = self.pa.Table.from_pandas(X[[column]], preserve_index=False)
                self.pq.write_table(one, self.pa.BufferOutputStream())
            except self.pa.ArrowException:
                bad.append(column)
        return ValueError(
            f"sample_to cannot write column(s) {bad or list(X.columns)} to "
            f"Parquet ({type(exc).__name__}: {exc}); convert them before fit "
            "(to strings, say), or iterate over sample_chunks and write the "
            "chunks yourself."
        )

    def discard(self) -> None:
        """Close and remove the unfinished file."""
        self.close()
        if self.path is not None:
            self.path.unlink(missing_ok=True)

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None
