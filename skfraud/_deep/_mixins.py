"""Mixins of the deep detectors: a parameter or a public method each.

Listed, with the hook each fills, in :mod:`skfraud._deep`.
"""

from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

from sklearn.utils import ClassifierTags
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from skfraud._threshold import check_anomaly_labels

__all__ = [
    "AUTO_MAX_STEPS",
    "GENUINE_ROWS_STEPS",
    "FeatureContributionsMixin",
    "GenuineRowsMixin",
    "LabelledAnomaliesMixin",
    "LabelledFitPredictMixin",
    "LatentCodesMixin",
    "LatentSizeMixin",
    "TrimmedLossMixin",
]

#: ``max_epochs="auto"`` of :class:`GenuineRowsMixin` on rows known to be
#: genuine: this many optimizer steps.
GENUINE_ROWS_STEPS = 1000
#: ``max_epochs="auto"`` stops after the epoch that reaches this many
#: optimizer steps: MemAE's always, the autoencoder's and the VAE's on rows
#: that may hide frauds (:class:`GenuineRowsMixin`).
AUTO_MAX_STEPS = 2000


class LatentSizeMixin:
    """``latent_dim``: the width of the network's code, an int or ``"auto"``."""

    #: Merged into a detector's ``_parameter_constraints``.
    _latent_constraints: dict = {
        "latent_dim": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
    }

    def _latent_size(self, n_features):
        """``latent_dim``, with ``"auto"`` resolved for ``n_features`` inputs.

        ``"auto"`` is half the number of features, between 1 and 8: a code
        narrower than the input, so that an autoencoder cannot learn the
        identity and reconstruct anomalies as well as normal rows.
        """
        if self.latent_dim == "auto":
            return int(min(8, max(1, n_features // 2)))
        return self.latent_dim


class TrimmedLossMixin:
    """``trim``: rows the network fits worst are left out of the loss.

    Mixed into the detectors whose training loss is a mean over rows; their
    criterion takes the resolved keywords, ``_trim_kwargs()``.
    """

    #: Merged into a detector's ``_parameter_constraints``.
    _trim_constraints: dict = {
        "trim": [
            Interval(Real, 0, 0.5, closed="left"),
            StrOptions({"auto", "fence"}),
        ],
    }

    #: The share of each batch that ``trim="auto"`` leaves out of rows that
    #: may hide anomalies (``train_on="all"``), and the most that
    #: ``trim="fence"`` leaves out; chosen on the suite.
    AUTO_TRIM = 0.1
    #: ``trim="fence"`` leaves out only rows whose loss lies above the
    #: batch's upper quartile plus this many interquartile ranges.
    FENCE = 3.0

    def _trim_kwargs(self):
        """The criterion's ``trim`` and ``fence``: nothing is left out of
        rows known to be genuine (``train_on="normal"``) unless a share is
        given; ``"auto"`` is the fixed tenth of every batch, ``"fence"`` the
        batch's far-out outliers by loss, at most a tenth."""
        if self.trim in ("auto", "fence") and self.train_on == "normal":
            return {"trim": 0.0, "fence": None}
        if self.trim == "auto":
            return {"trim": self.AUTO_TRIM, "fence": None}
        if self.trim == "fence":
            return {"trim": self.AUTO_TRIM, "fence": self.FENCE}
        return {"trim": self.trim, "fence": None}


class GenuineRowsMixin:
    """``max_epochs="auto"`` that follows ``train_on``.

    On rows that may hide frauds (``train_on="all"``) longer training also
    learns to rebuild them, so ``"auto"`` is 50 epochs, and no more than
    :data:`AUTO_MAX_STEPS` optimizer steps. On rows known to be genuine
    (``train_on="normal"``) it is :data:`GENUINE_ROWS_STEPS` steps, however
    many epochs they take. The detector overrides the base's
    ``_auto_min_steps()`` and ``_auto_max_steps()`` hooks.

    Measured at a 20,000-row cap (``benchmarks/results/defaults_two_caps.md``,
    "optimizer steps"), the bounds kept the mean AUPRC level, within the
    seed spread on both halves of the tables: told that its rows are
    genuine, 1,000 steps against the 50 epochs (up to 2,750 steps) that the
    former rule gave tables of more than 5,000 rows; on rows that may hide
    frauds, 2,000 steps against 50 epochs, on both protocols. They are the
    default for what they save: nothing below about 5,000 training rows, a
    quarter to two thirds of the steps on 14,000 rows, and on a million
    rows 98 % (one epoch of 3,907 steps, where 50 epochs are 195,000).
    """

    def _auto_min_steps(self):
        if self.train_on == "normal":
            return GENUINE_ROWS_STEPS
        return 0

    def _auto_max_steps(self):
        if self.train_on == "normal":
            return GENUINE_ROWS_STEPS
        return AUTO_MAX_STEPS


class LabelledFitPredictMixin:
    """``fit_predict`` that passes ``y`` on to ``fit``, for the detectors
    that learn from labelled anomalies when given them."""

    def fit_predict(self, X, y=None, **kwargs):
        """Fit on ``(X, y)`` and label the rows of ``X``: +1 inlier, -1 anomaly.

        ``OutlierMixin.fit_predict`` does not pass ``y`` on to ``fit``; this
        detector learns from it.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
        y : array-like of shape (n_samples,), default=None
            1 for a known anomaly, 0 for an unlabelled row.
        **kwargs : dict
            Passed to ``fit``.

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            -1 for the rows flagged as anomalies, +1 for the others.
        """
        return self.fit(X, y, **kwargs).predict(X)


class LabelledAnomaliesMixin(LabelledFitPredictMixin):
    """Mixed in before :class:`~skfraud._deep.BaseDeepDetector` by detectors
    whose ``fit`` requires ``y``: 1 for a known anomaly, 0 for an unlabelled
    row.

    It validates ``y`` in ``_training_rows``, passes ``y`` on in
    ``fit_predict`` and declares the target as required.
    """

    def _training_rows(self, X, y):
        name = type(self).__name__
        if y is None:
            raise ValueError(
                f"{name} requires y to be passed, but the target y is None: pass "
                "y with 1 for each known anomaly and 0 for every other "
                "(unlabelled) row."
            )
        y = check_anomaly_labels(y, n_samples=X.shape[0], zero="unlabelled")
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
        return X, y.astype("float32")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.target_tags.required = True
        # y holds two classes (known anomaly or unlabelled); declaring it lets
        # scikit-learn's checks pass binary targets instead of multiclass ones.
        tags.classifier_tags = ClassifierTags(multi_class=False)
        return tags


class FeatureContributionsMixin(metaclass=ABCMeta):
    """Per-feature split of the anomaly score, for reason codes.

    Mixed into the reconstruction-based detectors, which implement
    ``_feature_contributions_batch(module, X_batch)`` returning a
    ``(B, n_features)`` tensor.
    """

    def feature_contributions(self, X):
        """How much each feature adds to each row's anomaly score.

        The anomaly score of the reconstruction-based detectors is a sum over
        features, so it splits into one contribution per feature: the
        features a row is reconstructed worst in are the reasons it is
        flagged. :func:`skfraud.explain.reason_codes` turns them into the top
        reasons per row, with feature names.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        contributions : ndarray of shape (n_samples, n_features), dtype float64
            Non-negative for squared errors; a row's contributions add up to
            its anomaly score, ``-score_samples``, except where the
            detector's docstring says otherwise.
        """
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        return self._map_batches(X, self._feature_contributions_batch)

    @abstractmethod
    def _feature_contributions_batch(self, module, X_batch):
        """Per-feature anomaly scores of one batch, shape (B, n_features)."""


class LatentCodesMixin(metaclass=ABCMeta):
    """The code each row gets in the network's latent space.

    Mixed into the detectors whose network has an encoder; they implement
    ``_latent_codes_batch(module, X_batch)`` returning a ``(B, k)`` tensor.
    """

    def latent_codes(self, X):
        """Map each row to its code in the network's latent space.

        The code is what the encoder outputs for the row (for a variational
        autoencoder the mean of ``q(z | x)``, without sampling). Rows that
        the network finds alike lie close together, which
        :class:`skfraud.plotting.LatentSpaceDisplay` shows.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        codes : ndarray of shape (n_samples, n_codes), dtype float64
            One row per input row; ``n_codes`` is the width of the latent
            space (``latent_dim``, with ``"auto"`` resolved).
        """
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        return self._map_batches(X, self._latent_codes_batch, width=X.shape[1])

    @abstractmethod
    def _latent_codes_batch(self, module, X_batch):
        """Codes of one batch, shape (B, k)."""
