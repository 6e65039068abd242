"""The k-nearest-neighbour detector: distance to the closest training rows."""

from numbers import Integral

import numpy as np
from sklearn.base import BaseEstimator, OutlierMixin
from sklearn.neighbors import NearestNeighbors
from sklearn.utils._param_validation import Interval
from sklearn.utils.validation import check_is_fitted, validate_data

from skfraud.base import BaseDeepDetector, ThresholdMixin, contamination_offset

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
        Training rows whose distances are averaged.

    contamination : "auto" or float in (0, 0.5], default="auto"
        Share of the training rows flagged as anomalies; sets ``offset_``.
        ``"auto"`` flags the rows above the upper Tukey fence of the
        training anomaly scores, ``Q3 + 1.5 * IQR``.

    n_jobs : int or None, default=None
        Parallel jobs of the neighbour search (``None``: one, ``-1``: all
        processors).

    Attributes
    ----------
    neighbors_ : sklearn.neighbors.NearestNeighbors
        The index of the training rows.

    train_score_samples_ : ndarray of shape (n_samples,)
        ``score_samples`` of each training row against the *other* training
        rows. Through ``score_samples`` a training row finds itself at
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
        "contamination": BaseDeepDetector._parameter_constraints["contamination"],
        "n_jobs": [Integral, None],
    }

    def __init__(self, n_neighbors=5, *, contamination="auto", n_jobs=None):
        self.n_neighbors = n_neighbors
        self.contamination = contamination
        self.n_jobs = n_jobs

    def fit(self, X, y=None):
        """Index the training rows and set ``offset_``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Numeric rows, more than ``n_neighbors`` of them.
        y : None
            Ignored.

        Returns
        -------
        self : KNNDetector
            The fitted detector.
        """
        self._validate_params()
        X = validate_data(self, X, accept_sparse="csr", dtype=np.float64)
        if X.shape[0] <= self.n_neighbors:
            raise ValueError(
                f"KNNDetector needs more than n_neighbors={self.n_neighbors} "
                f"training rows; got n_samples = {X.shape[0]}."
            )
        self.neighbors_ = NearestNeighbors(
            n_neighbors=self.n_neighbors, n_jobs=self.n_jobs
        ).fit(X)
        # Without X, kneighbors leaves each training row out of its own
        # neighbours.
        distances, _ = self.neighbors_.kneighbors()
        self.train_score_samples_ = -distances.mean(axis=1)
        self.offset_ = contamination_offset(
            -self.train_score_samples_, self.contamination
        )
        return self

    def fit_predict(self, X, y=None):
        """Fit on ``X`` and label its rows: +1 inlier, -1 anomaly.

        The labels come from ``train_score_samples_``, each row scored
        against the other rows; ``fit(X).predict(X)`` would let each row
        count itself as a neighbour and flag fewer rows.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : None
            Ignored.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            -1 for the rows flagged as anomalies, +1 for the others.
        """
        self.fit(X)
        return np.where(self.train_score_samples_ < self.offset_, -1, 1)

    def score_samples(self, X):
        """Return minus the mean distance to the nearest training rows.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,), dtype float64
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
