"""The data sets of the benchmark: how each is loaded and preprocessed."""

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from sklearn.preprocessing import FunctionTransformer

from skfraud.datasets import (
    list_adbench,
    load_adbench,
    load_creditcard,
    load_kddcup99,
    load_odds,
    load_vehicle_insurance,
    make_transactions,
)

# The sizes of the ADBench files, for the report's line on each set without
# loading it: skfraud.datasets publishes them only in what load_adbench returns.
from skfraud.datasets._adbench import _FILES as _ADBENCH_FILES
from skfraud.preprocessing import make_preprocessor

__all__ = [
    "DATASETS",
    "SUITES",
    "BenchmarkDataset",
    "load_dataset",
    "make_dataset_preprocessor",
    "take_rows",
]

SYNTHETIC_ROWS = 5000


@dataclass(frozen=True)
class BenchmarkDataset:
    """A data set of the benchmark.

    Parameters
    ----------
    name : str
        The name used on the command line and in the results.
    summary : str
        One line for the report.
    loader : callable
        ``loader(data_home, download_if_missing=False)`` returns ``(X, y)``,
        y = 1 for the anomaly.
    scaled : bool
        Whether the file is already encoded and scaled (then the rows go to
        the models as they are) or goes through
        :func:`skfraud.preprocessing.make_preprocessor`.
    """

    name: str
    summary: str
    loader: Any
    scaled: bool = False


def _odds(name):
    def load(data_home, download_if_missing=False):
        return load_odds(
            name,
            data_home=data_home,
            download_if_missing=download_if_missing,
            as_frame=True,
            return_X_y=True,
        )

    return load


def _kdd(form):
    def load(data_home, download_if_missing=False):
        return load_kddcup99(
            form=form,
            anomaly="normal",
            data_home=data_home,
            download_if_missing=download_if_missing,
            as_frame=form == "raw",
            return_X_y=True,
        )

    return load


def _vehicle(data_home, download_if_missing=False):
    return load_vehicle_insurance(
        data_home=data_home, download_if_missing=download_if_missing, return_X_y=True
    )


def _creditcard(data_home, download_if_missing=False):
    return load_creditcard(
        sample=True,
        data_home=data_home,
        download_if_missing=download_if_missing,
        return_X_y=True,
    )


def _adbench(name):
    def load(data_home, download_if_missing=False):
        X, y = load_adbench(
            name,
            data_home=data_home,
            download_if_missing=download_if_missing,
            return_X_y=True,
        )
        # A frame, so that make_preprocessor selects the numeric columns.
        return pd.DataFrame(X, columns=[f"x{i}" for i in range(X.shape[1])]), y

    return load


def _adbench_summary(name):
    n_rows, n_features, anomalies, _ = _ADBENCH_FILES[name]
    return (
        f"ADBench {name}, {n_rows:,} x {n_features}, {anomalies / n_rows:.1%} anomalies"
    )


def _synthetic(data_home, download_if_missing=False):
    return make_transactions(SYNTHETIC_ROWS, random_state=0, return_X_y=True)


DATASETS = {
    dataset.name: dataset
    for dataset in (
        BenchmarkDataset(
            "thyroid", "ODDS thyroid, 3,772 x 6, 2.5 % outliers", _odds("thyroid")
        ),
        BenchmarkDataset(
            "arrhythmia",
            "ODDS arrhythmia, 452 x 274, 14.6 % outliers",
            _odds("arrhythmia"),
        ),
        BenchmarkDataset(
            "kdd",
            "KDD Cup 99 10 %, DAGMM form (118 features, already one-hot and "
            "scaled); anomaly = normal. traffic, 19.7 %",
            _kdd("dagmm"),
            scaled=True,
        ),
        BenchmarkDataset(
            "kdd_raw",
            "KDD Cup 99 10 %, the 41 raw columns through make_preprocessor; "
            "anomaly = normal. traffic, 19.7 %",
            _kdd("raw"),
        ),
        BenchmarkDataset(
            "vehicle",
            "vehicle insurance claims, 15,420 x 31 (24 categorical), 6.0 % fraud",
            _vehicle,
        ),
        BenchmarkDataset(
            "creditcard",
            "ULB credit-card sample, 1,722 x 30, 28.6 % fraud (all 492 frauds)",
            _creditcard,
        ),
        BenchmarkDataset(
            "synthetic",
            f"make_transactions({SYNTHETIC_ROWS}, random_state=0), 2 % fraud",
            _synthetic,
        ),
    )
}
DATASETS.update(
    (name, BenchmarkDataset(name, _adbench_summary(name), _adbench(name)))
    for name in list_adbench()
)

#: Named groups of data sets (``skfraud benchmark --suite NAME``). ``adbench``
#: is the suite on which defaults are chosen: the ADBench classical sets and
#: the shared fraud and intrusion sets (KDD in the DAGMM form only, raw KDD
#: being the same rows).
SUITES = {
    "adbench": (
        *list_adbench(),
        "thyroid",
        "arrhythmia",
        "creditcard",
        "vehicle",
        "kdd",
    ),
}


def load_dataset(name, data_home=None, download_if_missing=False):
    """Load a benchmark data set by name.

    Parameters
    ----------
    name : str
        A key of :data:`DATASETS`.
    data_home : str or path-like, default=None
        Data folder; see :func:`skfraud.datasets.get_data_home`.
    download_if_missing : bool, default=False
        Download a missing file from its public origin into the data folder.

    Returns
    -------
    X : DataFrame or ndarray of shape (n_samples, n_features)
    y : ndarray of shape (n_samples,)
        1 = anomaly, 0 = normal.
    """
    loader = DATASETS[name].loader
    if download_if_missing:
        X, y = loader(data_home, download_if_missing=True)
    else:
        X, y = loader(data_home)
    return X, np.asarray(y).astype(np.int64)


def make_dataset_preprocessor(name):
    """The unfitted transformer that turns the rows of ``name`` into model input.

    Every model of a run, skfraud's and the peers, receives the same
    output: :func:`skfraud.preprocessing.make_preprocessor` (one-hot
    categorical columns, min-max numeric ones, dense) fitted on the rows a
    model learns from, or the rows as they are for a file that is already
    scaled.

    Parameters
    ----------
    name : str
        A key of :data:`DATASETS`.

    Returns
    -------
    transformer : transformer instance
    """
    if DATASETS[name].scaled:
        return FunctionTransformer()
    return make_preprocessor(sparse_output=False)


def take_rows(X, rows):
    """Rows of a DataFrame or an array, by position."""
    return X.iloc[rows] if isinstance(X, pd.DataFrame) else X[rows]
