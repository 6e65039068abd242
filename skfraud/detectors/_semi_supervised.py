"""What the detectors that learn from a few labelled anomalies share.

They read ``y`` as 1 = known anomaly, 0 = unlabelled row (which may hide
unknown anomalies), require it in ``fit``, and need both kinds of rows.
"""

from sklearn.utils import ClassifierTags

from skfraud.detectors._labels import check_anomaly_labels

__all__ = ["LabelledAnomaliesMixin"]


class LabelledAnomaliesMixin:
    """Mixed in before :class:`~skfraud.base.BaseDeepDetector` by detectors
    whose ``fit`` reads ``y``: 1 for a known anomaly, 0 for an unlabelled row.

    It validates ``y`` in ``_training_rows``, passes ``y`` on in
    ``fit_predict`` and declares the target as required.
    """

    def fit_predict(self, X, y=None, **kwargs):
        """Fit on ``(X, y)`` and label the rows of ``X``: +1 inlier, -1 anomaly.

        ``OutlierMixin.fit_predict`` does not pass ``y`` on to ``fit``; this
        detector needs it.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,)
            1 for a known anomaly, 0 for an unlabelled row.
        **kwargs : dict
            Passed to ``fit``.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            -1 for the rows flagged as anomalies, +1 for the others.
        """
        return self.fit(X, y, **kwargs).predict(X)

    def _training_rows(self, X, y):
        name = type(self).__name__
        if y is None:
            raise ValueError(
                f"{name} requires y to be passed, but the target y is None: pass "
                "y with 1 for each known anomaly and 0 for every other "
                "(unlabelled) row."
            )
        y = check_anomaly_labels(y, X)
        if not (y == 1).any():
            raise ValueError(
                f"y has no labelled anomaly (no y == 1); {name} needs at least "
                "one. Without labels use an unsupervised detector such as "
                "AutoEncoderDetector."
            )
        if not (y == 0).any():
            raise ValueError(
                f"y has no unlabelled row (no y == 0); {name} learns what is "
                "normal from the unlabelled rows."
            )
        return X, y

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        # y holds two classes (known anomaly or unlabelled); declaring it lets
        # scikit-learn's checks pass binary targets instead of multiclass ones.
        tags.classifier_tags = ClassifierTags(multi_class=False)
        return tags
