"""The shared detector base: everything two detectors would otherwise repeat.

A detector subclass declares its own parameters and implements three hooks:

- ``_build_module(n_features)``: the torch module (from :mod:`skfraud.nn`);
- ``_criterion()``: the criterion class and its keyword arguments;
- ``_anomaly_score_batch(module, X_batch)``: anomaly scores of one batch
  (higher = more anomalous).

The base validates parameters and input, prepares the data once, seeds and
trains the skorch net, and turns anomaly scores into scikit-learn's
``score_samples`` / ``decision_function`` / ``predict`` with ``offset_``.
"""

import copy
import re
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
import torch
from sklearn.base import BaseEstimator, OutlierMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch.callbacks import EarlyStopping, ProgressBar
from skorch.helper import predefined_split

from skfraud.data import BatchIterator, TabularData
from skfraud.nets import FiniteLossGuard, UnsupervisedNet
from skfraud.nn.modules import ACTIVATIONS

__all__ = ["BaseDeepDetector", "BaseUnsupervisedDetector", "FeatureContributionsMixin"]

OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}

# Scoring batches are sized by how many float32 numbers they move through
# the widest layer. On a CPU about 2**18 (1 MiB) keeps the intermediates in
# cache, several times faster for the element-wise work than larger batches;
# a GPU wants large batches to amortise kernel launches. Either way wide
# sparse inputs are densified in bounded pieces.
_SCORE_BATCH_ELEMENTS = 2**18
_GPU_SCORE_BATCH_ELEMENTS = 2**23
# Scoring batches hold a multiple of this many rows, the last one padded with
# copies of its last row. Matrix products and vectorised element-wise kernels
# round the rows of a partial block or vector differently from the others; in
# whole blocks every row gets the same arithmetic wherever the batches split,
# so scoring rows one at a time, in chunks, or partition by partition on a
# cluster gives the same bits as scoring them all at once.
_SCORE_ROW_BLOCK = 64

_DEVICE_PATTERN = re.compile(r"^(auto|cpu|cuda(:\d+)?)$")


def _resolve_device(device):
    if not _DEVICE_PATTERN.match(device):
        raise ValueError(
            f"device must be 'auto', 'cpu', 'cuda' or 'cuda:N'; got {device!r}."
        )
    if device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if device.startswith("cuda") and not torch.cuda.is_available():
        raise ValueError(
            f"device={device!r} was requested but CUDA is not available; "
            "use device='cpu' or device='auto'."
        )
    return device


def _padded(X_batch):
    """``X_batch`` with copies of its last row up to whole row blocks."""
    n_missing = -len(X_batch) % _SCORE_ROW_BLOCK
    if not n_missing:
        return X_batch
    return torch.cat([X_batch, X_batch[-1:].expand(n_missing, -1)])


def _draw_seed(random_state):
    """An integer seed from ``random_state`` without touching global RNGs."""
    if random_state is None:
        return int(np.random.default_rng().integers(2**31 - 1))
    return int(check_random_state(random_state).randint(2**31 - 1))


class BaseDeepDetector(OutlierMixin, BaseEstimator):
    """Base class of skfraud's detectors. Not for direct use."""

    _parameter_constraints: dict = {
        "hidden_dims": ["array-like"],
        "latent_dim": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "max_epochs": [Interval(Integral, 1, None, closed="left")],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "optimizer": [StrOptions(set(OPTIMIZERS)), type],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "contamination": [
            StrOptions({"auto"}),
            Interval(Real, 0, 0.5, closed="right"),
        ],
        "device": [str],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "callbacks": [list, None],
    }

    #: The skorch net class that trains the module.
    _net_class = UnsupervisedNet

    # ---- hooks for subclasses -------------------------------------------

    def _build_module(self, n_features):
        raise NotImplementedError

    def _criterion(self):
        """Return ``(criterion_class, criterion_kwargs)``."""
        raise NotImplementedError

    def _anomaly_score_batch(self, module, X_batch):
        """Anomaly scores (higher = more anomalous) of one batch, shape (B,)."""
        raise NotImplementedError

    def _training_rows(self, X, y):
        """Return ``(X_train, y_train)``: the rows and targets the net learns."""
        return X, None

    def _train_iterator(self):
        """Return ``(iterator_class, kwargs)`` that skorch uses for training."""
        return BatchIterator, {"shuffle": True}

    def _score_cost(self):
        """How many forward passes scoring one row takes (sizes the batches)."""
        return 1

    def _after_training(self, train_data):
        """Called once after the net is trained, before ``offset_`` is set."""

    def _auto_offset(self, anomaly_scores):
        """Threshold rule for ``contamination="auto"``: the upper Tukey fence."""
        q1, q3 = np.percentile(anomaly_scores, [25, 75])
        return -(q3 + 1.5 * (q3 - q1))

    def _latent_size(self, n_features):
        """``latent_dim``, with ``"auto"`` resolved for ``n_features`` inputs.

        ``"auto"`` is half the number of features, between 1 and 8: a code
        narrower than the input, so that an autoencoder cannot learn the
        identity and reconstruct anomalies as well as normal rows.
        """
        if self.latent_dim == "auto":
            return int(min(8, max(1, n_features // 2)))
        return self.latent_dim

    # ---- input ------------------------------------------------------------

    def _validate_X(self, X, *, reset):
        try:
            return validate_data(
                self,
                X,
                reset=reset,
                accept_sparse=("csr", "csc"),
                dtype=np.float32,
                ensure_min_samples=2 if reset else 1,
            )
        except ValueError as error:
            if "string" in str(error) or "convert" in str(error):
                raise ValueError(
                    f"{type(self).__name__} needs numeric features, but X holds "
                    "strings. Encode categorical columns first, for example "
                    "with skfraud.preprocessing.make_preprocessor() or a "
                    "ColumnTransformer with a OneHotEncoder."
                ) from error
            raise

    def _validate_hidden_dims(self):
        dims = np.asarray(self.hidden_dims)
        if dims.ndim != 1 or not all(
            isinstance(d, Integral) and d >= 1 for d in self.hidden_dims
        ):
            raise ValueError(
                "hidden_dims must be a tuple of positive integers; "
                f"got {self.hidden_dims!r}."
            )

    # ---- fitting ----------------------------------------------------------

    @_fit_context(prefer_skip_nested_validation=True)
    def fit(self, X, y=None):
        """Train the detector on ``X``.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)
            Numeric training data; sparse input is densified one batch at a
            time, never as a whole.
        y : array-like of shape (n_samples,), default=None
            Labels (1 = anomaly), used only where the detector says so.

        Returns
        -------
        self : object
            The fitted detector.
        """
        self._validate_hidden_dims()
        X = self._validate_X(X, reset=True)
        X_train, y_train = self._training_rows(X, y)
        device = _resolve_device(self.device)
        seed = _draw_seed(self.random_state)
        cuda_devices = list(range(torch.cuda.device_count())) if device != "cpu" else []
        with torch.random.fork_rng(devices=cuda_devices):
            torch.manual_seed(seed)
            generator = torch.Generator().manual_seed(seed)
            train_data = TabularData(
                X_train, y_train, device=device, generator=generator
            )
            self.net_ = self._make_net(train_data, device)
            fit_data, train_split = self._split_validation(train_data)
            self.net_.set_params(train_split=train_split)
            self.net_.fit(fit_data, None)
            self.net_.module_.eval()
            self._after_training(train_data)
        self.history_ = self.net_.history
        self.offset_ = self._offset(self._anomaly_scores(X))
        return self

    def _make_net(self, train_data, device):
        criterion, criterion_kwargs = self._criterion()
        optimizer = OPTIMIZERS.get(self.optimizer, self.optimizer)
        callbacks = [("finite_loss", FiniteLossGuard())]
        if self.early_stopping:
            callbacks.append(
                (
                    "early_stopping",
                    EarlyStopping(patience=self.patience, load_best=True),
                )
            )
        if self.verbose:
            callbacks.append(("progress_bar", ProgressBar()))
        callbacks += copy.deepcopy(self.callbacks or [])
        train_iterator, train_iterator_kwargs = self._train_iterator()
        return self._net_class(
            module=self._build_module(train_data.X.shape[1]),
            criterion=criterion,
            **{f"criterion__{key}": value for key, value in criterion_kwargs.items()},
            optimizer=optimizer,
            **{f"optimizer__{key}": value for key, value in self._optimizer_kwargs()},
            lr=self.lr,
            max_epochs=self.max_epochs,
            batch_size=self.batch_size,
            iterator_train=train_iterator,
            **{f"iterator_train__{key}": v for key, v in train_iterator_kwargs.items()},
            iterator_valid=BatchIterator,
            train_split=None,
            callbacks=callbacks,
            device=device,
            verbose=int(bool(self.verbose)),
        )

    def _optimizer_kwargs(self):
        """``(name, value)`` pairs passed to the optimizer's constructor."""
        kwargs = [("weight_decay", self.weight_decay)]
        if self.optimizer in ("adam", "adamw"):
            # The fused kernel updates every parameter in one pass: the same
            # arithmetic, and about 15 per cent less fit time for a small
            # network on a CPU, more on a GPU.
            kwargs.append(("fused", True))
        return kwargs

    def _split_validation(self, train_data):
        if not self.early_stopping:
            return train_data, None
        n_rows = len(train_data)
        n_valid = round(self.validation_fraction * n_rows)
        if n_valid < 1 or n_rows - n_valid < 1:
            raise ValueError(
                f"early_stopping with validation_fraction={self.validation_fraction}"
                f" leaves no training or no validation rows out of {n_rows}; "
                "pass more rows or change validation_fraction."
            )
        order = torch.randperm(n_rows, generator=train_data.generator)
        valid_data = train_data.subset(order[:n_valid])
        return train_data.subset(order[n_valid:]), predefined_split(valid_data)

    def _offset(self, anomaly_scores):
        if self.contamination == "auto":
            return float(self._auto_offset(anomaly_scores))
        return float(np.percentile(-anomaly_scores, 100.0 * self.contamination))

    # ---- scoring ----------------------------------------------------------

    def _map_batches(self, X, batch_function, *, width=None):
        """Apply ``batch_function(module, X_batch)`` to validated ``X`` in batches.

        The batches are sized so that each moves about
        ``_SCORE_BATCH_ELEMENTS`` numbers (``_GPU_SCORE_BATCH_ELEMENTS`` on a
        GPU) through the widest layer, ``width`` values per row (by default
        the input width times :meth:`_score_cost`), in whole blocks of
        ``_SCORE_ROW_BLOCK`` rows, so that a row's result does not depend on
        where the batches split. The module runs in
        evaluation mode under ``torch.inference_mode``; the results are
        concatenated on the CPU as a float64 array.
        """
        module, device = self.net_.module_, self.net_.device
        if width is None:
            width = X.shape[1] * self._score_cost()
        budget = _SCORE_BATCH_ELEMENTS if device == "cpu" else _GPU_SCORE_BATCH_ELEMENTS
        rows_per_batch = -(-max(1, budget // width) // _SCORE_ROW_BLOCK)
        rows_per_batch *= _SCORE_ROW_BLOCK
        batches = BatchIterator(TabularData(X, device=device), rows_per_batch)
        module.eval()
        with torch.inference_mode():
            parts = []
            for X_batch, _ in batches:
                result = batch_function(module, _padded(X_batch))[: len(X_batch)]
                parts.append(result.to("cpu", torch.float64))
        return torch.cat(parts).numpy()

    def _anomaly_scores(self, X):
        """Anomaly scores of validated ``X`` as a float64 array."""
        return self._map_batches(X, self._anomaly_score_batch)

    def score_samples(self, X):
        """Normality score of each row: higher is more normal.

        It is the negative of the detector's anomaly score, as in
        scikit-learn's outlier detectors. The same ``X`` always gives the same
        scores.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        scores : ndarray of shape (n_samples,), dtype float64
            The negative anomaly score of each row; anomalies score lowest.
        """
        check_is_fitted(self)
        return -self._anomaly_scores(self._validate_X(X, reset=False))

    def decision_function(self, X):
        """``score_samples(X) - offset_``: negative for anomalies.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        decision : ndarray of shape (n_samples,), dtype float64
            Below 0 for the rows that ``predict`` flags as anomalies.
        """
        return self.score_samples(X) - self.offset_

    def predict(self, X):
        """Label each row: +1 for inliers, -1 for anomalies.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        labels : ndarray of shape (n_samples,)
            -1 where ``decision_function`` is negative, +1 elsewhere.
        """
        return np.where(self.decision_function(X) < 0, -1, 1)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


class FeatureContributionsMixin:
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

    def _feature_contributions_batch(self, module, X_batch):
        raise NotImplementedError


class BaseUnsupervisedDetector(BaseDeepDetector):
    """Base of the detectors that learn from unlabelled rows."""

    _parameter_constraints: dict = {
        **BaseDeepDetector._parameter_constraints,
        "train_on": [StrOptions({"all", "normal"})],
    }

    def _training_rows(self, X, y):
        if self.train_on == "all":
            return X, None
        if y is None:
            raise ValueError(
                "train_on='normal' needs y (0 = normal, 1 = anomaly) to select "
                "the normal rows; pass y to fit or use train_on='all'."
            )
        y = np.asarray(y)
        if y.shape != (X.shape[0],):
            raise ValueError(
                f"y must have shape ({X.shape[0]},) to match X; got {y.shape}."
            )
        normal = y == 0
        if normal.sum() < 2:
            raise ValueError(
                "train_on='normal' trains on the rows with y == 0, but y has "
                f"{int(normal.sum())} such rows; at least 2 are needed."
            )
        X_normal = X[np.flatnonzero(normal)] if sp.issparse(X) else X[normal]
        return X_normal, None
