"""PReNet: an anomaly score learnt from the relations of row pairs."""

from numbers import Integral, Real

import torch
from sklearn.utils._param_validation import Interval

from skfraud._deep import BaseDeepDetector, LabelledAnomaliesMixin
from skfraud._docstrings import fill_doc
from skfraud.data import PairBatchIterator
from skfraud.nets import DetectorNet
from skfraud.nn._prenet import PairRegressionLoss, PairRelationNetwork

__all__ = ["PReNetDetector"]


def _cycled_draw(rows, n_draws, generator):
    """``n_draws`` of ``rows``, each row once before any repeats."""
    n_passes = -(-n_draws // len(rows))
    order = torch.cat(
        [torch.randperm(len(rows), generator=generator) for _ in range(n_passes)]
    )
    return rows[order[:n_draws]]


@fill_doc(
    auto_rule="""the midpoint between the targets a row's score aims at: \
with the default ``pair_targets`` an unlabelled row scores near 2 (pairs \
with reference unlabelled rows aim at 0, with reference anomalies at 4) and \
a labelled anomaly near 6 (4 and 8), so ``offset_ = -4``; in general \
``-(t0 + 2 t1 + t2) / 4``. It needs no guess of the fraud rate.""",
)
class PReNetDetector(LabelledAnomaliesMixin, BaseDeepDetector):
    """Pairwise relation network: learns an anomaly score from a few labels.

    A network scores pairs of rows: one encoder maps each row of a pair to a
    representation, and a head maps the two concatenated representations to
    one number. Training regresses that number on an ordinal target given by
    the kind of pair: ``pair_targets[2]`` (8 by default) for two labelled
    anomalies, ``pair_targets[1]`` (4) for a labelled anomaly and an
    unlabelled row, ``pair_targets[0]`` (0) for two unlabelled rows, with the
    mean absolute error. Every batch holds the three kinds in fixed shares, a
    quarter, a quarter and a half (see
    :class:`~skfraud.data.PairBatchIterator`), so the handful of labelled
    anomalies takes part in half of the pairs.

    A row's anomaly score is its mean pair score with reference rows:
    ``n_reference`` labelled anomalies and ``n_reference`` unlabelled rows
    drawn from the training rows with ``random_state`` at fit and kept in the
    network's buffers, so scoring is deterministic. The mean with each kind
    weighs one half. ``score_samples`` is the negative of the anomaly score.

    ``fit`` requires ``y``: 1 for a known anomaly, 0 for every other row
    (unlabelled, which may hide unknown anomalies).

    Parameters
    ----------
    hidden_dims : tuple of int, default=(20,)
        Widths of the encoder's layers; the last is the size of a row's
        representation. At least one layer. One layer of 20 units is the
        paper's feature network.

    head_dims : tuple of int, default=()
        Hidden layers of the head over the two concatenated representations.
        ``()`` is the paper's linear head: the pair score is then a sum of a
        part of each row, and the ranking of the rows does not depend on the
        reference rows (they only shift every score by the same amount).
        Hidden layers let the two rows of a pair interact.

    activation : {"relu", "leaky_relu", "elu", "gelu", "selu", "tanh"}, \
default="relu"
        Non-linearity after every hidden layer.

    dropout : float, default=0.0
        Dropout probability after every hidden activation.

    pair_targets : tuple of 3 floats, default=(0.0, 4.0, 8.0)
        Targets of the pairs with 0, 1 and 2 labelled anomalies, strictly
        increasing; the paper's values by default.

    n_reference : int, default=30
        Reference rows of each kind (labelled anomalies, unlabelled rows) a
        row is paired with to score it. Each labelled anomaly is used once
        before any is used twice, so with fewer labelled anomalies than
        ``n_reference`` some repeat.

    n_batches_per_epoch : int, default=20
        Pair batches per epoch; an epoch is this many batches, not a pass
        over the training rows. ``batch_size`` counts pairs (at least 4).

    %(training_params)s

    %(contamination_param)s

    %(runtime_params)s

    Attributes
    ----------
    %(fitted_attributes)s

    See Also
    --------
    DevNetDetector : The deviation network, the other detector that learns
        from a few labelled anomalies.
    skfraud.preprocessing.DetectorScores : Unsupervised detectors' scores as
        features for a classifier trained on the same labels.

    Notes
    -----
    The defaults follow the paper's tabular setting: one hidden layer of 20
    units, targets 0, 4 and 8, 50 epochs of 20 batches of 512 pairs, RMSprop
    with learning rate 1e-3 and an L2 penalty of 0.01 (applied by the
    optimizer as weight decay on every parameter). The paper scores a row
    against freshly drawn references; here they are drawn once at fit, which
    makes scoring deterministic. Within a pair of a labelled anomaly and an
    unlabelled row the order is random, so the network learns both orders;
    at scoring time the row is on the left of every pair.

    With ``early_stopping=True`` the validation loss is the same pair loss on
    pairs drawn from the held-out rows, which therefore need a labelled
    anomaly. In :class:`~sklearn.model_selection.GridSearchCV` or
    :func:`~sklearn.model_selection.cross_validate`, pass a stratified
    splitter so that every fold holds labelled anomalies.

    References
    ----------
    G. Pang, C. Shen, H. Jin and A. van den Hengel, "Deep Weakly-supervised
    Anomaly Detection", KDD 2023.

    Examples
    --------
    >>> import numpy as np
    >>> from skfraud import PReNetDetector
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (500, 4)), rng.normal(3, 1, (20, 4))])
    >>> y = np.zeros(520, dtype=int)
    >>> y[500:510] = 1  # ten of the twenty anomalies are labelled
    >>> detector = PReNetDetector(max_epochs=10, random_state=0).fit(X, y)
    >>> scores = detector.score_samples(X)
    >>> bool(scores[510:].mean() < scores[:500].mean())
    True
    """

    _parameter_constraints: dict = {
        **BaseDeepDetector._parameter_constraints,
        "head_dims": ["array-like"],
        "batch_size": [Interval(Integral, 4, None, closed="left")],
        "pair_targets": ["array-like"],
        "n_reference": [Interval(Integral, 1, None, closed="left")],
        "n_batches_per_epoch": [Interval(Integral, 1, None, closed="left")],
    }

    _net_class = DetectorNet

    def __init__(
        self,
        *,
        hidden_dims=(20,),
        head_dims=(),
        activation="relu",
        dropout=0.0,
        pair_targets=(0.0, 4.0, 8.0),
        n_reference=30,
        n_batches_per_epoch=20,
        lr=1e-3,
        max_epochs=50,
        max_steps=None,
        batch_size=512,
        optimizer="rmsprop",
        weight_decay=0.01,
        early_stopping=False,
        validation_fraction=0.1,
        patience=5,
        contamination="auto",
        device="auto",
        random_state=None,
        verbose=0,
        callbacks=None,
        n_jobs=1,
    ):
        self.hidden_dims = hidden_dims
        self.head_dims = head_dims
        self.activation = activation
        self.dropout = dropout
        self.pair_targets = pair_targets
        self.n_reference = n_reference
        self.n_batches_per_epoch = n_batches_per_epoch
        self.lr = lr
        self.max_epochs = max_epochs
        self.max_steps = max_steps
        self.batch_size = batch_size
        self.optimizer = optimizer
        self.weight_decay = weight_decay
        self.early_stopping = early_stopping
        self.validation_fraction = validation_fraction
        self.patience = patience
        self.contamination = contamination
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.n_jobs = n_jobs

    def _training_rows(self, X, y):
        if not len(self.hidden_dims):
            raise ValueError(
                "hidden_dims needs at least one layer: its last width is the "
                "size of a row's representation; got ()."
            )
        head_dims = tuple(self.head_dims)
        if not all(isinstance(d, Integral) and d >= 1 for d in head_dims):
            raise ValueError(
                f"head_dims must be a tuple of positive integers; got {head_dims!r}."
            )
        targets = tuple(self.pair_targets)
        if not (
            len(targets) == 3
            and all(isinstance(t, Real) for t in targets)
            and targets[0] < targets[1] < targets[2]
        ):
            raise ValueError(
                "pair_targets must be 3 increasing numbers, the targets of the "
                "pairs with 0, 1 and 2 labelled anomalies; got "
                f"{self.pair_targets!r}."
            )
        return super()._training_rows(X, y)

    def _build_module(self, n_features):
        return PairRelationNetwork(
            n_features,
            self.hidden_dims,
            self.head_dims,
            self.activation,
            self.dropout,
            self.n_reference,
        )

    def _criterion(self):
        return PairRegressionLoss, {"targets": tuple(self.pair_targets)}

    def _batches_per_epoch(self, n_rows):
        return self.n_batches_per_epoch

    def _train_iterator(self):
        return PairBatchIterator, {"n_batches": self.n_batches_per_epoch}

    def _valid_iterator(self):
        # The held-out rows are scored by the same pair loss as in training.
        return PairBatchIterator, {"n_batches": self.n_batches_per_epoch}

    def _before_training(self, net, train_data):
        y = train_data.y.cpu()
        references = [
            _cycled_draw(
                torch.nonzero(y == label).squeeze(1),
                self.n_reference,
                train_data.generator,
            )
            for label in (1, 0)
        ]
        rows = [
            train_data.rows(
                index if train_data.is_sparse else index.to(train_data.device)
            )[0]
            for index in references
        ]
        with torch.no_grad():
            net.module_.set_references(*rows)

    def _anomaly_score_batch(self, module, X_batch):
        return module.score_rows(X_batch)

    def _score_width(self, n_features):
        return n_features * 2 * self.n_reference

    def _auto_offset(self, anomaly_scores):
        low, middle, high = self.pair_targets
        return -(low + 2 * middle + high) / 4
