"""The base classes of the deep detectors: fit, score, and the hooks between.

The hooks are listed in :mod:`skfraud._deep`.
"""

import math
import threading
from abc import ABCMeta, abstractmethod
from numbers import Integral, Real

import numpy as np
import torch
from sklearn.base import BaseEstimator, OutlierMixin, _fit_context
from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted, validate_data
from skorch.helper import predefined_split

from skfraud._docstrings import fill_texts
from skfraud._random import draw_seed
from skfraud._threads import torch_threads
from skfraud._threshold import (
    CONTAMINATION_CONSTRAINT,
    ThresholdMixin,
    contamination_offset,
    normal_rows,
    tukey_offset,
)
from skfraud.data import BatchIterator, TabularData
from skfraud.nets import (
    OPTIMIZERS,
    UnsupervisedNet,
    assemble_net,
    map_batches,
    optimizer_step,
    resolve_device,
    training_callbacks,
)
from skfraud.nn import ACTIVATIONS

__all__ = [
    "AUTO_MIN_EPOCHS",
    "AUTO_MIN_STEPS",
    "BaseDeepDetector",
    "BaseUnsupervisedDetector",
]

# Held while a fit seeds and trains; re-entrant, for a detector whose fit
# trains another (DevNet's pretraining autoencoder).
_PROCESS_WIDE_TORCH_STATE = threading.RLock()

#: ``max_epochs="auto"``: at least this many epochs ...
AUTO_MIN_EPOCHS = 50
#: ... and at least this many optimizer steps.
AUTO_MIN_STEPS = 1000


class BaseDeepDetector(ThresholdMixin, OutlierMixin, BaseEstimator, metaclass=ABCMeta):
    """Base class of skfraud's deep detectors. Not for direct use."""

    _parameter_constraints: dict = {
        "hidden_dims": ["array-like"],
        "activation": [StrOptions(set(ACTIVATIONS))],
        "dropout": [Interval(Real, 0, 1, closed="left")],
        "lr": [Interval(Real, 0, None, closed="neither")],
        "max_epochs": [
            Interval(Integral, 1, None, closed="left"),
            StrOptions({"auto"}),
        ],
        "max_steps": [Interval(Integral, 1, None, closed="left"), None],
        "batch_size": [Interval(Integral, 1, None, closed="left")],
        "optimizer": [StrOptions(set(OPTIMIZERS)), type],
        "weight_decay": [Interval(Real, 0, None, closed="left")],
        "early_stopping": ["boolean"],
        "validation_fraction": [Interval(Real, 0, 1, closed="neither")],
        "patience": [Interval(Integral, 1, None, closed="left")],
        "contamination": CONTAMINATION_CONSTRAINT,
        "device": [str],
        "random_state": ["random_state"],
        "verbose": ["verbose"],
        "callbacks": [list, None],
        "n_jobs": [Interval(Integral, 1, None, closed="left"), None],
    }

    #: The skorch net class that trains the module.
    _net_class = UnsupervisedNet

    # ---- required hooks ---------------------------------------------------

    @abstractmethod
    def _build_module(self, n_features):
        """The torch module for ``n_features`` input columns."""

    @abstractmethod
    def _criterion(self):
        """Return ``(criterion_class, criterion_kwargs)``."""

    @abstractmethod
    def _anomaly_score_batch(self, module, X_batch):
        """Anomaly scores (higher = more anomalous) of one batch, shape (B,)."""

    # ---- optional hooks ---------------------------------------------------

    def _training_rows(self, X, y):
        """Return ``(X_train, y_train)``: the rows and targets the net learns."""
        return X, None

    def _train_iterator(self):
        """Return ``(iterator_class, kwargs)`` that skorch uses for training."""
        return BatchIterator, {"shuffle": True}

    def _valid_iterator(self):
        """Return ``(iterator_class, kwargs)`` for the held-out rows."""
        return BatchIterator, {}

    def _score_width(self, n_features):
        """Numbers per row in the widest scoring layer (sizes the batches)."""
        return n_features

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

    def _batches_per_epoch(self, n_rows):
        """Optimizer steps in one epoch over ``n_rows`` rows."""
        return math.ceil(n_rows / self.batch_size)

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
        device = resolve_device(self.device)
        # torch's random generator and its thread count belong to the
        # process: fits running in threads of one process (joblib's threading
        # backend, a Dask worker's threads) take turns, so that each trains
        # from its own seed alone.
        with _PROCESS_WIDE_TORCH_STATE, torch_threads(self.n_jobs):
            self._fit_network(X_train, y_train, device)
            self.history_ = self.net_.history
            self.offset_ = contamination_offset(
                self._anomaly_scores(X), self.contamination, self._auto_offset
            )
        return self

    def _fit_network(self, X_train, y_train, device):
        """Seed, prepare the rows once, initialise and train ``net_``."""
        seed = draw_seed(self.random_state)
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
        """The uninitialised net, assembled by :mod:`skfraud.nets` from the
        parameters and the hooks."""
        return assemble_net(
            self._net_class,
            module=self._build_module(train_data.X.shape[1]),
            criterion=self._criterion(),
            optimizer=optimizer_step(self.optimizer, self.weight_decay),
            train_iterator=self._train_iterator(),
            valid_iterator=self._valid_iterator(),
            callbacks=training_callbacks(
                early_stopping=self.early_stopping,
                patience=self.patience,
                verbose=self.verbose,
                extra=self.callbacks,
            ),
            lr=self.lr,
            max_epochs=self._epochs(len(train_data)),
            batch_size=self.batch_size,
            device=device,
            verbose=self.verbose,
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
        """``max_epochs`` for ``n_rows`` training rows, ``"auto"`` resolved and
        ``max_steps`` applied.

        ``"auto"`` trains for :data:`AUTO_MIN_EPOCHS` epochs, or for as many
        as :data:`AUTO_MIN_STEPS` optimizer steps take when that is more: a
        budget in epochs alone gives a table of a few hundred rows only a few
        hundred steps. A detector may also bound ``"auto"`` by a number of
        steps (``_auto_max_steps()``). ``max_steps`` then caps the epochs at
        those that reach that many steps (at least one).
        """
        steps_per_epoch = max(1, self._batches_per_epoch(n_rows))
        epochs = self.max_epochs
        if epochs == "auto":
            min_steps = self._auto_min_steps()
            epochs = max(AUTO_MIN_EPOCHS, math.ceil(min_steps / steps_per_epoch))
            epochs = _bounded(epochs, self._auto_max_steps(), steps_per_epoch)
        return _bounded(epochs, self.max_steps, steps_per_epoch)

    def _auto_min_steps(self):
        """The optimizer steps that ``max_epochs="auto"`` trains at least."""
        return AUTO_MIN_STEPS

    def _auto_max_steps(self):
        """The optimizer steps that ``max_epochs="auto"`` trains at most
        (``None``: no bound)."""
        return None

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

    # ---- scoring ----------------------------------------------------------

    def _map_batches(self, X, batch_function, *, width=None):
        """``batch_function(module, X_batch)`` over validated ``X`` in batches
        (:func:`skfraud.nets.map_batches`); ``width`` defaults to
        :meth:`_score_width`."""
        if width is None:
            width = self._score_width(X.shape[1])
        return map_batches(
            self.net_, X, batch_function, width=width, n_jobs=self.n_jobs
        )

    def _anomaly_scores(self, X):
        """Anomaly scores of validated ``X`` as a float64 array."""
        return self._map_batches(X, self._anomaly_score_batch)

    @fill_texts()
    def score_samples(self, X):
        """Normality score of each row: higher is more normal.

        It is the negative of the detector's anomaly score, as in
        scikit-learn's outlier detectors. The same ``X`` always gives the same
        scores.

        %(score_samples_sections)s
            The negative anomaly score of each row; anomalies score lowest.
        """
        check_is_fitted(self)
        return -self._anomaly_scores(self._validate_X(X, reset=False))

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.sparse = True
        return tags


class BaseUnsupervisedDetector(BaseDeepDetector):
    """Base of the detectors that learn from unlabelled rows."""

    _parameter_constraints: dict = {
        **BaseDeepDetector._parameter_constraints,
        "train_on": [StrOptions({"all", "normal"})],
    }

    def _training_rows(self, X, y):
        if self.train_on == "all":
            return X, None
        return X[normal_rows(y, X.shape[0])], None


def _bounded(epochs, max_steps, steps_per_epoch):
    """``epochs``, cut to those that reach ``max_steps`` steps (at least one)."""
    if max_steps is None:
        return epochs
    return min(epochs, max(1, math.ceil(max_steps / steps_per_epoch)))
