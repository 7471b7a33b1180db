"""Privacy: do synthetic rows sit closer to the training rows than real ones do?"""

from __future__ import annotations

import numpy as np
from sklearn.neighbors import NearestNeighbors

from ..utils.docstrings import fill_doc
from ._encoding import encode_tables, linear_preprocessor
from ._tables import check_tables

__all__ = ["distance_to_closest_record"]

# Distances below this (in standardised units) count as an exact copy; the
# brute-force Euclidean distance leaves rounding noise of about 1e-8 on copies.
_COPY_TOLERANCE = 1e-6


@fill_doc
def distance_to_closest_record(real, synthetic, holdout, *, discrete_columns=None):
    """Distance to closest record (DCR) of synthetic and of held-out real rows.

    For each synthetic row, the Euclidean distance to its nearest row of
    ``real`` (the training table the generator learned from); for each row of
    ``holdout`` (real rows the generator never saw), the distance to its
    nearest training row too. The held-out distances are what honest new data
    looks like: a generator that copies or barely perturbs training rows puts
    its samples much closer to them.

    Rows are encoded with statistics of ``real`` alone: continuous columns
    (datetimes as numbers) imputed with the median, flagged by an indicator
    when missing and standardised; discrete columns one-hot encoded (a missing
    value is a category of its own; a category unseen in ``real`` encodes as
    all zeros).

    Parameters
    ----------
    %(real_training)s
    %(synthetic)s
    holdout : DataFrame or array-like of shape (n_holdout, n_columns)
        Real rows the generator did not train on.
    %(discrete_columns)s

    Returns
    -------
    result : dict
        ``synthetic_median`` and ``holdout_median`` (the median DCRs),
        ``ratio`` (``synthetic_median / holdout_median``: near 1 is what new
        real data gives, values well below 1 mean the generator copies training
        rows; NaN when ``holdout_median`` is 0, as in tables of a few discrete
        columns where rows repeat) and ``exact_match_share`` (the share of
        synthetic rows identical to a training row in the encoding).

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.metrics import distance_to_closest_record
    >>> rng = np.random.default_rng(0)
    >>> train, holdout = rng.normal(size=(100, 3)), rng.normal(size=(100, 3))
    >>> copies = train[:50] + 0.01
    >>> dcr = distance_to_closest_record(train, copies, holdout)
    >>> round(dcr["synthetic_median"], 3), dcr["ratio"] < 0.1
    (0.017, True)
    """
    frames, kinds = check_tables(
        {"real": real, "synthetic": synthetic, "holdout": holdout},
        discrete_columns=discrete_columns,
    )
    (train, synthetic_x, holdout_x), n_categories = encode_tables(
        [frames["real"], frames["synthetic"], frames["holdout"]], kinds
    )
    encoder = linear_preprocessor(train, n_categories).fit(train)
    neighbours = NearestNeighbors(n_neighbors=1).fit(encoder.transform(train))
    synthetic_dcr = neighbours.kneighbors(encoder.transform(synthetic_x))[0][:, 0]
    holdout_dcr = neighbours.kneighbors(encoder.transform(holdout_x))[0][:, 0]
    synthetic_median = float(np.median(synthetic_dcr))
    holdout_median = float(np.median(holdout_dcr))
    ratio = synthetic_median / holdout_median if holdout_median > 0 else np.nan
    return {
        "synthetic_median": synthetic_median,
        "holdout_median": holdout_median,
        "ratio": float(ratio),
        "exact_match_share": float(np.mean(synthetic_dcr <= _COPY_TOLERANCE)),
    }
