"""The shared detector base: everything two detectors would otherwise repeat.

Every hook a detector may implement is listed here, in one place.

A detector subclass declares its own parameters (keyword-only ``__init__``
that only stores them; ``_parameter_constraints`` merged from its base's) and
implements three hooks:

- ``_build_module(n_features)``: the torch module (from :mod:`skfraud.nn`),
  built with ``_latent_size(n_features)`` where it has a code, so that
  ``latent_dim="auto"`` is resolved the same way everywhere;
- ``_criterion()``: the criterion class and its keyword arguments;
- ``_anomaly_score_batch(module, X_batch)``: anomaly scores of one batch
  (higher = more anomalous), shape ``(B,)``.

It may override the optional hooks, in the order ``fit`` calls them:

- ``_validate_hidden_dims()``: checks of tuple-valued parameters, run before
  the input is validated (extend it with a detector's own widths);
- ``_training_rows(X, y)``: select the rows and targets the net learns from
  (no side effects);
- ``_train_iterator()``: the skorch iterator class for training batches and
  its keyword arguments;
- ``_net_class``: a class attribute, the skorch net that trains the module
  (:class:`~skfraud.nets.UnsupervisedNet`, whose target is the input, or
  :class:`~skfraud.nets.DetectorNet` for a supervised target);
- ``_before_training(net, train_data)``: state that needs the initialised
  network and the training rows before the first step (a one-class centre
  from a first forward pass, a pretrained encoder), kept in module buffers or
  weights;
- ``_after_training(train_data)``: fitted attributes computed from the
  trained network (a mixture fitted over every training row);
- ``_auto_offset(anomaly_scores)``: the threshold rule of
  ``contamination="auto"`` (by default the upper Tukey fence);
- ``_score_cost()``: forward passes per scored row, to size scoring batches;
- ``_batches_per_epoch(n_rows)``: optimizer steps in one epoch over
  ``n_rows`` training rows, which ``max_epochs="auto"`` needs (by default one
  per ``batch_size`` rows; a detector whose iterator draws a fixed number of
  batches says so).

Two mixins add public methods, each through one batch hook:

- :class:`FeatureContributionsMixin` gives ``feature_contributions(X)`` from
  ``_feature_contributions_batch(module, X_batch)``, shape ``(B, D)``;
- :class:`LatentCodesMixin` gives ``latent_codes(X)`` from
  ``_latent_codes_batch(module, X_batch)``, shape ``(B, k)``.

Batch hooks run through ``_map_batches``: in evaluation mode, under
``torch.inference_mode``, in batches sized for the device, on dense float32
tensors (sparse input is densified one batch at a time).

The base validates parameters and input, prepares the data once, seeds and
trains the skorch net, and turns anomaly scores into scikit-learn's
``score_samples`` / ``decision_function`` / ``predict`` with ``offset_``.
"""

import copy
import math
import re
from numbers import Integral, Real

import numpy as np
import scipy.sparse as sp
import torch
from sklearn.base import BaseEstimator, OutlierMixin, _fit_context
from sklearn.utils import check_random_state
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch.callbacks import EarlyStopping
from skorch.helper import predefined_split

from skfraud._threads import torch_threads
from skfraud.data import BatchIterator, TabularData
from skfraud.nets import FiniteLossGuard, TrainingProgress, UnsupervisedNet
from skfraud.nn import ACTIVATIONS

__all__ = [
    "BaseDeepDetector",
    "BaseUnsupervisedDetector",
    "FeatureContributionsMixin",
    "LatentCodesMixin",
    "ThresholdMixin",
]

#: ``max_epochs="auto"``: at least this many epochs ...
AUTO_MIN_EPOCHS = 50
#: ... and at least this many optimizer steps.
AUTO_MIN_STEPS = 1000

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
_ROW_BLOCK = 64

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


def _draw_seed(random_state):
    """An integer seed from ``random_state`` without touching global RNGs."""
    if random_state is None:
        return int(np.random.default_rng().integers(2**31 - 1))
    return int(check_random_state(random_state).randint(2**31 - 1))


def _call_padded(batch_function, module, X_batch):
    """``batch_function`` on ``X_batch`` padded with copies of its last row to
    a whole number of ``_ROW_BLOCK`` rows; the padding's results are dropped.
    Copies of a real row, unlike zero rows, keep every detector's maths in
    its usual range."""
    n_rows = X_batch.shape[0]
    n_pad = -n_rows % _ROW_BLOCK
    if n_pad:
        X_batch = torch.cat([X_batch, X_batch[-1:].expand(n_pad, -1)])
    return batch_function(module, X_batch)[:n_rows]


def tukey_offset(anomaly_scores):
    """``offset_`` at the upper Tukey fence of the training anomaly scores.

    A row is flagged when its anomaly score lies above ``Q3 + 1.5 * IQR``.
    """
    q1, q3 = np.percentile(anomaly_scores, [25, 75])
    return float(-(q3 + 1.5 * (q3 - q1)))


def contamination_offset(anomaly_scores, contamination, auto_offset=tukey_offset):
    """``offset_`` for ``contamination``, from the training anomaly scores.

    A share flags that share of the training rows scored highest; ``"auto"``
    applies ``auto_offset`` (by default the Tukey fence).
    """
    if contamination == "auto":
        return float(auto_offset(anomaly_scores))
    return float(np.percentile(-anomaly_scores, 100.0 * contamination))


class ThresholdMixin:
    """``decision_function`` and ``predict`` from ``score_samples`` and ``offset_``.

    Shared by every skfraud detector, the ensembles included.
    """

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


class BaseDeepDetector(ThresholdMixin, OutlierMixin, BaseEstimator):
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
        "max_epochs": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
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
        "n_jobs": [Interval(Integral, 1, None, closed="left"), None],
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

    def _before_training(self, net, train_data):
        """Called once after ``net`` is initialised, before its first step.

        ``train_data`` is the :class:`~skfraud.data.TabularData` the net
        trains on (without the rows held out for early stopping). State set
        here belongs in ``net.module_`` (a buffer or weights), so that it is
        saved, moved between devices and restored with the network.
        """

    def _after_training(self, train_data):
        """Called once after the net is trained, before ``offset_`` is set."""

    def _auto_offset(self, anomaly_scores):
        """Threshold rule for ``contamination="auto"``: the upper Tukey fence."""
        return tukey_offset(anomaly_scores)

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
        with torch_threads(self.n_jobs):
            self._fit_network(X_train, y_train, device)
            self.history_ = self.net_.history
            self.offset_ = self._offset(self._anomaly_scores(X))
        return self

    def _fit_network(self, X_train, y_train, device):
        """Seed, prepare the rows once, initialise and train ``net_``."""
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
            self.net_.set_params(
                train_split=train_split, max_epochs=self._epochs(len(fit_data))
            )
            self.net_.initialize()
            self._before_training(self.net_, fit_data)
            # partial_fit trains the initialised net as it is; fit would
            # initialise it again and lose what _before_training set.
            self.net_.partial_fit(fit_data, None)
            self.net_.module_.eval()
            self._after_training(train_data)

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
            callbacks.append(("progress_bar", TrainingProgress()))
        callbacks += copy.deepcopy(self.callbacks or [])
        train_iterator, train_iterator_kwargs = self._train_iterator()
        return self._net_class(
            module=self._build_module(train_data.X.shape[1]),
            criterion=criterion,
            **{f"criterion__{key}": value for key, value in criterion_kwargs.items()},
            optimizer=optimizer,
            **{f"optimizer__{key}": value for key, value in self._optimizer_kwargs()},
            lr=self.lr,
            max_epochs=self._epochs(len(train_data)),
            batch_size=self.batch_size,
            iterator_train=train_iterator,
            **{f"iterator_train__{key}": v for key, v in train_iterator_kwargs.items()},
            iterator_valid=BatchIterator,
            train_split=None,
            callbacks=callbacks,
            device=device,
            verbose=int(bool(self.verbose)),
        )

    def _restore_net(self, n_features, device):
        """An initialised net for ``n_features`` columns, as ``fit`` builds it.

        :func:`skfraud.io.load` rebuilds a saved detector's network this way
        and then loads the saved weights into it, so ``_build_module`` must
        shape the network from the parameters (and the fitted attributes,
        which are restored first) alone. The weights drawn here are
        overwritten; torch's global random state is left as it was.
        """
        self._validate_params()
        self._validate_hidden_dims()
        # The network's shape depends on the width of the data only.
        shape_only = TabularData(np.empty((0, n_features), dtype=np.float32))
        with torch.random.fork_rng(devices=[]):
            net = self._make_net(shape_only, device)
            net.initialize()
        net.module_.eval()
        return net

    def _epochs(self, n_rows):
        """``max_epochs``, with ``"auto"`` resolved for ``n_rows`` training rows.

        ``"auto"`` trains for :data:`AUTO_MIN_EPOCHS` epochs, or for as many
        as :data:`AUTO_MIN_STEPS` optimizer steps take when that is more: a
        budget in epochs alone gives a table of a few hundred rows only a few
        hundred steps.
        """
        if self.max_epochs != "auto":
            return self.max_epochs
        steps_per_epoch = max(1, self._batches_per_epoch(n_rows))
        return max(AUTO_MIN_EPOCHS, math.ceil(AUTO_MIN_STEPS / steps_per_epoch))

    def _batches_per_epoch(self, n_rows):
        """Optimizer steps in one epoch over ``n_rows`` rows."""
        return math.ceil(n_rows / self.batch_size)

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
        return contamination_offset(
            anomaly_scores, self.contamination, self._auto_offset
        )

    # ---- scoring ----------------------------------------------------------

    def _map_batches(self, X, batch_function, *, width=None):
        """Apply ``batch_function(module, X_batch)`` to validated ``X`` in batches.

        The batches are sized so that each moves about
        ``_SCORE_BATCH_ELEMENTS`` numbers (``_GPU_SCORE_BATCH_ELEMENTS`` on a
        GPU) through the widest layer, ``width`` values per row (by default
        the input width times :meth:`_score_cost`), in whole blocks of
        ``_ROW_BLOCK`` rows, so that a row's result does not depend on
        where the batches split. The module runs in
        evaluation mode under ``torch.inference_mode``; the results are
        concatenated on the CPU as a float64 array.
        """
        module, device = self.net_.module_, self.net_.device
        if width is None:
            width = X.shape[1] * self._score_cost()
        budget = _SCORE_BATCH_ELEMENTS if device == "cpu" else _GPU_SCORE_BATCH_ELEMENTS
        rows_per_batch = max(1, budget // width // _ROW_BLOCK) * _ROW_BLOCK
        batches = BatchIterator(TabularData(X, device=device), rows_per_batch)
        module.eval()
        with torch_threads(self.n_jobs), torch.inference_mode():
            parts = [
                _call_padded(batch_function, module, X_batch).to("cpu", torch.float64)
                for X_batch, _ in batches
            ]
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


class LatentCodesMixin:
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

    def _latent_codes_batch(self, module, X_batch):
        raise NotImplementedError


class TrimmedLossMixin:
    """``trim``: the worst-rebuilt share of each batch is left out of the loss.

    Mixed into the reconstruction detectors whose training loss is a mean
    over rows; their criterion takes the resolved share, ``_trim()``.
    """

    #: Merged into a detector's ``_parameter_constraints``.
    _trim_constraints: dict = {
        "trim": [Interval(Real, 0, 0.5, closed="left"), StrOptions({"auto"})],
    }

    #: The share that ``trim="auto"`` leaves out of rows that may hide
    #: anomalies (``train_on="all"``); chosen on the suite.
    AUTO_TRIM = 0.1

    def _trim(self):
        """``trim``, with ``"auto"`` resolved for ``train_on``: rows known to
        be genuine (``train_on="normal"``) are not trimmed."""
        if self.trim == "auto":
            return 0.0 if self.train_on == "normal" else self.AUTO_TRIM
        return self.trim


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
        if y.dtype.kind in "OSU" and any(isinstance(v, str | bytes) for v in y):
            examples = ", ".join(repr(str(v)) for v in np.unique(y.astype(str))[:3])
            raise ValueError(
                "train_on='normal' needs y with 0 for a normal row and 1 for an "
                f"anomaly, but y holds strings ({examples}). Encode it first, "
                "for example y = (y == 'fraud').astype(int)."
            )
        normal = y == 0
        if normal.sum() < 2:
            raise ValueError(
                "train_on='normal' trains on the rows with y == 0, but y has "
                f"{int(normal.sum())} such rows; at least 2 are needed."
            )
        X_normal = X[np.flatnonzero(normal)] if sp.issparse(X) else X[normal]
        return X_normal, None
