"""Tables of ``tabular_vs_ctgan.py``'s runs: the full markdown table, time to
CTGAN's utility, utility at CTGAN's wall time, and the compact table that
the tabular guide includes (``tabular_vs_ctgan.rst``).

Kept apart from the runner so that ``--render`` rewrites every table from
the committed JSON without running anything.
"""

from __future__ import annotations

from _common import cpus_label, markdown_to_rst, mean_std

METRICS = [
    ("fit_s", "fit s", "{:.1f}"),
    ("generator_steps", "G steps", "{:,.0f}"),
    ("critic_steps", "D steps", "{:,.0f}"),
    ("ms_per_step", "ms/step", "{:.1f}"),
    ("sample_rows_per_s", "sample rows/s", "{:,.0f}"),
    ("peak_rss_gb", "peak GB", "{:.2f}"),
    ("hist_gradient_boosting/synthetic/f1_macro", "TSTR F1 (GB)", "{:.3f}"),
    ("hist_gradient_boosting/synthetic/roc_auc", "TSTR AUC (GB)", "{:.3f}"),
    ("logistic_regression/synthetic/roc_auc", "TSTR AUC (LR)", "{:.3f}"),
    ("detection_auc", "detection AUC (held out)", "{:.3f}"),
    ("detection_auc_train", "detection AUC (train)", "{:.3f}"),
    ("fidelity", "column fidelity (held out)", "{:.3f}"),
    ("fidelity_train", "column fidelity (train)", "{:.3f}"),
    ("dcr_ratio", "DCR ratio", "{:.2f}"),
]
# The guide's table: the figures a reader choosing a model looks at.
GUIDE = [
    ("hist_gradient_boosting/synthetic/roc_auc", "TSTR AUC (GB)", "{:.3f}"),
    ("logistic_regression/synthetic/roc_auc", "TSTR AUC (LR)", "{:.3f}"),
    ("detection_auc", "detection AUC", "{:.3f}"),
    ("fidelity", "column fidelity", "{:.3f}"),
    ("fit_s", "fit s", "{:.0f}"),
]


def summarise(runs):
    """Mean and std over seeds of every metric, per (table, model)."""
    out = {}
    for run in runs:
        out.setdefault((run["table"], run["model"]), []).append(run)
    summary = []
    for (table, model), group in out.items():
        row = {"table": table, "model": model, "n_seeds": len(group),
               "seeds": [r["seed"] for r in group],
               "epochs": group[0].get("epochs", 300),
               "batch": group[0].get("batch", 500)}  # fmt: skip
        for key, _, _ in METRICS:
            # Runs merged from older versions of the script lack newer keys.
            values = [r[key] for r in group if key in r] or [float("nan")]
            row[key], row[key + "_std"] = mean_std(values)
        for name in ("hist_gradient_boosting", "logistic_regression"):
            for metric in ("f1_macro", "roc_auc"):
                key = f"{name}/real/{metric}"
                row[f"ceiling_{name}_{metric}"] = mean_std(r[key] for r in group)[0]
        summary.append(row)
    return summary


def _cell(row, key, fmt):
    if row["n_seeds"] > 1:
        return f"{fmt.format(row[key])} +- {fmt.format(row[key + '_std'])}"
    return fmt.format(row[key])


# Which code made which rows (the runs were merged over several dates).
RUN_NOTES = (
    "How these runs were made: the rows ctgan of every table (and "
    "gansynth-bce+y, until its rerun below) "
    "were run on 2026-12-06 from 07:08 to 07:48 UTC, two processes on the "
    "2 cores (mlc_churn and wa_churn in one, the other three tables in the "
    "other), side by side; gansynth's weights were "
    "checkpointed every epochs // 30 (10 epochs; every epoch on CPS1988). Both "
    "are seeded, and their scores repeat those of the run before on the same "
    "day (checkpoints every epochs // 6), which also made the rows "
    "gansynth-bce+y+val and tvae in the same way. gansynth ran with that day's "
    'defaults: the tabular moment term at weight 2, log_columns="auto" (it '
    "logs CPS1988's wage and credit_data's Income and Price, no column of the "
    "other tables) and float columns rounded to the decimal places they were "
    "written with. CTGAN and TVAE were seeded through ctgan's set_random_state "
    "(NumPy and torch), so a rerun repeats them; earlier runs set torch's "
    "global seed alone, and their scores moved between reruns (TVAE's "
    "gradient-boosting ROC AUC by up to 0.012). The gansynth-bce rows were "
    "rerun on 2026-12-06 from 11:00 to 11:07 UTC with the same defaults and "
    "checkpoints, two processes split as above (against their run earlier "
    "that day, before the rounding, no mean moved by more than 0.007, one "
    "seed by up to 0.018), so "
    "their seconds come from another run than CTGAN's. The gansynth-wgan-gp+c5 "
    "rows were rerun on 2026-12-06 from 11:09 to 11:41 UTC with the same "
    "defaults and checkpoints, all five tables in one process, most of the "
    "time beside one other process. Their seconds come from other runs than "
    "CTGAN's. The gansynth-wgan-gp+y+c5 rows were rerun on 2026-12-06 from 16:12 "
    "to 16:59 UTC, two processes (mlc_churn, credit_data and CPS1988 in one, "
    "wa_churn and Default in the other, each beside another benchmark), with "
    "the fix of that day that draws each generated row's condition on a "
    "discrete column from the frequencies of its class (before, of the whole "
    "table; their run before it, from 11:53 to 12:13 UTC: gradient-boosting "
    "ROC AUC 0.878, 0.808, 0.806, 0.922 and 0.896 on mlc_churn, credit_data, "
    "wa_churn, Default and CPS1988, logistic regression 0.770, 0.818, 0.812, "
    "0.9567 and 0.888). The gansynth-bce+y rows were rerun with the fix on "
    "2026-12-06 from 17:19 to 17:30 UTC, two processes split as above, side "
    "by side (their run before it, beside CTGAN: gradient boosting 0.845, "
    "0.788, 0.804, 0.928 and 0.889, logistic regression 0.750, 0.807, 0.800, "
    "0.9576 and 0.879); the gansynth-bce+y+val rows ran before the fix. "
    "The mlc_churn gansynth-wgan-gp+y+c5 rows were rerun on 2026-12-06 from "
    "18:55 to 19:01 UTC (two processes: seeds 0 and 1, seed 2) with "
    'derived_columns="auto" of that day, which computes mlc_churn\'s four '
    "charge columns from the minutes they are a rate times instead of "
    "generating them (no other table here has such a column); their run "
    "before it: gradient-boosting ROC AUC 0.874, logistic regression 0.780, "
    "detection AUC 0.903 (on the training rows 0.993), fit 155 s. The other "
    "gansynth rows of mlc_churn ran before it and generate the charges. "
    "The gansynth-wgan-gp+y+c5 rows of every table were rerun on 2026-12-07 "
    'with unseen_pairs="auto" of that night (categories that no training '
    "row combines are never drawn together: two pairs on mlc_churn and "
    "credit_data, 144 on wa_churn, none on Default and CPS1988), modes of "
    "one value decoded to it, and the sampling of the evening before, which "
    "draws other rows for a seed; the models are the same. Their run before: "
    "held-out detection AUC 0.608, 0.956, 0.944, 0.545 and 0.791 on "
    "mlc_churn, credit_data, wa_churn, Default and CPS1988, gradient-boosting "
    "ROC AUC 0.874, 0.813, 0.836, 0.928 and 0.895, logistic regression "
    "0.778, 0.822, 0.838, 0.9570 and 0.887. They first ran from 00:59 to "
    "01:34 UTC beside test runs (fit seconds up to 3 times those of a quiet "
    "run); the rows here are their rerun from 02:43 to 03:14 UTC, alone, two "
    "processes split as above, whose scores repeat that run's exactly (the "
    "fits are seeded). That day's machine (another virtual machine than the "
    "day before's) ran gansynth's fits 1.4-1.6 times slower than the day "
    "before (the fit of the code of 2026-12-06 19:12 UTC took as long as "
    "today's on it: 0.47 s per credit_data epoch each, so the code did not "
    "slow down) and CTGAN's faster, so that CTGAN's seconds of the day "
    "before no longer measured the same machine: the ctgan and "
    "gansynth-wgan-gp+y+c5 rows of credit_data and Default were rerun side by "
    "side from 03:18 to 03:38 UTC (one process per table), and the ctgan "
    "rows of the other three tables from 03:59 to 04:12 UTC (mlc_churn and "
    "CPS1988 in one process, wa_churn in the other). CTGAN's scores repeat; "
    "its fits took 144-150 s on mlc_churn (the day before 177-192 s), 79-80 "
    "s on credit_data (91-102 s), 143-149 s on wa_churn (182-204 s), 111-115 "
    "s on Default (151-159 s) and 67-69 s on CPS1988 (71-95 s). On the day "
    "before's machine (the gansynth run of 16:12 UTC, with the sampling "
    "before that evening's changes, and mlc_churn's of 18:55 UTC) gansynth "
    "had reached CTGAN's utility 6.3-27.3 times sooner than CTGAN's fit "
    "ended on every table and seed; here 2.3-15.4 times, below 5 on "
    "credit_data (3.7-4.7) and on two of Default's seeds (4.4 and 2.3). The "
    "rows gansynth-wgan-gp+y (three critic steps per generator step) ran on "
    "2026-12-07 on the same machine, as gansynth-wgan-gp+y+c3 (n_critic=3 "
    "then, when the default was five): credit_data and Default from 04:33 to "
    "04:45 UTC, one process per table; mlc_churn and CPS1988 (one process) "
    "and wa_churn (the other) from 04:56 to 05:12 UTC. Three became the "
    "tables' default that day, so those rows are the defaults' and are named "
    "gansynth-wgan-gp+y; the rows run with five critic steps, the default "
    "before, are named gansynth-wgan-gp+y+c5 and gansynth-wgan-gp+c5 (the "
    "critic_steps of every run in the JSON say which). The marginal plots "
    "were drawn by the runs with five critic steps."
)


def render(summary, runs, tables, info):
    """The full markdown report: every metric, then the two time views."""
    lines = [
        "# TabularGAN vs ctgan",
        "",
        f"One thread per process; {cpus_label(info, runs)}, {info['cpu_count']} cores, "
        f"torch {info['torch']}. Mean +- std over seeds. Detection AUC: 0.5 is best.",
        "",
        RUN_NOTES,
        "",
    ]
    for table in tables:
        rows = [r for r in summary if r["table"] == table]
        if not rows:
            continue
        f1 = rows[0]["ceiling_hist_gradient_boosting_f1_macro"]
        auc = rows[0]["ceiling_hist_gradient_boosting_roc_auc"]
        lines += [
            f"## {table} (real-trained ceiling: GB F1 {f1:.3f}, ROC AUC {auc:.3f})",
            "",
            f"{rows[0]['epochs']} epochs, batch {rows[0]['batch']}, seeds "
            f"{rows[0]['seeds']}."
            + (
                " Rows `@ctgan-time` train for CTGAN's fit time instead (their "
                "G steps say how long)."
                if any("@" in r["model"] for r in rows)
                else ""
            ),
            "",
            "| model | " + " | ".join(label for _, label, _ in METRICS) + " |",
            "|---" * (len(METRICS) + 1) + "|",
        ]
        for r in rows:
            cells = [_cell(r, key, fmt) for key, _, fmt in METRICS]
            lines.append(f"| {r['model']} | " + " | ".join(cells) + " |")
        lines.append("")
    lines += time_to_quality(runs)
    lines += at_ctgan_time(runs, tables)
    lines += chosen_on_validation(runs, tables)
    return "\n".join(lines)


def guide_table(summary, tables):
    """The compact comparison the tabular guide includes, as reST."""
    lines = [
        "Train on synthetic, test on real (TSTR ROC AUC of gradient boosting, GB, "
        "and logistic regression, LR; the row *real* trains on the real rows), "
        "detection AUC (0.5 is best) and column fidelity (0 is best) against "
        "held-out rows, and fit seconds (one thread). Mean +- std over seeds "
        "0, 1, 2 unless a row says otherwise; same epochs and batch for every model "
        "(``benchmarks/results/tabular_vs_ctgan.md`` has every figure).",
    ]
    for table in tables:
        rows = [r for r in summary if r["table"] == table and "@" not in r["model"]]
        if not rows:
            continue
        first = rows[0]
        lines += ["", f"### {table}, {first['epochs']} epochs", ""]
        lines.append("| model | " + " | ".join(g[1] for g in GUIDE) + " |")
        lines.append("|---" * (len(GUIDE) + 1) + "|")
        for r in rows:
            cells = [_cell(r, key, fmt) for key, _, fmt in GUIDE]
            seeds = "" if r["n_seeds"] > 1 else f" (seed {r['seeds'][0]} only)"
            lines.append(f"| {r['model']}{seeds} | " + " | ".join(cells) + " |")
        real = [
            f"{first['ceiling_hist_gradient_boosting_roc_auc']:.3f}",
            f"{first['ceiling_logistic_regression_roc_auc']:.3f}",
            "",
            "",
            "",
        ]
        lines.append("| real | " + " | ".join(real) + " |")
    return markdown_to_rst("\n".join(lines))


def time_to_quality(runs):
    """For each gansynth run: the first checkpoint whose TSTR ROC AUC on the
    validation rows reaches CTGAN's final one there (same table and seed), its
    wall-time ratio, and both models' TSTR ROC AUC on the test rows, which
    chose nothing; beside it, the first checkpoint whose test AUC reaches
    CTGAN's final test AUC (a check on the validation rows' noise: the more
    checkpoints, the sooner a noisy curve first crosses a line)."""
    ctgan = {(r["table"], r["seed"]): r for r in runs if r["model"] == "ctgan"}
    ratios = {}  # (table, model): the ratio of each seed, None if not reached
    lines = [
        "## Time to CTGAN's final utility (TSTR ROC AUC, gradient boosting)",
        "",
        "A checkpoint is chosen on the validation rows (a fifth of the training "
        "split, seen by no model); the test columns report it. The last column "
        "is the first checkpoint whose test AUC reaches CTGAN's final test AUC "
        "(epoch, ratio): where it is later, the validation rows' noise chose "
        "early.",
        "",
        "| table | seed | model | CTGAN validation AUC, s | reached at epoch | s | "
        "ratio | test AUC, gansynth vs CTGAN | on the test rows |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in runs:
        peer = ctgan.get((r["table"], r["seed"]))
        if peer is None or not r["model"].startswith("gansynth") or "@" in r["model"]:
            continue
        if "validation_auc" not in peer["curve"][-1]:
            continue  # a run from before the validation split
        goal = peer["curve"][-1]["validation_auc"]
        hit = _first_at(r["curve"], "validation_auc", goal)
        test_goal = peer["curve"][-1]["tstr_auc"]
        test_hit = _first_at(r["curve"], "tstr_auc", test_goal)
        on_test = (
            "never" if test_hit is None
            else f"{test_hit['epochs']}, {peer['fit_s'] / test_hit['seconds']:.1f}x"
        )  # fmt: skip
        head = f"| {r['table']} | {r['seed']} | {r['model']} | {goal:.3f}, "
        head += f"{peer['fit_s']:.0f} |"
        ratio = None if hit is None else peer["fit_s"] / hit["seconds"]
        ratios.setdefault((r["table"], r["model"]), []).append(ratio)
        if hit is None:
            lines.append(head + f" not reached | - | - | - | {on_test} |")
        else:
            lines.append(
                head + f" {hit['epochs']} | {hit['seconds']:.0f} | {ratio:.1f}x | "
                f"{hit['tstr_auc']:.3f} vs {test_goal:.3f} | {on_test} |"
            )
    return [*lines, "", *ratio_summary(ratios)]


def ratio_summary(ratios):
    """Per table and model, the seeds' ratios (CTGAN's fit seconds over the
    seconds to its utility, on the validation rows): mean +- std and lowest,
    over the seeds that reached it; those that did not are counted."""
    lines = [
        "Per table and model, over seeds: the ratio's mean +- std and its "
        "lowest seed (target: at least 5x).",
        "",
        "| table | model | seeds | ratio | lowest | not reached |",
        "|---|---|---|---|---|---|",
    ]
    for (table, model), found in ratios.items():
        reached = [x for x in found if x is not None]
        mean, std = mean_std(reached) if reached else (float("nan"), 0.0)
        lowest = f"{min(reached):.1f}x" if reached else "-"
        missed = len(found) - len(reached)
        lines.append(f"| {table} | {model} | {len(found)} | {mean:.1f}x +- "
                     f"{std:.1f} | {lowest} | {missed} |")  # fmt: skip
    return [*lines, ""]


def _first_at(curve, key, goal):
    """The first checkpoint of ``curve`` whose ``key`` reaches ``goal``."""
    return next((point for point in curve if point[key] >= goal), None)


def at_ctgan_time(runs, tables):
    """Test TSTR ROC AUC of each gansynth loss at the last checkpoint that
    ends within CTGAN's fit time (same table and seed), beside CTGAN's: the
    comparison at equal wall time read off the checkpoint curves, no extra
    fit. A model that ends sooner than CTGAN is shown at its end, so its
    figure is a lower bound of what CTGAN's time would buy."""
    ctgan = {(r["table"], r["seed"]): r for r in runs if r["model"] == "ctgan"}
    found = {}
    for r in runs:
        peer = ctgan.get((r["table"], r["seed"]))
        if peer is None or not r["model"].startswith("gansynth") or "@" in r["model"]:
            continue
        within = [p for p in r["curve"] if p["seconds"] <= peer["fit_s"]]
        point = within[-1] if within else None
        found.setdefault((r["table"], r["model"]), []).append(
            (point, peer["curve"][-1]["tstr_auc"], r["curve"][-1]["epochs"])
        )
    lines = [
        "## At CTGAN's wall time (TSTR ROC AUC, gradient boosting, test rows)",
        "",
        "Each gansynth run at its last checkpoint (every epochs/30) that ends "
        "within CTGAN's fit time on the same table and seed. A run that ends "
        "sooner is shown at its end: with CTGAN's time it would train longer "
        "(`--equal-time` fits that). Mean +- std over seeds.",
        "",
        "| table | model | epochs reached (of) | gansynth | CTGAN |",
        "|---|---|---|---|---|",
    ]
    for t, model, points in _in_table_order(found, tables):
        reached = [p for p, _, _ in points if p is not None]
        if not reached:
            lines.append(f"| {t} | {model} | no checkpoint in time | - | - |")
            continue
        ours = mean_std(p["tstr_auc"] for p in reached)
        theirs = mean_std(c for p, c, _ in points if p is not None)
        epochs = "/".join(str(p["epochs"]) for p in reached)
        lines.append(
            f"| {t} | {model} | {epochs} ({points[0][2]}) | "
            f"{ours[0]:.3f} +- {ours[1]:.3f} | {theirs[0]:.3f} +- {theirs[1]:.3f} |"
        )
    return [*lines, ""]


def chosen_on_validation(runs, tables):
    """Test TSTR ROC AUC of each gansynth run at its last checkpoint and at
    the checkpoint with the best TSTR ROC AUC on the validation rows: what
    keeping the best checkpoint instead of the last would have given, read
    off the curves (``validation_fraction`` does it inside the fit, on rows
    of its own)."""
    found = {}
    for r in runs:
        if len(r.get("curve", [])) < 2 or "@" in r["model"]:
            continue
        best = max(r["curve"], key=lambda p: p["validation_auc"])  # first of equals
        found.setdefault((r["table"], r["model"]), []).append(
            (r["curve"][-1]["tstr_auc"], best["tstr_auc"], best["epochs"])
        )
    lines = [
        "## The best checkpoint on the validation rows instead of the last",
        "",
        "TSTR ROC AUC (gradient boosting) on the test rows of each gansynth run "
        "at its last checkpoint and at the checkpoint (every epochs/30) whose "
        "TSTR ROC AUC on the validation rows is best. Mean +- std over seeds.",
        "",
        "| table | model | last | best on validation | its epochs |",
        "|---|---|---|---|---|",
    ]
    for t, model, points in _in_table_order(found, tables):
        last = mean_std(p[0] for p in points)
        best = mean_std(p[1] for p in points)
        epochs = "/".join(str(p[2]) for p in points)
        lines.append(
            f"| {t} | {model} | {last[0]:.3f} +- {last[1]:.3f} | "
            f"{best[0]:.3f} +- {best[1]:.3f} | {epochs} |"
        )
    return [*lines, ""]


def _in_table_order(found, tables):
    """``(table, model, points)`` of ``found`` (keyed by table and model), the
    tables in the order of ``tables``."""
    for table in tables:
        for (t, model), points in found.items():
            if t == table:
                yield t, model, points
