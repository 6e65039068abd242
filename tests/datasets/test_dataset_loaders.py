"""The loaders on the real files: shapes, positive counts, dtypes, options.

Expected figures are those of the data folder's README.
"""

import dataclasses
import gzip
import hashlib
import warnings

import numpy as np
import pandas as pd
import pytest

from skfraud.datasets import (
    _creditcard,
    _kddcup99,
    load_creditcard,
    load_kddcup99,
    load_odds,
    load_vehicle_insurance,
)

# ODDS


@pytest.mark.parametrize(
    ("name", "shape", "outliers"),
    [("thyroid", (3772, 6), 93), ("arrhythmia", (452, 274), 66)],
)
def test_odds(data_home, name, shape, outliers):
    bunch = load_odds(name, data_home=data_home)
    assert bunch.data.shape == shape
    assert bunch.data.dtype == np.float64
    assert bunch.target.dtype == np.int64
    assert set(np.unique(bunch.target)) == {0, 1}
    assert int(bunch.target.sum()) == outliers
    assert bunch.frame is None
    assert bunch.feature_names[:2] == ["x0", "x1"]
    assert "ODDS" in bunch.DESCR
    assert f"{outliers} (" in bunch.DESCR


def test_odds_as_frame(data_home):
    bunch = load_odds("thyroid", data_home=data_home, as_frame=True)
    assert list(bunch.data.columns) == [f"x{i}" for i in range(6)]
    assert bunch.target.name == "outlier"
    assert bunch.frame.shape == (3772, 7)
    X, _ = load_odds("thyroid", data_home=data_home, return_X_y=True)
    np.testing.assert_array_equal(X, bunch.data.to_numpy())
    assert X.min() >= 0 and X.max() <= 1


def test_odds_unknown_name(data_home):
    with pytest.raises(ValueError, match="name must be one of 'thyroid'"):
        load_odds("shuttle", data_home=data_home)


# Vehicle insurance


def test_vehicle_insurance(data_home):
    bunch = load_vehicle_insurance(data_home=data_home)
    X, y = bunch.data, bunch.target
    assert X.shape == (15420, 31)
    assert "PolicyNumber" not in X.columns
    assert "FraudFound_P" not in X.columns
    assert y.name == "FraudFound_P"
    assert y.dtype == np.int64
    assert int(y.sum()) == 923
    assert len(bunch.categorical_features) == 24
    for name in X.columns:
        if name in bunch.categorical_features:
            assert pd.api.types.is_string_dtype(X[name]), name
        else:
            assert X[name].dtype == np.int64, name
    assert X["Make"].nunique() == 19
    assert X["PolicyType"].nunique() == 9
    assert (X["Age"] == 0).sum() == 320
    assert not X.isna().any().any()


def test_vehicle_insurance_arrays(data_home):
    X, y = load_vehicle_insurance(data_home=data_home, as_frame=False, return_X_y=True)
    assert X.dtype == object
    assert X.shape == (15420, 31)
    assert isinstance(y, np.ndarray)


# Credit card


def test_creditcard_sample(data_home):
    bunch = load_creditcard(sample=True, data_home=data_home)
    assert bunch.data.shape == (1722, 30)
    assert bunch.feature_names == ["Time", *(f"V{i}" for i in range(1, 29)), "Amount"]
    assert (bunch.data.dtypes == np.float64).all()
    assert int(bunch.target.sum()) == 492
    assert bunch.is_sample
    assert "28.57 %" in bunch.DESCR
    assert "not the 0.17 %" in bunch.DESCR
    frauds = bunch.data[bunch.target == 1]
    assert frauds["Amount"].mean() == pytest.approx(122.211321, abs=1e-6)


def test_creditcard_falls_back_to_sample_with_a_warning(data_home, tmp_path):
    if (data_home / "creditcard.csv").is_file():
        pytest.skip("the full file is present")
    with pytest.warns(UserWarning, match="28.57 %"):
        X, _ = load_creditcard(data_home=data_home, return_X_y=True)
    assert X.shape == (1722, 30)


def test_creditcard_prefers_the_full_file(tmp_path, monkeypatch):
    header = ",".join((*_creditcard.FEATURE_NAMES, "Class"))
    row = ",".join(["1.5"] * 30)
    content = f"{header}\n{row},0\n{row},1\n{row},0\n".encode()
    (tmp_path / "creditcard.csv").write_bytes(content)
    stand_in = dataclasses.replace(
        _creditcard.FULL, sha256=hashlib.sha256(content).hexdigest()
    )
    monkeypatch.setattr(_creditcard, "FULL", stand_in)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bunch = load_creditcard(data_home=tmp_path)
    assert not bunch.is_sample
    assert bunch.data.shape == (3, 30)
    assert int(bunch.target.sum()) == 1
    assert "SAMPLE" not in bunch.DESCR


def test_creditcard_corrupt_full_file_is_not_silently_replaced(tmp_path):
    (tmp_path / "creditcard.csv").write_text("Time,V1\n")
    with pytest.raises(OSError, match="Checksum mismatch"):
        load_creditcard(data_home=tmp_path)


@pytest.mark.slow
def test_creditcard_full(data_home):
    if not (data_home / "creditcard.csv").is_file():
        pytest.skip("creditcard.csv is not in the data folder")
    X, y = load_creditcard(sample=False, data_home=data_home, return_X_y=True)
    assert X.shape == (284807, 30)
    assert int(y.sum()) == 492


def test_creditcard_bad_sample_argument(data_home):
    with pytest.raises(ValueError, match="sample must be True or False"):
        load_creditcard(sample="yes", data_home=data_home)


# KDD Cup 99


def test_kddcup99_header_matches_file(data_home):
    with gzip.open(data_home / "kddcup99_10pct.csv.gz", "rb") as stream:
        assert stream.readline() == _kddcup99._HEADER
    with gzip.open(data_home / "kddcup99_corrected.csv.gz", "rb") as stream:
        assert stream.readline() == _kddcup99._HEADER


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"subset": "full"}, "subset must be one of '10pct', 'corrected'"),
        ({"form": "onehot"}, "form must be one of 'raw', 'dagmm'"),
        ({"anomaly": "intrusion"}, "anomaly must be one of 'attack', 'normal'"),
        ({"form": "dagmm", "subset": "corrected"}, "only for subset='10pct'"),
        ({"n_samples": 0}, "n_samples must be None or an integer >= 1"),
        ({"as_frame": None}, "as_frame must be True or False"),
    ],
)
def test_kddcup99_bad_arguments(data_home, kwargs, message):
    with pytest.raises(ValueError, match=message):
        load_kddcup99(data_home=data_home, **kwargs)


def test_kddcup99_subsample_indices():
    rows = _kddcup99._subsample(100, 10, 0)
    assert len(rows) == 10 and len(set(rows)) == 10
    assert (np.diff(rows) > 0).all()
    np.testing.assert_array_equal(rows, _kddcup99._subsample(100, 10, 0))
    assert _kddcup99._subsample(100, None, 0) is None
    with pytest.raises(ValueError, match="larger than the 100 rows"):
        _kddcup99._subsample(100, 101, 0)


@pytest.fixture(scope="module")
def kdd_10pct(data_home):
    """The raw 10 % subset, read once for the module (a few seconds)."""
    return load_kddcup99(data_home=data_home)


@pytest.mark.slow
def test_kddcup99_raw_10pct(kdd_10pct):
    X, y = kdd_10pct.data, kdd_10pct.target
    assert X.shape == (494021, 41)
    assert list(X.columns) == list(_kddcup99.FEATURE_NAMES)
    assert int(y.sum()) == 396743
    assert y.name == "attack"
    for name, levels in [("protocol_type", 3), ("service", 66), ("flag", 11)]:
        assert pd.api.types.is_string_dtype(X[name]), name
        assert X[name].nunique() == levels, name
    numeric = X.drop(columns=kdd_10pct.categorical_features)
    assert all(pd.api.types.is_numeric_dtype(t) for t in numeric.dtypes)
    labels = kdd_10pct.labels
    assert labels.nunique() == 23
    assert (labels == "normal.").sum() == 97278
    assert (labels == "smurf.").sum() == 280790
    assert "80.31%" in kdd_10pct.DESCR


@pytest.mark.slow
def test_kddcup99_dagmm_matches_raw(data_home, kdd_10pct):
    bunch = load_kddcup99(
        form="dagmm", anomaly="normal", data_home=data_home, as_frame=False
    )
    X, y = bunch.data, bunch.target
    assert X.shape == (494021, 118)
    assert X.dtype == np.float64
    assert int(y.sum()) == 97278
    assert bunch.target_names == ["normal"]
    # The DAGMM rows are in file order, and its one-hot columns in sorted order.
    np.testing.assert_array_equal(y, 1 - kdd_10pct.target.to_numpy())
    offset = 0
    for column in _kddcup99.CATEGORICAL_FEATURES:
        levels = sorted(kdd_10pct.data[column].unique())
        names = bunch.feature_names[offset : offset + len(levels)]
        assert names == [f"{column}_{level}" for level in levels]
        block = X[:, offset : offset + len(levels)]
        codes = pd.Categorical(kdd_10pct.data[column], categories=levels).codes
        np.testing.assert_array_equal(block.argmax(axis=1), codes)
        np.testing.assert_array_equal(block.sum(axis=1), 1.0)
        offset += len(levels)
    assert offset == 80
    assert bunch.feature_names[80:] == list(_kddcup99.NUMERIC_FEATURES)


@pytest.mark.slow
def test_kddcup99_corrected_normal_as_anomaly(data_home):
    bunch = load_kddcup99(subset="corrected", anomaly="normal", data_home=data_home)
    assert bunch.data.shape == (311029, 41)
    assert int(bunch.target.sum()) == 60593
    assert bunch.labels.nunique() == 38
    sample = load_kddcup99(
        subset="corrected",
        anomaly="normal",
        n_samples=5000,
        random_state=0,
        data_home=data_home,
    )
    assert sample.data.shape == (5000, 41)
    rows = _kddcup99._subsample(311029, 5000, 0)
    expected = bunch.frame.take(rows).reset_index(drop=True)
    pd.testing.assert_frame_equal(sample.frame, expected)
    pd.testing.assert_series_equal(
        sample.labels, bunch.labels.take(rows).reset_index(drop=True)
    )
