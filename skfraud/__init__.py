"""Deep anomaly detectors for fraud and intrusion data, as scikit-learn estimators."""

import importlib
import importlib.util

# Every public detector, as skfraud.detectors lists it: a new detector is
# exported by one line there.
from skfraud.detectors import *  # noqa: F403
from skfraud.detectors import __all__

__version__ = "0.1.0"

# Submodules imported on first attribute access, as scikit-learn does, so that
# ``import skfraud`` stays light: ``plotting`` needs matplotlib and
# ``distributed`` needs Dask, both optional.
_LAZY_SUBMODULES = (
    "datasets",
    "distributed",
    "ensemble",
    "explain",
    "io",
    "metrics",
    "plotting",
    "preprocessing",
)


def _installed_submodules():
    return [
        name
        for name in _LAZY_SUBMODULES
        if importlib.util.find_spec(f"skfraud.{name}") is not None
    ]


def __dir__():
    return sorted([*__all__, "__version__", *_installed_submodules()])


def __getattr__(name):
    if name in _LAZY_SUBMODULES:
        try:
            return importlib.import_module(f"skfraud.{name}")
        except ModuleNotFoundError as error:
            # A missing optional dependency (Dask for ``distributed``) keeps
            # its own message; only a submodule this version lacks is an
            # AttributeError, so that ``hasattr`` answers False.
            if error.name != f"skfraud.{name}":
                raise
    raise AttributeError(f"module 'skfraud' has no attribute {name!r}")
