"""Model files that load without running code.

:func:`save` writes a fitted detector, or a Pipeline or composition holding
one, as one zip archive of plain data: JSON for parameters and fitted
attributes, safetensors for network weights and arrays, skops for
scikit-learn parts.
:func:`load` reads it back, looking classes up only among skfraud's
detectors and the types listed in ``TRUSTED_TYPES`` on top of skops'
own, and never unpickling. Pickle and joblib keep working for files from
trusted sources. See :ref:`saving`.
"""

from skfraud.io._archive import FORMAT_VERSION, VersionMismatchWarning, load, save
from skfraud.io._sklearn import TRUSTED_TYPES

__all__ = [
    "FORMAT_VERSION",
    "TRUSTED_TYPES",
    "VersionMismatchWarning",
    "load",
    "save",
]
