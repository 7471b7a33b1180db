"""Shared fixtures: pinned threads, cheap estimators, small data."""

import os

for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")
# scikit-learn's array-API estimator checks skip unless SciPy is told to
# accept array-API inputs (read when SciPy is imported, so set first).
os.environ.setdefault("SCIPY_ARRAY_API", "1")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import torch  # noqa: E402

# One thread per test process: the suite runs under pytest-xdist on 2 cores,
# and torch's default threading is many times slower when cores are shared.
torch.set_num_threads(1)

# Under GANSYNTH_STRICT_SKIPS=1 (``make test``, hence CI, which installs every
# test dependency) a skip fails the run unless it is for a missing GPU: a
# missing package must not turn into a green run.
STRICT_SKIPS = os.environ.get("GANSYNTH_STRICT_SKIPS") == "1"
ALLOWED_SKIP = "needs CUDA"
_bad_skips: list = []


def _record_skip(report):
    if not (STRICT_SKIPS and report.skipped) or hasattr(report, "wasxfail"):
        return
    reason = report.longrepr[-1] if isinstance(report.longrepr, tuple) else ""
    if ALLOWED_SKIP not in str(reason):
        _bad_skips.append(f"{report.nodeid}: {reason}")


def pytest_runtest_logreport(report):
    _record_skip(report)


def pytest_collectreport(report):
    _record_skip(report)


def pytest_sessionfinish(session, exitstatus):
    if _bad_skips and exitstatus == 0:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    if _bad_skips:
        terminalreporter.section("skips refused (GANSYNTH_STRICT_SKIPS=1)")
        for line in _bad_skips:
            terminalreporter.line(line)


# Cheap settings for contract tests (the role of imbalanced-learn's
# _set_checking_parameters): tiny networks, few epochs, CPU.
FAST = dict(
    epochs=2,
    batch_size=32,
    latent_dim=4,
    generator_dims=(16,),
    discriminator_dims=(16,),
    pac=2,
    device="cpu",
)


@pytest.fixture
def fast_params():
    return dict(FAST)


@pytest.fixture
def blobs():
    rng = np.random.default_rng(0)
    X = np.concatenate([rng.normal(-2, 0.5, (60, 3)), rng.normal(2, 0.5, (60, 3))])
    y = np.repeat([0, 1], 60)
    return X, y


@pytest.fixture
def tiny_conditional_gan():
    """A ConditionalGAN cheap enough for contract tests."""
    from gansynth import ConditionalGAN

    return ConditionalGAN(
        epochs=2,
        batch_size=32,
        latent_dim=4,
        device="cpu",
        random_state=0,
        modality_params=dict(generator_dims=(16,), discriminator_dims=(16,), pac=2),
    )
