"""Benchmark sets of the ODDS outlier detection library (``.mat`` files)."""

import numpy as np
import pandas as pd
from scipy.io import loadmat

from skfraud._docstrings import fill_texts
from skfraud.datasets._base import (
    RemoteFile,
    _as_output,
    _check_bool,
    _check_choice,
    _fetch_file,
)

_PYOD_COPY = "https://raw.githubusercontent.com/yzhao062/pyod"
_PYOD_COMMIT = "ef6d5e8dc828615f498286c1d6a22cbd02fd4cd2"

FILES = {
    "thyroid": RemoteFile(
        filename="thyroid.mat",
        sha256="49155d7861b977e90808faf68343ff67a67f63090c2744d514dbb67ac68e7e33",
        urls=(f"{_PYOD_COPY}/{_PYOD_COMMIT}/notebooks/data/thyroid.mat",),
        manual="thyroid.mat from the ODDS library, http://odds.cs.stonybrook.edu",
    ),
    "arrhythmia": RemoteFile(
        filename="arrhythmia.mat",
        sha256="e4d47e499591ae31e5d7f0cd983367092353eac240f48e14c9b36457edb3460d",
        urls=(
            f"{_PYOD_COPY}/{_PYOD_COMMIT}/notebooks/data/arrhythmia.mat",
            f"{_PYOD_COPY}/1938f1c58ba7948359b098ab358b7ee920825282/data/arrhythmia.mat",
        ),
        manual="arrhythmia.mat from the ODDS library, http://odds.cs.stonybrook.edu",
    ),
}

_DETAILS = {
    "thyroid": {
        "title": "Thyroid disease (ODDS)",
        "shape": (3772, 6),
        "outliers": 93,
        "text": (
            "Thyroid disease records; the 6 continuous attributes are already "
            "scaled to [0, 1]. Outliers are the hyperfunction class, inliers the "
            "healthy patients. Source data: UCI Thyroid Disease (ODDS cites Keller, "
            "Mueller and Boehm, HiCS, ICDE 2012, for this version)."
        ),
    },
    "arrhythmia": {
        "title": "Cardiac arrhythmia (ODDS)",
        "shape": (452, 274),
        "outliers": 66,
        "text": (
            "ECG recordings with 274 attributes. Outliers are the arrhythmia "
            "classes 3, 4, 5, 7, 8, 9, 14 and 15, inliers the other classes. "
            "Source data: UCI Arrhythmia."
        ),
    },
}


@fill_texts()
def load_odds(
    name,
    *,
    data_home=None,
    download_if_missing=False,
    as_frame=False,
    return_X_y=False,
):
    """Load a benchmark set of the ODDS outlier detection library.

    ==============  ===========  ================
    name            shape        outliers (y = 1)
    ==============  ===========  ================
    ``thyroid``     (3772, 6)    93 (2.47 %)
    ``arrhythmia``  (452, 274)   66 (14.60 %)
    ==============  ===========  ================

    Parameters
    ----------
    name : {"thyroid", "arrhythmia"}
        The data set; the file is ``<name>.mat``.
    data_home : str or path-like, default=None
        Data folder; see :func:`get_data_home`.
    download_if_missing : bool, default=False
        If True, download a missing file from its public origin.
    as_frame : bool, default=False
        If True, ``data`` is a DataFrame with columns ``x0, x1, ...`` (the
        files carry no feature names) and ``target`` a Series.
    %(return_X_y_param)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With ``data`` (float64), ``target`` (int64, 1 = outlier), ``frame``
        (or None), ``feature_names``, ``target_names`` and ``DESCR``.

    %(X_y_tuple)s

    Examples
    --------
    >>> from skfraud.datasets import load_odds
    >>> X, y = load_odds("thyroid", return_X_y=True)  # doctest: +SKIP
    >>> X.shape, int(y.sum())  # doctest: +SKIP
    ((3772, 6), 93)
    """
    name = _check_choice(name, "name", tuple(FILES))
    as_frame = _check_bool(as_frame, "as_frame")
    return_X_y = _check_bool(return_X_y, "return_X_y")
    download_if_missing = _check_bool(download_if_missing, "download_if_missing")
    path = _fetch_file(FILES[name], data_home, download_if_missing)
    content = loadmat(path)
    X = np.asarray(content["X"], dtype=np.float64)
    target = pd.Series(
        np.asarray(content["y"]).ravel().astype(np.int64), name="outlier"
    )
    return _as_output(
        X,
        target,
        feature_names=[f"x{i}" for i in range(X.shape[1])],
        as_frame=as_frame,
        return_X_y=return_X_y,
        descr=_describe(name),
    )


def _describe(name):
    details = _DETAILS[name]
    n_rows, n_features = details["shape"]
    outliers = details["outliers"]
    underline = "-" * len(details["title"])
    return f"""\
.. _odds_{name}_dataset:

{details["title"]}
{underline}

{details["text"]}

:Samples: {n_rows}
:Features: {n_features}, float64
:Outliers: {outliers} ({outliers / n_rows:.2%}), target 1 = outlier

Origin: ODDS copy ``{name}.mat`` as distributed in the github.com/yzhao062/pyod
repository.

Citation: Shebuti Rayana (2016). ODDS Library [http://odds.cs.stonybrook.edu].
Stony Brook, NY: Stony Brook University, Department of Computer Science.

License: ODDS states none; the source data are listed under CC BY 4.0 by the
UCI Machine Learning Repository.
"""
