"""The top-level package: lazy submodules, in a fresh interpreter each time."""

import subprocess
import sys

import pytest

from tests.conftest import REPO_ROOT


def _run(code):
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_submodules_resolve_on_attribute_access():
    out = _run(
        "import skfraud\n"
        "pre = skfraud.preprocessing.make_preprocessor()\n"
        "print(type(pre).__name__)\n"
        "print(skfraud.metrics.get_anomaly_scorer.__name__)\n"
        "print(callable(skfraud.datasets.make_transactions))\n"
        "print(callable(skfraud.explain.reason_codes))\n"
        "print(hasattr(skfraud.plotting, 'AnomalyRocCurveDisplay'))\n"
    )
    assert out.splitlines() == [
        "ColumnTransformer",
        "get_anomaly_scorer",
        "True",
        "True",
        "True",
    ]


def test_import_stays_light():
    out = _run(
        "import sys, skfraud\n"
        "heavy = ['matplotlib', 'dask', 'skfraud.plotting', 'skfraud.metrics']\n"
        "print([name for name in heavy if name in sys.modules])\n"
    )
    assert out == "[]"


def test_dir_lists_the_submodules():
    out = _run("import skfraud; print(' '.join(dir(skfraud)))")
    names = out.split()
    for name in ["datasets", "explain", "metrics", "plotting", "preprocessing"]:
        assert name in names
    assert "VAEDetector" in names and "__version__" in names
    assert "importlib" not in names


def test_unknown_attribute_is_an_attribute_error():
    out = _run(
        "import skfraud\n"
        "print(hasattr(skfraud, 'no_such_module'))\n"
        "try:\n"
        "    skfraud.no_such_module\n"
        "except AttributeError as error:\n"
        "    print(error)\n"
    )
    assert out.splitlines() == [
        "False",
        "module 'skfraud' has no attribute 'no_such_module'",
    ]


def test_the_old_base_module_warns_and_gives_the_moved_classes():
    import skfraud._deep
    import skfraud._threshold
    import skfraud.base

    with pytest.warns(
        FutureWarning, match=r"import BaseDeepDetector from skfraud\._deep"
    ):
        assert skfraud.base.BaseDeepDetector is skfraud._deep.BaseDeepDetector
    with pytest.warns(FutureWarning, match="skfraud._threshold"):
        assert skfraud.base.ThresholdMixin is skfraud._threshold.ThresholdMixin
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        skfraud.base.nothing  # noqa: B018
