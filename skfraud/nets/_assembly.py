"""A detector's skorch net, assembled from its parameters in small steps.

The deep base calls :func:`assemble_net` with what each step returns, as
skorch's ``NeuralNet.initialize`` calls its ``initialize_*`` methods:

- :func:`resolve_device`: ``"auto"``, ``"cpu"``, ``"cuda"`` or ``"cuda:N"``
  to the device the net trains on;
- :func:`optimizer_step`: the optimizer class and its keyword arguments;
- :func:`training_callbacks`: the finite-loss guard, early stopping, the
  progress bar and the user's own callbacks;
- :func:`assemble_net`: the net itself, with the criterion, the training
  iterator and the validation iterator a detector names (by default the
  validation rows are read in plain batches).
"""

import copy
import re

import torch
from skorch.callbacks import EarlyStopping

from skfraud.data import BatchIterator
from skfraud.nets._callbacks import FiniteLossGuard, TrainingProgress

__all__ = [
    "DEVICE_PATTERN",
    "OPTIMIZERS",
    "assemble_net",
    "optimizer_step",
    "resolve_device",
    "training_callbacks",
]

OPTIMIZERS = {
    "adam": torch.optim.Adam,
    "adamw": torch.optim.AdamW,
    "sgd": torch.optim.SGD,
    "rmsprop": torch.optim.RMSprop,
}

DEVICE_PATTERN = re.compile(r"^(auto|cpu|cuda(:\d+)?)$")


def resolve_device(device):
    """The torch device name for ``device``, with a clear error where it is
    not available."""
    if not DEVICE_PATTERN.match(device):
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


def optimizer_step(optimizer, weight_decay):
    """``(optimizer_class, kwargs)`` for a name of :data:`OPTIMIZERS` or a class."""
    kwargs = {"weight_decay": weight_decay}
    if optimizer in ("adam", "adamw"):
        # The fused kernel updates every parameter in one pass: the same
        # arithmetic, and about 15 per cent less fit time for a small
        # network on a CPU, more on a GPU.
        kwargs["fused"] = True
    return OPTIMIZERS.get(optimizer, optimizer), kwargs


def training_callbacks(*, early_stopping, patience, verbose, extra):
    """The ``(name, callback)`` list every detector trains with.

    ``extra`` (the user's callbacks) is deep-copied, so that fitting never
    changes the callbacks held in the detector's parameters.
    """
    callbacks = [("finite_loss", FiniteLossGuard())]
    if early_stopping:
        callbacks.append(
            ("early_stopping", EarlyStopping(patience=patience, load_best=True))
        )
    if verbose:
        callbacks.append(("progress_bar", TrainingProgress()))
    return callbacks + copy.deepcopy(extra or [])


def _prefixed(prefix, kwargs):
    return {f"{prefix}__{key}": value for key, value in kwargs.items()}


def assemble_net(
    net_class,
    *,
    module,
    criterion,
    optimizer,
    train_iterator,
    callbacks,
    lr,
    max_epochs,
    batch_size,
    device,
    verbose,
    valid_iterator=(BatchIterator, {}),
):
    """An uninitialised ``net_class`` that trains ``module``.

    ``criterion``, ``optimizer``, ``train_iterator`` and ``valid_iterator``
    are ``(class, kwargs)`` pairs. The net holds no train split: the deep
    base sets one when early stopping holds rows out.
    """
    criterion_class, criterion_kwargs = criterion
    optimizer_class, optimizer_kwargs = optimizer
    train_iterator_class, train_iterator_kwargs = train_iterator
    valid_iterator_class, valid_iterator_kwargs = valid_iterator
    return net_class(
        module=module,
        criterion=criterion_class,
        **_prefixed("criterion", criterion_kwargs),
        optimizer=optimizer_class,
        **_prefixed("optimizer", optimizer_kwargs),
        lr=lr,
        max_epochs=max_epochs,
        batch_size=batch_size,
        iterator_train=train_iterator_class,
        **_prefixed("iterator_train", train_iterator_kwargs),
        iterator_valid=valid_iterator_class,
        **_prefixed("iterator_valid", valid_iterator_kwargs),
        train_split=None,
        callbacks=callbacks,
        device=device,
        verbose=int(bool(verbose)),
    )
