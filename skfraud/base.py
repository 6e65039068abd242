"""Deprecated: the detectors' base classes moved.

``skfraud.base`` is kept for one release so that code importing from it
keeps working, with a ``FutureWarning``. The deep base is
``skfraud._deep`` (``BaseDeepDetector``, ``BaseUnsupervisedDetector`` and
the mixins) and the torch-free threshold layer ``skfraud._threshold``
(``ThresholdMixin``, ``contamination_offset``, ``tukey_offset``).
"""

import importlib
import warnings

_MOVED = {
    "BaseDeepDetector": "skfraud._deep",
    "BaseUnsupervisedDetector": "skfraud._deep",
    "FeatureContributionsMixin": "skfraud._deep",
    "LatentCodesMixin": "skfraud._deep",
    "TrimmedLossMixin": "skfraud._deep",
    "ThresholdMixin": "skfraud._threshold",
    "contamination_offset": "skfraud._threshold",
    "tukey_offset": "skfraud._threshold",
}

__all__ = sorted(_MOVED)


def __getattr__(name):
    if name not in _MOVED:
        raise AttributeError(f"module 'skfraud.base' has no attribute {name!r}")
    warnings.warn(
        f"skfraud.base is deprecated and will be removed in the next release; "
        f"import {name} from {_MOVED[name]} instead.",
        FutureWarning,
        stacklevel=2,
    )
    return getattr(importlib.import_module(_MOVED[name]), name)
