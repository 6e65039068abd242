"""Deep anomaly detectors for fraud and intrusion data, as scikit-learn estimators."""

import importlib
import importlib.util

from skfraud.detectors import (
    AutoEncoderDetector,
    DAGMMDetector,
    DeepSVDDDetector,
    DevNetDetector,
    DTEDetector,
    KNNDetector,
    MemAEDetector,
    PReNetDetector,
    VAEDetector,
)

__version__ = "0.1.0"

__all__ = [
    "AutoEncoderDetector",
    "DAGMMDetector",
    "DTEDetector",
    "DeepSVDDDetector",
    "DevNetDetector",
    "KNNDetector",
    "MemAEDetector",
    "PReNetDetector",
    "VAEDetector",
]

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
