"""Copies of one detector, each fitted on a small random subsample."""

import warnings
from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import BaseEstimator, OutlierMixin, clone
from sklearn.utils import _safe_indexing, get_tags, indexable
from sklearn.utils._param_validation import HasMethods, Interval, StrOptions
from sklearn.utils.validation import _num_samples, check_is_fitted, validate_data

from skfraud._docstrings import fill_doc
from skfraud._random import check_generator
from skfraud._threshold import ThresholdMixin, contamination_offset
from skfraud.ensemble._member_ranks import fit_member

__all__ = ["SubsampleEnsembleDetector"]

#: Rows per subsample with ``max_samples="auto"``: IsolationForest's.
AUTO_MAX_SAMPLES = 256


@fill_doc()
class SubsampleEnsembleDetector(ThresholdMixin, OutlierMixin, BaseEstimator):
    """Copies of one detector, each fitted on a small random subsample.

    ``fit`` draws ``n_estimators`` subsamples of ``max_samples`` distinct
    training rows and fits a clone of ``estimator`` on each, every clone
    with its own seed. The score of a row is the mean of the clones'
    ``score_samples``. This is IsolationForest's defence against anomalies
    hidden in the training rows, applied to any detector: a cluster of
    anomalies that one model fitted on every row would learn as normal
    (a detector that memorises its rows, such as a deep network or a
    nearest-neighbour score, does) is missing or thinned out in most
    subsamples, so most copies still see it as far from the data.

    Parameters
    ----------
    estimator : detector instance
        The detector copied, with ``fit`` and ``score_samples`` (higher =
        more normal). Its ``random_state``, when it has one, is replaced by
        a seed per copy.

    n_estimators : int, default=8
        Number of copies.

    max_samples : "auto", int or float, default="auto"
        Rows in each subsample: ``"auto"`` is 256 rows, or all of them when
        there are fewer, as in IsolationForest; an int is a count (all the
        rows when there are fewer, with a warning); a float in (0, 1] a
        share of the rows.

    contamination : "auto" or float in (0, 0.5], default="auto"
        Share of the training rows flagged as anomalies; sets ``offset_``.
        ``"auto"`` flags the training rows whose anomaly score (minus the
        mean score) lies above the upper Tukey fence, ``Q3 + 1.5 IQR``.

    random_state : int, RandomState instance or None, default=None
        Draws the subsamples and the copies' seeds.

    n_jobs : int or None, default=None
        Copies fitted in parallel with joblib; ``None`` means 1 unless in a
        :func:`joblib.parallel_backend` context.

    Attributes
    ----------
    estimators_ : list of detectors
        The fitted copies.

    estimators_samples_ : list of ndarray of shape (`max_samples_`,)
        The training rows each copy was fitted on, as positions.

    max_samples_ : int
        Rows in each subsample.

    %(ensemble_attributes)s

    See Also
    --------
    sklearn.ensemble.IsolationForest : Trees on subsamples of 256 rows.
    skfraud.ensemble.RankAverageDetector : Different models on the same rows.

    Notes
    -----
    On the 34 sets of ``skfraud benchmark --suite adbench`` with
    contaminated training rows (the unsupervised protocol, 3 seeds), 8
    :class:`~skfraud.DTEDetector` on 256 rows each raised DTE's mean AUPRC
    from 0.404 to 0.429, above IsolationForest's 0.422, and its mean
    ROC-AUC from 0.721 to 0.751; its average rank stayed behind
    IsolationForest's (``benchmarks/results/subsample_ensemble.md``). Each
    copy then trains on 4 batches per epoch, so the training cost no longer
    grows with the number of rows. With rows known to be genuine there is
    nothing to dilute, and a copy that sees fewer rows learns less: fit the
    detector on every row then (not measured).

    Averaging raw scores assumes the copies score on one scale, which
    copies of one detector do.

    References
    ----------
    F. T. Liu, K. M. Ting and Z.-H. Zhou, "Isolation Forest", ICDM 2008
    (subsampling against swamping and masking).

    Examples
    --------
    >>> import numpy as np
    >>> from skfraud import KNNDetector
    >>> from skfraud.ensemble import SubsampleEnsembleDetector
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (500, 2)), rng.normal(5, 0.1, (20, 2))])
    >>> single = KNNDetector(n_neighbors=5).fit(X)
    >>> ensemble = SubsampleEnsembleDetector(
    ...     KNNDetector(n_neighbors=5), max_samples=50, random_state=0).fit(X)
    >>> # The 20 clustered anomalies look normal to the detector that has
    >>> # all of them in its index, not to the copies on 50 rows.
    >>> bool(single.score_samples(X)[500:].mean() > np.median(single.score_samples(X)))
    True
    >>> scores = ensemble.score_samples(X)
    >>> bool(scores[500:].max() < scores[:500].min())
    True
    """

    _parameter_constraints: dict = {
        "estimator": [HasMethods(["fit", "score_samples"])],
        "n_estimators": [Interval(Integral, 1, None, closed="left")],
        "max_samples": [
            StrOptions({"auto"}),
            Interval(Integral, 1, None, closed="left"),
            Interval(Real, 0, 1, closed="right"),
        ],
        "contamination": [
            StrOptions({"auto"}),
            Interval(Real, 0, 0.5, closed="right"),
        ],
        "random_state": ["random_state"],
        "n_jobs": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self,
        estimator,
        *,
        n_estimators=8,
        max_samples="auto",
        contamination="auto",
        random_state=None,
        n_jobs=None,
    ):
        self.estimator = estimator
        self.n_estimators = n_estimators
        self.max_samples = max_samples
        self.contamination = contamination
        self.random_state = random_state
        self.n_jobs = n_jobs

    def _subsample_size(self, n_rows):
        if self.max_samples == "auto":
            return min(AUTO_MAX_SAMPLES, n_rows)
        if isinstance(self.max_samples, Integral):
            if self.max_samples > n_rows:
                warnings.warn(
                    f"max_samples={self.max_samples} is more than the {n_rows} "
                    "training rows; every copy is fitted on all of them.",
                    UserWarning,
                    stacklevel=3,
                )
            return min(self.max_samples, n_rows)
        return max(1, int(self.max_samples * n_rows))

    def fit(self, X, y=None):
        """Fit ``n_estimators`` copies, each on its own subsample.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Passed to the copies row-subsampled but otherwise as it is, so
            that a copy that is a Pipeline can select columns by name.
        y : array-like of shape (n_samples,), default=None
            Subsampled with ``X`` and passed on, for a detector that learns
            from labels; ignored when None.

        Returns
        -------
        self : SubsampleEnsembleDetector
            The fitted detector.
        """
        self._validate_params()
        validate_data(self, X, skip_check_array=True, reset=True)
        # Sparse rows as CSR, other array-likes that cannot be indexed as
        # arrays; DataFrames keep their column names.
        X, y = indexable(X, y)
        n_rows = _num_samples(X)
        self.max_samples_ = self._subsample_size(n_rows)
        rng = check_generator(self.random_state)
        samples, members = [], []
        for _ in range(self.n_estimators):
            rows = rng.choice(n_rows, self.max_samples_, replace=False)
            member = clone(self.estimator)
            if "random_state" in member.get_params(deep=False):
                member.set_params(random_state=int(rng.integers(2**31)))
            samples.append(rows)
            members.append(member)
        self.estimators_ = Parallel(n_jobs=self.n_jobs)(
            delayed(fit_member)(
                member,
                _safe_indexing(X, rows),
                None if y is None else _safe_indexing(y, rows),
            )
            for member, rows in zip(members, samples, strict=True)
        )
        self.estimators_samples_ = samples
        self.offset_ = contamination_offset(-self._mean_score(X), self.contamination)
        return self

    def _mean_score(self, X):
        scores = [
            np.asarray(member.score_samples(X), dtype=np.float64)
            for member in self.estimators_
        ]
        return np.mean(scores, axis=0)

    def score_samples(self, X):
        """Return the mean of the copies' ``score_samples``.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,), dtype float64
            Higher = more normal; anomalies score lowest.
        """
        check_is_fitted(self)
        # The copies check the rows themselves first (a 1-d X gets their
        # "Reshape your data"); then the column count and names are checked
        # against those seen in fit.
        scores = self._mean_score(X)
        validate_data(self, X, skip_check_array=True, reset=False)
        return scores

    def __sklearn_tags__(self):
        # The input the copies take: they check the rows, this does not.
        tags = super().__sklearn_tags__()
        copied = get_tags(self.estimator).input_tags
        tags.input_tags.sparse = copied.sparse
        tags.input_tags.allow_nan = copied.allow_nan
        return tags
