"""Parameter descriptions shared by every detector, written once.

Detector docstrings use ``%(name)s`` placeholders filled by :func:`fill_doc`.
"""

__all__ = ["fill_doc"]

_SHARED = {
    "network_params": """hidden_dims : tuple of int, default=%(hidden_dims_default)s
        Widths of the hidden layers of the encoder; the decoder mirrors them.

    latent_dim : int or "auto", default=%(latent_dim_default)s
        Size of the code between encoder and decoder. ``"auto"`` takes half
        the number of input features, between 1 and 8, so that the code is
        always narrower than the input.

    activation : {"relu", "leaky_relu", "elu", "gelu", "selu", "tanh"}, \
default="relu"
        Non-linearity after every hidden layer.

    dropout : float, default=0.0
        Dropout probability after every hidden activation.""",
    "training_params": """lr : float, default=1e-3
        Learning rate of the optimizer.

    max_epochs : int, default=%(max_epochs_default)s
        Number of passes over the training rows (fewer with early stopping).

    batch_size : int, default=%(batch_size_default)s
        Rows per training batch.

    optimizer : {"adam", "adamw", "sgd", "rmsprop"} or torch optimizer class, \
default=%(optimizer_default)s
        Optimizer used for training.

    weight_decay : float, default=%(weight_decay_default)s
        L2 penalty passed to the optimizer.

    early_stopping : bool, default=False
        Hold out ``validation_fraction`` of the training rows, stop when the
        validation loss has not improved for ``patience`` epochs and restore
        the weights of the best epoch.

    validation_fraction : float, default=0.1
        Share of the training rows held out when ``early_stopping=True``.

    patience : int, default=5
        Epochs without improvement of the validation loss before stopping.""",
    "contamination_param": """contamination : "auto" or float, default="auto"
        Expected share of anomalies in the data passed to ``fit``; it sets
        ``offset_``, the threshold of ``predict``. With a float the offset is
        that quantile of the training scores. With ``"auto"``: %(auto_rule)s""",
    "train_on_param": """train_on : {"all", "normal"}, default="all"
        Rows used to train the network. ``"all"`` uses every row of ``X`` and
        ignores ``y``; ``"normal"`` uses only the rows with ``y == 0`` (the
        "train on normal data" protocol). ``offset_`` is always computed on
        all of ``X``.""",
    "runtime_params": """device : str, default="auto"
        ``"auto"`` (CUDA when available, else CPU), ``"cpu"``, ``"cuda"`` or
        ``"cuda:N"``. Training and scoring data are moved to this device once.
        A model fitted on a GPU can be unpickled and used on a CPU-only
        machine.

    random_state : int, RandomState instance or None, default=None
        Seeds weight initialisation, dropout, shuffling and sampling. The same
        integer gives identical scores on CPU. The global NumPy and torch
        random states are left untouched.

    verbose : int, default=0
        0 is silent; 1 or more shows a progress bar and the per-epoch losses.

    callbacks : list of skorch callbacks, default=None
        Extra callbacks for the underlying :class:`skorch.NeuralNet`.

    n_jobs : int or None, default=1
        Number of torch CPU threads during ``fit`` and scoring; torch's own
        setting is restored afterwards. One thread is the fastest for these
        small networks on a shared or busy machine and inside Dask or joblib
        workers; more can help wide networks on an idle machine. ``None``
        leaves torch's setting alone.""",
    "fitted_attributes": """net_ : skorch.NeuralNet
        The trained network; ``net_.module_`` is the torch module.

    history_ : skorch.History
        Per-epoch and per-batch training record (``train_loss``,
        ``valid_loss``, ``dur``...).

    offset_ : float
        Threshold on ``score_samples``: rows scoring below it are anomalies,
        so ``decision_function = score_samples - offset_``.

    n_features_in_ : int
        Number of features seen during ``fit``.

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen during ``fit``; only defined when ``X``
        has string column names.""",
    "optimizer_default": '"adam"',
    "weight_decay_default": "0.0",
    "tukey_rule": """the upper Tukey fence of the training anomaly \
scores, ``Q3 + 1.5 * IQR``: a row is flagged when its anomaly score lies \
further above the upper quartile than 1.5 interquartile ranges, a rule that \
needs no guess of the fraud rate.""",
}


def fill_doc(**values):
    """Fill ``%(name)s`` placeholders in a docstring with the shared texts.

    Keyword arguments add or override values (for example the defaults that
    differ between detectors). Shared texts may contain placeholders too.
    """
    mapping = {**_SHARED, **values}

    def decorate(obj):
        doc = obj.__doc__
        # Shared texts hold placeholders of their own: fill until none is left.
        while "%(" in doc:
            doc = doc % mapping
        obj.__doc__ = doc
        return obj

    return decorate
