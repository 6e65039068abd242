"""The benchmark report: mean ± std cells, summaries and comparison tables."""

import numpy as np
import pandas as pd
import pytest

from skfraud.benchmark import format_mean_std, markdown_table, summarise
from skfraud.benchmark._report import counterpart_table, headline_table


def test_format_mean_std_uses_the_sample_standard_deviation():
    values = [0.81, 0.86, 0.78]
    mean, std = np.mean(values), np.std(values, ddof=1)
    assert format_mean_std(values) == f"{mean:.3f} ± {std:.3f}"
    assert format_mean_std(values) == "0.817 ± 0.040"


def test_format_mean_std_formats_and_skips_failed_runs():
    assert format_mean_std([12000.0, 18000.0], fmt=",.0f") == "15,000 ± 4,243"
    assert format_mean_std([2.0, np.nan, 4.0], fmt=".1f") == "3.0 ± 1.4"
    assert format_mean_std([0.25]) == "0.250"
    assert format_mean_std([np.nan]) == "n/a"


def _records():
    rows = []
    cases = {
        ("thyroid", "paper", "AutoEncoderDetector", "skfraud"): [0.6, 0.7, 0.8],
        ("thyroid", "paper", "VAEDetector", "skfraud"): [0.5, 0.5, np.nan],
        ("thyroid", "paper", "IsolationForest", "peer"): [0.9, 0.8, 0.7],
        ("thyroid", "paper", "PyOD AutoEncoder", "peer"): [0.4, 0.5, 0.6],
        ("kdd", "paper", "IsolationForest", "peer"): [0.2, 0.3, 0.4],
        ("kdd", "paper", "DAGMMDetector", "skfraud"): [0.9, 0.9, 0.9],
    }
    for (dataset, protocol, model, family), values in cases.items():
        for seed, value in enumerate(values):
            rows.append(
                {
                    "dataset": dataset,
                    "protocol": protocol,
                    "seed": seed,
                    "model": model,
                    "family": family,
                    "auprc": value,
                    "roc_auc": value,
                    "precision": value,
                    "recall": value,
                    "f1": value,
                    "fit_seconds": 1.0 + seed,
                    "score_rows_per_second": 1000.0 * (seed + 1),
                    "error": "ValueError: NaN" if np.isnan(value) else "",
                }
            )
    return pd.DataFrame(rows)


def test_summarise_computes_mean_and_std_per_model():
    summary = summarise(_records()).set_index(["dataset", "model"])
    autoencoder = summary.loc[("thyroid", "AutoEncoderDetector")]
    assert autoencoder["auprc_mean"] == pytest.approx(0.7)
    assert autoencoder["auprc"] == "0.700 ± 0.100"
    assert autoencoder["fit_seconds"] == "2.0 ± 1.0"
    assert autoencoder["score_rows_per_second"] == "2,000 ± 1,000"
    vae = summary.loc[("thyroid", "VAEDetector")]
    assert (vae["runs"], vae["failed"]) == (3, 1)
    assert vae["auprc"] == "0.500 ± 0.000"


def test_summarise_lists_skfraud_detectors_before_peers():
    summary = summarise(_records())
    thyroid = summary[summary["dataset"] == "thyroid"]["model"].tolist()
    assert thyroid == [
        "AutoEncoderDetector",
        "VAEDetector",
        "IsolationForest",
        "PyOD AutoEncoder",
    ]
    assert summary["dataset"].tolist()[:4] == ["thyroid"] * 4


def test_headline_table_compares_the_best_of_each_family():
    table = headline_table(summarise(_records()))
    lines = table.splitlines()
    assert len(lines) == 4
    assert (
        "| thyroid | paper | AutoEncoderDetector | 0.700 ± 0.100 | IsolationForest "
        "| 0.800 ± 0.100 | **skfraud behind by 0.100** |"
    ) in lines
    assert "| kdd | paper | DAGMMDetector | 0.900 ± 0.000 | IsolationForest" in table
    assert "skfraud ahead by 0.600" in table


def test_headline_table_calls_means_less_than_0_001_apart_level():
    records = _records()
    peer = (records["model"] == "IsolationForest") & (records["dataset"] == "kdd")
    records.loc[peer, "auprc"] = [0.8996, 0.9, 0.9]
    assert "| kdd | paper | DAGMMDetector | 0.900 ± 0.000 | IsolationForest" in (
        headline_table(summarise(records))
    )
    assert "level (< 0.001 apart)" in headline_table(summarise(records))


def test_counterpart_table_pairs_each_detector_with_its_pyod_model():
    table = counterpart_table(summarise(_records()))
    rows = table.splitlines()[2:]
    assert rows == [
        "| thyroid | paper | AutoEncoderDetector | 0.700 ± 0.100 | PyOD AutoEncoder "
        "| 0.500 ± 0.100 | skfraud ahead by 0.200 |"
    ]


def test_markdown_table_has_a_rule_and_one_line_per_row():
    assert markdown_table(["a", "b"], [[1, 2], ["x", "y"]]).splitlines() == [
        "| a | b |",
        "|---|---|",
        "| 1 | 2 |",
        "| x | y |",
    ]


def test_summarise_reads_records_back_from_the_csv(tmp_path):
    _records().to_csv(tmp_path / "records.csv", index=False)
    from_csv = summarise(pd.read_csv(tmp_path / "records.csv"))
    assert from_csv["failed"].tolist() == [0, 1, 0, 0, 0, 0]
    assert from_csv["auprc"].tolist() == summarise(_records())["auprc"].tolist()
