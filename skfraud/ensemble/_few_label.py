"""The few-label detector: the suite's best recipe with a few confirmed frauds."""

from numbers import Integral

from sklearn.base import clone
from sklearn.ensemble import BaggingClassifier, HistGradientBoostingClassifier
from sklearn.pipeline import make_pipeline
from sklearn.utils import ClassifierTags
from sklearn.utils.validation import _num_samples
from threadpoolctl import threadpool_limits

from skfraud._docstrings import fill_texts
from skfraud._random import draw_seed
from skfraud._threshold import check_anomaly_labels
from skfraud.detectors import DeepSVDDDetector, PReNetDetector
from skfraud.ensemble._rank_average import RankAverageDetector
from skfraud.preprocessing import DetectorScores

__all__ = ["FewLabelDetector", "bagged_gradient_boosting", "few_label_estimators"]

#: Bootstrap copies of the gradient-boosting classifier in each bagged member.
N_BAGS = 10
#: Deep SAD's training stops after its 150 epochs or after this many
#: optimizer steps, whichever comes first: on the suite's tables of at most
#: 2,000 rows the 150 epochs come first, so the bound only shortens training
#: on larger tables.
DEEP_SAD_MAX_STEPS = 3000


def bagged_gradient_boosting(random_state=None):
    """Gradient boosting bagged: its trees averaged over bootstrap samples.

    Ten :class:`~sklearn.ensemble.HistGradientBoostingClassifier`, each
    fitted on a bootstrap sample of the rows, their fraud probabilities
    averaged. With a few labelled frauds, one classifier's trees follow the
    handful of frauds it drew; the average over bootstrap samples is
    steadier (``benchmarks/results/few_label_bagged.md``).

    Parameters
    ----------
    random_state : int or None, default=None
        Seed of the bootstrap samples and of every classifier.

    Returns
    -------
    classifier : BaggingClassifier
        Unfitted.

    Examples
    --------
    >>> from skfraud.ensemble import bagged_gradient_boosting
    >>> bagged_gradient_boosting(random_state=0).n_estimators
    10
    """
    return BaggingClassifier(
        HistGradientBoostingClassifier(random_state=random_state),
        n_estimators=N_BAGS,
        random_state=random_state,
    )


def few_label_estimators(random_state=None):
    """The members of :class:`FewLabelDetector`, as ``(name, estimator)`` pairs.

    - ``"prenet"``: :class:`~skfraud.PReNetDetector`;
    - ``"deep_sad"``: :class:`~skfraud.DeepSVDDDetector`, which learns
      from the labels as Deep SAD, for its 150 epochs or 3,000 optimizer
      steps, whichever come first, leaving the tenth of each batch's
      unlabelled rows furthest from the centre out of its loss
      (``trim=0.1``, the trimming with which the recipe was measured);
    - ``"xgbod"``: :class:`~skfraud.preprocessing.DetectorScores` (the
      scores of an IsolationForest and of two nearest-neighbour detectors
      beside the features) in front of :func:`bagged_gradient_boosting`;
    - ``"trees"``: :func:`bagged_gradient_boosting` on the features alone.

    Parameters
    ----------
    random_state : int or None, default=None
        Seed of every member.

    Returns
    -------
    estimators : list of (str, estimator) tuples
        Unfitted, ready for :class:`FewLabelDetector` or
        :class:`RankAverageDetector`.

    Examples
    --------
    >>> from skfraud.ensemble import few_label_estimators
    >>> [name for name, _ in few_label_estimators(random_state=0)]
    ['prenet', 'deep_sad', 'xgbod', 'trees']
    """
    deep_sad = DeepSVDDDetector(
        trim=0.1, max_steps=DEEP_SAD_MAX_STEPS, random_state=random_state
    )
    return [
        ("prenet", PReNetDetector(random_state=random_state)),
        ("deep_sad", deep_sad),
        (
            "xgbod",
            make_pipeline(
                DetectorScores(random_state=random_state),
                bagged_gradient_boosting(random_state),
            ),
        ),
        ("trees", bagged_gradient_boosting(random_state)),
    ]


def _seeded(estimator, seed):
    """A clone of ``estimator`` with every ``random_state`` in it set to ``seed``."""
    if not hasattr(estimator, "get_params"):
        return estimator
    estimator = clone(estimator)
    keys = [
        key
        for key in estimator.get_params(deep=True)
        if key == "random_state" or key.endswith("__random_state")
    ]
    return estimator.set_params(**dict.fromkeys(keys, seed))


class FewLabelDetector(RankAverageDetector):
    """A few confirmed frauds and many unlabelled rows: skfraud's recipe.

    ``fit(X, y)`` reads ``y`` as 1 for a confirmed fraud (a chargeback, a
    case closed by an investigator) and 0 for every other row, which may
    hide frauds nobody has found. It fits four members on the same rows and
    averages their anomaly ranks (:class:`RankAverageDetector`): two
    networks that learn from the labelled frauds and from the unlabelled
    rows (:class:`~skfraud.PReNetDetector` and Deep SAD,
    :class:`~skfraud.DeepSVDDDetector` with labels), XGBOD (unsupervised
    detectors' scores beside the features, into gradient boosting) and
    gradient boosting on the features, both bagged (see
    :func:`few_label_estimators`). The networks and the detectors' scores
    carry what the unlabelled rows say; the trees, what the labels say.

    Parameters
    ----------
    estimators : list of (str, estimator) tuples or None, default=None
        The members; ``None`` takes :func:`few_label_estimators` seeded with
        ``random_state``. Their parameters are tunable as
        ``<name>__<parameter>`` (``prenet__lr``, ``xgbod__detectorscores__
        passthrough``) in either case, as for :class:`RankAverageDetector`.

    weights : array-like of shape (n_estimators,), "cv" or None, default=None
        Weight of each member's rank, as for :class:`RankAverageDetector`;
        ``None`` weighs them equally.

    cv : int or cross-validation generator, default=3
        The folds of ``weights="cv"`` (unused otherwise).

    contamination : "auto" or float in (0, 0.5], default="auto"
        Share of the training rows flagged as anomalies; sets ``offset_``.
        ``"auto"`` takes the mean of the shares the members flag themselves.

    random_state : int, RandomState instance or None, default=None
        Seed of the members: the default members are built with it, and
        every ``random_state`` of given members is set to it (``None``
        leaves given members as they are).

    n_jobs : int or None, default=None
        Members fitted in parallel with joblib. Each member runs on one
        OpenMP thread during ``fit`` and ``score_samples`` (restored
        afterwards): the gradient-boosting members build small trees, whose
        threads lose badly to spinning on busy shared cores, as torch's do
        (the networks run on ``n_jobs=1`` thread too, their default).

    Attributes
    ----------
    estimators_ : list of (str, estimator) tuples
        The fitted members.

    reference_scores_ : list of ndarray of shape (n_training_rows,)
        Each member's sorted anomaly scores of the training rows.

    weights_ : ndarray of shape (n_members,)
        The members' weights, summing to 1.

    offset_ : float
        Threshold on ``score_samples``: rows scoring below it are anomalies.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string
        column names.

    See Also
    --------
    RankAverageDetector : The rank average of any members.
    skfraud.preprocessing.DetectorScores : XGBOD's features.

    Notes
    -----
    On the suite of ``skfraud benchmark --suite adbench`` (34 tables of at
    most 2,000 rows, 3 seeds), with 30 labelled frauds in the training
    rows, this recipe had the best mean AUPRC and average rank: 0.759,
    against 0.684 for gradient boosting on the same labels; with 5 labelled
    frauds 0.649 (``benchmarks/results/suite_few_labels.md``). The members
    need labelled frauds to learn from: ``fit`` refuses ``y`` with fewer
    than two.

    Examples
    --------
    >>> import numpy as np
    >>> from skfraud.ensemble import FewLabelDetector
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (300, 3)), rng.normal(4, 1, (20, 3))])
    >>> y = np.r_[np.zeros(300), np.ones(5), np.zeros(15)]  # 5 confirmed
    >>> detector = FewLabelDetector(random_state=0).set_params(
    ...     prenet__max_epochs=5, deep_sad__max_epochs=5)
    >>> scores = detector.fit(X, y).score_samples(X)
    >>> bool(scores[305:].mean() < scores[:300].mean())  # frauds not labelled
    True
    """

    _parameter_constraints: dict = {
        **RankAverageDetector._parameter_constraints,
        "estimators": [list, None],
        "random_state": ["random_state"],
    }

    def __init__(
        self,
        estimators=None,
        *,
        weights=None,
        cv=3,
        contamination="auto",
        random_state=None,
        n_jobs=None,
    ):
        super().__init__(
            estimators,
            weights=weights,
            cv=cv,
            contamination=contamination,
            n_jobs=n_jobs,
        )
        self.random_state = random_state

    def _members(self):
        # In fit, the seed drawn for it; otherwise (get_params) the int
        # random_state, or None.
        seed = getattr(self, "_fit_seed", None)
        if seed is None and isinstance(self.random_state, Integral):
            seed = self.random_state
        if self.estimators is None:
            return few_label_estimators(seed)
        if seed is None or not isinstance(self.estimators, list | tuple):
            return self.estimators
        return [(name, _seeded(estimator, seed)) for name, estimator in self.estimators]

    def get_params(self, deep=True):
        """Get the parameters of this detector and of its members.

        Parameters
        ----------
        deep : bool, default=True
            Also return the members' parameters as ``<name>__<parameter>``,
            those of the default members when ``estimators`` is None.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        # The given members come from RankAverageDetector, the members
        # themselves, so that nested set_params reaches them.
        params = super().get_params(deep=deep)
        if deep and self.estimators is None:
            for name, estimator in self._members():
                params[name] = estimator
                for key, value in estimator.get_params(deep=True).items():
                    params[f"{name}__{key}"] = value
        return params

    def set_params(self, **params):
        """Set parameters, the members' ones as ``<name>__<parameter>``.

        Setting a member's parameter while ``estimators`` is None first sets
        ``estimators`` to the default members, which then keep the change.

        Parameters
        ----------
        **params : dict
            Parameter names mapped to their new values.

        Returns
        -------
        self : FewLabelDetector
            This detector.
        """
        if self.estimators is None and "estimators" not in params:
            names = {name for name, _ in few_label_estimators()}
            if any(key.partition("__")[0] in names for key in params):
                self.estimators = self._members()
        return super().set_params(**params)

    def fit(self, X, y):
        """Fit every member on ``(X, y)`` and rank the training rows.

        Parameters
        ----------
        X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)
            Numeric features; put :func:`~skfraud.preprocessing.make_preprocessor`
            in front of a table with categorical columns.
        y : array-like of shape (n_samples,)
            1 for a confirmed fraud, 0 for every other row; at least two
            confirmed frauds.

        Returns
        -------
        self : FewLabelDetector
            The fitted detector.
        """
        if y is None:
            raise ValueError(
                "FewLabelDetector requires y to be passed, but the target y is "
                "None: pass y with 1 for each confirmed fraud and 0 for every "
                "other row."
            )
        n_samples = _num_samples(X)
        if n_samples < 2:
            raise ValueError(
                f"FewLabelDetector needs rows to learn from; got {n_samples} sample."
            )
        labels = check_anomaly_labels(y, n_samples=n_samples, zero="unlabelled")
        n_frauds = int(labels.sum())
        if n_frauds < 2:
            raise ValueError(
                f"FewLabelDetector learns from confirmed frauds, but y marks "
                f"{n_frauds} (y == 1); it needs at least 2. Without labels use "
                "an unsupervised detector, such as "
                "SubsampleEnsembleDetector or IsolationForest."
            )
        if n_frauds == labels.size:
            raise ValueError(
                "y marks every row as a confirmed fraud; FewLabelDetector "
                "learns what is normal from the rows with y == 0."
            )
        # An int seeds the members as it is; None or a RandomState gives one
        # private draw, the global random states untouched.
        self._fit_seed = (
            self.random_state
            if isinstance(self.random_state, Integral)
            else draw_seed(self.random_state)
        )
        try:
            with threadpool_limits(limits=1, user_api="openmp"):
                return super().fit(X, labels)
        finally:
            del self._fit_seed

    @fill_texts()
    def score_samples(self, X):
        """Return minus the mean of the members' anomaly ranks.

        %(rank_scores)s
        """
        with threadpool_limits(limits=1, user_api="openmp"):
            return super().score_samples(X)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        # The gradient-boosting members need dense rows.
        tags.input_tags.sparse = False
        # y holds two classes (confirmed fraud or unlabelled); declaring it
        # lets scikit-learn's checks pass binary targets.
        tags.classifier_tags = ClassifierTags(multi_class=False)
        return tags
