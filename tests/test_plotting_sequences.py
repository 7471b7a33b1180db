import numpy as np
import pytest

from gansynth.datasets import make_sines
from gansynth.plotting import plot_sequence_embedding


def _points(ax):
    return [c.get_offsets().data for c in ax.collections]


def test_pca_is_the_real_sequences_map_and_places_a_copy_on_them():
    real = make_sines(300, random_state=0)
    real_points, copy_points = _points(plot_sequence_embedding(real, real.copy()))
    np.testing.assert_allclose(copy_points, real_points)
    # Fitted on the real sequences: they are centred on the map.
    np.testing.assert_allclose(real_points.mean(axis=0), 0.0, atol=1e-9)


def test_a_shifted_set_lands_away_from_the_real_cloud():
    real = make_sines(300, random_state=0)
    real_points, far = _points(plot_sequence_embedding(real, real + 0.5))
    spread = real_points.std(axis=0).max()
    assert np.linalg.norm(far.mean(axis=0) - real_points.mean(axis=0)) > 2 * spread


def test_tsne_and_subsampling():
    real = make_sines(120, random_state=0)
    other = make_sines(90, random_state=1)
    ax = plot_sequence_embedding(real, other, method="tsne", max_samples=100)
    assert [len(p) for p in _points(ax)] == [100, 90]
    assert ax.get_title() == "t-SNE"


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"method": "umap"}, "method must be 'pca' or 'tsne'"),
        ({"max_samples": 1}, "max_samples must be an int >= 2"),
    ],
)
def test_bad_arguments_are_named(kwargs, match):
    real = make_sines(20, random_state=0)
    with pytest.raises(ValueError, match=match):
        plot_sequence_embedding(real, real, **kwargs)


def test_sequences_of_other_lengths_are_refused():
    with pytest.raises(ValueError, match="same \\(T, F\\)"):
        plot_sequence_embedding(make_sines(20, length=24), make_sines(20, length=12))
