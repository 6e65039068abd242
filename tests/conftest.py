"""Fixtures shared by the whole test suite."""

import os
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

REPO_ROOT = Path(__file__).resolve().parents[1]

# The suite trains tiny networks, for which one thread is fastest: on a
# shared two-core machine two threads wait on each other and make small fits
# many times slower.
torch.set_num_threads(1)

# README's test command names the data folder relative to the repository
# root (SKFRAUD_DATA=../shared/data): fixed here as an absolute path, so that
# a test that changes directory, or a command it starts elsewhere, still
# finds it.
if os.environ.get("SKFRAUD_DATA"):
    os.environ["SKFRAUD_DATA"] = str(Path(os.environ["SKFRAUD_DATA"]).resolve())


def _data_dir():
    configured = os.environ.get("SKFRAUD_DATA")
    return Path(configured) if configured else REPO_ROOT.parent / "shared" / "data"


def pytest_terminal_summary(terminalreporter):
    """Name the modules that the walk of the package left out, and why."""
    public_api = sys.modules.get("tests._public_api")
    if public_api is None or public_api.walk.cache_info().currsize == 0:
        return
    left_out = public_api.left_out_modules()
    if left_out:
        terminalreporter.section("skfraud modules left out", sep="-")
        for reason in left_out.values():
            terminalreporter.write_line(reason)


@pytest.fixture(autouse=True)
def _auto_device_is_the_cpu_outside_gpu_tests(request, monkeypatch):
    """Outside the tests marked ``gpu``, ``device="auto"`` resolves to the CPU.

    The suite checks bit-exact determinism (refits, batch sizes, subsets),
    which is a CPU promise: CUDA kernels may round differently between runs
    and batch sizes. The ``gpu`` tests check the CUDA paths explicitly.
    """
    if request.node.get_closest_marker("gpu") is None:
        monkeypatch.setattr(torch.cuda, "is_available", lambda: False)


@pytest.fixture(scope="session")
def data_dir():
    """Folder holding the real benchmark files (``SKFRAUD_DATA`` or
    ``../shared/data`` next to the repository)."""
    path = _data_dir()
    if not path.is_dir():
        pytest.skip(f"real data folder {path} not found; set SKFRAUD_DATA")
    return path


@pytest.fixture(scope="session")
def thyroid(data_dir):
    """ODDS thyroid: X (3772, 6) in [0, 1], y with 93 outliers."""
    from scipy.io import loadmat

    mat = loadmat(data_dir / "thyroid.mat")
    return mat["X"].astype(np.float64), mat["y"].ravel().astype(int)


@pytest.fixture(scope="session")
def vehicle_insurance(data_dir):
    """Vehicle insurance claims: 31 mixed-type columns and the fraud label."""
    import pandas as pd

    frame = pd.read_csv(data_dir / "vehicle_insurance_fraud.csv.gz")
    return frame.drop(columns=["FraudFound_P", "PolicyNumber"]), frame["FraudFound_P"]


def make_toy_outliers(n_inliers=300, n_outliers=3, random_state=0):
    """Inliers on a curve in [0, 1]^6, plus outliers off it, placed last.

    Each outlier takes every coordinate from a different inlier, so it lies
    inside every feature's range, and is kept only if it is far (0.4) from
    every inlier: no single feature, norm or distance to the centre gives
    it away, and a network must learn the curve to find it. An untrained
    network does not rank the outliers last.
    """
    rng = np.random.default_rng(random_state)
    t = rng.uniform(0.0, 1.0, size=(n_inliers, 1))
    inliers = np.hstack(
        [
            t,
            t**2,
            1 - t,
            0.8 * np.sin(np.pi * t),
            0.5 * t + 0.2,
            np.sqrt(t),
        ]
    )
    inliers += rng.normal(0.0, 0.01, size=inliers.shape)
    outliers = []
    while len(outliers) < n_outliers:
        donors = rng.integers(0, n_inliers, size=inliers.shape[1])
        row = inliers[donors, np.arange(inliers.shape[1])]
        if np.linalg.norm(inliers - row, axis=1).min() > 0.4:
            outliers.append(row)
    return np.vstack([inliers, outliers])


def outliers_rank_last(scores, n_outliers=3):
    """Whether the last ``n_outliers`` rows have the lowest ``score_samples``."""
    lowest = np.argsort(scores)[:n_outliers]
    return set(lowest) == set(range(len(scores) - n_outliers, len(scores)))


@pytest.fixture
def toy_outliers():
    return make_toy_outliers()


def make_curve_outliers(n_inliers=300, n_outliers=3, noise=0.02, random_state=0):
    """Inliers on a closed curve in 8 dimensions, plus outliers off it, last.

    An inlier is ``(cos kt, sin kt)`` for ``k = 1..4`` at one angle ``t``,
    with a little noise. An outlier draws an independent angle for every
    ``k``: each pair of its features lies on the same unit circle as the
    inliers' (same ranges, same pairwise marginals), so only the joint shape
    of the data gives it away. Returns ``X`` of shape
    (n_inliers + n_outliers, 8).
    """
    rng = np.random.default_rng(random_state)
    frequencies = np.arange(1, 5)

    def embed(angles):
        return np.concatenate([np.cos(angles), np.sin(angles)], axis=1)

    t = rng.uniform(0.0, 2.0 * np.pi, (n_inliers, 1))
    inliers = embed(t * frequencies) + rng.normal(0.0, noise, (n_inliers, 8))
    outliers = embed(rng.uniform(0.0, 2.0 * np.pi, (n_outliers, 4)))
    return np.vstack([inliers, outliers])


def make_ring_outliers(n_inliers=300, noise=0.03, random_state=0):
    """Inliers on a noisy unit circle, plus three rows inside it placed last.

    The outliers lie within the inliers' range on both features, so no
    per-feature rule separates them; only the shape of the data does. Returns
    ``X`` of shape (n_inliers + 3, 2).
    """
    rng = np.random.default_rng(random_state)
    angles = rng.uniform(0.0, 2.0 * np.pi, n_inliers)
    inliers = np.column_stack([np.cos(angles), np.sin(angles)])
    inliers += rng.normal(0.0, noise, size=inliers.shape)
    outliers = np.array([[0.0, 0.0], [0.25, -0.15], [-0.15, 0.3]])
    return np.vstack([inliers, outliers])
