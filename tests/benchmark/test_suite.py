"""The suite report: per-data-set scores, average ranks, wins, the headline."""

import numpy as np
import pandas as pd
import pytest

from skfraud.benchmark import (
    average_ranks,
    dataset_scores,
    suite_summary,
    win_counts,
)
from skfraud.benchmark._suite import _headline


@pytest.fixture
def table():
    """Three data sets, four models; ties on d2, a failure (NaN) on d3."""
    return pd.DataFrame(
        {
            "IsolationForest": [0.50, 0.30, 0.70],
            "kNN": [0.60, 0.30, 0.20],
            "A": [0.40, 0.30, np.nan],
            "B": [0.90, 0.10, 0.80],
        },
        index=["d1", "d2", "d3"],
    )


def test_average_ranks_share_ties_and_put_failures_last(table):
    # d1: B 1, kNN 2, IF 3, A 4. d2: IF, kNN, A tie for 1-3 (2 each), B 4.
    # d3: B 1, IF 2, kNN 3, A (failed) 4.
    expected = {"IsolationForest": 7 / 3, "kNN": 7 / 3, "A": 10 / 3, "B": 2.0}
    ranks = average_ranks(table)
    assert ranks.to_dict() == pytest.approx(expected)
    # Ranks over four models always average to 2.5 on each data set.
    assert ranks.mean() == pytest.approx(2.5)


def test_win_counts_against_a_reference(table):
    counts = win_counts(table, "IsolationForest")
    assert counts.loc["B"].tolist() == [2, 0, 1]
    assert counts.loc["kNN"].tolist() == [1, 1, 1]
    # A lost d1, tied d2 and lost d3, where it has no result.
    assert counts.loc["A"].tolist() == [0, 1, 2]
    assert counts.loc["IsolationForest"].tolist() == [0, 3, 0]


def test_a_failure_ties_with_a_failed_reference():
    table = pd.DataFrame({"ref": [np.nan, 0.5], "m": [np.nan, np.nan]})
    assert win_counts(table, "ref").loc["m"].tolist() == [0, 1, 1]


def _records(table, metric="auprc"):
    """Two seeds per cell, whose mean is the table's value (0.1 apart)."""
    rows = []
    for dataset, scores in table.iterrows():
        for model, value in scores.items():
            for seed, shift in ((0, -0.05), (1, 0.05)):
                failed = np.isnan(value)
                rows.append(
                    {
                        "dataset": dataset,
                        "model": model,
                        "seed": seed,
                        metric: np.nan if failed else value + shift,
                        "roc_auc": np.nan if failed else 0.5,
                        "error": "RuntimeError: boom" if failed else "",
                    }
                )
    return pd.DataFrame(rows)


def test_dataset_scores_average_the_seeds_and_skip_failed_runs(table):
    scores = dataset_scores(_records(table))
    pd.testing.assert_frame_equal(
        scores, table, check_names=False, check_exact=False, atol=1e-12
    )


def test_dataset_scores_keep_a_seed_that_worked():
    records = pd.DataFrame(
        {
            "dataset": ["d", "d"],
            "model": ["m", "m"],
            "auprc": [np.nan, 0.4],
            "error": ["non-finite anomaly scores", np.nan],
        }
    )
    assert dataset_scores(records).loc["d", "m"] == pytest.approx(0.4)


def test_suite_summary_headline(table):
    records = _records(table)
    # One of A's two runs on d3 gave NaN scores, the other raised.
    first = (records["model"] == "A") & (records["dataset"] == "d3")
    records.loc[first.idxmax(), "error"] = "non-finite anomaly scores"
    summary = suite_summary(records)
    assert summary.index.tolist() == ["B", "IsolationForest", "kNN", "A"]
    assert summary.loc["B", "auprc"] == pytest.approx((0.9 + 0.1 + 0.8) / 3)
    # A's mean is over the two data sets where it has a result.
    assert summary.loc["A", "auprc"] == pytest.approx(0.35)
    assert summary.loc["A", "datasets"] == 2
    assert summary.loc["A", ["runs", "failed", "non_finite"]].tolist() == [6, 1, 1]
    assert summary.loc["B", "vs IsolationForest"] == "2-0-1"
    assert summary.loc["B", "vs kNN"] == "2-0-1"
    assert summary.loc["kNN", "vs kNN"] == ""
    assert summary.loc["B", "rank"] == pytest.approx(2.0)
    assert summary.loc["B", "roc_auc"] == pytest.approx(0.5)


def test_suite_summary_without_the_references():
    table = pd.DataFrame({"m": [0.2], "n": [0.4]}, index=["d"])
    summary = suite_summary(_records(table))
    assert not any(column.startswith("vs ") for column in summary.columns)
    assert summary["rank"].to_dict() == {"n": 1.0, "m": 2.0}
    # Counts stay whole numbers in the report without reference columns.
    assert _headline(summary).splitlines()[2] == (
        "| n | 0.400 | 0.500 | 1.00 | 1 | 0 | 0 |"
    )


def test_few_label_wins_are_counted_against_gradient_boosting():
    table = pd.DataFrame(
        {
            "HistGradientBoostingClassifier": [0.5, 0.3, 0.7],
            "DevNetDetector": [0.6, 0.2, 0.7],
        },
        index=["d1", "d2", "d3"],
    )
    summary = suite_summary(_records(table))
    assert summary.loc["DevNetDetector", "vs HistGradientBoostingClassifier"] == (
        "1-1-1"
    )
    assert "vs IsolationForest" not in summary.columns
