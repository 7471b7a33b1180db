"""Streamed sampling: chunks and part files equal ``sample``, for every
container, with memory bounded by the chunk."""

import numpy as np
import pandas as pd
import pytest
import torch

from gansynth import ConditionalGAN, ImageGAN, TabularGAN, TimeSeriesGAN
from gansynth.generation import NET_BLOCK, SAMPLE_BLOCK, block_rows
from gansynth.streaming import read_parts

from ..conftest import FAST
from ..tabular.test_encoder import every_dtype_frame


@pytest.fixture(scope="module")
def mixed():
    df = every_dtype_frame(200)
    y = np.arange(200) % 3
    return df, TabularGAN(random_state=0, **FAST).fit(df, y)


@pytest.mark.parametrize(
    "chunk_size", [1, 999, NET_BLOCK, SAMPLE_BLOCK, 10_000, 50_000]
)
def test_chunks_concatenate_to_sample(mixed, chunk_size):
    _, gan = mixed
    # Past one seeded block, whose generator calls end mid-chunk.
    n = 1 if chunk_size == 1 else SAMPLE_BLOCK + 10_001
    whole, y = gan.sample(n, return_y=True, random_state=3)
    chunks = list(gan.sample_chunks(n, chunk_size=chunk_size, return_y=True,
                                    random_state=3))  # fmt: skip
    assert [len(c[0]) for c in chunks[:-1]] == [chunk_size] * (len(chunks) - 1)
    pd.testing.assert_frame_equal(
        pd.concat([c[0] for c in chunks], ignore_index=True), whole
    )
    np.testing.assert_array_equal(np.concatenate([c[1] for c in chunks]), y)


def test_seeded_blocks_of_large_samples_stay_small():
    # Rows of a table share a seed over four generator calls; larger images
    # are seeded every call, so a block's values stay within 64 MiB.
    assert block_rows((86,)) == SAMPLE_BLOCK == 4 * NET_BLOCK
    assert block_rows((3, 32, 32)) == NET_BLOCK
    assert SAMPLE_BLOCK * 1_024 * 4 <= 64 * 2**20


def test_given_classes_and_conditions_stream_like_sample(mixed):
    _, gan = mixed
    y = {0: 5_000, 2: 3_000}
    whole = gan.sample(y=y, conditions={"plan": "pro"}, random_state=1)
    parts = gan.sample_chunks(y=y, conditions={"plan": "pro"}, chunk_size=3_333,
                              random_state=1)  # fmt: skip
    pd.testing.assert_frame_equal(pd.concat(list(parts), ignore_index=True), whole)
    assert (whole["plan"] == "pro").all()


def test_parquet_parts_keep_every_dtype(mixed, tmp_path):
    df, gan = mixed
    files = gan.sample_to(tmp_path / "out", 9_000, chunk_size=2_000,
                          random_state=5, label_column="label")  # fmt: skip
    assert [f.name for f in files] == ["part-00000.parquet"]
    import pyarrow.parquet as pq

    assert pq.ParquetFile(files[0]).metadata.num_row_groups == 5
    back = read_parts(tmp_path / "out")
    whole, y = gan.sample(9_000, random_state=5, return_y=True)
    assert back.dtypes.drop("label").equals(df.dtypes)
    pd.testing.assert_frame_equal(back.drop(columns="label"), whole)
    np.testing.assert_array_equal(back["label"].to_numpy(), y)


def test_sample_to_refuses_to_overwrite_and_bad_arguments(mixed, tmp_path):
    _, gan = mixed
    gan.sample_to(tmp_path, 10)
    with pytest.raises(FileExistsError, match="overwrite=True"):
        gan.sample_to(tmp_path, 10)
    gan.sample_to(tmp_path, 10, overwrite=True)
    with pytest.raises(ValueError, match="'chunk_size' parameter of TabularGAN"):
        gan.sample_to(tmp_path, 10, chunk_size=0, overwrite=True)
    with pytest.raises(ValueError, match="label_column='income' is a column"):
        gan.sample_to(tmp_path, 10, label_column="income", overwrite=True)
    with pytest.raises(ValueError, match="label_column must be a non-empty string"):
        gan.sample_to(tmp_path, 10, label_column=3, overwrite=True)


def test_label_column_needs_a_conditional_model(tmp_path):
    X = np.random.default_rng(0).normal(size=(60, 2))
    gan = TabularGAN(epochs=1, random_state=0).fit(X)
    with pytest.raises(ValueError, match=r"fitted without y\. Leave label_column"):
        gan.sample_to(tmp_path, 10, label_column="y")


def test_arrays_stream_to_npy(tmp_path):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (40, 8, 8, 1), dtype=np.uint8)
    labels = np.arange(40) % 2
    gan = ImageGAN(epochs=1, batch_size=20, random_state=0).fit(images, labels)
    files = gan.sample_to(tmp_path, 5_000, chunk_size=2_048, label_column="y")
    assert [f.name for f in files[:2]] == ["part-00000-00000.npy",
                                           "part-00000-00000.y.npy"]  # fmt: skip
    X, y = read_parts(tmp_path, label_column="y")
    whole, y_whole = gan.sample(5_000, return_y=True)
    assert X.dtype == np.uint8 and X.shape == (5_000, 8, 8, 1)
    np.testing.assert_array_equal(X, whole)
    np.testing.assert_array_equal(y, y_whole)


def test_tensors_and_sequences_stream(tmp_path):
    series = torch.randn(30, 6, 2)
    gan = TimeSeriesGAN(epochs=1, hidden_size=8, random_state=0).fit(series)
    chunks = list(gan.sample_chunks(100, chunk_size=30))
    assert all(isinstance(c, torch.Tensor) for c in chunks)
    torch.testing.assert_close(torch.cat(chunks), gan.sample(100), rtol=0, atol=0)


def test_long_frames_are_refused_by_name():
    long = pd.DataFrame({"id": np.repeat(np.arange(10), 4),
                         "v": np.random.default_rng(0).normal(size=40)})  # fmt: skip
    gan = TimeSeriesGAN(epochs=1, hidden_size=8, id_column="id",
                        random_state=0).fit(long)  # fmt: skip
    with pytest.raises(ValueError, match=r"TimeSeriesGAN\.sample_chunks: a model"):
        next(gan.sample_chunks(10))


def test_no_state_leaks_between_chunks(mixed):
    """Grad mode and the global RNG are the caller's between chunks (the
    generator draws Gumbel noise from a seeded RNG of its own)."""
    _, gan = mixed
    torch.manual_seed(0)
    expected = torch.rand(4)
    torch.manual_seed(0)
    drawn = []
    for _ in gan.sample_chunks(10_000, chunk_size=4_000):
        assert torch.is_grad_enabled()
        drawn.append(torch.rand(1))  # the caller's stream, not a block's
    drawn.append(torch.rand(1))
    torch.testing.assert_close(torch.cat(drawn), expected)


def test_conditional_streaming_matches_class_counts(tmp_path):
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(-3, 1, (60, 2)), rng.normal(3, 1, (60, 2))])
    y = np.repeat(["a", "b"], 60)
    gan = ConditionalGAN(epochs=1, random_state=0).fit(X, y)
    chunks = list(gan.sample_chunks(y={"a": 7_000, "b": 3}, chunk_size=5_000,
                                    return_y=True))  # fmt: skip
    labels = np.concatenate([c[1] for c in chunks])
    assert (labels == "a").sum() == 7_000 and (labels == "b").sum() == 3


def test_overwrite_removes_every_part_of_an_earlier_run(tmp_path):
    X = np.random.default_rng(0).normal(size=(60, 2))
    gan = TabularGAN(random_state=0, **FAST).fit(X)
    gan.sample_to(tmp_path, 1_000, chunk_size=100)  # ten parts
    # A part this run would not write again (another rank's, say) is refused:
    # read back, it would be mixed with this run's.
    (tmp_path / "part-00001-00000.npy").write_bytes(b"")
    with pytest.raises(FileExistsError, match="holds 11 part file"):
        gan.sample_to(tmp_path, 50, chunk_size=100)
    gan.sample_to(tmp_path, 50, chunk_size=100, overwrite=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["part-00000-00000.npy"]
    np.testing.assert_array_equal(read_parts(tmp_path), gan.sample(50))
    with pytest.raises(NotADirectoryError, match=r"part-00000-00000\.npy is a file"):
        gan.sample_to(tmp_path / "part-00000-00000.npy", 10)


def test_a_first_chunk_of_only_missing_strings_types_the_column(tmp_path):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=200),
                       "s": rng.choice(["p", "q"], 200).astype(object)})  # fmt: skip
    df.loc[::2, "s"] = None
    gan = TabularGAN(random_state=0, **FAST).fit(df)
    # A seed whose first row is missing: that chunk of one row has no string.
    seed = next(s for s in range(100) if gan.sample(1, random_state=s)["s"].isna()[0])
    gan.sample_to(tmp_path, 300, chunk_size=1, random_state=seed)
    back = read_parts(tmp_path)
    pd.testing.assert_frame_equal(back, gan.sample(300, random_state=seed))
    assert back["s"].notna().any()


def test_column_names_parquet_cannot_hold_are_refused_before_any_file(tmp_path):
    # pyarrow wrote 0, 1 as "0", "1" (read back as other columns), or failed
    # at the second chunk with a part file left that could not be read.
    X = np.random.default_rng(0).normal(size=(100, 2))
    gan = TabularGAN(random_state=0, **FAST).fit(pd.DataFrame(X, columns=[0, 1]))
    with pytest.raises(ValueError, match=r"column names are strings.*\[0, 1\]"):
        gan.sample_to(tmp_path, 50, chunk_size=20)
    assert not list(tmp_path.iterdir())


def test_values_parquet_cannot_hold_are_refused_by_column(tmp_path):
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"x": rng.normal(size=200)})
    df["bin"] = pd.cut(df["x"], 3)  # a categorical of intervals
    gan = TabularGAN(random_state=0, **FAST).fit(df)
    with pytest.raises(ValueError, match=r"cannot write column\(s\) \['bin'\]"):
        gan.sample_to(tmp_path, 50, chunk_size=20)
    assert not list(tmp_path.iterdir())  # no unfinished part left
    assert next(gan.sample_chunks(50, chunk_size=20))["bin"].dtype == df["bin"].dtype
