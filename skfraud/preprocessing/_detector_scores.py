"""Unsupervised detectors' anomaly scores as features for a classifier."""

from numbers import Integral

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.base import TransformerMixin, clone
from sklearn.ensemble import IsolationForest
from sklearn.utils._param_validation import Interval
from sklearn.utils.metaestimators import _BaseComposition
from sklearn.utils.validation import (
    _check_feature_names_in,
    check_is_fitted,
    validate_data,
)

from skfraud._composition import kept_estimators
from skfraud._threshold import anomaly_scores
from skfraud.detectors._knn import KNNDetector

__all__ = ["DetectorScores"]

#: Training rows indexed by the default list's nearest-neighbour detectors,
#: so that fitting grows linearly with the rows of a large fraud table.
DEFAULT_KNN_MAX_SAMPLES = 10_000


def _fit_detector(detector, X):
    return detector.fit(X)


def _training_anomaly_scores(detector, X):
    """Anomaly scores of the rows ``detector`` was fitted on, ``X``.

    A detector that scores its training rows apart, each against the others
    (``train_score_samples_``, as :class:`~skfraud.KNNDetector` does), gives
    those scores: through ``score_samples`` a training row would be its own
    nearest neighbour, at distance 0, and look more normal than any new row.
    """
    if hasattr(detector, "train_score_samples_"):
        return -np.asarray(detector.train_score_samples_, dtype=np.float64)
    return anomaly_scores(detector, X)


class DetectorScores(TransformerMixin, _BaseComposition):
    """Anomaly scores of unsupervised detectors, as features.

    ``fit`` fits every detector on the rows it is given, ignoring ``y``;
    ``transform`` returns each detector's anomaly score of each row (minus
    its ``score_samples``, so higher = more anomalous), optionally after the
    input features. Followed by a classifier trained on a few labelled
    frauds, it is XGBOD (Zhao & Hryniewicki, 2018) in scikit-learn form::

        make_pipeline(make_preprocessor(), DetectorScores(),
                      HistGradientBoostingClassifier())

    The classifier learns from the labels which detector's view of "unusual"
    matches the frauds, next to the raw features. With tens of labels or
    fewer, bag it (``BaggingClassifier(HistGradientBoostingClassifier(),
    n_estimators=10)``): on skfraud's few-label suite that raised XGBOD's
    mean AUPRC from 0.700 to 0.730 with 30 labels and from 0.524 to 0.575
    with 5 (``benchmarks/results/few_label_bagged.md``).

    Parameters
    ----------
    detectors : list of (str, estimator) tuples, default=None
        The detectors, each with a unique name, as in
        :class:`~sklearn.pipeline.FeatureUnion`. Any estimator with ``fit``
        and ``score_samples`` (higher = more normal) works: skfraud's
        detectors, :class:`~sklearn.ensemble.IsolationForest`,
        :class:`~sklearn.neighbors.LocalOutlierFactor` with
        ``novelty=True``. A detector set to ``"drop"`` is left out. Nested
        parameters are tunable as ``<name>__<parameter>``, and the whole list
        as ``detectors``. ``None`` is the default list: an
        :class:`~sklearn.ensemble.IsolationForest` and two
        :class:`~skfraud.KNNDetector`, of 5 and 20 neighbours, each indexing
        at most 10,000 training rows (``"iforest"``, ``"knn5"``,
        ``"knn20"``). On skfraud's few-label suite (34 data sets, 3 seeds)
        the two nearest-neighbour detectors lifted a gradient-boosting
        classifier behind this transformer from 0.680 to 0.700 mean AUPRC
        with 30 labels and from 0.520 to 0.524 with 5, against one
        IsolationForest (see the user guide's "Learning from a few labelled
        frauds").

    passthrough : bool, default=True
        Output the input features first, then the scores. Sparse input gives
        a sparse CSR output. With ``False`` only the scores are returned.

    random_state : int, RandomState instance or None, default=None
        Seeds the detectors of the default list (the forest, and the
        nearest-neighbour detectors' subsample of large training sets);
        detectors passed in ``detectors`` keep their own ``random_state``.

    n_jobs : int or None, default=None
        Detectors fitted in parallel with joblib; ``None`` means 1 unless in
        a :func:`joblib.parallel_backend` context.

    Attributes
    ----------
    detectors_ : list of (str, estimator) tuples
        The fitted detectors (clones of those in ``detectors``), without
        the dropped ones, in order.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen during ``fit``; only defined when ``X``
        has string column names.

    See Also
    --------
    skfraud.PReNetDetector : Learns an anomaly score from a few labelled
        anomalies directly.
    skfraud.DevNetDetector : The same task with a deviation loss.

    Notes
    -----
    **Leakage.** The detectors must not see the rows the classifier is
    evaluated on. Inside a :class:`~sklearn.pipeline.Pipeline`,
    :func:`~sklearn.model_selection.cross_validate` and
    :class:`~sklearn.model_selection.GridSearchCV` refit the whole pipeline,
    the detectors included, on each training fold, so the scores of a test
    fold come from detectors that never saw it. Fitting ``DetectorScores``
    once on all rows and cross-validating only the classifier would leak.

    The training rows' scores come from detectors fitted on those same rows.
    A detector that scores its training rows each against the others
    (``train_score_samples_``, as :class:`~skfraud.KNNDetector` does) gives
    those scores in ``fit_transform``: through ``transform`` a training row
    would be its own nearest neighbour and look more normal than a new row
    ever does, and the classifier would learn thresholds that new rows do
    not meet. ``fit(X).transform(X)`` therefore differs from
    ``fit_transform(X)`` in those columns.

    References
    ----------
    Y. Zhao and M. K. Hryniewicki, "XGBOD: Improving Supervised Outlier
    Detection with Unsupervised Representation Learning", IJCNN 2018.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.ensemble import HistGradientBoostingClassifier, IsolationForest
    >>> from sklearn.pipeline import make_pipeline
    >>> from skfraud.preprocessing import DetectorScores
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (300, 3)), rng.normal(4, 1, (10, 3))])
    >>> scores = DetectorScores([("iforest", IsolationForest(random_state=0))],
    ...                         passthrough=False)
    >>> features = scores.fit_transform(X)
    >>> features.shape, scores.get_feature_names_out().tolist()
    ((310, 1), ['iforest_score'])
    >>> bool(features[300:].mean() > features[:300].mean())
    True
    >>> y = np.r_[np.zeros(300), np.ones(10)]
    >>> model = make_pipeline(DetectorScores(random_state=0),
    ...                       HistGradientBoostingClassifier(random_state=0))
    >>> model.fit(X, y).predict_proba(X).shape
    (310, 2)
    """

    _parameter_constraints: dict = {
        "detectors": [list, None],
        "passthrough": ["boolean"],
        "random_state": ["random_state"],
        "n_jobs": [Interval(Integral, 1, None, closed="left"), None],
    }

    def __init__(
        self, detectors=None, *, passthrough=True, random_state=None, n_jobs=None
    ):
        self.detectors = detectors
        self.passthrough = passthrough
        self.random_state = random_state
        self.n_jobs = n_jobs

    def get_params(self, deep=True):
        """Get the parameters of this transformer and of its detectors.

        Parameters
        ----------
        deep : bool, default=True
            Also return the detectors' parameters as ``<name>__<parameter>``.

        Returns
        -------
        params : dict
            Parameter names mapped to their values.
        """
        return self._get_params("detectors", deep=deep)

    def set_params(self, **params):
        """Set parameters, the detectors' ones as ``<name>__<parameter>``.

        Parameters
        ----------
        **params : dict
            Parameter names mapped to their new values; ``detectors``
            replaces the list, ``<name>`` one detector.

        Returns
        -------
        self : DetectorScores
            This transformer.
        """
        self._set_params("detectors", **params)
        return self

    def _detector_list(self):
        if self.detectors is None:
            return [
                ("iforest", IsolationForest(random_state=self.random_state)),
                ("knn5", self._default_knn(5)),
                ("knn20", self._default_knn(20)),
            ]
        kept = kept_estimators(self, "detectors")
        for name, estimator in kept:
            if not hasattr(estimator, "score_samples"):
                raise TypeError(
                    f"The detector {name!r} ({type(estimator).__name__}) has no "
                    "score_samples method; DetectorScores needs detectors whose "
                    "score_samples is higher for more normal rows. For "
                    "LocalOutlierFactor pass novelty=True."
                )
        return kept

    def _default_knn(self, n_neighbors):
        return KNNDetector(
            n_neighbors,
            max_samples=DEFAULT_KNN_MAX_SAMPLES,
            random_state=self.random_state,
        )

    def fit(self, X, y=None):
        """Fit every detector on ``X``; ``y`` is ignored.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Numeric rows.
        y : None
            Ignored: the detectors are unsupervised. Accepted so that the
            transformer fits in a pipeline with a classifier.

        Returns
        -------
        self : DetectorScores
            The fitted transformer.
        """
        self._fit(X)
        return self

    def _fit(self, X):
        """Fit the detectors; return ``X`` as validated."""
        self._validate_params()
        detectors = self._detector_list()
        X = validate_data(
            self, X, accept_sparse=("csr", "csc"), ensure_min_samples=2, reset=True
        )
        fitted = Parallel(n_jobs=self.n_jobs)(
            delayed(_fit_detector)(clone(detector), X) for _, detector in detectors
        )
        self.detectors_ = [
            (name, detector)
            for (name, _), detector in zip(detectors, fitted, strict=True)
        ]
        return X

    def transform(self, X):
        """Return the detectors' anomaly scores, after the input features.

        The input features come first only with ``passthrough=True``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        X_out : {ndarray, sparse matrix} of shape (n_samples, n_outputs)
            ``n_features`` input columns (with ``passthrough``), then one
            anomaly score per detector: minus its ``score_samples``, higher =
            more anomalous. Sparse (CSR) when ``X`` is sparse and passed
            through.
        """
        check_is_fitted(self)
        X = validate_data(self, X, accept_sparse=("csr", "csc"), reset=False)
        return self._output(X, anomaly_scores)

    def fit_transform(self, X, y=None):
        """Fit every detector on ``X`` and return its rows' features.

        As :meth:`transform` after :meth:`fit`, except for a detector that
        scores its training rows each against the others
        (``train_score_samples_``, :class:`~skfraud.KNNDetector`): its
        column holds those scores, so that a training row is not its own
        nearest neighbour and its features read as a new row's will.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Numeric rows.
        y : None
            Ignored.

        Returns
        -------
        X_out : {ndarray, sparse matrix} of shape (n_samples, n_outputs)
            As :meth:`transform` returns.
        """
        return self._output(self._fit(X), _training_anomaly_scores)

    def _output(self, X, score):
        scores = np.column_stack(
            [score(detector, X) for _, detector in self.detectors_]
        )
        if not self.passthrough:
            return scores
        if sp.issparse(X):
            return sp.hstack([X, sp.csr_matrix(scores)], format="csr")
        return np.hstack([X, scores])

    def get_feature_names_out(self, input_features=None):
        """Get the output feature names.

        The input names (with ``passthrough``), then ``<name>_score`` per
        detector.

        Parameters
        ----------
        input_features : array-like of str, default=None
            Input feature names; by default ``feature_names_in_``, or
            ``x0, x1, ...`` without them.

        Returns
        -------
        feature_names_out : ndarray of str
            One name per output column.
        """
        check_is_fitted(self)
        names = [f"{name}_score" for name, _ in self.detectors_]
        if self.passthrough:
            names = [*_check_feature_names_in(self, input_features), *names]
        return np.asarray(names, dtype=object)

    def set_output(self, *, transform=None):
        """Set the container of ``transform`` and ``fit_transform``'s output.

        Parameters
        ----------
        transform : {"default", "pandas", "polars"}, default=None
            ``"pandas"`` or ``"polars"`` return a DataFrame whose columns are
            :meth:`get_feature_names_out`; ``"default"`` the array (or
            sparse matrix); ``None`` leaves the setting unchanged.

        Returns
        -------
        self : DetectorScores
            This transformer.
        """
        return super().set_output(transform=transform)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags
