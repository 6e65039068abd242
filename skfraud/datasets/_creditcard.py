"""The ULB credit-card fraud data: the full file or the bundled 1,722-row sample."""

import warnings

import numpy as np

from skfraud._docstrings import fill_texts
from skfraud.datasets._base import (
    RemoteFile,
    _as_output,
    _check_bool,
    _gzip,
    _read_frame,
    _resolve_data_home,
)

FEATURE_NAMES = ("Time", *(f"V{i}" for i in range(1, 29)), "Amount")
TARGET = "Class"
_KAGGLE = "https://www.kaggle.com/datasets/mlg-ulb/creditcardfraud"


def _drop_index_column(content):
    """The sample's origin starts every line with a pandas row index; cut it."""
    return _gzip(
        b"\n".join(
            line.split(b",", 1)[1] if line else line for line in content.split(b"\n")
        )
    )


FULL = RemoteFile(
    filename="creditcard.csv",
    sha256="76274b691b16a6c49d3f159c883398e03ccd6d1ee12d9d8ee38f4b4b98551a89",
    urls=(
        "https://storage.googleapis.com/download.tensorflow.org/data/creditcard.csv",
    ),
    manual=f"creditcard.csv, 150,828,752 bytes, from {_KAGGLE}",
)
SAMPLE = RemoteFile(
    filename="creditcard_sample1722.csv.gz",
    sha256="41e4829b9ced25b1b210fa65670b0919d15e3c9f4469d0278930be47fcf74efb",
    urls=(
        "https://raw.githubusercontent.com/jaehyeongAN/Credit-Card-Fraud-Detection/"
        "173b540b35933abfa2982b433d35370d8d62f6bc/data/creditcard_sample.csv",
    ),
    origin_sha256="2942d1f71d326ef41f8092c4affdb9a8aee8982599d5345df3ecaea29c4ef377",
    prepare=_drop_index_column,
    content_sha256="fa0fd20b273c0b6e20bb74cb06bfeae5b86b0aeb4b6848293dc92c3d635f8b06",
    manual=(
        "data/creditcard_sample.csv of the github.com/jaehyeongAN/"
        "Credit-Card-Fraud-Detection repository, without its first (index) "
        "column, gzip-compressed"
    ),
)


@fill_texts()
def load_creditcard(
    *,
    sample=None,
    data_home=None,
    download_if_missing=False,
    as_frame=True,
    return_X_y=False,
):
    """Load the ULB credit-card fraud data (full file or 1,722-row sample).

    ==========================  ============  =====================
    file                        shape         frauds (target = 1)
    ==========================  ============  =====================
    ``creditcard.csv``          (284807, 30)  492 (0.17 %)
    sample (``sample=True``)    (1722, 30)    492 (28.57 %)
    ==========================  ============  =====================

    The sample holds all 492 frauds of the full data and 1,230 randomly drawn
    genuine transactions. Its fraud rate is 28.57 %, not 0.17 %: use it for
    fast checks on the real V1-V28 structure, never as a benchmark.

    Parameters
    ----------
    sample : bool or None, default=None
        ``False``: the full ``creditcard.csv``. ``True``: the sample
        ``creditcard_sample1722.csv.gz``. ``None``: the full file if it is in
        the data folder, otherwise the sample with a ``UserWarning`` (and
        ``download_if_missing`` then applies to the sample).
    data_home : str or path-like, default=None
        Data folder; see :func:`get_data_home`.
    download_if_missing : bool, default=False
        If True, download a missing file from its public origin.
    as_frame : bool, default=True
        If True, ``data`` is a DataFrame and ``target`` a Series; otherwise
        float64 and int64 arrays.
    %(return_X_y_param)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With ``data`` (``Time``, ``V1``-``V28``, ``Amount``), ``target``
        (``Class``, int64, 1 = fraud), ``frame`` (or None), ``feature_names``,
        ``target_names``, ``DESCR`` and ``is_sample``.

    %(X_y_tuple)s

    Examples
    --------
    >>> from skfraud.datasets import load_creditcard
    >>> cc = load_creditcard(sample=True)  # doctest: +SKIP
    >>> cc.data.shape, int(cc.target.sum())  # doctest: +SKIP
    ((1722, 30), 492)
    """
    if sample is not None:
        sample = _check_bool(sample, "sample")
    as_frame = _check_bool(as_frame, "as_frame")
    return_X_y = _check_bool(return_X_y, "return_X_y")
    download_if_missing = _check_bool(download_if_missing, "download_if_missing")
    if sample is None:
        folder, _ = _resolve_data_home(data_home)
        sample = not (folder / FULL.filename).is_file()
        if sample:
            warnings.warn(
                f"{FULL.filename} was not found in {folder}; loading the 1,722-row "
                "sample, whose fraud rate is 28.57 % instead of the full data's "
                "0.17 %. Pass sample=True to choose the sample explicitly, or put "
                f"the full file there ({FULL.manual}).",
                UserWarning,
                stacklevel=2,
            )
    remote = SAMPLE if sample else FULL
    frame, target = _read_frame(
        remote,
        data_home,
        download_if_missing,
        dtype={name: np.float64 for name in FEATURE_NAMES},
        target=TARGET,
    )
    return _as_output(
        frame,
        target,
        as_frame=as_frame,
        return_X_y=return_X_y,
        descr=_describe(sample, len(target), int(target.sum())),
        is_sample=sample,
    )


def _describe(sample, n_rows, n_fraud):
    if sample:
        scope = (
            "SAMPLE ONLY: all 492 frauds of the full data plus 1,230 randomly "
            "drawn genuine transactions. WARNING: the fraud rate is 28.57 %, "
            "not the 0.17 % of the full data; do not report benchmark results "
            "on it. Origin: data/creditcard_sample.csv of the "
            "github.com/jaehyeongAN/Credit-Card-Fraud-Detection repository, "
            "without its index column."
        )
    else:
        scope = (
            "The full data: transactions made by European cardholders over two "
            f"days in September 2013. Origin: {_KAGGLE}."
        )
    return f"""\
.. _creditcard_dataset:

ULB credit-card fraud detection data
------------------------------------

{scope}

:Samples: {n_rows}
:Frauds: {n_fraud} ({n_fraud / n_rows:.2%}), target ``Class`` 1 = fraud
:Features: 30 numeric: ``Time`` (seconds since the first transaction),
    ``V1``-``V28`` (PCA components of undisclosed original features),
    ``Amount``

Citation: A. Dal Pozzolo, O. Caelen, R. A. Johnson and G. Bontempi,
"Calibrating Probability with Undersampling for Unbalanced Classification",
IEEE SSCI (CIDM), 2015. Data by the ULB Machine Learning Group and Worldline.

License: Open Data Commons Database Contents License (DbCL) v1.0, as listed on
the Kaggle page.
"""
