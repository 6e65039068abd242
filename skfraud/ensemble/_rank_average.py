"""Several models fitted on the same rows, their anomaly ranks averaged."""

from numbers import Integral, Real

import numpy as np
from joblib import Parallel, delayed
from sklearn.base import OutlierMixin, clone
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.metaestimators import _BaseComposition
from sklearn.utils.validation import check_is_fitted, validate_data

from skfraud._composition import kept_estimators
from skfraud._docstrings import fill_doc, fill_texts
from skfraud._threshold import ThresholdMixin, anomaly_scores, flagged, is_detector
from skfraud.ensemble._member_ranks import cross_validated_weights, fit_member, ranks

__all__ = ["RankAverageDetector"]


@fill_doc()
class RankAverageDetector(ThresholdMixin, OutlierMixin, _BaseComposition):
    """Averages the anomaly ranks of several models fitted on the same rows.

    Every member is fitted on ``(X, y)``: detectors (unsupervised ones,
    which ignore ``y``, or those that learn from a few labelled frauds, such
    as :class:`~skfraud.PReNetDetector` and Deep SAD) and classifiers (for
    example a :class:`~skfraud.preprocessing.DetectorScores` +
    gradient-boosting pipeline). A member's anomaly score of a row is minus
    its ``score_samples`` for a detector and its probability of class 1
    (fraud) for a classifier. Each score becomes a rank: the share of the
    training rows that member scores lower (ties count half), from 0 for
    the most normal to 1 for a row beyond every training row. The
    ensemble's anomaly score is the weighted mean of the members' ranks,
    and ``score_samples`` is its negative. The ranks put scores of
    different scales on one footing, and a row that several members rank
    high ends up on top even where one member misses it.

    Parameters
    ----------
    estimators : list of (str, estimator) tuples
        The members, each with a unique name, as in
        :class:`~sklearn.ensemble.VotingClassifier`. A detector needs
        ``score_samples`` (higher = more normal) and ``predict`` (-1 for an
        anomaly); a classifier needs ``predict_proba`` and the classes 0
        and 1. A member set to ``"drop"`` is left out. Nested parameters
        are tunable as ``<name>__<parameter>``.

    weights : array-like of shape (n_estimators,), "cv" or None, default=None
        Weight of each member's rank, in the order of ``estimators`` (the
        dropped ones included); ``None`` weighs them equally. ``"cv"``
        learns them from the labels: each member is refitted on the
        training folds of ``cv`` and ranks the held-out rows as it would
        rank new ones; the AUPRC of these out-of-fold ranks (labelled
        frauds against every other row), less the share of labelled rows
        (a random ranking's AUPRC), is the member's lift, floored at 0.
        The weights are the lifts normalised, with half of the total then
        spread evenly over the members: a few dozen held-out frauds
        measure AUPRC coarsely, and a member that lifts nothing on them
        keeps a small say. It costs ``cv`` extra fits of every member and
        needs at least ``cv`` labelled frauds.

    cv : int or cross-validation generator, default=3
        The folds of ``weights="cv"`` (unused otherwise), as in
        :func:`~sklearn.model_selection.cross_validate`: an int means that
        many :class:`~sklearn.model_selection.StratifiedKFold` folds.

    contamination : "auto" or float in (0, 0.5], default="auto"
        Share of the training rows flagged as anomalies; sets ``offset_``.
        ``"auto"`` takes the weighted mean of the shares the members flag
        themselves on the training rows (each with its own rule; a
        classifier flags a fraud probability above one half).

    n_jobs : int or None, default=None
        Members fitted in parallel with joblib; ``None`` means 1 unless in
        a :func:`joblib.parallel_backend` context.

    Attributes
    ----------
    estimators_ : list of (str, estimator) tuples
        The fitted members (clones of those in ``estimators``), without the
        dropped ones, in order.

    reference_scores_ : list of ndarray of shape (n_training_rows,)
        Each member's anomaly scores of the training rows, sorted: what a
        new row's score is ranked against.

    weights_ : ndarray of shape (n_members,)
        The members' weights, summing to 1.

    cv_auprc_ : ndarray of shape (n_members,)
        With ``weights="cv"``, each member's out-of-fold AUPRC on the
        labelled frauds, from which ``weights_`` was learnt.

    %(ensemble_attributes)s

    See Also
    --------
    skfraud.preprocessing.DetectorScores : Detectors' scores as features
        for a classifier (XGBOD), one candidate member.
    sklearn.ensemble.VotingClassifier : Averages classifiers' probabilities.

    Notes
    -----
    With 30 labelled frauds, the rank average of
    :class:`~skfraud.PReNetDetector`, :class:`~skfraud.DeepSVDDDetector`
    (Deep SAD), XGBOD and a gradient-boosting classifier on the raw
    features (both bagged: ten classifiers on bootstrap samples of the
    rows, as :class:`~sklearn.ensemble.BaggingClassifier` fits them) had
    the best mean AUPRC and average rank of skfraud's few-label suite,
    ahead of each member alone and of one gradient-boosting classifier
    (``benchmarks/results/suite_few_labels.md`` and the user guide's
    "Learning from a few labelled frauds").

    A member's ranks are taken against its scores of the training rows,
    which it has seen: a classifier scores the labelled frauds it was
    trained on near 1, so a new fraud it scores lower still ranks high
    among the mostly normal training rows. The sorted training scores are
    kept, one float per training row and member.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest
    >>> from skfraud.ensemble import RankAverageDetector
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (300, 3)), rng.normal(4, 1, (20, 3))])
    >>> y = np.r_[np.zeros(300), np.ones(10), np.zeros(10)]  # 10 known frauds
    >>> ensemble = RankAverageDetector(
    ...     [("iforest", IsolationForest(random_state=0)),
    ...      ("hgb", HistGradientBoostingClassifier(random_state=0))]
    ... ).fit(X, y)
    >>> scores = ensemble.score_samples(X)
    >>> bool(scores[310:].mean() < scores[:300].mean())  # unlabelled frauds
    True
    """

    _parameter_constraints: dict = {
        "estimators": [list],
        "weights": ["array-like", StrOptions({"cv"}), None],
        "cv": ["cv_object"],
        "contamination": [
            StrOptions({"auto"}),
            Interval(Real, 0, 0.5, closed="right"),
        ],
        "n_jobs": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self, estimators, *, weights=None, cv=3, contamination="auto", n_jobs=None
    ):
        self.estimators = estimators
        self.weights = weights
        self.cv = cv
        self.contamination = contamination
        self.n_jobs = n_jobs

    def get_params(self, deep=True):
        """Get the parameters of this detector and of its members.

        Parameters
        ----------
        deep : bool, default=True
            Also return the members' parameters as ``<name>__<parameter>``.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return self._get_params("estimators", deep=deep)

    def set_params(self, **params):
        """Set parameters, the members' ones as ``<name>__<parameter>``.

        Parameters
        ----------
        **params : dict
            Parameter names mapped to their new values; ``estimators``
            replaces the list, ``<name>`` one member.

        Returns
        -------
        self : RankAverageDetector
            This detector.
        """
        self._set_params("estimators", **params)
        return self

    def _members(self):
        """The ``(name, estimator)`` list the detector fits."""
        return self.estimators

    def _members_and_weights(self):
        listed = self._members()
        kept = kept_estimators(self, "estimators", listed)
        for name, estimator in kept:
            if not (is_detector(estimator) or hasattr(estimator, "predict_proba")):
                raise TypeError(
                    f"The member {name!r} ({type(estimator).__name__}) has "
                    "neither score_samples (a detector) nor predict_proba (a "
                    "classifier); RankAverageDetector cannot rank its rows."
                )
        if self.weights is None or isinstance(self.weights, str):
            return kept, np.full(len(kept), 1.0 / len(kept))
        weights = np.asarray(self.weights, dtype=np.float64)
        if weights.shape != (len(listed),):
            raise ValueError(
                f"weights must hold one number per estimator: "
                f"{len(listed)}; got shape {weights.shape}."
            )
        weights = weights[[est != "drop" for _, est in listed]]
        if not (
            np.isfinite(weights).all() and (weights >= 0).all() and weights.sum() > 0
        ):
            raise ValueError(
                "weights must be finite, non-negative and not all zero for the "
                f"members not dropped; got {self.weights!r}."
            )
        return kept, weights / weights.sum()

    def fit(self, X, y=None):
        """Fit every member on ``(X, y)`` and rank the training rows.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Passed to the members as it is, so that a member pipeline can
            select columns by name.
        y : array-like of shape (n_samples,), default=None
            1 for a known fraud, 0 for every other row; passed to every
            member. Classifier members need it.

        Returns
        -------
        self : RankAverageDetector
            The fitted detector.
        """
        self._validate_params()
        members, weights = self._members_and_weights()
        if y is None:
            needing_y = [name for name, est in members if not is_detector(est)]
            if needing_y:
                raise ValueError(
                    f"The members {needing_y} are classifiers and learn from "
                    "labels; pass y (1 = known fraud, 0 = any other row)."
                )
        validate_data(self, X, skip_check_array=True, reset=True)
        if isinstance(self.weights, str):
            if y is None:
                raise ValueError(
                    "weights='cv' learns the weights from labelled frauds; pass "
                    "y (1 = known fraud, 0 = any other row)."
                )
            weights, self.cv_auprc_ = cross_validated_weights(
                [estimator for _, estimator in members], X, y, self.cv, self.n_jobs
            )
        elif hasattr(self, "cv_auprc_"):
            del self.cv_auprc_  # from an earlier fit with weights="cv"
        fitted = Parallel(n_jobs=self.n_jobs)(
            delayed(fit_member)(clone(estimator), X, y) for _, estimator in members
        )
        self.estimators_ = [
            (name, estimator)
            for (name, _), estimator in zip(members, fitted, strict=True)
        ]
        self.weights_ = weights
        train_scores = [anomaly_scores(member, X) for _, member in self.estimators_]
        self.reference_scores_ = [np.sort(scores) for scores in train_scores]
        train_ranks = self._mean_rank(train_scores)
        if self.contamination == "auto":
            shares = [
                flagged(member, X, scores).mean()
                for (_, member), scores in zip(
                    self.estimators_, train_scores, strict=True
                )
            ]
            share = float(np.dot(self.weights_, shares))
        else:
            share = self.contamination
        self.offset_ = float(np.percentile(-train_ranks, 100.0 * share))
        return self

    def _mean_rank(self, member_scores):
        member_ranks = [
            ranks(reference, scores)
            for reference, scores in zip(
                self.reference_scores_, member_scores, strict=True
            )
        ]
        return self._combine(np.vstack(member_ranks))

    def _combine(self, member_ranks):
        """The anomaly score from the members' ranks (one row per member):
        their weighted mean."""
        return self.weights_ @ member_ranks

    @fill_texts()
    def score_samples(self, X):
        """Return minus the weighted mean of the members' anomaly ranks.

        %(rank_scores)s
        """
        check_is_fitted(self)
        # The members check the rows themselves first (a 1-d X gets their
        # "Reshape your data"); then the column count and names are checked
        # against those seen in fit.
        member_scores = [anomaly_scores(member, X) for _, member in self.estimators_]
        validate_data(self, X, skip_check_array=True, reset=False)
        return -self._mean_rank(member_scores)

    def fit_predict(self, X, y=None):
        """Fit on ``(X, y)`` and label the rows of ``X``: +1 inlier, -1 anomaly.

        ``OutlierMixin.fit_predict`` does not pass ``y`` on to ``fit``; here
        it does, for the members that learn from labels.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None
            1 for a known fraud, 0 for every other row.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            -1 for the rows flagged as anomalies, +1 for the others.
        """
        return self.fit(X, y).predict(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
