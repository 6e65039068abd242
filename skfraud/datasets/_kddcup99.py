"""KDD Cup 1999 network intrusion data, raw and in the DAGMM preprocessing."""

import numbers

import numpy as np
import pandas as pd

from skfraud._docstrings import fill_texts
from skfraud._random import check_generator
from skfraud.datasets._base import (
    RemoteFile,
    _as_output,
    _check_bool,
    _check_choice,
    _fetch_file,
    _gzip,
)

CATEGORICAL_FEATURES = ("protocol_type", "service", "flag")
NUMERIC_FEATURES = (
    "duration", "src_bytes", "dst_bytes", "land", "wrong_fragment", "urgent",
    "hot", "num_failed_logins", "logged_in", "num_compromised", "root_shell",
    "su_attempted", "num_root", "num_file_creations", "num_shells",
    "num_access_files", "num_outbound_cmds", "is_host_login", "is_guest_login",
    "count", "srv_count", "serror_rate", "srv_serror_rate", "rerror_rate",
    "srv_rerror_rate", "same_srv_rate", "diff_srv_rate", "srv_diff_host_rate",
    "dst_host_count", "dst_host_srv_count", "dst_host_same_srv_rate",
    "dst_host_diff_srv_rate", "dst_host_same_src_port_rate",
    "dst_host_srv_diff_host_rate", "dst_host_serror_rate",
    "dst_host_srv_serror_rate", "dst_host_rerror_rate", "dst_host_srv_rerror_rate",
)  # fmt: skip
# The file's column order: duration comes before the categorical columns.
FEATURE_NAMES = ("duration", *CATEGORICAL_FEATURES, *NUMERIC_FEATURES[1:])
NORMAL_LABEL = "normal."

# Levels of the categorical columns in the 10 % subset, in the sorted order of
# the one-hot columns 0-79 of the DAGMM array.
_LEVELS = {
    "protocol_type": ("icmp", "tcp", "udp"),
    "service": (
        "IRC", "X11", "Z39_50", "auth", "bgp", "courier", "csnet_ns", "ctf",
        "daytime", "discard", "domain", "domain_u", "echo", "eco_i", "ecr_i",
        "efs", "exec", "finger", "ftp", "ftp_data", "gopher", "hostnames",
        "http", "http_443", "imap4", "iso_tsap", "klogin", "kshell", "ldap",
        "link", "login", "mtp", "name", "netbios_dgm", "netbios_ns",
        "netbios_ssn", "netstat", "nnsp", "nntp", "ntp_u", "other", "pm_dump",
        "pop_2", "pop_3", "printer", "private", "red_i", "remote_job", "rje",
        "shell", "smtp", "sql_net", "ssh", "sunrpc", "supdup", "systat",
        "telnet", "tftp_u", "tim_i", "time", "urh_i", "urp_i", "uucp",
        "uucp_path", "vmnet", "whois",
    ),
    "flag": (
        "OTH", "REJ", "RSTO", "RSTOS0", "RSTR", "S0", "S1", "S2", "S3", "SF", "SH",
    ),
}  # fmt: skip
DAGMM_FEATURE_NAMES = (
    *(
        f"{column}_{level}"
        for column in CATEGORICAL_FEATURES
        for level in _LEVELS[column]
    ),
    *NUMERIC_FEATURES,
)

_KDD_ARCHIVE = "http://kdd.ics.uci.edu/databases/kddcup99"
_GITHUB_COPY = (
    "https://raw.githubusercontent.com/potash/brf-example/"
    "cb1486bbec7069eec30474bce4bf9478e867e9d2/data"
)
_HEADER = ",".join((*FEATURE_NAMES, "label")).encode() + b"\n"


def _with_header(content):
    """The original files have no header line; the local copies have one."""
    return _gzip(_HEADER + content)


FILES = {
    "10pct": RemoteFile(
        filename="kddcup99_10pct.csv.gz",
        sha256="c5ad1345d35917b121589e8f8fad3b88195b415f9994ede928c5a6398bea6dfc",
        urls=(
            f"{_GITHUB_COPY}/kddcup.data_10_percent.gz",
            f"{_KDD_ARCHIVE}/kddcup.data_10_percent.gz",
        ),
        origin_sha256="f8c8267ebcd9c0ed1fd7d6277fe5bfff8732e9b7db8e61b873542b2a534b6f9a",
        origin_gzip=True,
        prepare=_with_header,
        content_sha256="d72161eee165aede2e552235dd8816c75225e277a5fa318747e5a84fcf29903b",
        manual=f"kddcup.data_10_percent.gz from {_KDD_ARCHIVE}, with a header line",
    ),
    "corrected": RemoteFile(
        filename="kddcup99_corrected.csv.gz",
        sha256="f331c3b381aeeede3b893fed4df1c18c19fbfa77a52d7f57a1e74a68d1659eec",
        urls=(f"{_GITHUB_COPY}/corrected.gz", f"{_KDD_ARCHIVE}/corrected.gz"),
        origin_sha256="547dfb9c0f0dc1d9944219ec79e851191faebaeb8acbfa1cd171c418397052a4",
        origin_gzip=True,
        prepare=_with_header,
        content_sha256="45d6723400d96895727a3e009fed7e0a424b42c27a6423e36cab6e3cdaf4f63e",
        manual=f"corrected.gz from {_KDD_ARCHIVE}, with a header line",
    ),
    "dagmm": RemoteFile(
        filename="kdd_cup_dagmm.npz",
        sha256="d2c0a6ebb3dcfeccb61ca413bbb0af78eba06de0ff5944e48c770964545e1904",
        urls=(
            "https://raw.githubusercontent.com/danieltan07/dagmm/"
            "0f79614675386a7766a30b9b6a6d1f24e6290528/kdd_cup.npz",
        ),
        manual="kdd_cup.npz of the github.com/danieltan07/dagmm repository, renamed",
    ),
}


@fill_texts()
def load_kddcup99(
    *,
    subset="10pct",
    form="raw",
    anomaly="attack",
    n_samples=None,
    random_state=None,
    data_home=None,
    download_if_missing=False,
    as_frame=True,
    return_X_y=False,
):
    """Load the KDD Cup 1999 network intrusion data.

    =========================  =======================  ==========================
    subset / form              shape                    positives
    =========================  =======================  ==========================
    ``"10pct"``, raw           (494021, 41)             396743 attacks (80.31 %)
    ``"corrected"``, raw       (311029, 41)             250436 attacks (80.52 %)
    ``"10pct"``, ``"dagmm"``   (494021, 118)            396743 attacks (80.31 %)
    =========================  =======================  ==========================

    With ``anomaly="normal"`` the positives are the ``normal.`` rows instead:
    97278 (19.69 %) in the 10 % subset, 60593 (19.48 %) in ``corrected``.

    Parameters
    ----------
    subset : {"10pct", "corrected"}, default="10pct"
        The 10 % training subset or the labelled test set, which holds 17
        attack types absent from the training data.
    form : {"raw", "dagmm"}, default="raw"
        ``"raw"``: the 41 original columns, three of them categorical strings
        (``protocol_type``, ``service``, ``flag``). ``"dagmm"``: the 118
        features of the DAGMM paper's preprocessing (one-hot categorical
        columns, then the 38 numeric ones min-max scaled on the attack rows,
        so normal rows may leave [0, 1]); only for ``subset="10pct"``.
    anomaly : {"attack", "normal"}, default="attack"
        The positive class of ``target``. ``"attack"`` (intrusion detection):
        1 for every ``label != "normal."``. ``"normal"`` (the protocol of the
        DAGMM paper, where the minority normal traffic is the anomaly): 1 for
        ``label == "normal."``.
    n_samples : int, default=None
        If given, return this many rows drawn uniformly without replacement,
        in file order. The whole file is still read.
    random_state : int, numpy.random.Generator or None, default=None
        Seed of the subsampling; only used with ``n_samples``.
    data_home : str or path-like, default=None
        Data folder; see :func:`get_data_home`.
    download_if_missing : bool, default=False
        If True, download a missing file from its public origin.
    as_frame : bool, default=True
        If True, ``data`` is a DataFrame (categorical columns with pandas'
        string dtype) and ``target`` a Series. If False, arrays: object for
        the raw form, float64 for ``"dagmm"``.
    %(return_X_y_param)s

    Returns
    -------
    data : :class:`~sklearn.utils.Bunch`
        With ``data``, ``target`` (int64, 1 = anomaly), ``frame`` (or None),
        ``feature_names``, ``target_names``, ``DESCR``; for the raw form also
        ``labels`` (the original 23 or 38 connection types, e.g. ``smurf.``)
        and ``categorical_features``.

    %(X_y_tuple)s

    Examples
    --------
    >>> from skfraud.datasets import load_kddcup99
    >>> kdd = load_kddcup99()  # doctest: +SKIP
    >>> kdd.data.shape, int(kdd.target.sum())  # doctest: +SKIP
    ((494021, 41), 396743)
    """
    subset = _check_choice(subset, "subset", ("10pct", "corrected"))
    form = _check_choice(form, "form", ("raw", "dagmm"))
    anomaly = _check_choice(anomaly, "anomaly", ("attack", "normal"))
    as_frame = _check_bool(as_frame, "as_frame")
    return_X_y = _check_bool(return_X_y, "return_X_y")
    download_if_missing = _check_bool(download_if_missing, "download_if_missing")
    if form == "dagmm" and subset != "10pct":
        raise ValueError(
            "form='dagmm' exists only for subset='10pct'; the DAGMM preprocessing "
            "was published for the 10 % training subset alone."
        )
    if n_samples is not None and (
        not isinstance(n_samples, numbers.Integral)
        or isinstance(n_samples, bool)
        or n_samples < 1
    ):
        raise ValueError(
            f"n_samples must be None or an integer >= 1, got {n_samples!r}."
        )

    key = "dagmm" if form == "dagmm" else subset
    path = _fetch_file(FILES[key], data_home, download_if_missing)
    target_name = "attack" if anomaly == "attack" else "normal"

    if form == "dagmm":
        with np.load(path) as archive:
            array = archive["kdd"]
        is_normal = array[:, -1] == 1
        rows = _subsample(len(array), n_samples, random_state)
        if rows is not None:
            array, is_normal = array[rows], is_normal[rows]
        target = pd.Series(
            (is_normal if anomaly == "normal" else ~is_normal).astype(np.int64),
            name=target_name,
        )
        return _as_output(
            array[:, :-1],
            target,
            feature_names=DAGMM_FEATURE_NAMES,
            as_frame=as_frame,
            return_X_y=return_X_y,
            descr=_describe(subset, form, anomaly, len(target), int(target.sum())),
        )

    frame = pd.read_csv(
        path, dtype={name: "str" for name in (*CATEGORICAL_FEATURES, "label")}
    )
    rows = _subsample(len(frame), n_samples, random_state)
    if rows is not None:
        frame = frame.take(rows).reset_index(drop=True)
    labels = frame.pop("label").rename("labels")
    is_normal = (labels == NORMAL_LABEL).to_numpy()
    target = pd.Series(
        (is_normal if anomaly == "normal" else ~is_normal).astype(np.int64),
        name=target_name,
    )
    return _as_output(
        frame,
        target,
        as_frame=as_frame,
        return_X_y=return_X_y,
        descr=_describe(subset, form, anomaly, len(target), int(target.sum())),
        labels=labels,
        categorical_features=list(CATEGORICAL_FEATURES),
    )


def _subsample(n_rows, n_samples, random_state):
    """Sorted row indices of a uniform subsample, or None to keep every row."""
    if n_samples is None:
        return None
    if n_samples > n_rows:
        raise ValueError(
            f"n_samples={n_samples} is larger than the {n_rows} rows of the data."
        )
    rng = check_generator(random_state)
    return np.sort(rng.choice(n_rows, size=n_samples, replace=False))


def _describe(subset, form, anomaly, n_rows, n_positive):
    if form == "dagmm":
        content = (
            "The 118 features of the DAGMM preprocessing (Zong et al., 2018), "
            "file kdd_cup.npz of github.com/danieltan07/dagmm: columns 0-79 "
            "one-hot encode protocol_type (3), service (66) and flag (11) in "
            "sorted order; columns 80-117 are the 38 numeric features, min-max "
            "scaled with the minimum and maximum of the attack rows, so normal "
            "rows range from -0.004 to 23.3. The paper reports 120 features."
        )
    else:
        content = (
            "The 41 original features: 3 categorical strings (protocol_type, "
            "service, flag) and 38 numeric. ``labels`` keeps the connection type "
            "of each row (normal. or an attack such as smurf., neptune.)."
        )
    if anomaly == "attack":
        positive = 'attack (label != "normal."): the intrusion detection view'
    else:
        positive = (
            'normal traffic (label == "normal."): the DAGMM protocol, where the '
            "minority normal rows are the anomaly"
        )
    subset_text = (
        "10 % training subset"
        if subset == "10pct"
        else 'labelled test set ("corrected")'
    )
    return f"""\
.. _kddcup99_dataset:

KDD Cup 1999 network intrusion data
-----------------------------------

Connection records of simulated traffic on a military network, from the UCI
KDD Archive ({_KDD_ARCHIVE}), {subset_text}.

:Samples: {n_rows}
:Positives: {n_positive} ({n_positive / n_rows:.2%}), 1 = {positive}
:Features: {content}

Attacks are the majority of the rows. Most rows are exact duplicates of
earlier ones (348,435 of the 494,021 in the 10 % subset), a known property
of the data. The test set holds 17 attack types absent from the training
subset.

Citation: S. Stolfo, W. Fan, W. Lee, A. Prodromidis and P. Chan, KDD Cup 1999
Data, UCI Machine Learning Repository. DAGMM: B. Zong et al., "Deep
Autoencoding Gaussian Mixture Model for Unsupervised Anomaly Detection",
ICLR 2018.

License: CC BY 4.0 (UCI Machine Learning Repository). The DAGMM file comes from
a repository that states no licence; its content is derived from the same data.
"""
