"""Parameter descriptions shared by every detector, written once.

Each shared parameter has one entry here: its type and its description, but
not its default. :func:`fill_doc` renders the entries for the class it
decorates, one parameter at a time, with the default read from that class's
``__init__`` signature, so a shared paragraph can never state another
detector's default. A docstring asks for a parameter with ``%(lr)s`` or for a
group of them with ``%(training_params)s``.
"""

import inspect
import re

__all__ = ["fill_doc", "fill_texts"]

# name -> (type, description). Descriptions are indented for a class
# docstring: entries start at four spaces, their text at eight.
_PARAMETERS = {
    "hidden_dims": (
        "tuple of int",
        "Widths of the hidden layers of the encoder; the decoder mirrors them.",
    ),
    "latent_dim": (
        'int or "auto"',
        """Size of the code between encoder and decoder. ``"auto"`` takes half
        the number of input features, between 1 and 8, so that the code is
        always narrower than the input.""",
    ),
    "activation": (
        '{"relu", "leaky_relu", "elu", "gelu", "selu", "tanh"}',
        "Non-linearity after every hidden layer.",
    ),
    "dropout": ("float", "Dropout probability after every hidden activation."),
    "trim": (
        'float in [0, 0.5), "auto" or "fence"',
        """Which of each training batch's rows, those with the largest
        losses (the rows the network fits worst), are left out of the loss.
        Frauds hidden among the training rows are mostly among them, so the
        network does not learn to treat them as normal. ``"auto"`` leaves
        out a tenth of every batch, and nothing with ``train_on="normal"``
        (the rows are known to be genuine). ``"fence"`` leaves out only the
        rows whose loss is an outlier in the batch, above Tukey's far-out
        fence (upper quartile plus 3 interquartile ranges), at most a tenth
        (and nothing with ``train_on="normal"``): on the suite it kept more
        of unverified genuine rows and let more hidden frauds in than
        ``"auto"``. A number is that share of every batch; 0 is the plain
        mean over rows.""",
    ),
    "lr": ("float", "Learning rate of the optimizer."),
    "max_epochs": (
        'int or "auto"',
        """Number of passes over the training rows (fewer with early stopping).
        ``"auto"``: 50 epochs, or as many as 1,000 optimizer steps take when
        that is more, so that a table of a few hundred rows is not
        undertrained.""",
    ),
    "max_steps": (
        "int or None",
        """Most optimizer steps: training stops after ``max_epochs`` epochs or
        after the epoch that reaches this many steps, whichever comes first,
        so that a large table costs no more than a bounded number of steps.
        ``None``: no bound.""",
    ),
    "batch_size": ("int", "Rows per training batch."),
    "optimizer": (
        '{"adam", "adamw", "sgd", "rmsprop"} or torch optimizer class',
        "Optimizer used for training.",
    ),
    "weight_decay": ("float", "L2 penalty passed to the optimizer."),
    "early_stopping": (
        "bool",
        """Hold out ``validation_fraction`` of the training rows, stop when the
        validation loss has not improved for ``patience`` epochs and restore
        the weights of the best epoch.""",
    ),
    "validation_fraction": (
        "float",
        "Share of the training rows held out when ``early_stopping=True``.",
    ),
    "patience": (
        "int",
        "Epochs without improvement of the validation loss before stopping.",
    ),
    "contamination": (
        '"auto" or float',
        """Expected share of anomalies in the data passed to ``fit``; it sets
        ``offset_``, the threshold of ``predict``. With a float the offset is
        that quantile of the training scores. With ``"auto"``: %(auto_rule)s""",
    ),
    "train_on": (
        '{"all", "normal"}',
        """Rows used to train the network. ``"all"`` uses every row of ``X`` and
        ignores ``y``; ``"normal"`` uses only the rows with ``y == 0`` (the
        "train on normal data" protocol). ``offset_`` is always computed on
        all of ``X``.""",
    ),
    "device": (
        "str",
        """``"auto"`` (CUDA when available, else CPU), ``"cpu"``, ``"cuda"`` or
        ``"cuda:N"``. Training and scoring data are moved to this device once.
        A model fitted on a GPU can be unpickled and used on a CPU-only
        machine.""",
    ),
    "random_state": (
        "int, RandomState instance or None",
        """Seeds weight initialisation, dropout, shuffling and sampling. The same
        integer gives identical scores on CPU. The global NumPy and torch
        random states are left untouched.""",
    ),
    "verbose": (
        "int",
        """0 is silent; 1 or more shows a progress bar over the batches of each
        epoch and a line of losses per epoch.""",
    ),
    "callbacks": (
        "list of skorch callbacks",
        "Extra callbacks for the underlying :class:`skorch.NeuralNet`.",
    ),
    "n_jobs": (
        "int or None",
        """Number of torch CPU threads during ``fit`` and scoring; torch's own
        setting is restored afterwards. One thread is the fastest for these
        small networks on a shared or busy machine and inside Dask or joblib
        workers; more can help wide networks on an idle machine. ``None``
        leaves torch's setting alone.""",
    ),
}

#: ``max_epochs`` of the detectors whose ``"auto"`` is bounded in steps
#: whatever ``train_on`` says.
BOUNDED_AUTO_MAX_EPOCHS = (
    'int or "auto"',
    """Number of passes over the training rows (fewer with early stopping).
        ``"auto"``: 50 epochs, or as many as 1,000 optimizer steps take when
        that is more, so that a table of a few hundred rows is not
        undertrained, and stops after the epoch that reaches 2,000 optimizer
        steps, so that a large one costs a bounded number of steps.""",
)

#: ``max_epochs`` of the detectors whose ``"auto"`` follows ``train_on``
#: (:class:`~skfraud._deep.GenuineRowsMixin`).
GENUINE_ROWS_MAX_EPOCHS = (
    'int or "auto"',
    """Number of passes over the training rows (fewer with early stopping).
        ``"auto"`` follows ``train_on``: on rows that may hide frauds
        (``train_on="all"``) 50 epochs, since longer training also learns to
        rebuild them, stopping after the epoch that reaches 2,000 optimizer
        steps; on rows known to be genuine (``train_on="normal"``) 1,000
        optimizer steps, however many epochs they take (at least one). A table
        of a few hundred rows is then not undertrained, and a large one costs a
        bounded number of steps.""",
)

_GROUPS = {
    "network_params": ("hidden_dims", "latent_dim", "activation", "dropout"),
    "training_params": (
        "lr",
        "max_epochs",
        "max_steps",
        "batch_size",
        "optimizer",
        "weight_decay",
        "early_stopping",
        "validation_fraction",
        "patience",
    ),
    "contamination_param": ("contamination",),
    "train_on_param": ("train_on",),
    "runtime_params": ("device", "random_state", "verbose", "callbacks", "n_jobs"),
}

_TEXTS = {
    "fitted_attributes": """net_ : skorch.NeuralNet
        The trained network; ``net_.module_`` is the torch module.

    history_ : skorch.History
        Per-epoch and per-batch training record (``train_loss``,
        ``valid_loss``, ``dur``...).

    %(offset_attributes)s

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of the features seen during ``fit``; only defined when ``X``
        has string column names.""",
    "offset_attributes": """offset_ : float
        Threshold on ``score_samples``: rows scoring below it are anomalies,
        so ``decision_function = score_samples - offset_``.

    n_features_in_ : int
        Number of features seen during ``fit``.""",
    "ensemble_attributes": """%(offset_attributes)s

    feature_names_in_ : ndarray of shape (`n_features_in_`,)
        Names of features seen during ``fit``, when ``X`` has string
        column names.""",
    "rank_scores": """Parameters
    ----------
    X : {array-like, sparse matrix, DataFrame} of shape (n_samples, n_features)

    Returns
    -------
    scores : ndarray of shape (n_samples,), dtype float64
        Between -1 and 0; anomalies score lowest.""",
    "score_samples_sections": """Parameters
    ----------
    X : {array-like, sparse matrix} of shape (n_samples, n_features)

    Returns
    -------
    scores : ndarray of shape (n_samples,), dtype float64""",
    "return_X_y_param": """return_X_y : bool, default=False
        If True, return ``(data, target)`` instead of a Bunch.""",
    "X_y_tuple": """(data, target) : tuple if ``return_X_y`` is True
        ``data`` and ``target`` as described above, without the Bunch.""",
    "detector_rows": """estimator : estimator instance
        Fitted outlier detector, or a fitted Pipeline ending in one.

    X : {array-like, sparse matrix} of shape (n_samples, n_features)
        Rows to score.""",
    "tukey_rule": """the upper Tukey fence of the training anomaly \
scores, ``Q3 + 1.5 * IQR``: a row is flagged when its anomaly score lies \
further above the upper quartile than 1.5 interquartile ranges, a rule that \
needs no guess of the fraud rate.""",
}


def format_default(value):
    """A default as numpydoc writes it: strings in double quotes."""
    if isinstance(value, str):
        return f'"{value}"'
    return repr(value)


def _render(name, defaults, parameters=_PARAMETERS):
    if name not in defaults:
        raise KeyError(f"the signature has no parameter {name!r} to document")
    kind, description = parameters[name]
    default = format_default(defaults[name])
    return f"{name} : {kind}, default={default}\n        {description}"


def fill_doc(parameters=None, **values):
    """Fill ``%(name)s`` placeholders in a class docstring.

    A placeholder names a shared parameter (``%(lr)s``), a group of them
    (``%(training_params)s``) or a shared text (``%(fitted_attributes)s``).
    Parameters are rendered with the defaults of the decorated class's
    ``__init__``. Keyword arguments add texts (``auto_rule``, the rule of
    ``contamination="auto"``); texts may hold placeholders too.
    ``parameters`` maps a shared parameter's name to the ``(type,
    description)`` this class gives it instead, in place and in its groups.
    """
    own = {**_PARAMETERS, **(parameters or {})}

    def decorate(cls):
        defaults = {
            name: parameter.default
            for name, parameter in inspect.signature(cls.__init__).parameters.items()
            if parameter.default is not inspect.Parameter.empty
        }
        mapping = {**_TEXTS, **values}
        for name in own:
            if name in defaults:
                mapping[name] = _render(name, defaults, own)
        for group, names in _GROUPS.items():
            if all(name in defaults for name in names):
                mapping[group] = "\n\n    ".join(
                    _render(name, defaults, own) for name in names
                )
        doc = cls.__doc__
        # Shared texts hold placeholders of their own: fill until none is left.
        while "%(" in doc:
            doc = doc % mapping
        cls.__doc__ = doc
        return cls

    return decorate


_PLACEHOLDER = re.compile(r"^( *)%\((\w+)\)s$|%\((\w+)\)s", re.MULTILINE)


def _placed(doc, mapping):
    # A text is written for a class docstring, its first line at four spaces;
    # alone on its line at a placeholder further in (a method's docstring),
    # its following lines move in with it. Any other ``%`` is left as it is.
    def replace(match):
        indent, alone, inline = match.groups()
        if inline is not None:
            return mapping[inline]
        shift = " " * max(len(indent) - 4, 0)
        lines = mapping[alone].split("\n")
        return "\n".join(
            [indent + lines[0]] + [shift + line if line else line for line in lines[1:]]
        )

    return _PLACEHOLDER.sub(replace, doc)


def fill_texts(**texts):
    """Fill ``%(name)s`` placeholders in a docstring with the given texts.

    The form of :func:`fill_doc` for functions and methods, whose shared texts
    have no defaults to read: the decorated object's docstring is filled
    with the shared texts and ``texts`` until no placeholder is left. A text
    standing alone on its line is indented to the placeholder's depth; a
    ``%`` that starts no placeholder stays as written.
    """
    mapping = {**_TEXTS, **texts}

    def decorate(obj):
        doc = obj.__doc__
        while _PLACEHOLDER.search(doc):
            doc = _placed(doc, mapping)
        obj.__doc__ = doc
        return obj

    return decorate
