"""The ``skfraud`` command: help, version, missing data, demo output."""

import argparse
import shutil
import subprocess

import pandas as pd
import pytest

import skfraud
from skfraud.benchmark import DATASETS, PEERS, SKFRAUD_MODELS
from skfraud.cli import _missing_data_message, build_parser, main
from skfraud.demo import RECOMMENDED
from tests.conftest import REPO_ROOT


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.strip() == f"skfraud {skfraud.__version__}"


def test_benchmark_help_lists_the_names(capsys):
    with pytest.raises(SystemExit):
        main(["benchmark", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    for name in [*DATASETS, *SKFRAUD_MODELS, *PEERS]:
        assert name in text
    assert "--download" in text


def _subcommand(name):
    commands = next(
        action
        for action in build_parser()._actions
        if isinstance(action, argparse._SubParsersAction)
    )
    return commands.choices[name]


@pytest.mark.parametrize("command", ["demo", "benchmark"])
def test_every_option_has_help(command):
    undocumented = [
        action.option_strings
        for action in _subcommand(command)._actions
        if not action.help
    ]
    assert not undocumented


def test_demo_help_shows_the_defaults(capsys):
    with pytest.raises(SystemExit):
        main(["demo", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert "(default: skfraud_demo)" in text and "(default: 20000)" in text


def _benchmark_thyroid(tmp_path, *extra):
    return main(
        [
            "benchmark",
            "--datasets",
            "thyroid",
            "--detectors",
            "AutoEncoderDetector",
            "--peers",
            "--protocols",
            "clean",
            "--seeds",
            "1",
            "--max-epochs",
            "1",
            "--no-plots",
            "--no-progress",
            "--output-dir",
            str(tmp_path / "out"),
            *extra,
        ]
    )


def test_missing_data_is_one_clear_line(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SKFRAUD_DATA", str(tmp_path / "empty"))
    with pytest.raises(SystemExit) as exit_info:
        _benchmark_thyroid(tmp_path)
    message = str(exit_info.value.code)
    assert message.startswith("skfraud benchmark: Data file 'thyroid.mat' ")
    assert "\n" not in message
    assert str(tmp_path / "empty") in message and "SKFRAUD_DATA" in message
    assert "--data-home" in message and "--download" in message
    assert "Traceback" not in capsys.readouterr().err


def test_missing_file_without_a_download_says_how_to_get_it(tmp_path):
    error = FileNotFoundError(
        "Data file 'creditcard.csv' was not found in /data (the data folder "
        "used by default). Copy it there by hand: creditcard.csv from Kaggle. "
        "Choose another folder with data_home=... or the SKFRAUD_DATA "
        "environment variable."
    )
    assert _missing_data_message(error) == (
        "Data file 'creditcard.csv' was not found in /data (the data folder "
        "used by default). Copy it there by hand: creditcard.csv from Kaggle, "
        "or point --data-home (or SKFRAUD_DATA) at the folder that holds it."
    )


def test_download_option_fetches_the_missing_file(
    tmp_path, monkeypatch, capsys, data_dir
):
    source = data_dir / "thyroid.mat"
    fetched = []

    def read_url(url):
        fetched.append(url)
        return source.read_bytes()

    monkeypatch.setattr("skfraud.datasets._base._read_url", read_url)
    data_home = tmp_path / "data"
    status = _benchmark_thyroid(tmp_path, "--data-home", str(data_home), "--download")
    assert status == 0
    assert len(fetched) == 1 and fetched[0].endswith("thyroid.mat")
    assert (data_home / "thyroid.mat").read_bytes() == source.read_bytes()
    assert (tmp_path / "out" / "benchmark.csv").is_file()


def test_failed_download_is_one_line(tmp_path, monkeypatch):
    def read_url(url):
        raise OSError("network unreachable")

    monkeypatch.setattr("skfraud.datasets._base._read_url", read_url)
    with pytest.raises(SystemExit) as exit_info:
        _benchmark_thyroid(tmp_path, "--data-home", str(tmp_path), "--download")
    message = str(exit_info.value.code)
    assert message.startswith("skfraud benchmark: Could not download 'thyroid.mat'")
    assert "network unreachable" in message


def test_demo_writes_its_plot_into_its_own_folder(tmp_path, monkeypatch, capsys):
    pytest.importorskip("matplotlib")
    monkeypatch.chdir(tmp_path)
    command = ["demo", "--n-samples", "1000", "--n-confirmed", "10"]
    assert main([*command, "--max-epochs", "1"]) == 0
    plot = tmp_path / "skfraud_demo" / "skfraud_demo_pr.png"
    assert plot.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["skfraud_demo"]
    printed = capsys.readouterr().out
    assert f"written to {plot.relative_to(tmp_path)}" in printed
    assert "with 10 confirmed frauds" in printed


def _demo_rows(auprc):
    return [
        {
            "detector": name,
            "labels": labels,
            "auprc": auprc[name],
            "roc_auc": 0.5,
            "recall_at_1pct": 0.5,
            "fit_seconds": 1.0,
            "score_rows_per_second": 1.0,
        }
        for name, labels in [
            (RECOMMENDED, "no labels"),
            ("IsolationForest", "no labels"),
            ("FewLabelDetector", "30 confirmed"),
            ("HistGradientBoostingClassifier", "30 confirmed"),
        ]
    ]


@pytest.mark.parametrize(
    ("auprc", "printed", "not_printed"),
    [
        (
            (0.2, 0.5, 0.8, 0.4),
            ["IsolationForest leads here", "FewLabelDetector leads: 0.800"],
            ["does not lead"],
        ),
        (
            (0.6, 0.5, 0.3, 0.4),
            [f"{RECOMMENDED} leads (0.600", "FewLabelDetector does not lead"],
            ["IsolationForest leads"],
        ),
    ],
)
def test_demo_says_what_its_numbers_show(
    monkeypatch, capsys, auprc, printed, not_printed
):
    import pandas as pd

    import skfraud.demo

    names = [RECOMMENDED, "IsolationForest", "FewLabelDetector", "x"]
    rows = _demo_rows(
        dict(zip(names, auprc, strict=True))
        | {"HistGradientBoostingClassifier": auprc[3]}
    )
    alerts = pd.DataFrame(
        {
            "test_row": [3],
            "fraud": [True],
            "explained_by": ["VAEDetector"],
            "reason_1": ["amount"],
        }
    )
    monkeypatch.setattr(skfraud.demo, "run_demo", lambda **kwargs: (rows, alerts, None))
    assert main(["demo", "--no-plot"]) == 0
    output = capsys.readouterr().out
    for text in printed:
        assert text in output
    for text in not_printed:
        assert text not in output
    assert "1. test row 3 (fraud): amount" in output


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_demo_output_is_ignored_by_git():
    inside = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
    )
    if inside.returncode != 0:
        pytest.skip("not a git checkout")
    for path in ("skfraud_demo/skfraud_demo_pr.png", "skfraud_demo_pr.png"):
        ignored = subprocess.run(
            ["git", "check-ignore", "-q", path], cwd=REPO_ROOT, check=False
        )
        assert ignored.returncode == 0, path


@pytest.mark.parametrize(
    "text, seeds", [("3", 3), ("1,2", [1, 2]), ("4", 4), ("0,5,7", [0, 5, 7])]
)
def test_seeds_are_a_count_or_a_list(text, seeds):
    args = build_parser().parse_args(["benchmark", "--seeds", text])
    assert args.seeds == seeds


@pytest.mark.parametrize("text", ["0", "-1", "1,1", "1,-2", "a", "1,"])
def test_bad_seeds_are_one_clear_error(text, capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["benchmark", "--seeds", text])
    assert "expected a count of seeds (3) or distinct seeds (1,2)" in (
        capsys.readouterr().err
    )


@pytest.mark.slow
def test_a_list_of_seeds_runs_those_seeds(tmp_path, data_dir):
    # data_dir: skipped, naming SKFRAUD_DATA, where the real data is missing.
    assert (
        _benchmark_thyroid(tmp_path, "--seeds", "2,3", "--data-home", str(data_dir))
        == 0
    )
    records = pd.read_csv(tmp_path / "out" / "benchmark.csv")
    assert sorted(records["seed"]) == [2, 3]
