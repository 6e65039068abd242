"""The classical tabular sets of ADBench (``.npz`` files): the suite of defaults."""

import numpy as np
import pandas as pd

from skfraud._docstrings import fill_texts
from skfraud.datasets._base import (
    RemoteFile,
    _as_output,
    _check_bool,
    _check_choice,
    _fetch_file,
)

__all__ = ["ADBENCH_DATASETS", "list_adbench", "load_adbench"]

_FOLDER = "adbench"
_COMMIT = "3dac8221081e190f157d78e93bfa8867f90d0965"
_URL = f"https://github.com/Minqi824/ADBench/raw/{_COMMIT}/adbench/datasets/Classical"

# name: (rows, features, anomalies, sha256 of the file), as published at _COMMIT.
_FILES = {
    "1_ALOI": (
        49_534,
        27,
        1_508,
        "792d0b5bd1147bfc9574a1974f157b39fbd4cbed8ecd04cf983fd554498ed477",
    ),
    "4_breastw": (
        683,
        9,
        239,
        "4f37ce07dbc25ddad8178fdc6d664ab46d2d0000ee28c2787c3c7ff3c03ef9f6",
    ),
    "8_celeba": (
        202_599,
        39,
        4_547,
        "1cadfdea14cd8d240eca715a70c09c88af8621d086a7478c63f602d97adef0b5",
    ),
    "12_fault": (
        1_941,
        27,
        673,
        "ec27301f9a4cf7c5d8b22c360cf37ddb043b7fb062465723dfd8b34e2771e5dd",
    ),
    "14_glass": (
        214,
        7,
        9,
        "aa7a8db1d475ba01a10488af454bc15220a3d5951b010b03b7020567d8152cdc",
    ),
    "15_Hepatitis": (
        80,
        19,
        13,
        "4a87a2f7d8013e5bfde63294fae61ec7a612322de72f338a7f9491749025ad98",
    ),
    "17_InternetAds": (
        1_966,
        1555,
        368,
        "bdd8ad5cf5bf2cb96cba53dde30d522d0f6a279083a8e2bc7efbac5981b04385",
    ),
    "18_Ionosphere": (
        351,
        32,
        126,
        "bca46cb0cfd1bf9ddef6cde5ad2215d54fb0189508d0d4c4eb98e788cad69001",
    ),
    "19_landsat": (
        6_435,
        36,
        1_333,
        "ba17e2158c07469597b89db49d3982c874c6b713ff6670721ddc88969da77987",
    ),
    "20_letter": (
        1_600,
        32,
        100,
        "f986d3da80cf1fa2aea83a5ebe73b7d4800e0d4c01fdd1ae074b58d20f10d039",
    ),
    "21_Lymphography": (
        148,
        18,
        6,
        "dad977b04f4ea65b78ccd0e9f76b45175bad605165b37e63f3cc177845e67037",
    ),
    "22_magic.gamma": (
        19_020,
        10,
        6_688,
        "0be375984d7af9ea7a63b12206c240840d8b7daa3607021c5fb8756407dd86f1",
    ),
    "24_mnist": (
        7_603,
        100,
        700,
        "be7706272325fdd3592c1be555ae1a82f916a2f8545f4f8cbaa548ab102cc44c",
    ),
    "25_musk": (
        3_062,
        166,
        97,
        "2ed3f4392197b76a1e59116ff880c7720a4b026cf4842073a53b56fdea265017",
    ),
    "26_optdigits": (
        5_216,
        64,
        150,
        "60de17a375a278ba220a7849727d998aa02b5e2f9fd17732a004bba28de4656e",
    ),
    "28_pendigits": (
        6_870,
        16,
        156,
        "c4936b89dcdad59d303020e492f763a0f54170080d787c77497609acbb9c2d79",
    ),
    "29_Pima": (
        768,
        8,
        268,
        "215454bb263a2f040945c9ea7bd7f06f1e89a61a3143bdb6f196e3887e801a7d",
    ),
    "30_satellite": (
        6_435,
        36,
        2_036,
        "1f048f5686f1b8c16a227fdfa3c81a62cd9a92715714a6b24c69b1c5ad96b46e",
    ),
    "33_skin": (
        245_057,
        3,
        50_859,
        "d02aa01ffc1b6bf2b8b1ac250c90e8a8eacd0cefc962940ed5cc4bf5deac9c95",
    ),
    "35_SpamBase": (
        4_207,
        57,
        1_679,
        "d0c46c7928e43f6496bcd06e09de0b70f6bc8143792dfa0a43f450263d254e9b",
    ),
    "37_Stamps": (
        340,
        9,
        31,
        "99fe739447284f613fa54bf2dccdb51c5120175ce6260adec6dad77576c42509",
    ),
    "39_vertebral": (
        240,
        6,
        30,
        "0816286f92b96fe6867664a41a031ac7228dcfbf1a5feefe50ca3883b2e9073d",
    ),
    "40_vowels": (
        1_456,
        12,
        50,
        "4bfc4244d1c882773bbbc50d4a5db5e52276e53506e46b2d45e02d074cfcb1b6",
    ),
    "41_Waveform": (
        3_443,
        21,
        100,
        "6c9d867337ad1a2f8372c1d27f4c032f0401237e2041b7c45f00de8d319ff30f",
    ),
    "42_WBC": (
        223,
        9,
        10,
        "650f9dcb129248f67a291be0974f533ef259fcbde50fce5c8ad2a1cb2652d03b",
    ),
    "43_WDBC": (
        367,
        30,
        10,
        "78d4606a1ab516f5b60b00c196497f3bbd6bd5e4548fd04cf5f2475209b34b85",
    ),
    "45_wine": (
        129,
        13,
        10,
        "d5ad8965d92cc57122fe1e6572bb301adbaf795b3e166d187ae00a704d8f6e20",
    ),
    "46_WPBC": (
        198,
        33,
        47,
        "68a6d67242643855713bcdad07d89ecc472bd00000dccc17ba87916eb2693d19",
    ),
    "47_yeast": (
        1_484,
        8,
        507,
        "bbb15c873d78a4f6a589f46d0f75814595e2282d2ae7ce7779c750f276c3770d",
    ),
}

# The names load_adbench accepts, in ADBench's numbering order.
ADBENCH_DATASETS = tuple(_FILES)


def _remote(name):
    sha256 = _FILES[name][3]
    return RemoteFile(
        filename=f"{_FOLDER}/{name}.npz",
        sha256=sha256,
        urls=(f"{_URL}/{name}.npz",),
        manual=(
            f"{name}.npz of the ADBench repository, github.com/Minqi824/ADBench, "
            f"commit {_COMMIT}, folder adbench/datasets/Classical, saved as "
            f"{_FOLDER}/{name}.npz inside the data folder"
        ),
    )


def list_adbench():
    """The names of the ADBench sets that :func:`load_adbench` reads.

    Returns
    -------
    names : list of str
        File stems such as ``"4_breastw"``, in ADBench's numbering order.

    Examples
    --------
    >>> from skfraud.datasets import list_adbench
    >>> len(list_adbench())
    29
    >>> list_adbench()[:3]
    ['1_ALOI', '4_breastw', '8_celeba']
    """
    return list(ADBENCH_DATASETS)


@fill_texts()
def load_adbench(name, *, data_home=None, download_if_missing=False, return_X_y=False):
    """Load one of the 29 classical tabular sets of ADBench.

    The files are those of ADBench (Han et al., NeurIPS 2022) at a fixed
    commit, read from ``<data folder>/adbench/<name>.npz`` and checked
    against their SHA-256. They hold numeric features only, as published
    (not scaled), and ``y`` with 1 = anomaly. Together they are the suite on
    which skfraud's defaults are chosen.

    Parameters
    ----------
    name : str
        One of :func:`list_adbench`, the file stem, e.g. ``"4_breastw"``.
    data_home : str or path-like, default=None
        Data folder; see :func:`get_data_home`. The file is looked up in its
        ``adbench`` subfolder.
    download_if_missing : bool, default=False
        If True, download a missing file from the ADBench repository.
    %(return_X_y_param)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With ``data`` (float64 array), ``target`` (int64, 1 = anomaly),
        ``frame`` (None), ``feature_names`` (``x0, x1, ...``),
        ``target_names`` and ``DESCR``.

    %(X_y_tuple)s

    Examples
    --------
    >>> from skfraud.datasets import load_adbench
    >>> X, y = load_adbench("4_breastw", return_X_y=True)  # doctest: +SKIP
    >>> X.shape, int(y.sum())  # doctest: +SKIP
    ((683, 9), 239)
    """
    name = _check_choice(name, "name", ADBENCH_DATASETS)
    return_X_y = _check_bool(return_X_y, "return_X_y")
    download_if_missing = _check_bool(download_if_missing, "download_if_missing")
    path = _fetch_file(_remote(name), data_home, download_if_missing)
    with np.load(path, allow_pickle=False) as content:
        X = np.asarray(content["X"], dtype=np.float64)
        y = np.asarray(content["y"]).ravel().astype(np.int64)
    return _as_output(
        X,
        pd.Series(y, name="anomaly"),
        feature_names=[f"x{i}" for i in range(X.shape[1])],
        as_frame=False,
        return_X_y=return_X_y,
        descr=_describe(name),
    )


def _describe(name):
    n_rows, n_features, anomalies, _ = _FILES[name]
    title = f"ADBench {name}"
    return f"""\
.. _adbench_{name}_dataset:

{title}
{"-" * len(title)}

One of the classical tabular sets of ADBench, numeric features as
published.

:Samples: {n_rows}
:Features: {n_features}, float64
:Anomalies: {anomalies} ({anomalies / n_rows:.2%}), target 1 = anomaly

Origin: ``adbench/datasets/Classical/{name}.npz`` of github.com/Minqi824/ADBench,
commit {_COMMIT}.

Citation: Songqiao Han, Xiyang Hu, Hailiang Huang, Minqi Jiang and Yue Zhao
(2022). ADBench: Anomaly Detection Benchmark. NeurIPS 2022 Datasets and
Benchmarks; the sets themselves come from ODDS, UCI and the sources that
ADBench cites.

License: BSD 2-Clause (the ADBench repository).
"""
