"""The layers of pyproject.toml's import-linter contracts hold.

A module imports only from the floors below its own, and the torch-free
estimators (the threshold layer, KNNDetector, the compositions) import
neither torch nor skorch nor the deep base.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def test_import_contracts_are_kept():
    pytest.importorskip("importlinter", reason="pip install -e '.[test]'")
    run_contracts = (
        "import sys; from importlinter.cli import lint_imports; "
        "sys.exit(lint_imports())"
    )
    result = subprocess.run(
        [sys.executable, "-c", run_contracts],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout
