"""``benchmarks/speed.py``: its report is built with the harness's helpers."""

import ast
import importlib.util
import subprocess
import sys
from argparse import Namespace

import pandas as pd
import pytest

from skfraud.benchmark import describe_machine, markdown_table
from tests.conftest import REPO_ROOT

SCRIPT = REPO_ROOT / "benchmarks" / "speed.py"


@pytest.fixture(scope="module")
def speed():
    spec = importlib.util.spec_from_file_location("speed_benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_script_does_not_edit_the_import_path():
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    edits = [
        node
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr == "path"
        and isinstance(node.value, ast.Name)
        and node.value.id == "sys"
    ]
    assert not edits


def test_report_uses_the_harness_tables_and_machine_line(speed, monkeypatch):
    monkeypatch.setenv("OMP_NUM_THREADS", "1")
    monkeypatch.delenv("OMP_WAIT_POLICY", raising=False)
    args = Namespace(
        command="python benchmarks/speed.py",
        device="cpu",
        rows=1000,
        features=30,
        epochs=2,
        batch_size=256,
        repeats=1,
    )
    bare = "bare PyTorch loop (same module, Adam)"
    frame = pd.DataFrame(
        [
            ("fit", "skfraud AutoEncoderDetector", 0, 2.0),
            ("fit", bare, 0, 1.0),
            ("fit", "IsolationForest", 0, 0.5),
            ("score", "skfraud AutoEncoderDetector", 0, 0.01),
            ("score", "IsolationForest", 0, 0.04),
        ],
        columns=["section", "model", "repeat", "seconds"],
    )
    machine = describe_machine()
    report = speed.render(args, machine, frame, None, 1.0, 2.0, 60.0)
    assert (
        f"Machine: {machine} OMP_NUM_THREADS 1. OMP_WAIT_POLICY unset. "
        "Torch models on `cpu`."
    ) in report
    fit_table = markdown_table(
        ["model", "fit s (median [min-max])", "s / epoch", "ratio", "target"],
        [
            [
                "skfraud AutoEncoderDetector",
                "2.00 [2.00-2.00]",
                "1.00",
                "2.00x the bare loop",
                "",
            ],
            [bare, "1.00 [1.00-1.00]", "0.50", "", ""],
            [
                "IsolationForest",
                "0.50 [0.50-0.50]",
                "",
                "default parameters, for context",
                "",
            ],
        ],
    )
    assert fit_table in report
    # 1000 rows in 0.01 s is 4x IsolationForest's 0.04 s.
    assert "| 100,000 | 4.00x | **pass** (target >= 1x) |" in report


def test_the_script_runs_outside_the_checkout(tmp_path):
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "--skip-sparse" in result.stdout
