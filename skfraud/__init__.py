"""Deep anomaly detectors for fraud and intrusion data, as scikit-learn estimators."""

from skfraud.detectors import (
    AutoEncoderDetector,
    DAGMMDetector,
    DeepSVDDDetector,
    DevNetDetector,
    DTEDetector,
    MemAEDetector,
    VAEDetector,
)

__version__ = "0.1.0"

__all__ = [
    "AutoEncoderDetector",
    "DAGMMDetector",
    "DTEDetector",
    "DeepSVDDDetector",
    "DevNetDetector",
    "MemAEDetector",
    "VAEDetector",
]
