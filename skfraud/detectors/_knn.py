"""The k-nearest-neighbour detector: distance to the closest training rows."""

import warnings
from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.neighbors import NearestNeighbors
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data

from skfraud._docstrings import fill_texts
from skfraud._random import check_random_state
from skfraud._threshold import (
    CONTAMINATION_CONSTRAINT,
    ThresholdMixin,
    contamination_offset,
    normal_rows,
)

__all__ = ["KNNDetector"]


class KNNDetector(ThresholdMixin, OutlierMixin, BaseEstimator):
    """Anomalies are the rows far from their nearest training rows.

    ``score_samples`` is minus the mean Euclidean distance from a row to its
    ``n_neighbors`` nearest training rows: a row in a dense region of the
    training data scores near zero, an isolated one far below. There is no
    network and nothing to train; ``fit`` indexes the rows.

    On the suite of ``skfraud benchmark --suite adbench`` (34 tables of at
    most 2,000 rows, 3 seeds, ``benchmarks/results/suite_all.md``) it has
    the best mean AUPRC when the training rows are known to be genuine
    (0.615, against 0.534 for the best network and 0.474 for
    IsolationForest), and it is a strong feature for a classifier in
    :class:`~skfraud.preprocessing.DetectorScores`. With training rows that
    hide frauds, the frauds that cluster become each other's neighbours and
    it falls behind IsolationForest and the autoencoder (0.389). Scale the
    columns first (``make_preprocessor``): every column counts in the
    distance with its own units.

    Parameters
    ----------
    n_neighbors : int, default=5
        Training rows whose distances are averaged. With ``n_neighbors`` or
        fewer training rows, all but one are used, with a warning, as
        :class:`~sklearn.neighbors.LocalOutlierFactor` does.

    max_samples : int or None, default=None
        Most training rows indexed. ``None`` indexes every row. From a
        larger training set a random subsample of ``max_samples`` rows is
        drawn (``random_state``): scoring a row then costs at most
        ``max_samples`` distances, and fitting grows linearly with the rows
        instead of with their square; every training row is still scored,
        against the indexed rows (Sugiyama & Borgwardt, 2013). On samples of
        30,000 rows of the suite's six larger sets, clean training, 10,000
        indexed rows cost some AUPRC (ALOI 0.080 against 0.098, skin 0.961
        against 0.973, KDD Cup 0.915 against 0.936) and left magic.gamma,
        celeba and vehicle insurance level; 2,000 cost more
        (``benchmarks/results/knn_max_samples.md``).

    contamination : "auto" or float in (0, 0.5], default="auto"
        Share of the training rows flagged as anomalies; sets ``offset_``.
        ``"auto"`` flags the rows above the upper Tukey fence of the
        training anomaly scores, ``Q3 + 1.5 * IQR``.

    train_on : {"all", "normal"}, default="all"
        Rows indexed as the reference of normal behaviour. ``"all"`` indexes
        every row of ``X`` and ignores ``y``; ``"normal"`` only the rows with
        ``y == 0`` (the "train on normal data" protocol), so that labelled
        frauds are not each other's neighbours. Every row of ``X`` is still
        scored for ``offset_`` and ``train_score_samples_``.

    random_state : int, RandomState instance or None, default=None
        Draws the indexed subsample when the training rows are more than
        ``max_samples``; pass an int for reproducible scores.

    n_jobs : int or None, default=None
        Parallel jobs of the neighbour search (``None``: one, ``-1``: all
        processors).

    Attributes
    ----------
    n_neighbors_ : int
        Neighbours used: ``n_neighbors``, or one less than the number of
        indexed training rows where that is smaller.

    neighbors_ : sklearn.neighbors.NearestNeighbors
        The index of the training rows (of at most ``max_samples`` of them).

    train_score_samples_ : ndarray of shape (n_samples,)
        ``score_samples`` of each training row against the *other* indexed
        training rows. Through ``score_samples`` an indexed row finds itself at
        distance 0, which lowers its mean distance; ``offset_`` comes from
        these scores instead.

    offset_ : float
        ``decision_function = score_samples - offset_``.

    n_features_in_ : int
        Number of features seen in ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Column names seen in ``fit``, when ``X`` had string column names.

    See Also
    --------
    sklearn.neighbors.LocalOutlierFactor : Compares a row's density with
        its neighbours' densities.
    AutoEncoderDetector : The recommended detector for unlabelled rows.

    References
    ----------
    M. Sugiyama and K. Borgwardt, "Rapid Distance-Based Outlier Detection
    via Sampling", NeurIPS 2013.

    Examples
    --------
    >>> import numpy as np
    >>> from skfraud import KNNDetector
    >>> X = np.array([[0.0], [0.1], [0.2], [0.3], [0.4], [0.5]])
    >>> detector = KNNDetector(n_neighbors=2).fit(X)
    >>> detector.score_samples([[0.25], [5.0]]).round(2)
    array([-0.05, -4.55])
    >>> detector.predict([[0.25], [5.0]])
    array([ 1, -1])
    """

    _parameter_constraints: dict = {
        "n_neighbors": [Interval(Integral, 1, None, closed="left")],
        "max_samples": [Interval(Integral, 2, None, closed="left"), None],
        "contamination": CONTAMINATION_CONSTRAINT,
        "train_on": [StrOptions({"all", "normal"})],
        "random_state": ["random_state"],
        "n_jobs": [Integral, None],
    }

    def __init__(
        self,
        n_neighbors=5,
        *,
        max_samples=None,
        contamination="auto",
        train_on="all",
        random_state=None,
        n_jobs=None,
    ):
        self.n_neighbors = n_neighbors
        self.max_samples = max_samples
        self.random_state = random_state
        self.contamination = contamination
        self.train_on = train_on
        self.n_jobs = n_jobs

    def fit(self, X, y=None):
        """Index the training rows and set ``offset_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Numeric rows, at least two.
        y : array-like of shape (n_samples,), default=None
            With ``train_on="normal"``, 0 for a normal row and 1 for an
            anomaly; ignored otherwise.

        Returns
        -------
        self : KNNDetector
            The fitted detector.
        """
        self._validate_params()
        X = validate_data(
            self, X, accept_sparse="csr", dtype=np.float64, ensure_min_samples=2
        )
        candidates = (
            np.arange(X.shape[0])
            if self.train_on == "all"
            else normal_rows(y, X.shape[0])
        )
        indexed = self._indexed_rows(candidates)
        self.n_neighbors_ = min(self.n_neighbors, indexed.size - 1)
        if self.n_neighbors_ < self.n_neighbors:
            warnings.warn(
                f"n_neighbors={self.n_neighbors} is not less than the "
                f"{indexed.size} training rows; each row is scored against "
                f"n_neighbors_={self.n_neighbors_} of them.",
                UserWarning,
                stacklevel=2,
            )
        self.neighbors_ = NearestNeighbors(
            n_neighbors=self.n_neighbors_, n_jobs=self.n_jobs
        ).fit(X[indexed])
        self.train_score_samples_ = self._training_scores(X, indexed)
        self.offset_ = contamination_offset(
            -self.train_score_samples_, self.contamination
        )
        return self

    def _indexed_rows(self, candidates):
        """Positions of the training rows the neighbour index holds, sorted:
        ``candidates``, or ``max_samples`` of them drawn at random."""
        if self.max_samples is None or candidates.size <= self.max_samples:
            return candidates
        rng = check_random_state(self.random_state)
        return np.sort(rng.choice(candidates, self.max_samples, replace=False))

    def _training_scores(self, X, indexed):
        """``score_samples`` of each training row against the indexed rows
        other than itself."""
        scores = np.empty(X.shape[0])
        # Without X, kneighbors leaves each indexed row out of its own
        # neighbours.
        distances, _ = self.neighbors_.kneighbors()
        scores[indexed] = -distances.mean(axis=1)
        others = np.setdiff1d(np.arange(X.shape[0]), indexed, assume_unique=True)
        if others.size:
            distances, _ = self.neighbors_.kneighbors(X[others])
            scores[others] = -distances.mean(axis=1)
        return scores

    def fit_predict(self, X, y=None):
        """Fit on ``X`` and label its rows: +1 inlier, -1 anomaly.

        The labels come from ``train_score_samples_``, each row scored
        against the other rows; ``fit(X).predict(X)`` would let each row
        count itself as a neighbour and flag fewer rows.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None
            With ``train_on="normal"``, 0 for a normal row and 1 for an
            anomaly; ignored otherwise.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            -1 for the rows flagged as anomalies, +1 for the others.
        """
        self.fit(X, y)
        return np.where(self.train_score_samples_ < self.offset_, -1, 1)

    @fill_texts()
    def score_samples(self, X):
        """Return minus the mean distance to the nearest training rows.

        %(score_samples_sections)s
            Higher = more normal; anomalies score lowest.
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64, reset=False)
        distances, _ = self.neighbors_.kneighbors(X)
        return -distances.mean(axis=1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
