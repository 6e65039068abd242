"""Evaluation protocols: which rows a model learns from and which it is tested on.

Every protocol turns the labels of a data set and a seed into a
:class:`Split`. The threshold at which precision, recall and F1 are counted
is the same rule everywhere, the one of the DAGMM paper: flag the top
``rho`` share of the anomaly scores of all rows, training and test parts
together, then count the flagged test rows. ``rho`` is the anomaly share a
user would assume, never tuned on the test labels: the training part's
anomaly share, or the paper's value under the paper protocol.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from sklearn.model_selection import train_test_split

__all__ = [
    "DEFAULT_PROTOCOLS",
    "N_FEW_LABELS",
    "PAPER_RHO",
    "PROTOCOLS",
    "TEST_SIZE",
    "Protocol",
    "Split",
    "few_label_split",
    "few_labels",
    "flag_top_share",
    "paper_split",
    "stratified_split",
    "subsample",
]

TEST_SIZE = 0.3
N_FEW_LABELS = 30

# Zong et al. (ICLR 2018): the share of rows flagged, about the anomaly share
# of each whole data set. Other data sets use their own anomaly share.
PAPER_RHO = {"kdd": 0.20, "kdd_raw": 0.20, "thyroid": 0.025, "arrhythmia": 0.15}


@dataclass(frozen=True)
class Split:
    """The rows of one protocol run, as positions into the data set.

    Attributes
    ----------
    train : ndarray of int
        The training part, the rows passed to ``fit``.
    test : ndarray of int
        The test part, scored and compared with the true labels.
    y_train : ndarray of int or None
        The labels ``fit`` may see for ``train``: the true labels for the
        clean protocol (which keeps the normal rows only), the known
        anomalies (30, or 5) for the few-label protocols, None when labels are
        unused.
    normal_only : bool
        Whether models learn from the normal rows of ``train`` only.
    rho : float
        Share of all rows (both parts) flagged by the protocol threshold.
    """

    train: np.ndarray
    test: np.ndarray
    y_train: np.ndarray | None
    normal_only: bool
    rho: float

    @property
    def fit_rows(self):
        """The rows a model actually learns from."""
        if self.normal_only:
            return self.train[self.y_train == 0]
        return self.train


def subsample(y, max_rows, random_state):
    """Positions of a stratified random subsample of at most ``max_rows`` rows.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        Labels, kept in the same proportions.
    max_rows : int or None
        Size of the subsample; None or a size at least ``len(y)`` keeps every
        row, in order.
    random_state : int
        Seed of the draw.

    Returns
    -------
    rows : ndarray of int
    """
    n_rows = len(y)
    if max_rows is None or max_rows >= n_rows:
        return np.arange(n_rows)
    rows, _ = train_test_split(
        np.arange(n_rows), train_size=max_rows, stratify=y, random_state=random_state
    )
    return rows


def stratified_split(y, random_state, test_size=TEST_SIZE):
    """Stratified ``1 - test_size`` / ``test_size`` split of the row positions.

    The same partition, in the same order, as
    ``train_test_split(X, y, test_size=test_size, stratify=y,
    random_state=random_state)``.

    Returns
    -------
    train, test : ndarray of int
    """
    return train_test_split(
        np.arange(len(y)), test_size=test_size, stratify=y, random_state=random_state
    )


def paper_split(y, random_state, max_fit_rows=None):
    """The DAGMM paper's split: half of the normal rows train, the rest test.

    A random half of the rows with ``y == 0`` is the training part; the test
    part is the other half followed by every anomaly.

    Parameters
    ----------
    y : array-like of shape (n_samples,)
        True labels, 1 = anomaly.
    random_state : int
        Seed of the split.
    max_fit_rows : int, default=None
        If the training half is larger, ``fit_rows`` is a random subset of
        this many of its rows (drawn after the split, by the same generator):
        the rows a model learns from when the whole half would take too long.

    Returns
    -------
    train, test, fit_rows : ndarray of int
    """
    y = np.asarray(y)
    rng = np.random.default_rng(random_state)
    normal = rng.permutation(np.flatnonzero(y == 0))
    half = len(normal) // 2
    train = normal[:half]
    test = np.concatenate([normal[half:], np.flatnonzero(y == 1)])
    fit_rows = train
    if max_fit_rows is not None and len(train) > max_fit_rows:
        fit_rows = rng.choice(train, max_fit_rows, replace=False)
    return train, test, fit_rows


def few_labels(y_train, n_labelled, random_state):
    """Keep the label of ``n_labelled`` random anomalies; every other row is 0.

    Parameters
    ----------
    y_train : array-like of shape (n_samples,)
        True labels of the training part, 1 = anomaly.
    n_labelled : int or None
        Known anomalies to keep; all of them when there are fewer or when
        None.
    random_state : int
        Seed of the draw.

    Returns
    -------
    y_few : ndarray of shape (n_samples,)
        1 for the kept anomalies, 0 for every other row.
    """
    y_train = np.asarray(y_train)
    rng = np.random.default_rng(random_state)
    anomalies = np.flatnonzero(y_train == 1)
    n_kept = len(anomalies) if n_labelled is None else min(n_labelled, len(anomalies))
    kept = rng.choice(anomalies, n_kept, replace=False)
    y_few = np.zeros_like(y_train)
    y_few[kept] = 1
    return y_few


def flag_top_share(anomaly_scores, share):
    """Flag the ``share`` of rows with the highest anomaly scores.

    ``k = round(share * n)`` rows at least; rows tied with the k-th highest
    score are flagged together.

    Parameters
    ----------
    anomaly_scores : array-like of shape (n_samples,)
        Higher = more anomalous.
    share : float in [0, 1]

    Returns
    -------
    flags : ndarray of bool
    """
    scores = np.asarray(anomaly_scores, dtype=np.float64)
    n_flagged = min(len(scores), round(share * len(scores)))
    if n_flagged == 0:
        return np.zeros(len(scores), dtype=bool)
    kth_highest = np.partition(scores, len(scores) - n_flagged)[len(scores) - n_flagged]
    return scores >= kth_highest


def _unsupervised(y, random_state, dataset):
    train, test = stratified_split(y, random_state)
    return Split(train, test, None, normal_only=False, rho=float(np.mean(y[train])))


def _clean(y, random_state, dataset):
    train, test = stratified_split(y, random_state)
    return Split(train, test, y[train], normal_only=True, rho=float(np.mean(y[train])))


def _paper(y, random_state, dataset):
    train, test, _ = paper_split(y, random_state)
    rho = PAPER_RHO.get(dataset, float(np.mean(y)))
    return Split(train, test, None, normal_only=False, rho=rho)


def few_label_split(n_labelled):
    """The few-label protocol's ``make_split`` with ``n_labelled`` known anomalies.

    The stratified split; ``n_labelled`` random training anomalies keep their
    label (all of them when there are fewer) and every other training row is
    unlabelled (y = 0).

    Parameters
    ----------
    n_labelled : int
        Known anomalies in the training part.

    Returns
    -------
    make_split : callable
        ``make_split(y, random_state, dataset)`` returns the :class:`Split`.
    """

    def make_split(y, random_state, dataset):
        train, test = stratified_split(y, random_state)
        y_few = few_labels(y[train], n_labelled, random_state)
        rho = float(np.mean(y[train]))
        return Split(train, test, y_few, normal_only=False, rho=rho)

    return make_split


def _few_label_protocol(name, n_labelled):
    return Protocol(
        name,
        f"the stratified split; {n_labelled} random training anomalies keep "
        "their label, every other training row is unlabelled (y = 0)",
        few_label_split(n_labelled),
        uses_labels=True,
    )


@dataclass(frozen=True)
class Protocol:
    """An evaluation protocol.

    Attributes
    ----------
    name : str
    summary : str
        One line for the report.
    make_split : callable
        ``make_split(y, random_state, dataset)`` returns the :class:`Split`.
    uses_labels : bool
        Whether models that learn from labels (DevNet) run under it; the
        label-free ones run under every other protocol.
    """

    name: str
    summary: str
    make_split: Callable
    uses_labels: bool = False

    def split(self, y, random_state, dataset=None):
        """The :class:`Split` of labels ``y`` for a seed.

        Parameters
        ----------
        y : array-like of shape (n_samples,)
            True labels, 1 = anomaly.
        random_state : int
            Seed of the split (and of the labels kept by few-label).
        dataset : str, default=None
            Name of the data set, which sets ``rho`` under the paper protocol.

        Returns
        -------
        split : Split
        """
        return self.make_split(np.asarray(y), random_state, dataset)


PROTOCOLS = {
    protocol.name: protocol
    for protocol in (
        Protocol(
            "unsupervised",
            f"stratified {1 - TEST_SIZE:.0%}/{TEST_SIZE:.0%} split; models learn "
            "from the whole (contaminated) training part, labels unused",
            _unsupervised,
        ),
        Protocol(
            "clean",
            "the same split; models learn from the normal rows of the training "
            "part only, passed to fit as the only rows",
            _clean,
        ),
        Protocol(
            "paper",
            "the DAGMM protocol: a random half of the normal rows trains; the "
            "other half plus every anomaly tests; rho = 20 % KDD, 2.5 % thyroid, "
            "15 % arrhythmia, the anomaly share elsewhere",
            _paper,
        ),
        _few_label_protocol("few-label", N_FEW_LABELS),
        _few_label_protocol("few-label-5", 5),
        _few_label_protocol("few-label-100", 100),
        Protocol(
            "all-labels",
            "the stratified split; every training anomaly keeps its label "
            "(the supervised case, for the few-label models' upper end)",
            few_label_split(None),
            uses_labels=True,
        ),
    )
}

#: The protocols a run takes when none are named; the label budgets of 100
#: and every label are asked for by name (they measure the few-label models'
#: upper end and cost as many fits again).
DEFAULT_PROTOCOLS = ("unsupervised", "clean", "paper", "few-label", "few-label-5")
