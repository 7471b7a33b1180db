"""Detection: can a classifier tell synthetic rows from real ones?"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.utils import check_random_state

from ..utils.docstrings import fill_doc
from ._encoding import encode_tables, tree_frame
from ._tables import check_cv, check_tables, random_seed

__all__ = ["detection_auc"]


@fill_doc
def detection_auc(real, synthetic, *, cv=5, discrete_columns=None, random_state=None):
    """Cross-validated ROC AUC of a classifier separating real from synthetic rows.

    A balanced sample is drawn: as many rows from each table as the smaller
    one holds. Real rows are labelled 0 and synthetic rows 1, and a
    :class:`~sklearn.ensemble.HistGradientBoostingClassifier` is scored by
    stratified ``cv``-fold cross-validation. Discrete columns are split on
    natively as categories (over the union of the categories of both tables;
    a column with more than 255 categories is split on as ordinal codes);
    datetimes enter as numbers; missing values are handled by the trees.

    **0.5 is best**: the classifier cannot tell the tables apart. Values near 1
    mean synthetic rows are trivially detectable. Values clearly below 0.5 are
    not better than 0.5, only noise or a sign of too little data.

    Parameters
    ----------
    real : DataFrame or array-like of shape (n_rows, n_columns)
        The real data. Arrays get columns named ``0 .. n_columns-1``.
    %(synthetic)s
    cv : int, default=5
        Number of stratified folds; each table needs at least ``cv`` rows.
    %(discrete_columns)s
    random_state : int, RandomState instance or None, default=None
        Seeds the balanced sample, the folds and the classifier.

    Returns
    -------
    auc : float
        Mean ROC AUC over the folds, in [0, 1].

    Examples
    --------
    >>> import numpy as np
    >>> from gansynth.metrics import detection_auc
    >>> rng = np.random.default_rng(0)
    >>> real = rng.normal(0.0, 1.0, size=(200, 2))
    >>> shifted = rng.normal(3.0, 1.0, size=(200, 2))
    >>> detection_auc(real, shifted, cv=3, random_state=0) > 0.95
    True
    """
    frames, kinds = check_tables(
        {"real": real, "synthetic": synthetic}, discrete_columns=discrete_columns
    )
    real, synthetic = frames["real"], frames["synthetic"]
    n = min(len(real), len(synthetic))
    cv = check_cv(cv, n)
    rng = check_random_state(random_state)
    real_rows = np.sort(rng.choice(len(real), size=n, replace=False))
    synthetic_rows = np.sort(rng.choice(len(synthetic), size=n, replace=False))
    (real_x, synthetic_x), n_categories = encode_tables(
        [real.iloc[real_rows], synthetic.iloc[synthetic_rows]], kinds
    )
    X = tree_frame(pd.concat([real_x, synthetic_x], ignore_index=True), n_categories)
    y = np.repeat([0, 1], n)
    seed = random_seed(rng)
    classifier = HistGradientBoostingClassifier(
        categorical_features="from_dtype", random_state=seed
    )
    folds = StratifiedKFold(n_splits=cv, shuffle=True, random_state=seed)
    scores = cross_val_score(classifier, X, y, cv=folds, scoring="roc_auc")
    return float(np.mean(scores))
