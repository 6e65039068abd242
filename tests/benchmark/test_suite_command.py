"""``skfraud benchmark --suite adbench`` end to end on two tiny generated files."""

import hashlib
import re

import numpy as np
import pandas as pd
import pytest

from skfraud.benchmark import SUITES, run_benchmark
from skfraud.cli import main
from skfraud.datasets import _adbench

NAMES = ("14_glass", "42_WBC")
TIMING = ["fit_seconds", "score_rows_per_second"]


@pytest.fixture
def tiny_suite(tmp_path, monkeypatch):
    """Two generated .npz files under the names of two ADBench sets."""
    folder = tmp_path / "data" / "adbench"
    folder.mkdir(parents=True)
    rng = np.random.default_rng(0)
    for number, name in enumerate(NAMES):
        y = np.r_[np.zeros(90, dtype=int), np.ones(10, dtype=int)]
        X = rng.normal(size=(100, 3 + number))
        # Scattered far from the normal cloud and from one another.
        X[y == 1] *= 30.0
        path = folder / f"{name}.npz"
        np.savez(path, X=X, y=y)
        sha256 = hashlib.sha256(path.read_bytes()).hexdigest()
        monkeypatch.setitem(_adbench._FILES, name, (100, 3 + number, 10, sha256))
    monkeypatch.setitem(SUITES, "adbench", NAMES)
    return tmp_path / "data"


def _headline_rows(report, protocol):
    section = report.split(f"## {protocol}\n")[1].split("###")[0]
    rows = [line.split(" | ") for line in section.splitlines() if line.startswith("| ")]
    return {row[0].lstrip("| "): row for row in rows[1:]}


def test_suite_command_writes_records_ranks_and_wins(tiny_suite, tmp_path):
    output = tmp_path / "out"
    status = main(
        [
            "benchmark",
            "--suite",
            "adbench",
            "--data-home",
            str(tiny_suite),
            "--detectors",
            "AutoEncoderDetector:max_epochs=2",
            "--peers",
            "IsolationForest",
            "kNN",
            "--seeds",
            "2",
            "--output-dir",
            str(output),
            "--name",
            "suite",
            "--no-progress",
        ]
    )
    assert status == 0
    records = pd.read_csv(output / "suite.csv")
    assert len(records) == 2 * 2 * 2 * 3
    assert set(records["dataset"]) == set(NAMES)
    assert set(records["protocol"]) == {"clean", "unsupervised"}
    assert not records["error"].notna().any()
    # Far-out anomalies: kNN trained on the normal rows ranks them first.
    knn = records[(records["model"] == "kNN") & (records["protocol"] == "clean")]
    assert (knn["auprc"] > 0.9).all()

    report = (output / "suite.md").read_text()
    assert "skfraud benchmark --suite adbench" in report
    for protocol in ("clean", "unsupervised"):
        rows = _headline_rows(report, protocol)
        assert set(rows) == {
            "AutoEncoderDetector:max_epochs=2",
            "IsolationForest",
            "kNN",
        }
        # Ranks of three models average to 2 on every data set.
        assert sum(float(row[3]) for row in rows.values()) == pytest.approx(6.0)
        part = records[records["protocol"] == protocol]
        for model, row in rows.items():
            auprc = part[part["model"] == model].groupby("dataset")["auprc"].mean()
            assert row[1] == f"{auprc.mean():.3f}"
            # Wins, ties and losses against each reference cover both sets.
            for cell in row[4:6]:
                if cell != "—":
                    assert sum(map(int, cell.split("-"))) == 2
    table = report.split("### clean: AUPRC per data set")[1]
    knn = records[(records["protocol"] == "clean") & (records["model"] == "kNN")]
    glass = knn[knn["dataset"] == "14_glass"]["auprc"].mean()
    assert re.search(rf"\| 14_glass \|.*{glass:.3f}", table)


def test_parallel_data_sets_give_the_same_records(data_dir):
    # Worker processes read the registered files, not monkeypatched ones.
    settings = dict(
        datasets=("synthetic", "thyroid"),
        protocols=("clean", "unsupervised"),
        detectors=["AutoEncoderDetector:max_epochs=1"],
        peers=["kNN"],
        seeds=1,
        max_rows=300,
        data_home=data_dir,
        progress=False,
    )
    calls = []
    one = run_benchmark(**settings, on_record=lambda records: calls.append(1))
    two = run_benchmark(**settings, n_jobs=2)
    assert len(calls) == len(one.records) == 8
    assert one.records["dataset"].tolist() == ["synthetic"] * 4 + ["thyroid"] * 4
    pd.testing.assert_frame_equal(
        one.records.drop(columns=TIMING), two.records.drop(columns=TIMING)
    )
    assert set(two.curves) == set(one.curves)
