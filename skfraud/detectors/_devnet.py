"""Deviation network: an anomaly score learnt from a handful of labelled frauds."""

from numbers import Integral, Real

from scipy.stats import norm
from sklearn.utils._param_validation import Interval

from skfraud._deep import BaseDeepDetector, LabelledAnomaliesMixin, LatentCodesMixin
from skfraud._docstrings import fill_doc
from skfraud.data import BalancedBatchIterator
from skfraud.detectors._autoencoder import AutoEncoderDetector
from skfraud.nets import DetectorNet
from skfraud.nn import DeviationLoss, DeviationNetwork

__all__ = ["DevNetDetector"]

# "auto" flags a row whose score lies above the central 95 per cent of the
# N(0, 1) reference scores.
_AUTO_Z = float(norm.ppf(0.975))


@fill_doc(
    auto_rule="""the score is read as a z-score against the \
``N(0, 1)`` reference scores, and a row is an anomaly when it lies above \
the usual 95 per cent bound of a z-score, 1.96 (the 97.5th percentile of \
the reference): ``offset_ = -1.96``. The rule follows from the loss, which \
holds unlabelled rows near the reference mean and pushes labelled anomalies \
``margin`` reference deviations above it; unlike a quantile of the training \
scores, it needs no guess of the fraud rate.""",
)
class DevNetDetector(LabelledAnomaliesMixin, LatentCodesMixin, BaseDeepDetector):
    """Deviation network: learns an anomaly score from a few labelled anomalies.

    A scoring network (an MLP with one scalar output) gives every row an
    anomaly score ``s``. Training compares the scores with reference scores
    ``r`` drawn afresh for every batch from the prior ``N(0, 1)``: the
    deviation ``dev = (s - mean(r)) / std(r)`` is a z-score, and the
    deviation loss ``(1 - y) |dev| + y max(0, margin - dev)`` pulls the
    unlabelled rows (``y = 0``, mostly normal) towards the reference mean
    while pushing every labelled anomaly (``y = 1``) at least ``margin``
    standard deviations above it. Because so few rows are labelled, each
    training batch is half labelled anomalies, drawn with replacement, and
    half unlabelled rows (see :class:`~skfraud.data.BalancedBatchIterator`).
    The anomaly score is the network's output; ``score_samples`` is its
    negative.

    Unlike the unsupervised detectors, ``fit`` requires ``y``: 1 for a known
    anomaly, 0 for every other row (unlabelled, which may hide unknown
    anomalies). A handful of labels, tens of rows, is enough.

    Parameters
    ----------
    hidden_dims : tuple of int, default=(20,)
        Widths of the hidden layers of the scoring network, which ends with a
        linear layer to one score. One layer of 20 units is the paper's
        default network. ``()`` gives a linear score.

    %(activation)s

    %(dropout)s

    margin : float, default=5.0
        Confidence margin ``a``: how many reference standard deviations a
        labelled anomaly must score above the reference mean before its loss
        vanishes.

    n_reference : int, default=5000
        Reference scores drawn from ``N(0, 1)`` for every batch.

    n_batches_per_epoch : int, default=20
        Balanced batches per epoch; an epoch is this many batches, not a pass
        over the training rows.

    pretrain : bool, default=False
        Initialise the scoring network's hidden layers with the encoder of an
        :class:`AutoEncoderDetector` trained for ``pretrain_epochs`` on the
        unlabelled rows. Its encoder has the widths ``hidden_dims[:-1]`` and
        code size ``hidden_dims[-1]``, so that it is exactly the scoring
        network minus its output layer; the autoencoder is discarded after
        fit. Needs at least one hidden layer.

    freeze_encoder : bool, default=False
        With ``pretrain=True``, keep the pretrained layers fixed and train
        only the output layer (``True``), or fine-tune the whole network
        (``False``). Ignored without pretraining.

    pretrain_epochs : int, default=20
        Epochs of autoencoder training (passes over the unlabelled rows) when
        ``pretrain=True``.

    %(training_params)s

    %(contamination_param)s

    %(runtime_params)s

    Attributes
    ----------
    %(fitted_attributes)s

    See Also
    --------
    AutoEncoderDetector : Unsupervised detector; supplies the pretraining.
    sklearn.ensemble.HistGradientBoostingClassifier : Supervised baseline
        for when labels are plentiful.

    Notes
    -----
    The defaults are the paper's: one hidden layer of 20 units, ``a = 5``,
    5000 reference scores, 50 epochs of 20 batches of 512 rows, RMSprop with
    learning rate 1e-3 and an L2 penalty of 0.01. The penalty is applied by
    the optimizer as weight decay on every parameter, whereas the paper's
    applies only to the hidden layer's weights. Autoencoder pretraining is an
    addition to the paper.

    Inside :class:`~sklearn.model_selection.GridSearchCV` or
    :func:`~sklearn.model_selection.cross_validate`, pass a stratified
    splitter (``cv=StratifiedKFold(...)``): the default splitter for a
    non-classifier does not stratify, and a fold without a labelled anomaly
    cannot be fitted.

    References
    ----------
    G. Pang, C. Shen and A. van den Hengel, "Deep Anomaly Detection with
    Deviation Networks", KDD 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from skfraud import DevNetDetector
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 1, (500, 4)), rng.normal(3, 1, (20, 4))])
    >>> y = np.zeros(520, dtype=int)
    >>> y[500:510] = 1  # ten of the twenty anomalies are labelled
    >>> detector = DevNetDetector(max_epochs=10, random_state=0).fit(X, y)
    >>> scores = detector.score_samples(X)
    >>> bool(scores[510:].mean() < scores[:500].mean())
    True
    """

    _parameter_constraints: dict = {
        **BaseDeepDetector._parameter_constraints,
        "batch_size": [Interval(Integral, 2, None, closed="left")],
        "margin": [Interval(Real, 0, None, closed="neither")],
        "n_reference": [Interval(Integral, 2, None, closed="left")],
        "n_batches_per_epoch": [Interval(Integral, 1, None, closed="left")],
        "pretrain": ["boolean"],
        "freeze_encoder": ["boolean"],
        "pretrain_epochs": [Interval(Integral, 1, None, closed="left")],
    }

    _net_class = DetectorNet

    def __init__(
        self,
        *,
        hidden_dims=(20,),
        activation="relu",
        dropout=0.0,
        margin=5.0,
        n_reference=5000,
        n_batches_per_epoch=20,
        pretrain=False,
        freeze_encoder=False,
        pretrain_epochs=20,
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
        self.activation = activation
        self.dropout = dropout
        self.margin = margin
        self.n_reference = n_reference
        self.n_batches_per_epoch = n_batches_per_epoch
        self.pretrain = pretrain
        self.freeze_encoder = freeze_encoder
        self.pretrain_epochs = pretrain_epochs
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
        X, y = super()._training_rows(X, y)
        if self.pretrain and not len(self.hidden_dims):
            raise ValueError(
                "pretrain=True initialises the hidden layers from an autoencoder, "
                "so hidden_dims needs at least one layer; got ()."
            )
        return X, y

    def _before_training(self, net, train_data):
        if not self.pretrain:
            return
        encoder = net.module_.encoder
        encoder.load_state_dict(self._pretrain_encoder(train_data).state_dict())
        encoder.requires_grad_(not self.freeze_encoder)

    def _pretrain_encoder(self, train_data):
        """Encoder of an autoencoder trained on the unlabelled training rows."""
        X = train_data.X if train_data.is_sparse else train_data.X.cpu().numpy()
        y = train_data.y.cpu().numpy()
        # It seeds itself from the same random_state inside its own forked
        # random state, so pretraining is reproducible and leaves the draws
        # of the main training unchanged.
        autoencoder = AutoEncoderDetector(
            hidden_dims=tuple(self.hidden_dims)[:-1],
            latent_dim=self.hidden_dims[-1],
            activation=self.activation,
            dropout=self.dropout,
            lr=self.lr,
            max_epochs=self.pretrain_epochs,
            batch_size=self.batch_size,
            train_on="normal",
            device=self.device,
            random_state=self.random_state,
            n_jobs=self.n_jobs,
        )
        # train_on="normal" trains on the rows with y == 0: the unlabelled ones.
        autoencoder.fit(X, y)
        return autoencoder.net_.module_.encoder

    def _build_module(self, n_features):
        return DeviationNetwork(
            n_features, self.hidden_dims, self.activation, self.dropout
        )

    def _criterion(self):
        return DeviationLoss, {"margin": self.margin, "n_reference": self.n_reference}

    def _batches_per_epoch(self, n_rows):
        return self.n_batches_per_epoch

    def _train_iterator(self):
        return BalancedBatchIterator, {"n_batches": self.n_batches_per_epoch}

    def _anomaly_score_batch(self, module, X_batch):
        return module(X_batch)

    def _auto_offset(self, anomaly_scores):
        return -_AUTO_Z

    def _latent_codes_batch(self, module, X_batch):
        return module.encoder(X_batch)
