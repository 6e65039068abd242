"""Memory-augmented autoencoder detector (MemAE)."""

from numbers import Integral, Real

from sklearn.utils._param_validation import Interval, StrOptions
from sklearn.utils.validation import check_is_fitted

from skfraud._deep import (
    AUTO_MAX_STEPS,
    BaseUnsupervisedDetector,
    FeatureContributionsMixin,
    LatentCodesMixin,
    LatentSizeMixin,
)
from skfraud._docstrings import BOUNDED_AUTO_MAX_EPOCHS, fill_doc
from skfraud.nn import MemoryAutoEncoder, MemoryAutoEncoderLoss
from skfraud.nn import functional as F

__all__ = ["MemAEDetector"]


@fill_doc(
    parameters={"max_epochs": BOUNDED_AUTO_MAX_EPOCHS},
    auto_rule="%(tukey_rule)s",
)
class MemAEDetector(
    LatentSizeMixin,
    LatentCodesMixin,
    FeatureContributionsMixin,
    BaseUnsupervisedDetector,
):
    """Autoencoder that reconstructs every row from a memory of normal patterns.

    The encoder maps a row to a code ``z``; the code does not reach the
    decoder. Instead it addresses a learnt memory of ``n_slots`` slots: the
    attention weights are a softmax over the cosine similarities between
    ``z`` and each slot, the weights below ``shrink_threshold`` are set to
    zero and the rest re-normalised to sum to 1 (hard shrinkage), and the
    decoder reconstructs the row from the weighted sum of the surviving
    slots. Training minimises the mean squared reconstruction error plus
    ``entropy_weight`` times the mean entropy of the attention, which favours
    rows that read few slots. Because the decoder only ever sees combinations
    of a few slots learnt from the training rows, an anomaly is rebuilt as
    something normal and its reconstruction error stays high even where a
    plain autoencoder would generalise to it. The anomaly score is the row's
    mean squared reconstruction error through the memory.

    Parameters
    ----------
    %(network_params)s

    n_slots : int, default=50
        Number of memory slots ``N``. The paper uses 100 slots for MNIST and
        up to 2000 for video, whose normal data take many distinct
        appearances. Tabular training data usually have a handful of modes:
        50 slots leave room for many more prototypes than that, keep every
        slot addressed by several rows of each training batch, and cost
        little.

    shrink_threshold : "auto" or float, default="auto"
        Hard-shrinkage threshold ``lambda`` in [0, 1). ``"auto"`` is
        ``1 / n_slots``, the lower end of the paper's range ``[1/N, 3/N]``:
        a row reads only the slots it is more similar to than average, and
        since the largest of ``N`` weights that sum to 1 is at least ``1/N``
        at least one slot survives for every row (unless the attention is
        exactly uniform). Above ``1/N`` a row can lose every slot; it then
        reads the zero code, is rebuilt from it and receives no gradient
        through the memory. ``0`` turns the shrinkage off.

    entropy_weight : float, default=2e-4
        Weight ``alpha`` of the attention entropy in the training loss, as
        in the paper. At this weight the term is small next to the
        reconstruction error of scaled tabular data and the attention stays
        about as spread as the shrinkage leaves it; weights around 1e-2 make
        it markedly sparser.

    %(training_params)s

    %(contamination_param)s

    %(train_on_param)s

    %(runtime_params)s

    Attributes
    ----------
    %(fitted_attributes)s

    See Also
    --------
    AutoEncoderDetector : The same encoder and decoder without the memory.

    Notes
    -----
    ``latent_dim=2`` and ``max_epochs="auto"`` were chosen on the suite of
    ``skfraud benchmark --suite adbench`` (``benchmarks/results/
    suite_candidates.md``): against half the features up to 8 and 50
    epochs, the pair ranked better with clean and with contaminated training
    rows. The memory is what lets MemAE train longer than the plain
    autoencoder without rebuilding the training anomalies: a row is rebuilt
    from a few normal prototypes, not from its own code. ``"auto"`` stops after
    the epoch that reaches 2,000 optimizer steps, as the autoencoder's does on
    rows that may hide frauds: at a 20,000-row cap the bound was level with 50
    epochs on both protocols (``benchmarks/results/defaults_two_caps.md``,
    "MemAE optimizer steps"), and on a million rows it trains one epoch, 3,907
    steps, where 50 epochs are 195,000.

    :meth:`memory_attention` shows how each row uses the memory: it returns
    the attention after shrinkage, one row per input row and one column per
    slot. ``(A > 0).sum(axis=1)`` counts the slots a row reads,
    ``A.argmax(axis=1)`` names its main slot, and a row whose attention
    spreads over many slots, or lands on slots few training rows use, is
    unlike the prototypes the memory holds. The slots themselves are
    ``net_.module_.memory.weight`` (``n_slots`` rows, one number per code
    dimension).

    The attention is a softmax of cosine similarities, which lie in
    ``[-1, 1]``, so before shrinkage no weight is more than ``e**2`` times
    another; sparsity comes from the shrinkage, not from a sharp softmax.

    References
    ----------
    D. Gong, L. Liu, V. Le, B. Saha, M. R. Mansour, S. Venkatesh and
    A. van den Hengel, "Memorizing Normality to Detect Anomaly:
    Memory-augmented Deep Autoencoder for Unsupervised Anomaly Detection",
    ICCV 2019.

    Examples
    --------
    >>> import numpy as np
    >>> from skfraud import MemAEDetector
    >>> rng = np.random.default_rng(0)
    >>> X = np.vstack([rng.normal(0, 0.1, (200, 4)), [[2.0, -2.0, 2.0, -2.0]]])
    >>> detector = MemAEDetector(max_epochs=20, random_state=0).fit(X)
    >>> int(detector.score_samples(X).argmin())
    200
    >>> attention = detector.memory_attention(X)
    >>> attention.shape
    (201, 50)
    >>> bool(np.allclose(attention.sum(axis=1), 1.0))
    True
    """

    _parameter_constraints: dict = {
        **BaseUnsupervisedDetector._parameter_constraints,
        **LatentSizeMixin._latent_constraints,
        "n_slots": [Interval(Integral, 1, None, closed="left")],
        "shrink_threshold": [
            StrOptions({"auto"}),
            Interval(Real, 0, 1, closed="left"),
        ],
        "entropy_weight": [Interval(Real, 0, None, closed="left")],
    }

    def __init__(
        self,
        *,
        hidden_dims=(64, 32),
        latent_dim=2,
        activation="relu",
        dropout=0.0,
        n_slots=50,
        shrink_threshold="auto",
        entropy_weight=2e-4,
        lr=1e-3,
        max_epochs="auto",
        max_steps=None,
        batch_size=256,
        optimizer="adam",
        weight_decay=0.0,
        early_stopping=False,
        validation_fraction=0.1,
        patience=5,
        contamination="auto",
        train_on="all",
        device="auto",
        random_state=None,
        verbose=0,
        callbacks=None,
        n_jobs=1,
    ):
        self.hidden_dims = hidden_dims
        self.latent_dim = latent_dim
        self.activation = activation
        self.dropout = dropout
        self.n_slots = n_slots
        self.shrink_threshold = shrink_threshold
        self.entropy_weight = entropy_weight
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
        self.train_on = train_on
        self.device = device
        self.random_state = random_state
        self.verbose = verbose
        self.callbacks = callbacks
        self.n_jobs = n_jobs

    def _build_module(self, n_features):
        threshold = self.shrink_threshold
        if threshold == "auto":
            threshold = 1.0 / self.n_slots
        return MemoryAutoEncoder(
            n_features,
            self.hidden_dims,
            self._latent_size(n_features),
            self.activation,
            self.dropout,
            self.n_slots,
            threshold,
        )

    def _criterion(self):
        return MemoryAutoEncoderLoss, {"entropy_weight": self.entropy_weight}

    def _auto_max_steps(self):
        return AUTO_MAX_STEPS

    def _anomaly_score_batch(self, module, X_batch):
        x_hat, _ = module(X_batch)
        return F.reconstruction_error(X_batch, x_hat)

    def _feature_contributions_batch(self, module, X_batch):
        x_hat, _ = module(X_batch)
        return F.squared_error_contributions(X_batch, x_hat)

    def memory_attention(self, X):
        """Attention of each row over the memory slots, after shrinkage.

        Parameters
        ----------
        X : {array-like, sparse matrix} of shape (n_samples, n_features)

        Returns
        -------
        attention : ndarray of shape (n_samples, n_slots), dtype float64
            Non-negative weights; each row sums to 1, or is all zeros when
            every weight of that row fell below the shrinkage threshold. The
            non-zero entries are the slots the row is rebuilt from.
        """
        check_is_fitted(self)
        X = self._validate_X(X, reset=False)
        return self._map_batches(
            X,
            lambda module, X_batch: module.attention(X_batch),
            width=max(X.shape[1], self.n_slots),
        )

    def _latent_codes_batch(self, module, X_batch):
        return module.encoder(X_batch)
