"""Model files written by earlier releases still load and score the same.

``tests/io_files/rank_average_0.1.0.skfraud`` was written by release 0.1.0,
whose compositions lived in private top-level modules
(``skfraud._rank_average``, ``skfraud._detector_scores``, ...): a
make_preprocessor + RankAverageDetector pipeline of an autoencoder, a
SubsampleEnsembleDetector of KNNDetector and an XGBOD pipeline, fitted on
300 synthetic transactions. Beside it, 40 of those rows and the scores that
release gave them.
"""

import importlib
import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import sklearn
from sklearn.pipeline import make_pipeline

from skfraud import KNNDetector
from skfraud.ensemble import RankAverageDetector, SubsampleEnsembleDetector
from skfraud.io import load, save
from skfraud.io._sklearn import LEGACY_PATHS
from skfraud.preprocessing import DetectorScores, make_preprocessor

FILES = Path(__file__).parent / "io_files"


def _skops_modules(model_file):
    """The ``__module__`` of every skfraud object in a model file's skops part."""
    with zipfile.ZipFile(io.BytesIO(model_file)) as archive:
        skops_part = archive.read("estimator.skops")
    with zipfile.ZipFile(io.BytesIO(skops_part)) as archive:
        schema = archive.read("schema.json").decode()
    return {
        f"{node['__module__']}.{node['__class__']}"
        for node in _nodes(json.loads(schema))
        if str(node.get("__module__", "")).startswith("skfraud")
    }


def _nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from _nodes(value)


def test_a_file_of_release_0_1_0_loads_and_scores_as_it_did():
    model_file = (FILES / "rank_average_0.1.0.skfraud").read_bytes()
    with zipfile.ZipFile(io.BytesIO(model_file)) as archive:
        written_with = json.loads(archive.read("manifest.json"))["versions"]
    if written_with["scikit-learn"] != sklearn.__version__:
        # scikit-learn's fitted estimators load only in the release that
        # wrote them (the file's gradient-boosting loss, for one, is another
        # class in older releases).
        pytest.skip(
            f"written with scikit-learn {written_with['scikit-learn']}; this "
            f"is {sklearn.__version__}"
        )
    # The file does name the private paths of that release.
    assert "skfraud._rank_average.RankAverageDetector" in _skops_modules(model_file)
    rows = pd.read_csv(FILES / "rank_average_0.1.0_rows.csv")
    expected = np.loadtxt(FILES / "rank_average_0.1.0_scores.txt")
    model = load(model_file)
    ensemble = model[-1]
    assert isinstance(ensemble, RankAverageDetector)
    assert isinstance(ensemble.estimators_[1][1], SubsampleEnsembleDetector)
    assert isinstance(ensemble.estimators_[2][1][0], DetectorScores)
    # Each score averages 3 members' ranks among 300 training rows: another
    # numpy or BLAS may break a near-tie of one member the other way, which
    # moves a score by half a rank step, 1/1800; a load that lost anything
    # moves scores far more.
    np.testing.assert_allclose(
        model.score_samples(rows), expected, rtol=0, atol=1 / 900
    )


def test_files_name_public_paths():
    rng = np.random.default_rng(0)
    X = pd.DataFrame(
        {"amount": rng.normal(size=60), "kind": rng.choice(["a", "b"], 60)}
    )
    subsampled = SubsampleEnsembleDetector(
        KNNDetector(), n_estimators=2, max_samples=20, random_state=0
    )
    ensemble = RankAverageDetector([("knn", KNNDetector()), ("sub", subsampled)])
    model = make_pipeline(make_preprocessor(), ensemble).fit(X)
    buffer = io.BytesIO()
    save(model, buffer)
    names = _skops_modules(buffer.getvalue())
    assert "skfraud.ensemble.RankAverageDetector" in names
    assert "skfraud.ensemble.SubsampleEnsembleDetector" in names
    assert "skfraud.KNNDetector" in names
    modules = {name.rpartition(".")[0] for name in names}
    assert not any(part.startswith("_") for m in modules for part in m.split("."))
    np.testing.assert_array_equal(
        load(buffer.getvalue()).score_samples(X), model.score_samples(X)
    )


def test_every_legacy_path_leads_to_a_public_object():
    for old, new in LEGACY_PATHS.items():
        module, _, name = new.rpartition(".")
        assert not any(part.startswith("_") for part in module.split(".")), old
        assert hasattr(importlib.import_module(module), name), new
