"""``skfraud benchmark`` end to end on tiny runs."""

import pandas as pd
import pytest

from skfraud.cli import main


def test_benchmark_command_writes_the_csv_the_report_and_the_plots(tmp_path, capsys):
    status = main(
        [
            "benchmark",
            "--datasets",
            "synthetic",
            "--detectors",
            "AutoEncoderDetector",
            "DevNetDetector",
            "--peers",
            "IsolationForest",
            "--seeds",
            "2",
            "--max-rows",
            "3000",
            "--max-epochs",
            "1",
            "--output-dir",
            str(tmp_path),
            "--name",
            "tiny",
            "--no-progress",
        ]
    )
    assert status == 0
    records = pd.read_csv(tmp_path / "tiny.csv")
    runs = set(zip(records["protocol"], records["model"], records["seed"], strict=True))
    expected = {
        (protocol, model, seed)
        for protocol in ("unsupervised", "clean", "paper")
        for model in ("AutoEncoderDetector", "IsolationForest")
        for seed in (0, 1)
    } | {
        (protocol, model, seed)
        for protocol in ("few-label", "few-label-5")
        for model in ("DevNetDetector", "IsolationForest")
        for seed in (0, 1)
    }
    assert runs == expected and len(records) == 20
    assert records["auprc"].between(0, 1).all()
    assert (records["n_rows"] == 3000).all()
    assert (records.loc[records["protocol"] == "few-label", "n_labelled"] == 30).all()
    assert (records.loc[records["protocol"] == "few-label-5", "n_labelled"] == 5).all()

    report = (tmp_path / "tiny.md").read_text()
    assert "Command: `" in report and "skfraud benchmark --datasets synthetic" in report
    for protocol in ("unsupervised", "clean", "paper", "few-label"):
        assert f"| synthetic | {protocol} |" in report
    autoencoder = records[
        (records["protocol"] == "paper") & (records["model"] == "AutoEncoderDetector")
    ]["auprc"]
    mean, std = autoencoder.mean(), autoencoder.std()
    assert (
        f"| paper | AutoEncoderDetector | {mean:.3f} ± {std:.3f} |"
        in report.replace("**", "")
    )
    assert (tmp_path / "tiny_plots" / "auprc.png").stat().st_size > 0
    assert (tmp_path / "tiny_plots" / "pr_synthetic.png").stat().st_size > 0
    assert not (tmp_path / "tiny.partial.csv").exists()
    assert "| synthetic | few-label | DevNetDetector |" in capsys.readouterr().out


def test_benchmark_command_runs_the_paper_protocol_on_thyroid(data_dir, tmp_path):
    main(
        [
            "benchmark",
            "--datasets",
            "thyroid",
            "--protocols",
            "paper",
            "--detectors",
            "AutoEncoderDetector",
            "--peers",
            "--seeds",
            "1",
            "--max-epochs",
            "1",
            "--data-home",
            str(data_dir),
            "--output-dir",
            str(tmp_path),
            "--no-plots",
            "--no-progress",
        ]
    )
    (record,) = pd.read_csv(tmp_path / "benchmark.csv").itertuples()
    # Half of thyroid's 3,679 normal rows train; the rest and the 93 outliers test.
    assert (record.n_fit, record.n_test) == (1839, 1840 + 93)
    assert record.rho == pytest.approx(0.025)
    assert record.model == "AutoEncoderDetector"
    assert not (tmp_path / "benchmark_plots").exists()


def test_benchmark_command_notes_the_models_it_cannot_run(
    tmp_path, capsys, monkeypatch
):
    monkeypatch.setattr(
        "skfraud.benchmark._runner.is_available", lambda package: package is None
    )
    main(
        [
            "benchmark",
            "--datasets",
            "synthetic",
            "--protocols",
            "unsupervised",
            "--detectors",
            "AutoEncoderDetector",
            "--peers",
            "PyOD AutoEncoder",
            "IsolationForest",
            "--seeds",
            "1",
            "--max-rows",
            "500",
            "--max-epochs",
            "1",
            "--output-dir",
            str(tmp_path),
            "--no-plots",
            "--no-progress",
        ]
    )
    note = "PyOD AutoEncoder: skipped, pyod is not installed"
    assert note in capsys.readouterr().out
    assert note in (tmp_path / "benchmark.md").read_text()
    models = pd.read_csv(tmp_path / "benchmark.csv")["model"]
    assert models.tolist() == ["AutoEncoderDetector", "IsolationForest"]
